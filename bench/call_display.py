"""Figure 10: a desk's call → the waiting-room display painting it, across processes.

A desk process (``python -c``, its own interpreter) calls the day's tickets one after
another at irregular intervals and prints, for each, the system-wide monotonic instant just
after its transaction committed. This process shows the real ``CallDisplay`` (offscreen Qt)
following the calls through ``CallWatcher`` in its feed thread, and notes the monotonic
instant once the new number is painted. The baseline, in the same run and on the same
calls, is a bare ``CallWatcher`` loop in a plain thread (no Qt): the difference is what the
display adds (its thread hop, the read of the last calls, the paint).

SQLite (a desk and its second screen on one PC) polls the last call id every 0.5 s, the
display's setting; PostgreSQL, when installed, is told by LISTEN/NOTIFY.

Run: ``python -m bench.call_display [--quick] [--json]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import (
    Row,
    bench_main,
    log,
    percentile,
    postgres_missing,
    skipped,
    work_folder,
)

FIGURE = "10"
OPEN = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # an opening day, 9:30 in Paris
POLL_S = 0.5
DOOR_PASSWORD = "porte-de-la-salle-2026"

DESK = """
import json, random, sys, time
from dataclasses import replace
from datetime import datetime
from handover.config import Config, DatabaseConfig, DeskConfig
from handover.domain.clock import FakeClock
from handover.persistence.engine import make_engine
from handover.queue.service import QueueService
url, password, at, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = replace(Config(), database=DatabaseConfig(url=url), desk=DeskConfig(name="Guichet 2"))
queue = QueueService(make_engine(url), config, clock=FakeClock(datetime.fromisoformat(at)))
agent = queue.counter.login("agent1", password)
rng = random.Random(5)
print("ready", flush=True)
sys.stdin.readline()
for _ in range(count):
    time.sleep(rng.uniform(0.15, 0.9))
    record = queue.call_next("Guichet 2", agent)
    print(json.dumps({"call": record.call_id, "at": time.monotonic_ns()}), flush=True)
