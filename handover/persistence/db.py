"""Open the configured database, bring its schema to head with Alembic, say what it is."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from handover.errors import DatabaseUnavailable
from handover.persistence.engine import describe_engine, make_engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        return revision


def upgrade(engine: Engine, revision: str = "head") -> None:
    # Alembic's INFO lines (plugins, context) drown the start-up log; keep its warnings.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_status(engine: Engine) -> SchemaStatus:
    return SchemaStatus(current_revision(engine), head_revision())


def open_database(url: str, *, busy_timeout_ms: int = 30000, migrate: bool = True) -> Engine:
    """An engine on ``url`` whose schema is at head (migrating it if asked)."""
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        if migrate and not schema_status(engine).up_to_date:
            log.info("Mise à jour du schéma de la base vers %s", head_revision())
            upgrade(engine)
        log.info("Base de données : %s", describe_engine(engine))
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseUnavailable(
            f"Impossible d'ouvrir la base de données ({exc.orig}). Vérifiez l'adresse "
            "HANDOVER_DB_URL, que le serveur est démarré et que le réseau répond."
        ) from exc
    return engine
