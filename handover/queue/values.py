"""Values the queue core hands to the door, the desks, the display and the command line."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from handover.domain.values import VerdictKind


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    OPENED = "opened"
    SERVED = "served"
    NO_SHOW = "no_show"


TICKET_STATUS_LABELS = {
    TicketStatus.WAITING: "en attente",
    TicketStatus.CALLED: "appelé",
    TicketStatus.OPENED: "au guichet",
    TicketStatus.SERVED: "servi",
    TicketStatus.NO_SHOW: "absent à l'appel",
}


def ticket_label(number: int) -> str:
    """How a ticket number is printed and shown: three digits, ``042``."""
    return f"{number:03d}"


@dataclass(frozen=True)
class Ticket:
    ticket_id: int
    number: int  # 1, 2, 3… per site and opening day
    day: date  # the opening day (local date)
    permit_id: int
    reference: str | None  # the SMS reference, formatted, for the ticket's barcode
    status: TicketStatus
    priority: str | None  # key of a configured priority reason, None = ordinary
    issued_at: datetime  # aware, UTC
    called_at: datetime | None
    desk_name: str | None  # the desk that called it last
    fee_cents: int  # what the holder must bring in tax stamps
    needs_previous_card: bool  # the holder must bring the old card
    reprints: int = 0

    @property
    def label(self) -> str:
        return ticket_label(self.number)


@dataclass(frozen=True)
class TicketOutcome:
    issued: bool  # True also for a reprint
    number: int | None
    reprint: bool
    reason: str  # French sentence for the door agent (why not, or "Ticket 042 imprimé")
    ticket: Ticket | None = None
    verdict_kind: VerdictKind | None = None  # why the permit is not ready, when refused
    next_opening: datetime | None = None  # told to the holder when the cut-off is reached
    needs_visual_check: bool = False  # a typed numéro étranger: the door agent must confirm


@dataclass(frozen=True)
class QueueStatus:
    day: date | None  # the opening day the door works for (None: no opening today)
    issued: int
    waiting: int
    called: int
    served: int
    no_shows: int
    capacity: int  # predicted number of further tickets that will still be served
    cutoff_reached: bool
    predicted_last_number: int | None
    estimated_wait_minutes: int | None  # for a ticket issued now
    active_desks: tuple[str, ...]
    limit_raised_by: int = 0  # a supervisor's queue_limit override


@dataclass(frozen=True)
class CallRecord:
    call_id: int
    ticket: Ticket
    desk_name: str
    called_at: datetime
    out_of_order_reason: str | None = None
