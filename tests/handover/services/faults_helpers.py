"""What every fault test checks afterwards: nothing lost, nothing half-written."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, func, select

from handover import audit
from handover.persistence.engine import make_engine
from handover.persistence.models import (
    AuditEntry,
    Handover,
    IdentityCheck,
    Permit,
    PermitState,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork


def handover_rows(engine: Engine, permit_id: int) -> dict[str, int]:
    """How many rows of each kind a handover of ``permit_id`` left, and its audit entries."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        ids = s.execute(select(Handover.id).where(Handover.permit_id == permit_id)).scalars().all()

        def count(model: type, column: object) -> int:
            return int(
                s.execute(
                    select(func.count()).select_from(model).where(column.in_(ids))  # type: ignore[attr-defined]
                ).scalar_one()
            )

        return {
            "handovers": len(ids),
            "identity": count(IdentityCheck, IdentityCheck.handover_id),
            "stamps": count(TaxStamp, TaxStamp.handover_id),
            "signatures": count(Signature, Signature.handover_id),
            "audit": int(
                s.execute(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(
                        AuditEntry.action == "handover", AuditEntry.subject == f"permit:{permit_id}"
                    )
                ).scalar_one()
            ),
        }


def permit_state(engine: Engine, permit_id: int) -> PermitState:
    with UnitOfWork(engine, read_only=True) as uow:
        return PermitState(
            uow.session.execute(select(Permit.state).where(Permit.id == permit_id)).scalar_one()
        )


def audit_ok(engine: Engine) -> bool:
    with UnitOfWork(engine, read_only=True) as uow:
        return audit.verify(uow.session).ok


NOTHING = {"handovers": 0, "identity": 0, "stamps": 0, "signatures": 0, "audit": 0}
WHOLE = {"handovers": 1, "identity": 1, "stamps": 1, "signatures": 1, "audit": 1}


def assert_not_handed_over(engine: Engine, permit_id: int) -> None:
    assert handover_rows(engine, permit_id) == NOTHING
    assert permit_state(engine, permit_id) in (PermitState.NOTIFIED, PermitState.RECEIVED)
    assert audit_ok(engine)


def assert_handed_over_once(engine: Engine, permit_id: int) -> None:
    assert handover_rows(engine, permit_id) == WHOLE
    assert permit_state(engine, permit_id) == PermitState.HANDED_OVER
    assert audit_ok(engine)


def checkpoint(path: Path) -> None:
    """Fold the WAL into the SQLite file, so that the file alone holds every commit."""
    with closing(sqlite3.connect(path)) as conn:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0


def hide_file(path: Path) -> Path:
    """Delete the database file as a person would, keeping its content aside (hard link)."""
    kept = path.with_name(path.name + ".kept")
    os.link(path, kept)
    path.unlink()
    return kept


def inspect(path: Path) -> Engine:
    return make_engine(f"sqlite:///{path}", create=False)
