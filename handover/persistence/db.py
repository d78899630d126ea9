"""Open the configured database, bring its schema to head with Alembic, say what it is."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from handover.errors import DatabaseUnavailable
from handover.persistence.engine import database_label, describe_engine, make_engine, sqlite_path
from handover.persistence.faults import (
    DatabaseCorrupted,
    DatabaseMissing,
    classify,
    short,
)

if TYPE_CHECKING:
    from handover.config import Config

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
        if engine.dialect.name == "postgresql":
            # A migration may take longer than a desk's statement time limit.
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
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


# Above this size the start-up check reads the file's header and page count only (a full
# ``quick_check`` of a 1,000,000-permit file takes seconds); a damaged page is then reported
# at the first unit of work that reads it (``persistence.faults``).
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"


def open_database(
    url: str,
    *,
    busy_timeout_ms: int = 30000,
    migrate: bool = True,
    create: bool = False,
    lock_timeout_ms: int = 0,
    statement_timeout_ms: int = 0,
) -> Engine:
    """An engine on ``url`` whose schema is at head (migrating it if asked).

    Only ``create=True`` (``handover db upgrade``) makes a new database: otherwise a missing
    SQLite file, or a database without the schema, is refused with the command to run. A
    damaged SQLite file is refused with a French message (``DatabaseCorrupted``).
    """
    path = sqlite_path(url)
    if path is not None and not create and not _has_content(path):
        raise DatabaseMissing(path)
    engine = make_engine(
        url,
        busy_timeout_ms=busy_timeout_ms,
        create=create,
        lock_timeout_ms=lock_timeout_ms,
        statement_timeout_ms=statement_timeout_ms,
    )
    try:
        if path is not None and path.exists():
            check_sqlite_file(engine, path)
        status = schema_status(engine)
        if status.current is None and not create:
            raise NotSetUp(database_label(engine))
        if migrate and not status.up_to_date:
            log.info("Mise à jour du schéma de la base vers %s", head_revision())
            upgrade(engine)
        log.info("Base de données : %s", describe_engine(engine))
    except DBAPIError as exc:
        engine.dispose()
        fault = classify(exc, where=database_label(engine))
        if fault is not None and type(fault) is not DatabaseUnavailable:
            raise fault from exc  # a precise fault: damaged, read-only, disk full…
        raise DatabaseUnavailable(
            f"Impossible d'ouvrir la base de données ({short(exc)}). Vérifiez l'adresse "
            "HANDOVER_DB_URL, que le serveur est démarré et que le réseau répond."
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def open_configured(
    config: Config, *, backoffice: bool = False, migrate: bool = True, create: bool = False
) -> Engine:
    """``open_database`` with the configuration's settings: the counter's PostgreSQL time
    limits, or the back office's (imports, reports, command line) with ``backoffice``.
    """
    db = config.database
    return open_database(
        config.database_url,
        busy_timeout_ms=db.busy_timeout_ms,
        migrate=migrate,
        create=create,
        lock_timeout_ms=db.backoffice_lock_timeout_ms if backoffice else db.lock_timeout_ms,
        statement_timeout_ms=(
            db.backoffice_statement_timeout_ms if backoffice else db.statement_timeout_ms
        ),
    )


class NotSetUp(DatabaseUnavailable):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"La base de données {where} ne contient pas les tables du programme. Première "
            "installation : lancez « handover db upgrade »."
        )


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unreadable: opening it says why (permissions)


def check_sqlite_file(engine: Engine, path: Path) -> None:
    """Refuse a damaged SQLite file at start, quickly (``DatabaseCorrupted``).

    Small files get ``PRAGMA quick_check``; larger ones a check of the header and of the
    file's length against the page count (truncated copies), in microseconds.
    """
    with engine.connect() as conn:
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            problems = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check(5)")]
            conn.rollback()
            if problems != ["ok"]:
                raise DatabaseCorrupted(str(path), "; ".join(problems)[:300])
            return
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        page_size = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
        conn.rollback()
    with path.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseCorrupted(str(path), "en-tête de fichier SQLite absent")
    if path.stat().st_size < pages * page_size:
        raise DatabaseCorrupted(str(path), "fichier tronqué")


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    problems: tuple[str, ...]


def integrity_check(engine: Engine, *, limit: int = 20) -> IntegrityReport:
    """SQLite's full ``integrity_check`` (PostgreSQL: nothing to check here, reported ok)."""
    if engine.dialect.name != "sqlite":
        return IntegrityReport(True, ())
    with engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA integrity_check({int(limit)})")]
        conn.rollback()
    return IntegrityReport(rows == ["ok"], () if rows == ["ok"] else tuple(rows))
