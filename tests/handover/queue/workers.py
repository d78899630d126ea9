"""The processes of the multi-process queue test: a door, desks and a display.

Each builds its own engine and services (spawned processes share nothing but the database)
and a clock that runs in step with the parent's: ``base + (now − started)``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from handover.config import Config
from handover.domain.values import AgentIdentity
from handover.persistence.engine import make_engine
from handover.persistence.models import Permit
from handover.persistence.uow import UnitOfWork
from handover.queue.service import QueueService
from handover.queue.watch import CallWatcher


class RunningClock:
    def __init__(self, base: datetime, started: datetime) -> None:
        self.base, self.started = base, started

    def now(self) -> datetime:
        return self.base + (datetime.now(UTC) - self.started)


def config_for(desk: str, queue: dict[str, Any]) -> Config:
    config = Config()
    return replace(
        config,
        desk=replace(config.desk, name=desk),
        queue=replace(config.queue, **queue),
    )


def door(
    url: str,
    clock: RunningClock,
    queue: dict[str, Any],
    agent: AgentIdentity,
    payloads: list[tuple[str, str | None]],
    done: Any,
) -> None:
    engine = make_engine(url)
    service = QueueService(engine, config_for("Accueil", queue), clock=clock)
    for payload, priority in payloads:
        outcome = service.issue(payload, agent, priority=priority)
        assert outcome.issued, outcome.reason
        time.sleep(0.05)
    done.set()
    engine.dispose()


def desk(
    url: str,
    clock: RunningClock,
    queue: dict[str, Any],
    agent: AgentIdentity,
    name: str,
    door_done: Any,
    stall: Any | None,
) -> None:
    """Call, open and serve until the door is done and nobody waits; ``stall``: call once,
    open, say so, then hang (the parent kills the process mid-call)."""
    from handover.services.counter import CounterService
    from tests.handover.services.helpers import request_for

    engine = make_engine(url)
    config = config_for(name, queue)
    service = QueueService(engine, config, clock=clock)
    counter = CounterService(engine, config, clock=clock)
    idle_since: float | None = None
    while True:
        service.heartbeat(name)
        call = service.call_next(name, agent)
        if call is None:
            status = service.status()
            if door_done.is_set() and status.waiting == 0 and status.called == 0:
                break
            idle_since = idle_since or time.monotonic()
            time.sleep(0.1)
            continue
        idle_since = None
        service.mark_opened(call.call_id, agent)
        if stall is not None:
            stall.set()
            time.sleep(600)
        with UnitOfWork(engine, read_only=True) as uow:
            permit = uow.session.execute(
                select(Permit).where(Permit.id == call.ticket.permit_id)
            ).scalar_one()
        counter.hand_over(request_for(permit, stamps=(f"{4242 * 10**12 + permit.id:016d}",)), agent)
    engine.dispose()


def display(url: str, clock: RunningClock, stop: Any, seen: Any) -> None:
    """Wake on calls; report every call id it saw and how long after the call it saw it."""
    engine = make_engine(url)
    service = QueueService(engine, config_for("Salle d'attente", {}), clock=clock)
    watcher = CallWatcher(engine)
    known: set[int] = set()
    while not stop.is_set():
        if watcher.wait(0.5):
            for call in service.recent_calls(6):
                if call.call_id not in known:
                    known.add(call.call_id)
                    seen.put(call.call_id)
    watcher.close()
    engine.dispose()
