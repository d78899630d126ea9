"""A door, three desks and a display, each its own process, on one PostgreSQL database."""

from __future__ import annotations

import multiprocessing
import os
import queue as stdlib_queue
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handover.persistence.engine import make_engine
from handover.persistence.models import PermitState, QueueCall, QueueTicket
from handover.persistence.uow import UnitOfWork
from tests.handover.queue import workers
from tests.handover.queue.helpers import OPEN, make_queue, permits_in, sms

QUEUE = {"heartbeat_timeout_s": 3, "call_open_timeout_s": 5, "priority_every": 3}
TICKETS = 24


@pytest.mark.postgres
@pytest.mark.slow
def test_door_three_desks_and_a_display_every_ticket_called_once(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    url = pg_cluster.create_database(f"mp{os.getpid()}", template="handover_template")
    engine = make_engine(url)
    try:
        env = make_queue(engine, permits=60, **QUEUE)
        ready = permits_in(engine, PermitState.NOTIFIED, TICKETS)
        payloads = [(sms(p), "handicap" if i % 4 == 3 else None) for i, p in enumerate(ready)]
        clock = workers.RunningClock(OPEN, datetime.now(UTC))
        ctx = multiprocessing.get_context("spawn")
        door_done, stall, stop = ctx.Event(), ctx.Event(), ctx.Event()
        seen = ctx.Queue()
        shown = ctx.Process(target=workers.display, args=(url, clock, stop, seen))
        shown.start()
        door = ctx.Process(
            target=workers.door, args=(url, clock, QUEUE, env.door, payloads, door_done)
        )
        victim = ctx.Process(
            target=workers.desk,
            args=(url, clock, QUEUE, env.agent, "Guichet 9", door_done, stall),
        )
        door.start()
        victim.start()
        assert stall.wait(60), "the stalling desk never called"
        victim.kill()  # mid-call: its ticket is opened, never served
        victim.join(10)
        desks = [
            ctx.Process(
                target=workers.desk,
                args=(url, clock, QUEUE, env.agent, f"Guichet {n}", door_done, None),
            )
            for n in (1, 2, 3)
        ]
        for d in desks:
            d.start()
        door.join(60)
        for d in desks:
            d.join(90)
        stop.set()
        shown.join(10)
        assert door.exitcode == 0 and all(d.exitcode == 0 for d in desks)
        assert shown.exitcode == 0

        with UnitOfWork(engine, read_only=True) as uow:
            tickets = uow.session.execute(select(QueueTicket)).scalars().all()
            calls = uow.session.execute(select(QueueCall).order_by(QueueCall.id)).scalars().all()
        assert len(tickets) == TICKETS and {t.status for t in tickets} == {"served"}
        served_calls = Counter(c.ticket_id for c in calls if c.outcome == "served")
        assert served_calls == Counter({t.id: 1 for t in tickets})  # each served exactly once
        expired = [c for c in calls if c.outcome == "expired"]
        assert len(expired) == 1  # the killed desk's call, and only it, went back
        assert {c.ticket_id for c in calls if c.outcome is None} == set()
        _assert_priority_rule(tickets, calls, requeued={expired[0].ticket_id})

        display_saw = set()
        while True:
            try:
                display_saw.add(seen.get(timeout=1))
            except stdlib_queue.Empty:
                break
        assert max(c.id for c in calls) in display_saw
    finally:
        for p in multiprocessing.active_children():
            p.kill()
        engine.dispose()
        pg_cluster.drop_database(f"mp{os.getpid()}")


def _assert_priority_rule(tickets, calls, *, requeued: set[int]) -> None:  # type: ignore[no-untyped-def]
    """An ordinary call while a priority ticket waited comes after a priority call among
    the previous two calls (priority_every = 3); calls of requeued tickets go first."""
    by_id = {t.id: t for t in tickets}
    first_call = {}
    for c in calls:
        first_call.setdefault(c.ticket_id, c)
    for i, c in enumerate(calls):
        if c.ticket_id in requeued or c.priority_call:
            continue
        waiting_priority = [
            t
            for t in tickets
            if t.priority
            and t.issued_at <= c.called_at - timedelta(seconds=1)  # committed before it
            and first_call[t.id].called_at > c.called_at
        ]
        if waiting_priority:
            previous = [p.priority_call for p in calls[max(0, i - 2) : i]]
            assert any(previous), f"call {c.id} of {by_id[c.ticket_id].number} skipped priority"
