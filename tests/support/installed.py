"""Drive an installed Guichet (a wheel in a virtual environment, or the bundle) as a user would.

Everything runs in child processes, from a folder outside the source tree, with the
application's own configuration, data, log and receipt folders under ``home``: nothing of
the checkout (``PYTHONPATH``, ``HANDOVER_*`` of the test run) leaks into the programs.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

LOGIN_SHOWN = "Écran de connexion affiché"  # logged by ui/app.py once the login screen is up


def user_env(home: Path) -> dict[str, str]:
    """A user's environment: one empty configuration file, every folder under ``home``."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("# configuration vide : valeurs par défaut\n", "utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HANDOVER_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "HANDOVER_CONFIG": str(home / "config.toml"),
            "HANDOVER_DB_URL": f"sqlite:///{home / 'guichet.sqlite3'}",
            "HANDOVER_DATA_DIR": str(home / "donnees"),
            "HANDOVER_LOG_DIR": str(home / "log"),
            "HANDOVER_PRINTER_ARCHIVE_DIR": str(home / "recepisses"),
        }
    )
    return env


def run(
    command: Sequence[str], env: dict[str, str], cwd: Path, stdin: str = "", timeout: float = 120
) -> str:
    """Run one command; its output, or a test failure that shows what it printed."""
    done = subprocess.run(
        list(command),
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} → code {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


DEMO_ADMIN_PASSWORD = "demo-gestion-prefecture"  # printed by `handover demo`


def walk_through_cli(handover: Sequence[str], env: dict[str, str], cwd: Path) -> None:
    """Set the desk up, fill it with the demo, add an agent, reprint a receipt, print the day."""
    from tests.support.accounts import password_file

    assert "Nouvelle base créée" in run([*handover, "db", "upgrade"], env, cwd)
    assert "titres de démonstration créés" in run([*handover, "demo", "--permits", "40"], env, cwd)
    # In the name of the demonstration's administrator, its password in a private file.
    as_admin = ["--as", "admin", "--password-file", str(password_file(cwd, DEMO_ADMIN_PASSWORD))]
    out = run(
        [*handover, "agent", "add", "marie", *as_admin], env, cwd, stdin="remise-des-titres-2026\n"
    )
    assert "Compte « marie » créé" in out
    assert "Duplicata écrit" in run([*handover, "receipt", "1", "--out", "duplicata.pdf"], env, cwd)
    assert (cwd / "duplicata.pdf").read_bytes().startswith(b"%PDF")
    assert "écrit dans jour.pdf" in run([*handover, "report", "day", "--out", "jour.pdf"], env, cwd)
    assert (cwd / "jour.pdf").read_bytes().startswith(b"%PDF")


def counter_reaches_login(
    counter: Sequence[str], env: dict[str, str], cwd: Path, timeout: float = 90
) -> str:
    """Start the counter (offscreen) until it logs the login screen; the log's text."""
    return program_paints(counter, env, cwd, "guichet.log", LOGIN_SHOWN, timeout)


def program_paints(
    program: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    log_name: str,
    painted: str,
    timeout: float = 90,
) -> str:
    """Start a Qt program (offscreen) until its log says its first screen was painted
    (``ui/first_paint.py``); the log's text. The program is stopped afterwards."""
    log = Path(env["HANDOVER_LOG_DIR"]) / log_name
    process = subprocess.Popen(
        list(program), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if log.exists() and painted in log.read_text("utf-8", errors="replace"):
                return log.read_text("utf-8", errors="replace")
            time.sleep(0.1)
    finally:
        process.kill()
        _, err = process.communicate()
    text = log.read_text("utf-8", errors="replace") if log.exists() else "(pas de journal)"
    raise AssertionError(
        f"{program[0]} never logged {painted!r}\nlog:\n{text}\nstderr:\n{err.decode()}"
    )