"""


def _prepare(url: str, count: int) -> tuple[Any, Any, str]:
    """A demo database with ``count`` tickets waiting; the engine, config and a password."""
    from sqlalchemy import select

    from handover.config import Config, DatabaseConfig, DeskConfig
    from handover.domain.clock import FakeClock
    from handover.domain.values import Role
    from handover.persistence.db import open_database
    from handover.persistence.models import Permit, PermitState
    from handover.persistence.uow import UnitOfWork
    from handover.queue.service import QueueService
    from handover.scanning.reference import format_reference
    from handover.services import accounts
    from handover.services.demo import seed_demo

    config = replace(Config(), database=DatabaseConfig(url=url), desk=DeskConfig(name="Accueil"))
    # Enough desks that the door's cut-off lets every ticket of the run through.
    config = replace(config, queue=replace(config.queue, expected_desks=max(2, count // 8)))
    engine = open_database(url, create=True)
    passwords = seed_demo(engine, config, permits=max(200, 4 * count), seed=3, handed_over=0)
    accounts.add_agent(
        UnitOfWork(engine), "accueil1", DOOR_PASSWORD, role=Role.DOOR, provisioning=True
    )
    queue = QueueService(engine, config, clock=FakeClock(OPEN))
    door = queue.counter.login("accueil1", DOOR_PASSWORD)
    with UnitOfWork(engine, read_only=True) as uow:
        codes = uow.session.execute(
            select(Permit.handover_reference)
            .where(Permit.state == PermitState.NOTIFIED)
            .order_by(Permit.id)
            .limit(count)
        ).scalars()
        references = [format_reference(code) for code in codes if code]
    if len(references) < count:
        raise RuntimeError(f"only {len(references)} notified permits for {count} calls")
    for reference in references:
        outcome = queue.issue(reference, door)
        if not outcome.issued:
            raise RuntimeError(f"the door refused a ready permit: {outcome.reason}")
    return engine, config, passwords["agent1"]


def _measure(url: str, count: int) -> tuple[list[float], list[float]]:
    """Delays in ms, call committed → painted on the display, and → seen by the bare watcher."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QObject, Slot
    from PySide6.QtWidgets import QApplication

    from handover.domain.clock import FakeClock
    from handover.queue.service import QueueService
    from handover.queue.watch import CallWatcher
    from ui.display.window import CallDisplay

    engine, config, password = _prepare(url, count)
    app = QApplication.instance() or QApplication([])
    display = CallDisplay(chime=False, now=lambda: OPEN)
    display.resize(1920, 1080)
    display.show()
    painted: dict[int, int] = {}

    class Recorder(QObject):
        """Lives in the screen's thread: the feed's signal reaches it queued, after the
        display's own slot has shown the calls."""

        @Slot(list)
        def on_calls(self, calls: list[Any]) -> None:
            if calls:
                display.repaint()  # the calls are on the screen when this returns
                now = time.monotonic_ns()
                for call in calls:  # two calls within one poll arrive together
                    painted.setdefault(call.call_id, now)

    recorder = Recorder()

    queue = QueueService(engine, config, clock=FakeClock(OPEN))
    feed = display.follow(queue, lambda: CallWatcher(engine, poll_s=POLL_S), wait_s=1.0)
    feed.calls_changed.connect(recorder.on_calls)  # after show_calls: the display has the call

    seen: dict[int, int] = {}
    stop = threading.Event()

    def bare_watcher() -> None:
        watcher = CallWatcher(engine, poll_s=POLL_S)
        known = queue.last_call_id()
        while not stop.is_set():
            if watcher.wait(1.0):
                latest, now = queue.last_call_id(), time.monotonic_ns()
                for call_id in range(known + 1, latest + 1):  # only this desk calls here
                    seen.setdefault(call_id, now)
                known = max(known, latest)
        watcher.close()

    baseline = threading.Thread(target=bare_watcher, name="bare-watcher")
    baseline.start()
    desk = subprocess.Popen(
        [sys.executable, "-c", DESK, url, password, OPEN.isoformat(), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert desk.stdin is not None and desk.stdout is not None
    if desk.stdout.readline().strip() != "ready":
        raise RuntimeError("the desk process did not start")
    time.sleep(1.5)  # the feed and the watcher are listening
    desk.stdin.write("go\n")
    desk.stdin.flush()
    committed: dict[int, int] = {}
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(desk.stdout or []), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60 + 2 * count
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        for line in lines[len(committed) :]:
            entry = json.loads(line)
            committed[entry["call"]] = entry["at"]
        if len(committed) == count and all(c in painted and c in seen for c in committed):
            break
        time.sleep(0.002)
    desk.wait(timeout=30)
    stop.set()
    baseline.join()
    display.close()
    engine.dispose()
    missing = [c for c in committed if c not in painted or c not in seen]
    if len(committed) != count or missing:
        raise RuntimeError(f"{len(missing)} call(s) never shown, {len(committed)}/{count} made")
    shown_ms = [(painted[c] - at) / 1e6 for c, at in committed.items()]
    watched_ms = [(seen[c] - at) / 1e6 for c, at in committed.items()]
    return shown_ms, watched_ms


def _rows(label: str, shown: list[float], watched: list[float], note: str) -> Row:
    return Row(
        FIGURE,
        f"call → display painted ({label})",
        "ms",
        statistics.median(shown),
        percentile(shown, 99),
        statistics.median(watched),
        note=f"{note}; baseline: bare CallWatcher loop, same calls, same run"
        f" (p99 {percentile(watched, 99):.0f} ms)",
        samples=len(shown),
    )


def run(quick: bool) -> list[Row]:
    count = 5 if quick else 60
    rows: list[Row] = []
    with work_folder() as folder:
        database = Path(folder) / "calls.sqlite3"
        log(f"  SQLite: {count} calls from another process")
        shown, watched = _measure(f"sqlite:///{database}", count)
        rows.append(_rows("SQLite", shown, watched, f"polling every {POLL_S} s"))
    why = postgres_missing()
    if why is not None:
        rows.append(skipped(FIGURE, "call → display painted (PostgreSQL)", why))
        return rows
    from tests.support.pgcluster import PgCluster

    cluster = PgCluster().start()
    try:
        log(f"  PostgreSQL: {count} calls from another process")
        shown, watched = _measure(cluster.create_database("calls"), count)
        rows.append(_rows("PostgreSQL", shown, watched, "LISTEN/NOTIFY"))
    finally:
        cluster.stop()
    return rows


if __name__ == "__main__":
    bench_main(run, __doc__)
