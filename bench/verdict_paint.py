"""Figure 2: keystroke → painted verdict in the real counter window (offscreen Qt).

The window is ``ui.app.build_window`` over a copy of the demo database, logged in. Each
sample types a handover reference into the scan field as a scanner would (key events,
untimed), then times from sending the final Enter to the end of the paint pass that shows
the verdict panel with the new verdict: the check runs on the presenter's worker thread
and comes back through a queued signal, as at a desk. Between samples the handover that a "ready"
verdict opens is cancelled (untimed). The baseline is ``CounterService.check`` alone on the
same database, in the same run: the difference is what the screen adds.

Run: ``python -m bench.verdict_paint [--quick] [--json]``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from bench.common import (
    FULL_PERMITS,
    QUICK_PERMITS,
    Row,
    bench_config,
    bench_main,
    demo_database,
    log,
    skipped,
    stats_ms,
    time_each,
    work_copy,
)

FIGURE = "2"
TARGET_MS = 16.0


def _quiet_offscreen(_kind: object, _context: object, message: str) -> None:
    # The offscreen platform says this on every window resize; anything else is shown.
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def settle(app: Any, presenter: Any) -> None:
    """Until every call to the core has answered (the presenter's worker thread)."""
    from PySide6.QtCore import QEventLoop

    app.processEvents()
    while presenter.is_busy:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()


def run(quick: bool) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from ui.app import build_window
        from ui.main_window import MainWindow  # noqa: F401
    except ImportError as exc:
        return [skipped(FIGURE, "keystroke → verdict", f"the counter window is not there ({exc})")]
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, qInstallMessageHandler
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from bench.scan_verdict import sample_holders
    from handover.domain.clock import FakeClock
    from handover.persistence.engine import make_engine
    from handover.receipts.printers import make_printer
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from tests.handover.services.helpers import OPEN_AT

    count, warmup = (10, 3) if quick else (300, 30)
    app = QApplication.instance() or QApplication([])
    qInstallMessageHandler(_quiet_offscreen)
    source = demo_database(QUICK_PERMITS if quick else FULL_PERMITS)
    with work_copy(source) as path:
        holders = sample_holders(path, 2 * (count + warmup), seed=11)
        refs = [h.reference for h in holders]
        engine = make_engine(f"sqlite:///{path}")
        clock = FakeClock(OPEN_AT)
        window: Any = build_window(
            engine,
            bench_config(),
            printer=make_printer("pdf", folder=str(path.parent / "receipts")),
            clock=clock,
        )
        window.show()
        window.presenter.login("agent1", DEMO_ACCOUNTS["agent1"][2])
        settle(app, window.presenter)
        if window.presenter.agent is None:
            raise RuntimeError("login failed in the counter window")

        panel = window.verdict_panel
        painted = {"flag": False}

        class PaintWatch(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted["flag"] = True
                return False

        # Watch the panel and its own children only: an application-wide Python filter
        # would add its cost to every event of the window.
        watch = PaintWatch()
        watched = [panel, *panel.findChildren(QWidget)]
        for widget in watched:
            widget.installEventFilter(watch)
        field = window.scan_field
        shown: list[str] = []

        def one(i: int) -> int:
            """Type a reference, then time Enter → verdict painted; the nanoseconds."""
            if window.in_handover:
                window.wizard.cancel()
            settle(app, window.presenter)
            field.setFocus()
            QTest.keyClicks(field, refs[i])
            app.processEvents()
            painted["flag"] = False
            before = panel.headline
            start = time.perf_counter_ns()
            QTest.keyClick(field, Qt.Key.Key_Return)
            while not painted["flag"]:
                # Sleep until an event comes (the worker's answer): a busy loop here would
                # take the GIL from the worker thread it waits for.
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            elapsed = time.perf_counter_ns() - start
            if window.presenter.verdict is None or panel.headline == before == "":
                raise RuntimeError("no verdict shown")
            shown.append(window.presenter.verdict.kind.value)
            return elapsed

        log(f"  keystroke → painted verdict ×{count}")
        for i in range(warmup):
            one(i)
        ui_ns = [one(warmup + i) for i in range(count)]
        for widget in watched:
            widget.removeEventFilter(watch)
        window.close()
        window.deleteLater()
        app.processEvents()

        counter = CounterService(engine, bench_config(), clock=clock)
        agent = counter.login("agent1", DEMO_ACCOUNTS["agent1"][2])
        offset = count + warmup
        core_ns = time_each(lambda i: counter.check(refs[offset + i], agent), count, warmup=warmup)
        engine.dispose()
    ui, core = stats_ms(ui_ns), stats_ms(core_ns)
    kinds = sorted(set(shown))
    return [
        Row(
            FIGURE,
            "keystroke (Enter) → verdict painted, counter window",
            "ms",
            ui.median_ms,
            ui.p99_ms,
            core.median_ms,
            target=f"<{TARGET_MS:g} median",
            met=ui.median_ms < TARGET_MS,
            note=f"references; verdicts shown: {', '.join(kinds)}; "
            "baseline: CounterService.check alone",
            samples=ui.count,
        ),
        Row(
            FIGURE,
            "CounterService.check alone (baseline)",
            "ms",
            core.median_ms,
            core.p99_ms,
            samples=core.count,
        ),
    ]


if __name__ == "__main__":
    bench_main(run, __doc__)
