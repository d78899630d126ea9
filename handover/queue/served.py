"""What the core's handover recording does to the queue, inside the handover's transaction.

Imported by ``handover.services.handovers``: it imports nothing from the services. Without
a ticket (a desk that works without the queue) it costs one indexed look-up.
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

_OPEN_TICKETS = select(_TICKETS.c.id).where(
    _TICKETS.c.permit_id == bindparam("b_permit"), _TICKETS.c.status.in_(NOT_SERVED)
)
_LATEST_CALL_HERE = (
    select(_CALLS.c.called_at)
    .where(
        _CALLS.c.ticket_id.in_(bindparam("b_tickets", expanding=True)),
        _CALLS.c.desk_id == bindparam("b_desk"),
        _CALLS.c.ended_at.is_(None),
    )
    .order_by(_CALLS.c.id.desc())
    .limit(1)
)
_END_CALLS = (
    update(_CALLS)
    .where(
        _CALLS.c.ticket_id.in_(bindparam("b_tickets", expanding=True)),
        _CALLS.c.ended_at.is_(None),
    )
    .values(ended_at=bindparam("b_at"), outcome="served")
)
_SERVE_TICKETS = (
    update(_TICKETS)
    .where(
        _TICKETS.c.id.in_(bindparam("b_tickets", expanding=True)),
        _TICKETS.c.status.in_(NOT_SERVED),
    )
    .values(
        status=TicketStatus.SERVED.value,
        served_at=bindparam("b_at"),
        handover_id=bindparam("b_handover"),
    )
)


def open_tickets(conn: Connection, permit_id: int) -> list[int]:
    """The permit's tickets not served yet (at most one a day)."""
    return [int(i) for i in conn.execute(_OPEN_TICKETS, {"b_permit": permit_id}).scalars()]


def call_started_at(conn: Connection, tickets: list[int], desk_id: int) -> datetime | None:
    """When this desk called the ticket (the call that opened the permit here), if it did."""
    if not tickets:
        return None
    found: datetime | None = conn.execute(
        _LATEST_CALL_HERE, {"b_tickets": tickets, "b_desk": desk_id}
    ).scalar_one_or_none()
    return found


def mark_served(conn: Connection, tickets: list[int], handover_id: int, at: datetime) -> int:
    """The tickets leave the queue as served (whatever their state: a holder served without
    being called is not called later); their live call ends. Returns the tickets changed."""
    if not tickets:
        return 0
    # Calls before tickets: the lock order every queue writer follows.
    conn.execute(_END_CALLS, {"b_tickets": tickets, "b_at": at})
    changed = conn.execute(
        _SERVE_TICKETS, {"b_tickets": tickets, "b_at": at, "b_handover": handover_id}
    ).rowcount
    return int(changed)
