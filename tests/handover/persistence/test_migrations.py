"""Alembic brings an empty database to head, and head matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from handover.persistence.db import head_revision, schema_status, upgrade
from handover.persistence.engine import make_engine
from handover.persistence.models import Base
from tests.support.pgcluster import PgCluster


def _assert_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        assert schema_status(engine).current is None
        upgrade(engine)
        assert schema_status(engine).up_to_date
        assert schema_status(engine).current == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
            head = conn.execute(text("select last_id, last_hash from audit_head")).one()
        assert diff == []
        assert head == (0, "0" * 64)
    finally:
        engine.dispose()


def test_upgrade_from_empty_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _assert_matches_models(f"sqlite:///{tmp_path / 'empty.sqlite3'}")


def test_upgrade_from_empty_on_postgresql(pg_cluster: PgCluster) -> None:
    _assert_matches_models(pg_cluster.create_database("migration_empty"))
