"""SQLite faults at a desk: each one told in French, and nothing half-written.

Missing file, file deleted or replaced while the counter runs, damaged file, disk full (a
small tmpfs, mounted when the tests run as root), read-only file and refused access (the
command run without the DAC-override capability, so that root obeys file modes).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.errors import DatabaseUnavailable
from handover.persistence import db as db_module
from handover.persistence.db import open_database
from handover.persistence.engine import make_engine
from handover.persistence.faults import (
    DatabaseAccessDenied,
    DatabaseCorrupted,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseVanished,
    DiskFull,
)
from handover.persistence.models import PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.counter import CounterService
from tests.handover.services.faults_helpers import (
    assert_handed_over_once,
    assert_not_handed_over,
    audit_ok,
    checkpoint,
    hide_file,
    inspect,
)
from tests.handover.services.helpers import (
    OPEN_AT,
    login,
    make_counter,
    permit_in_state,
    request_for,
)
from tests.support.accounts import password_file

ROOT = Path(__file__).resolve().parents[3]


def cli(db: Path, *argv: str, drop_privileges: bool = False) -> subprocess.CompletedProcess[str]:
    """``handover ARGV`` in its own process, as an administrator runs it."""
    env = {
        **os.environ,
        "HANDOVER_DB_URL": f"sqlite:///{db}",
        "HANDOVER_CONFIG": os.devnull,
    }
    cmd = [sys.executable, "-m", "handover.cli", *argv]
    if drop_privileges and os.geteuid() == 0:
        # Root without CAP_DAC_OVERRIDE obeys the file's modes like any account.
        cmd = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def seeded(tmp_path: Path, template: Path) -> Path:
    path = tmp_path / "guichet.sqlite3"
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}", create=False)
    make_counter(engine, permits=20)
    engine.dispose()
    return path


@pytest.fixture
def seeded_path(tmp_path: Path, sqlite_template: Path) -> Path:
    return seeded(tmp_path, sqlite_template)


# -- missing ---------------------------------------------------------------------------------


def test_a_missing_file_is_refused_and_never_created(tmp_path: Path) -> None:
    path = tmp_path / "mal-tape" / "handover.sqlite3"
    with pytest.raises(DatabaseMissing) as missing:
        open_database(f"sqlite:///{path}")
    assert str(path) in missing.value.message and "handover db upgrade" in missing.value.message
    result = cli(path, "check", "K3P9-7QXA-M")
    assert result.returncode == 2
    assert str(path) in result.stderr and "handover db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    assert not path.exists()
    # An empty file (``touch``) is no database either.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    with pytest.raises(DatabaseMissing):
        open_database(f"sqlite:///{path}")


def test_db_upgrade_creates_it_and_the_counter_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "handover.sqlite3"
    result = cli(path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"Nouvelle base créée : {path}" in result.stdout
    open_database(f"sqlite:///{path}").dispose()


# -- deleted or replaced while running -------------------------------------------------------


def test_the_file_deleted_while_the_counter_runs_is_seen_at_the_next_unit_of_work(
    seeded_path: Path,
) -> None:
    engine = open_database(f"sqlite:///{seeded_path}")
    counter, passwords = make_counter(engine, permits=1)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    checkpoint(seeded_path)

    kept = hide_file(seeded_path)
    with pytest.raises(DatabaseVanished) as gone:
        counter.check(permit.handover_reference or "", agent)
    assert str(seeded_path) in gone.value.message and "a disparu" in gone.value.message
    with pytest.raises(DatabaseVanished):
        counter.hand_over(request_for(permit), agent)
    assert not seeded_path.exists()  # never replaced by an empty database
    engine.dispose()

    saved = inspect(kept)
    assert_not_handed_over(saved, permit.id)
    saved.dispose()


def test_a_file_replaced_under_the_counter_is_refused(seeded_path: Path, tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{seeded_path}")
    counter, passwords = make_counter(engine, permits=1)
    agent = login(counter, passwords)
    checkpoint(seeded_path)
    other = tmp_path / "autre.sqlite3"
    shutil.copyfile(seeded_path, other)
    os.replace(other, seeded_path)
    with pytest.raises(DatabaseVanished):
        counter.count_today()
    with pytest.raises(DatabaseVanished):
        counter.logout(agent)
    engine.dispose()


# -- damaged ---------------------------------------------------------------------------------


def damage_index(path: Path, column: str = "numero_etranger") -> None:
    """Overwrite the root page of the index on ``permits.column`` with garbage."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'permits' "
            "AND sql LIKE ?",
            (f"%({column})%",),
        ).fetchone()[0]
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d\xff" * (page_size // 2))


def test_a_file_that_is_not_a_database_is_refused_in_french(tmp_path: Path) -> None:
    path = tmp_path / "handover.sqlite3"
    path.write_bytes(b"PK\x03\x04 ceci est un fichier zip, pas une base" * 200)
    with pytest.raises(DatabaseCorrupted) as damaged:
        open_database(f"sqlite:///{path}")
    assert "endommagée" in damaged.value.message and str(path) in damaged.value.message
    result = cli(path, "db", "check")
    assert result.returncode == 1
    assert "Base endommagée" in result.stdout and "handover restore" in result.stdout


