"""Figure 7: start-up time and memory of the counter, beside a bare Qt window.

Each run is a new process. The app run calls the real ``ui.app.main()`` on a copy of the
demo database and notes when the login screen has been painted; it then logs in (as the
login page would) and notes when the counter screen has been painted; then it runs a
camera view (a looping fake camera at 30 frames/s, 1280×720, the configured decoder) for
a few seconds. The baseline run is a bare ``QApplication`` with an empty 1280×860 window.
Times run from just before the process is started to the end of the paint.

Run: ``python -m bench.startup [--quick] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    FULL_PERMITS,
    QUICK_PERMITS,
    ROOT,
    Row,
    bench_main,
    demo_database,
    log,
    skipped,
    work_copy,
)

FIGURE = "7"
CAMERA_SECONDS = 3.0


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the child processes --------------------------------------------------------------------
class _LoopingCamera:
    """Plays its frames round and round at about 30 frames per second."""

    def __init__(self, frames: list[Any]) -> None:
        self.frames = frames
        self.position = 0

    def open(self) -> None:
        self.position = 0

    def read(self) -> Any:
        time.sleep(1 / 30)
        frame = self.frames[self.position % len(self.frames)]
        self.position += 1
        return frame

    def close(self) -> None:
        pass


def _child(mode: str, with_camera: bool) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    marks: dict[str, float] = {}
    state: dict[str, Any] = {"waiting_for": None, "window": None}

    def finish() -> None:
        marks["rss_mib"] = peak_rss_mib()
        print(json.dumps(marks), flush=True)
        window = state["window"]
        if window is not None:
            window.close()
        app.quit()

    def painted(name: str) -> None:
        # Called on the first paint event: the paint pass ends before the next loop turn.
        def done() -> None:
            marks[name] = time.perf_counter_ns()
            after = {"login": after_login_screen, "counter": after_counter, "bare": finish}
            after[name]()

        QTimer.singleShot(0, done)

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            want = state["waiting_for"]
            if want is not None and event.type() == QEvent.Type.Paint:
                page = _page(obj, want)
                if page:
                    state["waiting_for"] = None
                    painted(want)
            return False

    def _page(obj: QObject, want: str) -> bool:
        if not isinstance(obj, QWidget):
            return False
        if want == "bare":
            return True
        window = state["window"]
        if window is None:
            for w in app.topLevelWidgets():
                if type(w).__name__ == "MainWindow":
                    state["window"] = window = w
        if window is None:
            return False
        target = window.login_page if want == "login" else window.counter_page
        return bool(obj is target or target.isAncestorOf(obj))

    def after_login_screen() -> None:
        window = state["window"]
        marks["rss_login_mib"] = peak_rss_mib()
        state["waiting_for"] = "counter"
        marks["login_started"] = time.perf_counter_ns()
        from handover.services.demo import DEMO_ACCOUNTS

        window.presenter.login("agent1", DEMO_ACCOUNTS["agent1"][2])

    def after_counter() -> None:
        marks["rss_counter_mib"] = peak_rss_mib()
        if not with_camera:
            finish()
            return
        from handover.scanning.camera import blank_frame, render_code_frame
        from handover.scanning.decoders import QR, make_decoder
        from ui.widgets.camera_view import CameraView

        frames = [render_code_frame("K3P97QXAM", QR, seed=s) for s in range(5)]
        frames += [blank_frame(seed=s) for s in range(5)]
        view = CameraView(_LoopingCamera(frames), make_decoder(_camera_backend()))
        view.resize(640, 360)
        view.show()
        view.start()
        state["camera"] = view

        def stop() -> None:
            marks["rss_camera_mib"] = peak_rss_mib()
            view.stop()
            finish()

        QTimer.singleShot(int(CAMERA_SECONDS * 1000), stop)

    watch = PaintWatch()
    app.installEventFilter(watch)
    if mode == "bare":
        state["waiting_for"] = "bare"
        window = QWidget()
        window.resize(1280, 860)
        window.show()
        app.exec()
        return
    state["waiting_for"] = "login"
    import ui.app

    ui.app.main(["--seed-demo"])  # demonstration data: the demonstration counter


def _camera_backend() -> str:
    from handover.config import Config

    return Config().camera.backend


# -- the parent -----------------------------------------------------------------------------
def _start(mode: str, env: dict[str, str], with_camera: bool) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.startup", "--child", mode]
    if with_camera:
        cmd.append("--camera")
    started = time.perf_counter_ns()
    done = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = "\n".join(done.stderr.splitlines()[-8:])
        raise RuntimeError(f"{mode} start failed (exit {done.returncode}):\n{tail}")
    marks = json.loads(lines[-1])
    marks["started"] = started
    return marks


def _ms(marks: dict[str, float], end: str, start: str = "started") -> float:
    return (marks[end] - marks[start]) / 1e6


def run(quick: bool) -> list[Row]:
    try:
        import ui.app
        import ui.main_window  # noqa: F401
    except ImportError as exc:
        return [skipped(FIGURE, "start-up", f"the counter window is not there yet ({exc})")]
    runs = 1 if quick else 7
    source = demo_database(QUICK_PERMITS if quick else FULL_PERMITS)
    with work_copy(source) as path:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HANDOVER_CONFIG": os.devnull,  # empty configuration: the defaults
            "HANDOVER_DATA_DIR": str(path.parent / "data"),
            "HANDOVER_DB_URL": f"sqlite:///{path}",
        }
        bare, app = [], []
        for i in range(runs):
            log(f"  start-up run {i + 1}/{runs}")
            bare.append(_start("bare", env, False))
            app.append(_start("app", env, with_camera=i == runs - 1))
    bare_ms = [_ms(m, "bare") for m in bare]
    login_ms = [_ms(m, "login") for m in app]
    counter_ms = [_ms(m, "counter", "login_started") for m in app]
    rss_bare = statistics.median(m["rss_mib"] for m in bare)
    rss_counter = statistics.median(m["rss_counter_mib"] for m in app)
    rss_camera = app[-1]["rss_camera_mib"]
    note_runs = f"{runs} processes each"
    return [
        Row(
            FIGURE,
            "start-up: process start → login screen painted",
            "ms",
            statistics.median(login_ms),
            max(login_ms),
            statistics.median(bare_ms),
            note=f"{note_runs}; p99 column: slowest run; baseline: bare QApplication + "
            "empty window painted",
            samples=runs,
        ),
        Row(
            FIGURE,
            "start-up: login submitted → counter screen painted",
            "ms",
            statistics.median(counter_ms),
            max(counter_ms),
            note="includes the Argon2id password check and the first window/count queries",
            samples=runs,
        ),
        Row(
            FIGURE,
            "start-up: bare QApplication + empty window (baseline)",
            "ms",
            statistics.median(bare_ms),
            max(bare_ms),
            samples=runs,
        ),
        Row(
            FIGURE,
            "peak RSS: counter ready, camera off",
            "MiB",
            rss_counter,
            baseline=rss_bare,
            note="baseline: bare QApplication + empty window",
            samples=runs,
        ),
        Row(
            FIGURE,
            f"peak RSS: camera running {CAMERA_SECONDS:g} s (1280×720, {_camera_backend()})",
            "MiB",
            rss_camera,
            baseline=rss_bare,
            samples=1,
        ),
    ]


def main() -> None:
    if "--child" in sys.argv:
        parser = argparse.ArgumentParser()
        parser.add_argument("--child", choices=("app", "bare"))
        parser.add_argument("--camera", action="store_true")
        args = parser.parse_args()
        _child(args.child, args.camera)
        return
    bench_main(run, __doc__)


if __name__ == "__main__":
    main()
