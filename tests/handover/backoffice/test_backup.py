"""Online backup of a SQLite database while another process writes, and checked restores."""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path

import pytest
from sqlalchemy import select

from handover import audit
from handover.backoffice.backup import BackupError, backup, check_backup, restore
from handover.persistence.engine import make_engine
from handover.persistence.models import Handover
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.writer import write_handovers
from tests.handover.services.helpers import make_counter


def _drain(q: multiprocessing.Queue[int], *, wait: float = 0.0) -> list[int]:
    """What the queue holds now (the writer keeps adding: never wait for it to be empty)."""
    out = []
    while True:
        try:
            out.append(q.get(timeout=wait) if wait else q.get_nowait())
        except queue.Empty:
            return out


def _handovers(url: str) -> set[int]:
    engine = make_engine(url)
    try:
        with UnitOfWork(engine, read_only=True) as uow:
            assert audit.verify(uow.session).ok
            return set(uow.session.execute(select(Handover.permit_id)).scalars())
    finally:
        engine.dispose()


def test_backup_while_another_process_writes(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    make_counter(engine, permits=400)
    engine.dispose()
    ctx = multiprocessing.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    committed: multiprocessing.Queue[int] = ctx.Queue()
    writer = ctx.Process(target=write_handovers, args=(sqlite_url, ready, stop, committed))
    writer.start()
    try:
        assert ready.wait(60), "the writer process did not start handing over"
        before = _drain(committed)  # committed before the backup started
        result = backup(sqlite_url, tmp_path / "copie.sqlite3")
        during = _drain(committed)
    finally:
        stop.set()
        writer.join(60)
    after = _drain(committed, wait=0.5)
    assert writer.exitcode == 0
    assert during, "the writer must have kept writing while the backup ran"
    assert result.check.ok

    restored_url = f"sqlite:///{tmp_path / 'restauree.sqlite3'}"
    done = restore(result.path, restored_url, agent="AG-TEST1")
    assert done.previous is None and done.check.ok
    in_backup = _handovers(restored_url)
    assert set(before) <= in_backup  # every handover committed before the copy is in it
    assert in_backup <= _handovers(sqlite_url)  # and nothing that was never committed
    assert len(in_backup) == result.check.handovers
    assert set(before) | set(during) | set(after) <= _handovers(sqlite_url)


def test_restore_keeps_every_replaced_database(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    make_counter(engine, permits=30)
    engine.dispose()
    copy = backup(sqlite_url, tmp_path).path  # a folder: a file name is chosen
    target = tmp_path / "cible.sqlite3"
    target.write_bytes(b"ancienne base")
    done = restore(copy, f"sqlite:///{target}", agent="AG-TEST1")
    assert done.previous is not None
    assert done.previous.name.startswith("cible.sqlite3.avant-restauration-")
    assert done.previous.read_bytes() == b"ancienne base"
    assert check_backup(target).ok
    # A second restore (the same second, even) keeps a second copy: the first is not lost.
    again = restore(copy, f"sqlite:///{target}", agent="AG-TEST1")
    assert again.previous is not None and again.previous != done.previous
    assert done.previous.read_bytes() == b"ancienne base"
    assert check_backup(again.previous).ok
    with pytest.raises(BackupError, match="existe déjà"):
        backup(sqlite_url, copy)


def test_restore_refuses_a_damaged_file_and_a_database_in_use(
    sqlite_url: str, tmp_path: Path
) -> None:
    engine = make_engine(sqlite_url)
    make_counter(engine, permits=30)
    copy = backup(sqlite_url, tmp_path / "copie.sqlite3").path
    damaged = tmp_path / "abimee.sqlite3"
    data = bytearray(copy.read_bytes())
    data[4096 : 4096 + 512] = b"\xff" * 512  # a page of the database overwritten
    damaged.write_bytes(bytes(data))
    original = Path(sqlite_url.removeprefix("sqlite:///"))
    with pytest.raises(BackupError) as caught:
        restore(damaged, sqlite_url, agent="AG-TEST1")
    assert "ne peut pas être restauré" in caught.value.message
    with UnitOfWork(engine, read_only=True) as uow:  # keeps a connection open, as a desk does
        uow.session.execute(select(Handover.id)).all()
        with pytest.raises(BackupError, match="ouverte par un autre programme"):
            restore(copy, sqlite_url, agent="AG-TEST1")
    engine.dispose()
    assert original.exists() and not list(original.parent.glob("*.avant-restauration-*"))