def test_a_damaged_page_is_found_at_start_and_by_db_check(seeded_path: Path) -> None:
    damage_index(seeded_path)
    with pytest.raises(DatabaseCorrupted) as damaged:
        open_database(f"sqlite:///{seeded_path}")
    assert "handover db check" in damaged.value.message
    result = cli(seeded_path, "db", "check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "integrity_check" in result.stdout
    assert "Page" in result.stdout or "malformed" in result.stdout  # SQLite's own finding


def test_a_damaged_page_past_the_start_check_is_told_at_the_first_scan(
    seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(f"sqlite:///{seeded_path}")
    counter, passwords = make_counter(engine, permits=1)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    engine.dispose()
    damage_index(seeded_path)
    # A large file only gets the header and length check at start.
    monkeypatch.setattr(db_module, "QUICK_CHECK_MAX_BYTES", 0)
    engine = open_database(f"sqlite:///{seeded_path}")
    counter = CounterService(engine, Config(), clock=FakeClock(OPEN_AT))
    assert permit.numero_etranger
    with pytest.raises(DatabaseCorrupted):
        counter.check(permit.numero_etranger, agent)
    engine.dispose()


def test_a_truncated_large_file_is_refused_at_start(
    seeded_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkpoint(seeded_path)
    size = seeded_path.stat().st_size
    with seeded_path.open("r+b") as f:
        f.truncate(size // 2)
    monkeypatch.setattr(db_module, "QUICK_CHECK_MAX_BYTES", 0)
    with pytest.raises(DatabaseCorrupted, match="endommagée"):
        open_database(f"sqlite:///{seeded_path}")


# -- disk full -------------------------------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("disk full is tested on a small tmpfs, which only root can mount")
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    filler = folder / "remplissage"
    with filler.open("wb", buffering=0) as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 4096)
    return filler


def test_disk_full_is_told_and_nothing_is_half_written(
    tmp_path: Path, sqlite_template: Path
) -> None:
    with small_filesystem(tmp_path / "petit", "3m") as folder:
        path = seeded(folder, sqlite_template)
        engine = open_database(f"sqlite:///{path}")
        counter, passwords = make_counter(engine, permits=1)
        agent = login(counter, passwords)
        permit = permit_in_state(engine, PermitState.NOTIFIED)
        checkpoint(path)  # the WAL is empty: the next write needs new disk space
        filler = fill(folder)

        with pytest.raises(DiskFull) as full:
            counter.hand_over(request_for(permit), agent)
        assert "disque" in full.value.message and "plein" in full.value.message
        assert "Rien n'a été enregistré" in full.value.message
        assert_not_handed_over(engine, permit.id)

        filler.unlink()  # IT frees space; the agent confirms again
        counter.hand_over(request_for(permit), agent)
        assert_handed_over_once(engine, permit.id)
        engine.dispose()


# -- read-only, access refused ---------------------------------------------------------------


def test_a_read_only_file_has_its_own_message(seeded_path: Path) -> None:
    checkpoint(seeded_path)
    seeded_path.chmod(0o444)
    secret = password_file(seeded_path.parent, "demo-gestion-prefecture")  # the demo's admin
    as_admin = ("--as", "admin", "--password-file", str(secret))
    result = cli(seeded_path, "agent", "disable", "agent1", *as_admin, drop_privileges=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "lecture seule" in result.stderr and str(seeded_path) in result.stderr
    seeded_path.chmod(0o644)
    engine = inspect(seeded_path)
    assert audit_ok(engine)
    engine.dispose()
    assert "agent1" in cli(seeded_path, "agent", "list").stdout


def test_a_file_this_account_may_not_open_has_its_own_message(seeded_path: Path) -> None:
    checkpoint(seeded_path)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{seeded_path}{suffix}").chmod(0o000)
    result = cli(seeded_path, "agent", "list", drop_privileges=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Accès refusé" in result.stderr and str(seeded_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_every_fault_is_a_database_unavailable() -> None:
    """The screen shows any HandoverError; these are the ones a desk can meet."""
    for fault in (DatabaseMissing, DatabaseVanished, DatabaseCorrupted, DiskFull):
        assert issubclass(fault, DatabaseUnavailable)
    assert issubclass(DatabaseReadOnly, DatabaseUnavailable)
    assert issubclass(DatabaseAccessDenied, DatabaseUnavailable)


def test_sql_parameters_never_appear_in_error_texts(engine: Engine) -> None:
    with pytest.raises(DBAPIError) as error, UnitOfWork(engine) as uow:
        uow.session.execute(
            text("SELECT 1 FROM permis_mal_nomme WHERE numero_etranger = :n"),
            {"n": "Dupont 0612345678"},
        )
    assert "0612345678" not in str(error.value)
    assert "hidden" in str(error.value)
