"""The queue's errors: each carries a French message for the door agent or the desk."""

from __future__ import annotations

from handover.errors import HandoverError


class QueueError(HandoverError):
    """A queue operation was refused (unknown ticket, wrong role, bad reason…)."""


class NoOpeningToday(QueueError):
    """The door works for no opening period today (closed day, or the window is over)."""


class TicketNotFound(QueueError):
    """No ticket with this number (or id) for the opening day."""


class CallNotFound(QueueError):
    """No such call, or it is no longer live (opened elsewhere, gone back to the queue)."""
