"""What every fault test checks afterwards: nothing lost, nothing half-written."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.values import AgentIdentity
from handover.errors import CommitOutcomeUnknown, DatabaseUnavailable
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
from handover.services.counter import CounterService
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for


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


def ready_desk(engine: Engine) -> tuple[CounterService, AgentIdentity, Permit]:
    """A seeded counter, its logged-in agent, and a permit ready to hand over."""
    counter, passwords = make_counter(engine)
    return counter, login(counter, passwords), permit_in_state(engine, PermitState.NOTIFIED)


CommitFault = Callable[[Session, Callable[[], None]], None]


def at_next_commit(monkeypatch: pytest.MonkeyPatch, fault: CommitFault) -> None:
    """The next COMMIT of any unit of work runs ``fault(session, commit)`` instead.

    The unit of work's ``_commit_session`` is the fault-injection seam; later commits are
    normal again.
    """
    real = UnitOfWork._commit_session
    armed = [True]

    def faulty(self: UnitOfWork, session: Session) -> None:
        if armed[0]:
            armed[0] = False
            fault(session, lambda: real(self, session))
        else:
            real(self, session)

    monkeypatch.setattr(UnitOfWork, "_commit_session", faulty)


def assert_commit_lost_and_nothing_recorded(
    counter: CounterService, engine: Engine, agent: AgentIdentity, permit: Permit
) -> None:
    """The handover's COMMIT fails and did not go through: the agent is told so, truly."""
    with pytest.raises(DatabaseUnavailable) as lost:
        counter.hand_over(request_for(permit), agent)
    assert not isinstance(lost.value, CommitOutcomeUnknown)
    assert "Rien n'a été enregistré" in lost.value.message
    assert counter.find_handover(permit.id) is None
    assert_not_handed_over(engine, permit.id)


def assert_commit_lost_but_recorded(
    counter: CounterService, engine: Engine, agent: AgentIdentity, permit: Permit
) -> None:
    """The handover's COMMIT reports a failure but went through: the normal record."""
    record = counter.hand_over(request_for(permit), agent)
    assert record.permit.permit_id == permit.id
    found = counter.find_handover(permit.id)
    assert found is not None
    assert (found.handover_number, found.audit_hash) == (record.handover_number, record.audit_hash)
    assert_handed_over_once(engine, permit.id)
