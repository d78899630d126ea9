"""The wheel is complete: built, installed in a clean virtual environment, used from elsewhere.

The wheel is built from a copy of the checkout (a stale ``build/`` cannot leak into it) with
this environment's setuptools and PySide6 (``--no-build-isolation``: no download), then
installed with the lock file's constraints into a new virtual environment, as
``pip install .`` would for a newcomer; pip's cache and the machine's find-links serve the
dependencies. Every program then runs from a folder outside the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.installed import counter_reaches_login, run, user_env, walk_through_cli

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(sys.platform == "win32", reason="venv layout: POSIX"),
]

NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.qm", "docs"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "guichet"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCES, symlinks=True)
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    run([*pip_wheel, "-w", str(out), str(copy)], dict(os.environ), out)
    (built,) = out.glob("handover-*.whl")
    return built


def test_the_wheel_carries_the_resources_under_the_package(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in (ROOT / "resources").rglob("*"):
        if source.is_file() and source.suffix != ".qm":
            packaged = "handover/_resources/" + source.relative_to(ROOT / "resources").as_posix()
            assert packaged in names, f"{packaged} missing from the wheel"
    assert not any(name.startswith("resources/") for name in names)  # would collide


def test_installed_wheel_works_from_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    lock = str(ROOT / "requirements.lock")
    run([*install, "-c", lock, str(wheel)], dict(os.environ), tmp_path, timeout=480)
    home = tmp_path / "poste"
    env = user_env(home)
    where = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from handover import resources as r; print(r.resources_root())",
        ],
        env,
        home,
    )
    assert Path(where.strip()).is_relative_to(venv), where  # not the checkout's resources/

    # Installed, the desk is machine-wide: configuration in /etc/xdg, data in /var/lib.
    site = {k: v for k, v in env.items() if k not in {"HANDOVER_CONFIG", "HANDOVER_DATA_DIR"}}
    site.pop("XDG_CONFIG_DIRS", None)
    path = run([str(venv / "bin" / "handover"), "config", "path"], site, home)
    assert path.splitlines()[0] == "/etc/xdg/handover/config.toml", path
    site.pop("HANDOVER_DB_URL")
    shown = run([str(venv / "bin" / "handover"), "config", "show"], site, home)
    assert 'url = "sqlite:////var/lib/handover/handover.sqlite3"' in shown, shown

    walk_through_cli([str(venv / "bin" / "handover")], env, home)
    # The desk holds the demonstration: the counter opens it in demonstration mode only.
    log = counter_reaches_login([str(venv / "bin" / "handover-counter"), "--seed-demo"], env, home)
    assert "ERROR" not in log, log
