"""Engine set-up for SQLite (one desk) and PostgreSQL (several desks sharing a database)."""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from handover.errors import ConfigError
from handover.persistence.faults import DatabaseVanished

log = logging.getLogger(__name__)

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "9p",
        "afs",
        "ncpfs",
        "glusterfs",
        "ceph",
        "fuse.glusterfs",
        "davfs",
        "fuse.davfs2",
        "lustre",
    }
)
READ_ONLY = "handover_read_only"
# A write transaction committed without its own sync (SQLite WAL, synchronous=NORMAL): a
# power cut may lose it, never corrupt the file; the next FULL commit syncs it too.
RELAXED_SYNC = "handover_relaxed_sync"
TIMEOUTS = "handover_pg_timeouts"


def _mount_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """File-system type of the mount that holds ``path`` (Linux); None when unknown."""
    try:
        lines = mounts_file.read_text().splitlines()
    except OSError:
        return None
    best: tuple[int, str] | None = None
    target = str(path.resolve())
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return best[1] if best else None


def check_local_path(db_path: Path, mounts_file: Path = Path("/proc/mounts")) -> None:
    """Refuse a SQLite file on a network file system: its locking is not reliable there."""
    fs = _mount_type(db_path.parent, mounts_file)
    if fs in NETWORK_FILESYSTEMS or (os.name == "nt" and str(db_path).startswith("\\\\")):
        raise ConfigError(
            f"La base SQLite {db_path} est sur un partage réseau ({fs or 'UNC'}). SQLite n'y "
            "garantit pas l'intégrité des données. Placez la base sur un disque local, ou "
            "utilisez PostgreSQL pour partager une base entre guichets (HANDOVER_DB_URL)."
        )


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 30000,
    check_path: bool = True,
    create: bool = True,
    lock_timeout_ms: int = 0,
    statement_timeout_ms: int = 0,
) -> Engine:
    """An engine with the settings this application relies on, for SQLite or PostgreSQL.

    ``create=False`` opens an existing SQLite file only (``mode=rw``): a deleted or mistyped
    file is never silently replaced by an empty one. ``lock_timeout_ms`` and
    ``statement_timeout_ms`` (PostgreSQL, 0 = none) bound how long a statement waits.
    SQL parameters (holders' personal data) never appear in exception texts.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"Impossible de créer le dossier de la base {path.parent} ({exc.strerror}). "
                    "Vérifiez le chemin de HANDOVER_DB_URL et les droits sur ce dossier."
                ) from exc
            if check_path:
                check_local_path(path)
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000},
            pool_pre_ping=False,
            hide_parameters=True,
        )
        _configure_sqlite(engine, busy_timeout_ms, path, create=create)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # Set at connection time (no round trip): a desk never waits for ever on a lock held
        # by another session, nor on a runaway statement.
        options = " ".join(
            f"-c {name}={int(ms)}"
            for name, ms in (
                ("lock_timeout", lock_timeout_ms),
                ("statement_timeout", statement_timeout_ms),
            )
            if ms
        )
        # No ping before each checkout (a round trip per transaction): a connection that
        # died with the server fails its transaction, which UnitOfWork reports as
        # DatabaseUnavailable, and SQLAlchemy then discards the pool, so the next call
        # connects anew.
        return create_engine(
            parsed,
            pool_pre_ping=False,
            pool_size=5,
            max_overflow=5,
            hide_parameters=True,
            connect_args={"options": options} if options else {},
            # Read back by the unit of work, to say which limit was hit.
            execution_options={TIMEOUTS: (lock_timeout_ms, statement_timeout_ms)},
        )
    raise ConfigError(
        f"Base de données non prise en charge : {backend}. Utilisez sqlite:///chemin ou "
        "postgresql+psycopg://utilisateur@hôte/base."
    )


def database_label(engine: Engine) -> str:
    """How messages name the database: the SQLite file's path, or the PostgreSQL server."""
    if engine.dialect.name == "sqlite":
        return str(engine.url.database or "(mémoire)")
    return f"PostgreSQL {engine.url.host or 'local'}/{engine.url.database}"


class _FileIdentity:
    """The SQLite file an engine opened, to notice it deleted or replaced under it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.key: tuple[int, int] | None = None

    def remember(self) -> None:
        if self.key is None:
            with contextlib.suppress(OSError):
                st = os.stat(self.path)
                self.key = (st.st_dev, st.st_ino)

    def check(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseVanished(self.path) from None
        if self.key is not None and (st.st_dev, st.st_ino) != self.key:
            raise DatabaseVanished(self.path)


def _configure_sqlite(
    engine: Engine, busy_timeout_ms: int, path: Path | None, *, create: bool
) -> None:
    watch = _FileIdentity(path) if path is not None else None

    if path is not None and not create:

        @event.listens_for(engine, "do_connect")
        def _open_existing_only(
            _dialect: Any, _rec: Any, cargs: list[Any], cparams: dict[str, Any]
        ) -> None:
            # SQLite URI ``mode=rw``: opening a missing file fails instead of creating it.
            cargs[0] = f"file:{quote(str(path.resolve()))}?mode=rw"
            cparams["uri"] = True

    # SQLAlchemy's documented recipe: let SQLAlchemy emit BEGIN itself, so that writes start
    # with BEGIN IMMEDIATE (the write lock is taken up front, no upgrade deadlock later).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()
        if watch is not None:
            watch.remember()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if watch is not None:
            # One stat per transaction: a deleted file is seen at the next unit of work
            # (SQLite itself would go on reading the unlinked file).
            watch.check()
        options = conn.get_execution_options()
        if options.get(READ_ONLY, False):
            conn.exec_driver_sql("BEGIN")
            return
        # synchronous is read at COMMIT: each write transaction sets the level it needs.
        relaxed = options.get(RELAXED_SYNC, False)
        info = conn.connection.info
        if info.get(RELAXED_SYNC, False) != relaxed:
            conn.exec_driver_sql(f"PRAGMA synchronous = {'NORMAL' if relaxed else 'FULL'}")
            info[RELAXED_SYNC] = relaxed
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def describe_engine(engine: Engine) -> str:
    """One line for the start-up log: backend, version and durability settings."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            version = conn.exec_driver_sql("select sqlite_version()").scalar()
            journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
                int(conn.exec_driver_sql("PRAGMA synchronous").scalar() or 0)
            )
            fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            conn.rollback()
            return (
                f"SQLite {version}, journal_mode={journal}, synchronous={sync}, "
                f"foreign_keys={'ON' if fks else 'OFF'}, fichier {engine.url.database}"
            )
        version = conn.execute(text("show server_version")).scalar()
        conn.rollback()
        return f"PostgreSQL {version} sur {engine.url.host}:{engine.url.port or 5432}"


def server_now(session: Session) -> datetime:
    """The time that decides: the database server's clock with PostgreSQL.

    With SQLite the database lives on this machine, so its clock is the desk's clock.
    """
    if session.get_bind().dialect.name == "postgresql":
        value = session.execute(text("select statement_timestamp()")).scalar_one()
        assert isinstance(value, datetime)
        return value.astimezone(UTC)
    return datetime.now(UTC)
