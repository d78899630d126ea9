"""Alembic brings an empty database to head, and head matches the models exactly."""

from __future__ import annotations

from typing import Any

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


def _one_handover(conn: Any, at: object) -> None:
    statements = [
        "insert into sites (id, code, name) values (1, 'GRE', 'Grenoble')",
        "insert into desks (id, site_id, name) values (1, 1, 'Guichet 1')",
        "insert into agents (id, username, display_name, pseudonym, role, password_hash, "
        "active, failed_logins, created_at) values (1, 'a', 'A', 'AG-1', 'agent', 'x', "
        "true, 0, :at)",
        "insert into permits (id, card_number, surname, given_names, name_key, birth_date, "
        "nationality, sex, category, valid_from, valid_until, fee_cents, "
        "previous_card_expected, state, created_at, updated_at) values (1, 'C1', 'N', 'P', "
        "'N', '1990-01-01', 'SEN', 'F', 'VPF', '2025-01-01', '2035-01-01', 0, false, "
        "'handed_over', :at, :at)",
        "insert into handovers (id, permit_id, desk_id, agent_id, handed_over_at, "
        "stamps_total_cents, audit_hash) values (1, 1, 1, 1, :at, 0, 'h')",
        "insert into identity_checks (id, handover_id, document_type, issuing_country, "
        "number_last4, from_scan) values (1, 1, 'passport', 'SEN', '4567', false)",
    ]
    for statement in statements:
        conn.execute(text(statement), {"at": at})


def _upgrade_from_0001_with_data(url: str) -> None:
    """A database of the previous release, with a chain and a handover, brought to head."""
    from datetime import UTC, datetime

    from handover import audit, sitekey
    from handover.persistence.uow import UnitOfWork

    engine = make_engine(url)
    try:
        upgrade(engine, "0001")
        at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        with engine.begin() as conn:
            prev = "0" * 64
            for n in range(1, 4):
                body = audit.canonical(n, at, "Guichet 1", "AG-1", "scan", f"permit:{n}", "{}")
                digest = audit.chain_hash(prev, body)
                conn.execute(
                    text(
                        "insert into audit_entries (id, at, desk, agent, action, subject, "
                        "details, prev_hash, hash) values (:id, :at, 'Guichet 1', 'AG-1', "
                        "'scan', :subject, '{}', :prev, :hash)"
                    ),
                    {
                        "id": n,
                        "at": at.replace(tzinfo=None),
                        "subject": f"permit:{n}",
                        "prev": prev,
                        "hash": digest,
                    },
                )
                prev = digest
            conn.execute(text("update audit_head set last_id = 3, last_hash = :h"), {"h": prev})
            _one_handover(conn, at.replace(tzinfo=None))
        upgrade(engine)
        assert schema_status(engine).up_to_date
        with UnitOfWork(engine, read_only=True) as uow:
            report = audit.verify(uow.session)
            head = uow.session.execute(
                text("select last_id, key_id, key_from from audit_head")
            ).one()
        assert report.ok and report.verified == 3, report.problem
        assert head == (3, None, None)  # unkeyed until ``db upgrade`` introduces the key
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "select h.id, h.replayed_at, i.number_last4 from handovers h "
                    "join identity_checks i on i.handover_id = h.id"
                )
            ).one()
        assert row == (1, None, "4567")
        # ``db upgrade`` then signs the chain from a new entry on; older entries stay SHA-256.
        from handover.config import Config

        audit.ensure_site_key(engine, Config())
        with UnitOfWork(engine, read_only=True) as uow:
            keyed = audit.verify(uow.session, key=sitekey.configured_key())
        assert keyed.ok and keyed.key_from == 4 and keyed.verified == 4, keyed.problem
    finally:
        engine.dispose()


def test_upgrade_from_0001_with_data_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _upgrade_from_0001_with_data(f"sqlite:///{tmp_path / 'v1.sqlite3'}")


def test_upgrade_from_0001_with_data_on_postgresql(pg_cluster: PgCluster) -> None:
    _upgrade_from_0001_with_data(pg_cluster.create_database("migration_from_0001"))


def _upgrade_from_0002_with_data(url: str) -> None:
    """A handover that carried one card override (then ``wrong_card``) keeps it as a link."""
    from datetime import datetime

    engine = make_engine(url)
    try:
        upgrade(engine, "0002")
        at = datetime(2026, 11, 24, 8, 0)
        with engine.begin() as conn:
            _one_handover(conn, at)
            conn.execute(
                text(
                    "insert into overrides (id, kind, supervisor_id, desk_id, permit_id, reason, "
                    "created_at, expires_at) values (7, 'wrong_card', 1, 1, 1, 'carte vue', "
                    ":at, :at), (8, 'window', 1, 1, null, 'file', :at, :at)"
                ),
                {"at": at},
            )
            conn.execute(text("update handovers set override_id = 7 where id = 1"))
            conn.execute(
                text(
                    "insert into previous_cards (id, handover_id, outcome, police_report_number) "
                    "values (1, 1, 'lost_or_stolen', 'PV-1')"
                )
            )
        upgrade(engine)
        assert schema_status(engine).up_to_date
        with engine.connect() as conn:
            links = conn.execute(
                text("select handover_id, override_id, kind from handover_overrides")
            ).all()
            kinds = conn.execute(
                text("select id, kind, used_at is not null from overrides order by id")
            ).all()
            report = conn.execute(
                text("select police_report_number, police_report_date from previous_cards")
            ).one()
        assert links == [(1, 7, "card")]
        assert [tuple(k) for k in kinds] == [(7, "card", True), (8, "window", False)]
        assert tuple(report) == ("PV-1", None)
    finally:
        engine.dispose()


def test_upgrade_from_0002_with_data_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    _upgrade_from_0002_with_data(f"sqlite:///{tmp_path / 'v2.sqlite3'}")


def test_upgrade_from_0002_with_data_on_postgresql(pg_cluster: PgCluster) -> None:
    _upgrade_from_0002_with_data(pg_cluster.create_database("migration_from_0002"))
