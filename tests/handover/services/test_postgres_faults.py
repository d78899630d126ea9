"""PostgreSQL faults at a desk: a lock held by another session, the server stopped and
restarted, a session killed during COMMIT. Each told in French; nothing half-written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from handover.config import Config, DatabaseConfig
from handover.errors import CommitOutcomeUnknown, DatabaseUnavailable
from handover.persistence.db import open_configured, upgrade
from handover.persistence.engine import make_engine
from handover.persistence.faults import DatabaseBusy
from tests.handover.services.faults_helpers import (
    assert_commit_lost_and_nothing_recorded,
    assert_commit_lost_but_recorded,
    assert_handed_over_once,
    assert_not_handed_over,
    at_next_commit,
    ready_desk,
)
from tests.handover.services.helpers import request_for
from tests.support.pgcluster import PgCluster, find_pg_bin

pytestmark = pytest.mark.postgres
_names = itertools.count()


def new_database(cluster: PgCluster, template: str | None = "handover_template") -> str:
    return cluster.create_database(f"faults{next(_names)}", template=template)


def holding_the_audit_head(cluster: PgCluster, url: str) -> psycopg.Connection[tuple[object, ...]]:
    """Another session (a desk, an administrator's tool) that holds the audit chain's head."""
    other = psycopg.connect(
        host="127.0.0.1", port=cluster.port, user=cluster.user, dbname=url.rsplit("/", 1)[1]
    )
    other.execute("SELECT * FROM audit_head WHERE id = 1 FOR UPDATE")
    return other


@pytest.mark.parametrize(
    ("lock_ms", "statement_ms", "said"),
    [(300, 0, "verrou plus de 0.3 s"), (0, 300, "n'a pas abouti en 0.3 s")],
)
def test_a_lock_held_by_another_session_is_told_and_nothing_is_written(
    pg_cluster: PgCluster, lock_ms: int, statement_ms: int, said: str
) -> None:
    url = new_database(pg_cluster)
    engine = make_engine(url, lock_timeout_ms=lock_ms, statement_timeout_ms=statement_ms)
    counter, agent, permit = ready_desk(engine)
    other = holding_the_audit_head(pg_cluster, url)
    try:
        with pytest.raises(DatabaseBusy) as busy:
            counter.check(permit.handover_reference or "", agent)
        assert said in busy.value.message
        with pytest.raises(DatabaseBusy) as busy:
            counter.hand_over(request_for(permit), agent)
        assert "occupée" in busy.value.message and "Rien n'a été enregistré" in busy.value.message
    finally:
        other.rollback()
        other.close()
    assert_not_handed_over(engine, permit.id)
    counter.hand_over(request_for(permit), agent)  # the lock is gone: it works
    assert_handed_over_once(engine, permit.id)
    engine.dispose()
    pg_cluster.drop_database(url.rsplit("/", 1)[1])


def test_counter_and_back_office_sessions_get_their_own_time_limits(pg_cluster: PgCluster) -> None:
    url = new_database(pg_cluster)
    config = Config(database=DatabaseConfig(url=url, lock_timeout_ms=4000))
    for backoffice, expected in ((False, ("4s", "15s")), (True, ("30s", "10min"))):
        engine = open_configured(config, backoffice=backoffice)
        with engine.connect() as conn:
            got = (
                conn.exec_driver_sql("SHOW lock_timeout").scalar(),
                conn.exec_driver_sql("SHOW statement_timeout").scalar(),
            )
        engine.dispose()
        assert got == expected
    pg_cluster.drop_database(url.rsplit("/", 1)[1])


# -- a server of our own, to stop and restart ------------------------------------------------


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[PgCluster]:
    if find_pg_bin() is None:
        pytest.skip("PostgreSQL absent (initdb/pg_ctl introuvables) : apt-get install postgresql")
    cluster = PgCluster().start()
    cluster.create_database("handover_template")
    engine = make_engine(cluster.url("handover_template"))
    upgrade(engine)
    engine.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture
def desk(own_cluster: PgCluster) -> Iterator[tuple[PgCluster, Engine]]:
    url = new_database(own_cluster)
    engine = make_engine(url)
    yield own_cluster, engine
    engine.dispose()


def test_server_stopped_then_restarted(desk: tuple[PgCluster, Engine]) -> None:
    cluster, engine = desk
    counter, agent, permit = ready_desk(engine)
    cluster.pause()
    try:
        with pytest.raises(DatabaseUnavailable) as lost:
            counter.check(permit.handover_reference or "", agent)
        assert "ne répond plus" in lost.value.message
        with pytest.raises(DatabaseUnavailable) as lost:
            counter.hand_over(request_for(permit), agent)
        assert "Rien n'a été enregistré" in lost.value.message
    finally:
        cluster.resume()
    assert counter.check(permit.handover_reference or "", agent).permit is not None
    assert_not_handed_over(engine, permit.id)
    counter.hand_over(request_for(permit), agent)
    assert_handed_over_once(engine, permit.id)


def kill_during_commit(
    monkeypatch: pytest.MonkeyPatch,
    cluster: PgCluster,
    *,
    committed: bool,
    then: Callable[[], None] = lambda: None,
) -> None:
    """The next COMMIT's session is terminated by the server, before or after it commits."""

    def fault(session: Session, commit: Callable[[], None]) -> None:
        connection = session.connection()
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        if not committed:
            cluster.execute(f"SELECT pg_terminate_backend({pid})")
            return commit()  # COMMIT on a killed session
        commit()
        cluster.execute(f"SELECT pg_terminate_backend({pid})")
        then()
        try:  # the answer to COMMIT never arrived: what the client sees is this error
            dbapi.execute("SELECT 1")
        except psycopg.OperationalError as exc:
            raise OperationalError("COMMIT", {}, exc) from exc
        raise AssertionError("the session should be dead")

    at_next_commit(monkeypatch, fault)


def test_session_killed_before_commit_reached_the_server(
    desk: tuple[PgCluster, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster, engine = desk
    counter, agent, permit = ready_desk(engine)
    kill_during_commit(monkeypatch, cluster, committed=False)
    assert_commit_lost_and_nothing_recorded(counter, engine, agent, permit)


def test_session_killed_after_the_commit_gives_the_normal_record(
    desk: tuple[PgCluster, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster, engine = desk
    counter, agent, permit = ready_desk(engine)
    kill_during_commit(monkeypatch, cluster, committed=True)
    assert_commit_lost_but_recorded(counter, engine, agent, permit)


@pytest.mark.parametrize("committed", [True, False])
def test_server_gone_after_the_commit_is_an_unknown_outcome_then_the_truth(
    desk: tuple[PgCluster, Engine], monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    cluster, engine = desk
    counter, agent, permit = ready_desk(engine)
    if committed:
        kill_during_commit(monkeypatch, cluster, committed=True, then=cluster.pause)
    else:

        def stop_first(_session: Session, commit: Callable[[], None]) -> None:
            cluster.pause()
            commit()

        at_next_commit(monkeypatch, stop_first)
    try:
        with pytest.raises(CommitOutcomeUnknown) as unknown:
            counter.hand_over(request_for(permit), agent)
        assert unknown.value.permit_id == permit.id
        assert "résultat inconnu" in unknown.value.message.lower()
    finally:
        monkeypatch.undo()
        cluster.resume()
    found = counter.find_handover(permit.id)
    if committed:
        assert found is not None and found.permit.permit_id == permit.id
        assert_handed_over_once(engine, permit.id)
    else:
        assert found is None
        assert_not_handed_over(engine, permit.id)
