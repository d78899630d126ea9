"""Set-up for the queue's tests: a seeded database, a door and a desk, at a fixed instant."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.domain.values import AgentIdentity, Role
from handover.persistence.models import AuditEntry, Permit
from handover.persistence.uow import UnitOfWork
from handover.queue.service import QueueService
from handover.scanning.reference import format_reference
from handover.services import accounts
from handover.services.counter import CounterService
from handover.services.demo import seed_demo

# Monday 24 November 2026 (opening 09:00-11:00 Paris = 08:00-10:00 UTC).
BEFORE_DOOR = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 Paris: door not open yet
DOOR_OPEN = datetime(2026, 11, 24, 7, 45, tzinfo=UTC)  # 08:45 Paris: door open, counter not
OPEN = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # 09:30 Paris
CLOSED_DAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday: not an opening day
DOOR_PASSWORD = "porte-de-la-salle-2026"


@dataclass
class QueueSetup:
    engine: Engine
    clock: FakeClock
    queue: QueueService
    counter: CounterService
    door: AgentIdentity
    agent: AgentIdentity
    supervisor: AgentIdentity
    config: Config


def make_queue(
    engine: Engine, *, at: datetime = OPEN, permits: int = 40, **queue: Any
) -> QueueSetup:
    config = Config()
    config = replace(config, desk=replace(config.desk, name="Guichet 1"))
    config = replace(config, queue=replace(config.queue, **queue))
    passwords = seed_demo(engine, config, permits=permits, seed=11, handed_over=2)
    accounts.add_agent(
        UnitOfWork(engine), "accueil1", DOOR_PASSWORD, role=Role.DOOR, provisioning=True
    )
    clock = FakeClock(at)
    counter = CounterService(engine, config, clock=clock)
    door_config = replace(config, desk=replace(config.desk, name="Accueil"))
    queue_service = QueueService(engine, door_config, clock=clock)
    return QueueSetup(
        engine,
        clock,
        queue_service,
        counter,
        counter.login("accueil1", DOOR_PASSWORD),
        counter.login("agent1", passwords["agent1"]),
        counter.login("chef", passwords["chef"]),
        config,
    )


def permits_in(engine: Engine, state: str, count: int = 1) -> list[Permit]:
    with UnitOfWork(engine, read_only=True) as uow:
        found = list(
            uow.session.execute(
                select(Permit).where(Permit.state == state).order_by(Permit.id).limit(count)
            ).scalars()
        )
    assert len(found) == count, f"seeded database lacks {count} permits in state {state}"
    return found


def sms(permit: Permit) -> str:
    assert permit.handover_reference is not None
    return format_reference(permit.handover_reference)


def audit_actions(engine: Engine, action: str) -> int:
    with UnitOfWork(engine, read_only=True) as uow:
        return int(
            uow.session.execute(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
            ).scalar_one()
        )
