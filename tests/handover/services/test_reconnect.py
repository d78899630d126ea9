"""Without a ping before each transaction, a lost PostgreSQL connection is recovered."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from handover.domain.values import VerdictKind
from handover.errors import DatabaseUnavailable
from handover.persistence.engine import make_engine
from tests.handover.services.helpers import login, make_counter
from tests.support.pgcluster import PgCluster

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(pg_cluster: PgCluster) -> Iterator[tuple[PgCluster, Engine, str]]:
    name = f"reconnect{os.getpid()}"
    url = pg_cluster.create_database(name, template="handover_template")
    engine = make_engine(url)
    yield pg_cluster, engine, name
    engine.dispose()
    pg_cluster.drop_database(name)


def test_check_works_again_after_the_server_dropped_every_connection(
    pg_engine: tuple[PgCluster, Engine, str],
) -> None:
    cluster, engine, name = pg_engine
    counter, passwords = make_counter(engine)
    agent = login(counter, passwords)
    assert counter.check("R0000000Z", agent).kind in (VerdictKind.UNKNOWN, VerdictKind.INVALID_SCAN)
    assert engine.pool.checkedin() >= 1  # a pooled connection is there, to be killed

    cluster.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )

    lost: DatabaseUnavailable | None = None
    try:
        first = counter.check("R0000000Z", agent)
    except DatabaseUnavailable as exc:
        lost = exc
        first = counter.check("R0000000Z", agent)
    assert lost is None or "ne répond plus" in lost.message
    assert first.kind in (VerdictKind.UNKNOWN, VerdictKind.INVALID_SCAN)
    assert counter.count_today() >= 0
