"""``handover db upgrade`` on PostgreSQL dumps the database with pg_dump before migrating."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from handover.cli import main
from handover.config import Config
from handover.persistence.db import alembic_config, upgrade
from handover.persistence.engine import make_engine
from handover.services.demo import seed_demo
from tests.support.pgcluster import PgCluster

pytestmark = pytest.mark.postgres


def test_an_upgrade_on_postgresql_is_preceded_by_a_restorable_dump(
    pg_cluster: PgCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    name, copy = f"avant{os.getpid()}", f"restauree{os.getpid()}"
    url = pg_cluster.create_database(name)
    try:
        engine = make_engine(url)
        upgrade(engine)
        seed_demo(engine, Config(), permits=12, seed=1)
        with engine.begin() as conn:  # back to an older schema: the upgrade has work to do
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        engine.dispose()
        monkeypatch.setenv("HANDOVER_DB_URL", url)

        assert main(["db", "upgrade"]) == 0
        out = capsys.readouterr().out
        assert "Base mise à jour : 0002 → " in out
        dumps = list((tmp_path / "donnees" / "sauvegardes").glob("*.dump"))
        assert [d.name.startswith("guichet-avant-migration-0002-") for d in dumps] == [True]
        assert str(dumps[0]) in out
        assert not list(dumps[0].parent.glob("*.part"))

        # The dump is the database as it was: restored elsewhere, still at 0002, all there.
        restored = pg_cluster.create_database(copy)
        target = make_engine(restored)
        try:
            libpq = restored.replace("postgresql+psycopg://", "postgresql://")
            subprocess.run(
                [str(pg_cluster.bin / "pg_restore"), "--no-owner", f"--dbname={libpq}", *dumps],
                check=True,
                capture_output=True,
            )
            with target.connect() as conn:
                version = conn.execute(text("select version_num from alembic_version"))
                assert version.scalar_one() == "0002"
                assert conn.execute(text("select count(*) from permits")).scalar_one() == 12
        finally:
            target.dispose()
            pg_cluster.drop_database(copy)
    finally:
        pg_cluster.drop_database(name)


def test_without_pg_dump_the_database_is_not_migrated(
    pg_cluster: PgCluster, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    name = f"sanspgdump{os.getpid()}"
    url = pg_cluster.create_database(name)
    try:
        engine = make_engine(url)
        upgrade(engine, "0002")
        monkeypatch.setenv("HANDOVER_DB_URL", url)
        monkeypatch.setattr("handover.backoffice.backup.find_pg_dump", lambda: None)
        assert main(["db", "upgrade"]) != 0
        assert "pg_dump est introuvable" in capsys.readouterr().err
        with engine.connect() as conn:
            assert conn.execute(text("select version_num from alembic_version")).scalar() == "0002"
        assert main(["db", "upgrade", "--no-backup"]) == 0  # backed up by other means
        assert "--no-backup" in capsys.readouterr().out
        engine.dispose()
    finally:
        pg_cluster.drop_database(name)
