"""What the core's handover recording does to the queue, inside the handover's transaction.

Imported by ``handover.services.handovers``: it imports nothing from the services.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Table, bindparam, select, update

from handover.persistence.models import QueueCall, QueueTicket
from handover.queue.values import TicketStatus

_TICKETS = QueueTicket.__table__
_CALLS = QueueCall.__table__
assert isinstance(_TICKETS, Table) and isinstance(_CALLS, Table)

LIVE = (TicketStatus.CALLED.value, TicketStatus.OPENED.value)
NOT_SERVED = (*LIVE, TicketStatus.WAITING.value, TicketStatus.NO_SHOW.value)

_LATEST_CALL_HERE = (
    select(QueueCall.called_at)
    .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
    .where(
        QueueTicket.permit_id == bindparam("b_permit"),
        QueueTicket.status.in_(LIVE),
        QueueCall.desk_id == bindparam("b_desk"),
        QueueCall.ended_at.is_(None),
    )
    .order_by(QueueCall.id.desc())
    .limit(1)
)
_SERVE_TICKETS = (
    update(_TICKETS)
    .where(
        _TICKETS.c.permit_id == bindparam("b_permit"),
        _TICKETS.c.status.in_(NOT_SERVED),
    )
    .values(
        status=TicketStatus.SERVED.value,
        served_at=bindparam("b_at"),
        handover_id=bindparam("b_handover"),
    )
)
_END_CALLS = (
    update(_CALLS)
    .where(
        _CALLS.c.ended_at.is_(None),
        _CALLS.c.ticket_id.in_(
            select(_TICKETS.c.id).where(_TICKETS.c.permit_id == bindparam("b_permit"))
        ),
    )
    .values(ended_at=bindparam("b_at"), outcome="served")
)


def call_started_at(conn: Connection, permit_id: int, desk_id: int) -> datetime | None:
    """When this desk called the permit's ticket (the call that opened it here), if it did."""
    found: datetime | None = conn.execute(
        _LATEST_CALL_HERE, {"b_permit": permit_id, "b_desk": desk_id}
    ).scalar_one_or_none()
    return found


def mark_served(conn: Connection, permit_id: int, handover_id: int, at: datetime) -> int:
    """The permit's ticket leaves the queue as served (whatever its state: a holder served
    without being called is not called later); its live call ends. Tickets changed."""
    # Calls before tickets: the lock order every queue writer follows.
    conn.execute(_END_CALLS, {"b_permit": permit_id, "b_at": at})
    changed = conn.execute(
        _SERVE_TICKETS, {"b_permit": permit_id, "b_at": at, "b_handover": handover_id}
    ).rowcount
    return int(changed)
