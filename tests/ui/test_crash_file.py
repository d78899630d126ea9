"""A fatal C-level crash of the counter leaves the Python stack in the crash file.

The real application runs in its own process (offscreen), with its own configuration,
database and log folder; once it has shown the login screen (a line of its log), it gets
SIGABRT, as from a failing C extension. Nothing in the application can trigger a crash.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handover import __version__

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGABRT from outside: POSIX")


def wait_for_line(path: Path, text: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    _, err = process.communicate()
    pytest.fail(f"the counter never logged {text!r}; stderr:\n{err.decode(errors='replace')}")


def test_sigabrt_leaves_the_python_frame_in_the_crash_file(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "guichet.sqlite3"
    shutil.copyfile(sqlite_template, database)
    log_dir = tmp_path / "log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HANDOVER_")},
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "HANDOVER_CONFIG": os.devnull,
        "HANDOVER_DB_URL": f"sqlite:///{database}",
        "HANDOVER_DATA_DIR": str(tmp_path / "data"),
        "HANDOVER_LOG_DIR": str(log_dir),
    }
    env.pop("PYTHONFAULTHANDLER", None)  # the application sets faulthandler up itself
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.app"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_line(log_dir / "guichet.log", "Écran de connexion affiché", process, 60)
        process.send_signal(signal.SIGABRT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == -signal.SIGABRT
    crash = (log_dir / "guichet-crash.log").read_text(encoding="utf-8")
    assert f"guichet {__version__} démarré" in crash
    assert "Fatal Python error: Aborted" in crash
    app = Path("ui") / "app.py"
    assert any(str(app) in line and line.endswith(" in main") for line in crash.splitlines())
    assert b"Fatal Python error" not in err  # written to the file, not lost on a console
    terminal = err.decode(errors="replace")
    assert "INFO __main__ [MainThread] Écran de connexion affiché" in terminal
    # Alembic's "Context impl SQLiteImpl." and the like stay out of the terminal.
    assert "alembic" not in terminal and "sqlalchemy" not in terminal
