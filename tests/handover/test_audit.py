"""Tampering with the audit chain is detected at the entry where it happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete, select, update

from handover import audit
from handover.persistence.models import AuditEntry
from handover.persistence.uow import UnitOfWork

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def _write(engine: Engine, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        with UnitOfWork(engine) as uow:
            audit.append(
                uow.session,
                at=T0 + timedelta(seconds=k),
                desk="Guichet 1",
                agent="AG-TEST1",
                action="scan.verdict",
                subject=f"permit:{k}",
                details={"verdict": "ready", "n": k},
            )
            uow.commit()


def _verify(engine: Engine) -> audit.ChainReport:
    with UnitOfWork(engine, read_only=True) as uow:
        return audit.verify(uow.session)


def _change(engine: Engine, stmt: object) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(stmt)  # type: ignore[call-overload]
        uow.commit()


def test_an_intact_chain_verifies(engine: Engine) -> None:
    _write(engine, 12)
    report = _verify(engine)
    assert report.ok and report.verified == 12 and report.head_id == 12


def test_one_changed_byte_is_found(engine: Engine) -> None:
    _write(engine, 12)
    with UnitOfWork(engine, read_only=True) as uow:
        details = uow.session.get(AuditEntry, 7).details  # type: ignore[union-attr]
    _change(
        engine,
        update(AuditEntry)
        .where(AuditEntry.id == 7)
        .values(details=details.replace('"n":6', '"n":5')),
    )
    report = _verify(engine)
    assert not report.ok and report.broken_at == 7 and "modifié" in report.problem
    assert report.verified == 6


@pytest.mark.parametrize("victim", [1, 5, 12])
def test_a_deleted_entry_is_found(engine: Engine, victim: int) -> None:
    _write(engine, 12)
    _change(engine, delete(AuditEntry).where(AuditEntry.id == victim))
    report = _verify(engine)
    assert not report.ok and report.broken_at == victim


def test_swapped_entries_are_found(engine: Engine) -> None:
    _write(engine, 12)
    with UnitOfWork(engine, read_only=True) as uow:
        a, b = (uow.session.get(AuditEntry, i) for i in (4, 5))
        rows = [(e.id, e.subject, e.details, e.prev_hash, e.hash) for e in (a, b)]  # type: ignore[union-attr]
    # Put entry 5's content (and hashes) under number 4 and the reverse.
    (ia, sa, da, pa, ha), (ib, sb, db, pb, hb) = rows
    _change(
        engine,
        update(AuditEntry)
        .where(AuditEntry.id == ia)
        .values(subject=sb, details=db, prev_hash=pb, hash="x" * 64),
    )
    _change(
        engine,
        update(AuditEntry)
        .where(AuditEntry.id == ib)
        .values(subject=sa, details=da, prev_hash=pa, hash=ha),
    )
    _change(engine, update(AuditEntry).where(AuditEntry.id == ia).values(hash=hb))
    report = _verify(engine)
    assert not report.ok and report.broken_at == 4


def test_concurrent_writers_extend_one_chain(engine: Engine) -> None:
    """Writers take the chain head in turn: ids have no gap and every link holds."""
    _write(engine, 5)
    with UnitOfWork(engine, read_only=True) as uow:
        ids = uow.session.execute(select(AuditEntry.id).order_by(AuditEntry.id)).scalars().all()
    assert list(ids) == [1, 2, 3, 4, 5]
    assert _verify(engine).ok
