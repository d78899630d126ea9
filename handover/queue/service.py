"""The queue's use cases: issue tickets at the door, call them at the desks, predict capacity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.values import AgentIdentity
from handover.queue.values import CallRecord, QueueStatus, Ticket, TicketOutcome


class QueueService:
    """The door's, the desks' and the display's view of the day's queue."""

    def __init__(self, engine: Engine, config: Config, *, clock: Clock | None = None) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock

    def issue(
        self,
        raw: str,
        agent: AgentIdentity,
        *,
        visual_check: bool = False,
        priority: str | None = None,
    ) -> TicketOutcome:
        raise NotImplementedError

    def set_priority(self, ticket_id: int, priority: str | None, agent: AgentIdentity) -> Ticket:
        raise NotImplementedError

    def status(self) -> QueueStatus:
        raise NotImplementedError

    def raise_limit(
        self, extra: int, reason: str, agent: AgentIdentity, supervisor: AgentIdentity
    ) -> QueueStatus:
        raise NotImplementedError

    def heartbeat(self, desk_name: str) -> None:
        raise NotImplementedError

    def call_next(self, desk_name: str, agent: AgentIdentity) -> CallRecord | None:
        raise NotImplementedError

    def call_number(
        self, number: int, desk_name: str, agent: AgentIdentity, reason: str
    ) -> CallRecord:
        raise NotImplementedError

    def mark_opened(self, call_id: int, agent: AgentIdentity) -> None:
        raise NotImplementedError

    def mark_no_show(self, ticket_id: int, agent: AgentIdentity) -> None:
        raise NotImplementedError

    def recent_calls(self, limit: int = 6) -> list[CallRecord]:
        raise NotImplementedError

    def last_call_id(self) -> int:
        raise NotImplementedError

    def next_opening(self) -> datetime | None:
        raise NotImplementedError
