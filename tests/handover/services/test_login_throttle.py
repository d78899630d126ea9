"""Wrong passwords from 8 desks at once: exactly ``throttle_after`` checked, then a pause."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any

from sqlalchemy import Engine, func, select

from handover import audit
from handover.domain.values import Role
from handover.persistence.engine import make_engine
from handover.persistence.models import Agent, AuditEntry
from handover.persistence.uow import UnitOfWork
from handover.services import accounts
from tests.handover.services.helpers import make_counter

PROCESSES = 8
ATTEMPTS = 3  # per process
THROTTLE_AFTER = 3


def _attempts(url: str, desk: Any, barrier: Any, out: Any) -> None:
    engine = make_engine(url)
    outcomes = []
    try:
        barrier.wait()
        for _ in range(ATTEMPTS):
            try:
                accounts.authenticate(
                    UnitOfWork(engine),
                    "agent1",
                    "pas-le-bon-mot-de-passe",
                    desk,
                    throttle_after=THROTTLE_AFTER,
                    throttle_seconds=600,
                )
                outcomes.append("ok")
            except accounts.LoginThrottled:
                outcomes.append("throttled")
            except accounts.LoginFailed:
                outcomes.append("failed")
    finally:
        engine.dispose()
        out.put(outcomes)


def test_parallel_wrong_passwords_are_counted_exactly(engine: Engine, db_url: str) -> None:
    counter, _passwords = make_counter(engine, permits=5)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_attempts, args=(db_url, counter.desk, barrier, out))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    outcomes = [o for r in results for o in r]
    assert len(outcomes) == PROCESSES * ATTEMPTS
    assert outcomes.count("failed") == THROTTLE_AFTER, outcomes
    assert outcomes.count("throttled") == PROCESSES * ATTEMPTS - THROTTLE_AFTER
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        agent = s.execute(select(Agent).where(Agent.username == "agent1")).scalar_one()
        assert agent.role == Role.AGENT
        assert agent.failed_logins == THROTTLE_AFTER and agent.locked_until is not None
        subject = f"agent:{agent.pseudonym}"

        def count(action: str) -> int:
            return s.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == action, AuditEntry.subject == subject)
            ).scalar_one()

        # One audited failure per password checked; every other attempt was paused.
        assert count("login.failure") == THROTTLE_AFTER
        assert count("login.throttled") == PROCESSES * ATTEMPTS - THROTTLE_AFTER
        assert audit.verify(s).ok
