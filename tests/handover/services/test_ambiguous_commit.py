"""A connection lost during COMMIT: the counter finds out whether the handover is recorded.

The unit of work's COMMIT (``UnitOfWork._commit_session``) is the fault-injection seam. The
real kill of a PostgreSQL session during COMMIT is in ``test_postgres_faults.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from handover.errors import CommitOutcomeUnknown, DatabaseUnavailable
from handover.persistence.engine import sqlite_path
from handover.persistence.models import PermitState
from handover.persistence.uow import UnitOfWork
from tests.handover.services.faults_helpers import (
    assert_handed_over_once,
    assert_not_handed_over,
    checkpoint,
    hide_file,
)
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for

LOST = OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))


def fail_commit(
    monkeypatch: pytest.MonkeyPatch, *, committed: bool, then: Callable[[], None] = lambda: None
) -> None:
    """The next COMMIT reports a lost connection, after really committing or not."""
    real = UnitOfWork._commit_session
    armed = [True]

    def faulty(self: UnitOfWork, session: Session) -> None:
        if not armed[0]:
            return real(self, session)
        armed[0] = False
        if committed:
            real(self, session)
        else:
            session.rollback()
        then()
        raise LOST

    monkeypatch.setattr(UnitOfWork, "_commit_session", faulty)


def test_committed_although_the_commit_reported_a_lost_connection(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter, passwords = make_counter(engine)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    fail_commit(monkeypatch, committed=True)

    record = counter.hand_over(request_for(permit), agent)

    assert record.permit.permit_id == permit.id
    found = counter.find_handover(permit.id)
    assert found is not None
    assert (found.handover_number, found.audit_hash) == (record.handover_number, record.audit_hash)
    assert_handed_over_once(engine, permit.id)


def test_not_committed_says_nothing_was_recorded(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter, passwords = make_counter(engine)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    fail_commit(monkeypatch, committed=False)

    with pytest.raises(DatabaseUnavailable) as lost:
        counter.hand_over(request_for(permit), agent)

    assert not isinstance(lost.value, CommitOutcomeUnknown)
    assert "Rien n'a été enregistré" in lost.value.message
    assert counter.find_handover(permit.id) is None
    assert_not_handed_over(engine, permit.id)
    # The agent does it again, and it is recorded once.
    counter.hand_over(request_for(permit), agent)
    assert_handed_over_once(engine, permit.id)


@pytest.mark.parametrize("committed", [True, False])
def test_no_answer_after_the_commit_is_an_unknown_outcome_checked_later(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    from handover.persistence.engine import make_engine

    engine = make_engine(sqlite_url)
    path = sqlite_path(sqlite_url)
    assert path is not None
    counter, passwords = make_counter(engine)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    permit_id = permit.id
    checkpoint(path)
    kept: list[Path] = []
    # The database goes away right after COMMIT: the look-up cannot answer either.
    fail_commit(monkeypatch, committed=committed, then=lambda: kept.append(hide_file(path)))

    with pytest.raises(CommitOutcomeUnknown) as unknown:
        counter.hand_over(request_for(permit), agent)

    assert unknown.value.permit_id == permit_id
    assert "résultat inconnu" in unknown.value.message.lower()
    with pytest.raises(DatabaseUnavailable):
        counter.find_handover(permit_id)
    os.link(kept[0], path)  # the database is back (same file)
    found = counter.find_handover(permit_id)
    if committed:
        assert found is not None and found.permit.permit_id == permit_id
        assert_handed_over_once(engine, permit_id)
    else:
        assert found is None
        assert_not_handed_over(engine, permit_id)
    engine.dispose()
