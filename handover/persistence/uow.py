"""Unit of work: one database transaction that commits whole or not at all."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from handover.errors import DatabaseUnavailable
from handover.persistence.engine import READ_ONLY, RELAXED_SYNC, TIMEOUTS, database_label
from handover.persistence.faults import DatabaseAccessDenied, DatabaseReadOnly, classify

log = logging.getLogger(__name__)


class UnitOfWork:
    """``with UnitOfWork(engine) as uow: ...; uow.commit()``; leaving without commit rolls back.

    ``read_only=True`` starts a plain (deferred) transaction on SQLite, so look-ups never wait
    for the write lock; writes use BEGIN IMMEDIATE (see persistence.engine).
    ``relaxed_sync=True`` commits without a sync of its own on SQLite (WAL,
    ``synchronous=NORMAL`` for this transaction): for the scan audit only, which a power
    cut may lose; a handover is never written so.

    A driver error met inside the block or at commit becomes a French ``DatabaseUnavailable``
    (``persistence.faults``): deleted file, corruption, disk full, read-only, lost server.
    """

    def __init__(
        self, engine: Engine, *, read_only: bool = False, relaxed_sync: bool = False
    ) -> None:
        self.engine = engine
        self.read_only = read_only
        self.relaxed_sync = relaxed_sync
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its with-block")
        return self._session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> Self:
        if self.read_only:
            bind = _engine_with(self.engine, READ_ONLY)
        elif self.relaxed_sync and self.engine.dialect.name == "sqlite":
            bind = _engine_with(self.engine, RELAXED_SYNC)
        else:
            bind = self.engine
        self._session = Session(bind=bind, expire_on_commit=False, autoflush=False)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            # close() rolls back what was not committed and detaches the objects without
            # expiring them, so values read inside the block stay readable after it.
            session.close()
        except DBAPIError:
            pass  # the connection is gone; nothing was committed
        finally:
            self._session = None
        if isinstance(exc, DBAPIError):
            fault = self.fault(exc)
            if fault is not None:
                raise fault from exc

    def commit(self) -> None:
        try:
            self._commit_session(self.session)
        except DBAPIError as exc:
            fault = self.fault(exc)
            if fault is not None:
                raise fault from exc
            raise

    def _commit_session(self, session: Session) -> None:
        """The COMMIT itself; the fault-injection seam of the tests (connection lost here)."""
        session.commit()

    def fault(self, exc: DBAPIError) -> DatabaseUnavailable | None:
        """The French error for a driver error met in this unit of work, if it is a fault."""
        lock_ms, statement_ms = self.engine.get_execution_options().get(TIMEOUTS, (0, 0))
        return classify(
            exc,
            where=database_label(self.engine),
            lock_timeout_ms=lock_ms,
            statement_timeout_ms=statement_ms,
        )


class JoinedUnitOfWork(UnitOfWork):
    """A unit of work inside another one's transaction: entering and leaving change nothing.

    For a use case that takes a unit of work, called from within an open one (one
    transaction instead of two, and the same snapshot).
    """

    def __init__(self, outer: UnitOfWork) -> None:
        super().__init__(outer.engine, read_only=outer.read_only)
        self._outer = outer

    def __enter__(self) -> Self:
        self._session = self._outer.session
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._session = None

    def commit(self) -> None:
        raise RuntimeError("a joined unit of work commits with the one it joined")


def _engine_with(engine: Engine, option: str) -> Engine:
    # execution_options() builds a new engine proxy at each call: keep one per engine.
    key = f"_proxy_{option}"
    cached = engine.__dict__.get(key)
    if cached is None:
        cached = engine.execution_options(**{option: True})
        engine.__dict__[key] = cached
    assert isinstance(cached, Engine)
    return cached


def make_durable(engine: Engine) -> None:
    """Make every commit so far durable, before the audit head leaves the database.

    Scan audit entries may be committed without a sync of their own (``relaxed_sync``);
    whatever exports the chain head (closing sheet, ``audit verify``) calls this first: on
    SQLite a one-row write committed with ``synchronous=FULL`` syncs the WAL, and with it
    every transaction before it. PostgreSQL commits are durable already.
    """
    if engine.dialect.name != "sqlite":
        return
    try:
        with UnitOfWork(engine) as uow:
            uow.session.execute(text("UPDATE audit_head SET last_id = last_id WHERE id = 1"))
            uow.commit()
    except (DatabaseReadOnly, DatabaseAccessDenied):
        # Nothing can be written here (a read-only copy): nothing to make durable either.
        log.warning("Base en lecture seule : pas d'écriture de synchronisation avant export")
