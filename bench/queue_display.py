"""Figure 10: how long after a desk's call the waiting-room display hears of it.

A display process waits on ``CallWatcher`` (PostgreSQL: LISTEN/NOTIFY; SQLite: polling
the last call id every 0.5 s, the default) and reads the call; the desk (this process)
calls tickets one by one. Delay = the display's reading − the start of ``call_next`` (the
call's whole transaction included), both on this machine's clock.

Run: ``python -m bench.queue_display [--quick] [--json]``.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as stdlib_queue
import time
from typing import Any

from bench.common import Row, bench_config, bench_main, log, postgres_missing, skipped, work_folder

FIGURE = "10"


def display(url: str, poll_s: float, ready: Any, stop: Any, seen: Any) -> None:
    from handover.persistence.engine import make_engine
    from handover.queue.service import QueueService
    from handover.queue.watch import CallWatcher

    engine = make_engine(url)
    service = QueueService(engine, bench_config("Salle d'attente"))
    watcher = CallWatcher(engine, poll_s=poll_s)
    last = service.last_call_id()
    ready.set()
    while not stop.is_set():
        if watcher.wait(0.5):
            now = time.time()
            current = service.last_call_id()
            if current != last:
                seen.put((current, now))
                last = current
    watcher.close()
    engine.dispose()


def measure(url: str, calls: int, poll_s: float) -> list[float]:
    """Delays in milliseconds, one per call."""
    from sqlalchemy import select

    from handover.domain.clock import FakeClock
    from handover.persistence.engine import make_engine
    from handover.persistence.models import Permit, PermitState
    from handover.persistence.uow import UnitOfWork
    from handover.queue.service import COMMAND_LINE, QueueService
    from handover.scanning.reference import format_reference
    from handover.services.demo import seed_demo
    from tests.handover.services.helpers import OPEN_AT

    engine = make_engine(url)
    config = bench_config()
    seed_demo(engine, config, permits=max(4 * calls, 40), seed=3, handed_over=0)
    queue = QueueService(engine, config, clock=FakeClock(OPEN_AT))
    with UnitOfWork(engine, read_only=True) as uow:
        refs = [
            format_reference(r)
            for r in uow.session.execute(
                select(Permit.handover_reference)
                .where(Permit.state == PermitState.NOTIFIED, Permit.handover_reference.is_not(None))
                .limit(calls)
            ).scalars()
            if r
        ]
    for ref in refs:
        assert queue.issue(ref, COMMAND_LINE).issued
    ctx = mp.get_context("spawn")
    ready, stop, seen = ctx.Event(), ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=display, args=(url, poll_s, ready, stop, seen))
    proc.start()
    assert ready.wait(60)
    delays = []
    try:
        for _ in refs:
            started = time.time()
            call = queue.call_next("Guichet 1", COMMAND_LINE)
            assert call is not None
            try:
                call_id, at = seen.get(timeout=5)
            except stdlib_queue.Empty:
                continue
            if call_id == call.call_id:
                delays.append((at - started) * 1000)
            time.sleep(0.2)
    finally:
        stop.set()
        proc.join(10)
        engine.dispose()
    return delays


def _row(backend: str, delays: list[float], target: str, limit_ms: float, note: str) -> Row:
    from bench.common import percentile

    if not delays:
        return skipped(FIGURE, f"call → display ({backend})", "no call was seen")
    median = percentile(delays, 50)
    p99 = percentile(delays, 99)
    return Row(
        FIGURE,
        f"call → waiting-room display ({backend})",
        "ms",
        median,
        p99,
        target=target,
        met=p99 <= limit_ms,
        note=note,
        samples=len(delays),
    )


def run(quick: bool) -> list[Row]:
    calls = 5 if quick else 40
    rows = []
    with work_folder() as folder:
        log("  SQLite: polling every 0.5 s")
        url = f"sqlite:///{folder / 'queue.sqlite3'}"
        from handover.persistence.db import open_database

        open_database(url, create=True).dispose()
        rows.append(
            _row("SQLite, polling 0.5 s", measure(url, calls, 0.5), "p99 ≤ 1 s", 1000.0, "")
        )
    missing = postgres_missing()
    if missing:
        rows.append(skipped(FIGURE, "call → display (PostgreSQL)", missing))
        return rows
    from tests.support.pgcluster import PgCluster

    cluster = PgCluster(fsync=True).start()
    try:
        url = cluster.create_database("bench_queue")
        from handover.persistence.db import open_database

        open_database(url, create=True).dispose()
        log("  PostgreSQL: LISTEN/NOTIFY")
        rows.append(
            _row(
                "PostgreSQL, LISTEN/NOTIFY",
                measure(url, calls, 0.5),
                "p99 ≤ 200 ms",
                200.0,
                "loopback; notified inside the call's transaction",
            )
        )
    finally:
        cluster.stop()
    return rows


if __name__ == "__main__":
    bench_main(run, __doc__)
