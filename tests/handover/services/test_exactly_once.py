"""Several desks (processes) racing for the same permits; a desk killed mid-handover.

Every permit ends either fully handed over (state, handover row, identity check, previous
card, signature, audit entry) or untouched, and the audit chain verifies.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from handover import audit
from handover.config import Config
from handover.domain.clock import FakeClock
from handover.domain.values import AgentIdentity, Role
from handover.persistence.engine import make_engine
from handover.persistence.models import (
    Agent,
    AuditEntry,
    Handover,
    IdentityCheck,
    Permit,
    PermitState,
    PreviousCard,
    Signature,
)
from handover.persistence.uow import UnitOfWork
from handover.services.counter import CounterService
from handover.services.demo import seed_demo
from handover.services.desks import ensure_desk
from handover.services.handovers import AlreadyHandedOver
from tests.handover.services.helpers import OPEN_AT, request_for


def _config(desk: str) -> Config:
    c = Config()
    return replace(c, desk=replace(c.desk, name=desk))


def _agent(engine: Engine) -> AgentIdentity:
    with UnitOfWork(engine, read_only=True) as uow:
        a = uow.session.execute(select(Agent).where(Agent.username == "agent1")).scalar_one()
        return AgentIdentity(a.id, a.username, a.display_name, a.pseudonym, Role(a.role))


def _notified_ids(engine: Engine, n: int) -> list[int]:
    with UnitOfWork(engine, read_only=True) as uow:
        ids = (
            uow.session.execute(
                select(Permit.id).where(Permit.state == PermitState.NOTIFIED).order_by(Permit.id)
            )
            .scalars()
            .all()
        )
    assert len(ids) >= n, "not enough notified permits in the demo data"
    return list(ids[:n])


def _race_worker(
    url: str, desk: str, ids: list[int], agent: AgentIdentity, barrier: Any, out: Any
) -> None:
    engine = make_engine(url)
    counter = CounterService(engine, _config(desk), clock=FakeClock(OPEN_AT))
    wins, losses, errors = [], [], []
    for pid in ids:
        with UnitOfWork(engine, read_only=True) as uow:
            permit = uow.session.get(Permit, pid)
        assert permit is not None
        stamp = f"{random.randrange(10**15, 10**16):016d}"
        barrier.wait()
        try:
            counter.hand_over(request_for(permit, stamps=(stamp,)), agent)
            wins.append(pid)
        except AlreadyHandedOver as exc:
            # the loser is told who won: when, where, by whom
            losses.append((pid, exc.prior.desk_name, exc.prior.handover_number))
        except Exception as exc:  # anything else reaching the caller is a failure
            errors.append(f"{type(exc).__name__}: {exc}")
    out.put((desk, wins, losses, errors))
    engine.dispose()


def _run_race(engine: Engine, url: str, processes: int, permits: int) -> None:
    seed_demo(engine, Config(), permits=int(permits * 1.6) + 20, seed=3, handed_over=0)
    for k in range(processes):
        ensure_desk(UnitOfWork(engine), _config(f"Guichet {k + 1}"))
    ids = _notified_ids(engine, permits)
    agent = _agent(engine)
    engine.dispose()
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_race_worker, args=(url, f"Guichet {k + 1}", ids, agent, barrier, out))
        for k in range(processes)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    errors = [e for _d, _w, _l, errs in results for e in errs]
    assert errors == []
    winners: dict[int, str] = {}
    for desk, wins, losses, _e in results:
        for pid in wins:
            assert pid not in winners, f"permit {pid} handed over twice"
            winners[pid] = desk
        for _pid, winner_desk, _number in losses:
            assert winner_desk != desk
    assert sorted(winners) == sorted(ids)
    for _desk, _wins, losses, _e in results:
        for pid, winner_desk, _number in losses:
            assert winners[pid] == winner_desk
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        assert s.execute(select(func.count(Handover.id))).scalar_one() == len(ids)
        assert audit.verify(s).ok
    engine.dispose()


@pytest.mark.slow
def test_desks_racing_on_sqlite(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    _run_race(engine, sqlite_url, processes=4, permits=100)


@pytest.mark.slow
@pytest.mark.postgres
def test_desks_racing_on_postgresql(pg_cluster: Any) -> None:
    url = pg_cluster.create_database("race", template="handover_template")
    engine = make_engine(url)
    _run_race(engine, url, processes=8, permits=200)


def _kill_worker(url: str, ids: list[int], agent: AgentIdentity, start: Any) -> None:
    engine = make_engine(url)
    counter = CounterService(engine, _config("Guichet 1"), clock=FakeClock(OPEN_AT))
    start.set()
    for pid in ids:
        with UnitOfWork(engine, read_only=True) as uow:
            permit = uow.session.get(Permit, pid)
            if permit is None or permit.state != PermitState.NOTIFIED:
                continue
        counter.hand_over(
            request_for(permit, stamps=(f"{random.randrange(10**15, 10**16):016d}",)), agent
        )


def _assert_whole_or_untouched(engine: Engine, ids: list[int]) -> int:
    done = 0
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        audited = set(
            s.execute(select(AuditEntry.subject).where(AuditEntry.action == "handover")).scalars()
        )
        for pid in ids:
            permit = s.get(Permit, pid)
            assert permit is not None
            h = s.execute(select(Handover).where(Handover.permit_id == pid)).scalar_one_or_none()
            if permit.state == PermitState.HANDED_OVER:
                assert h is not None, f"permit {pid}: state without handover row"
                for model in (IdentityCheck, PreviousCard, Signature):
                    assert (
                        s.execute(
                            select(func.count()).select_from(model).where(model.handover_id == h.id)  # type: ignore[attr-defined]
                        ).scalar_one()
                        == 1
                    ), f"permit {pid}: {model.__name__} missing"
                assert f"permit:{pid}" in audited
                done += 1
            else:
                assert permit.state == PermitState.NOTIFIED
                assert h is None
                assert f"permit:{pid}" not in audited
        report = audit.verify(s)
        assert report.ok, report.problem
    return done


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to kill desks quickly")
def test_killed_desk_leaves_no_partial_handover(db_url: str) -> None:
    engine = make_engine(db_url)
    seed_demo(engine, Config(), permits=400, seed=5, handed_over=0)
    ids = _notified_ids(engine, 250)
    agent = _agent(engine)
    engine.dispose()
    ctx = mp.get_context("fork")
    rng = random.Random(11)
    kills = 0
    deadline = time.monotonic() + 240
    while kills < 100 and time.monotonic() < deadline:
        start = ctx.Event()
        proc = ctx.Process(target=_kill_worker, args=(db_url, ids, agent, start))
        proc.start()
        assert start.wait(30)
        # After start, a handover takes a few milliseconds: kill anywhere in the first dozens.
        time.sleep(rng.uniform(0.002, 0.05))
        if proc.is_alive():
            os.kill(proc.pid or 0, signal.SIGKILL)
            kills += 1
        proc.join(30)
    assert kills >= 100
    engine = make_engine(db_url)
    try:
        done = _assert_whole_or_untouched(engine, ids)
    finally:
        engine.dispose()
    assert 0 < done < len(ids), "the kills must land in the middle of the work"
