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
from handover.receipts.sidecar import read_sidecars
from tests.handover.services.faults_helpers import (
    assert_commit_lost_and_nothing_recorded,
    assert_commit_lost_but_recorded,
    assert_handed_over_once,
    assert_not_handed_over,
    at_next_commit,
    checkpoint,
    hide_file,
    ready_desk,
)
from tests.handover.services.helpers import request_for

LOST = OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))


def fail_commit(
    monkeypatch: pytest.MonkeyPatch, *, committed: bool, then: Callable[[], None] = lambda: None
) -> None:
    """The next COMMIT reports a lost connection, after really committing or not."""

    def fault(session: Session, commit: Callable[[], None]) -> None:
        if committed:
            commit()
        else:
            session.rollback()
        then()
        raise LOST

    at_next_commit(monkeypatch, fault)


def test_committed_although_the_commit_reported_a_lost_connection(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter, agent, permit = ready_desk(engine)
    fail_commit(monkeypatch, committed=True)
    assert_commit_lost_but_recorded(counter, engine, agent, permit)


def test_not_committed_says_nothing_was_recorded(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter, agent, permit = ready_desk(engine)
    fail_commit(monkeypatch, committed=False)
    assert_commit_lost_and_nothing_recorded(counter, engine, agent, permit)
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
    counter, agent, permit = ready_desk(engine)
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
        # The receipt sidecar that hand_over() could not write is written now (restores).
        sidecars = read_sidecars(counter.config.archive_dir).sidecars
        assert [x.handover_id for x in sidecars] == [found.handover_id]
    else:
        assert found is None
        assert_not_handed_over(engine, permit_id)
    engine.dispose()
