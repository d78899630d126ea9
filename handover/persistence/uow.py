"""Unit of work: one database transaction that commits whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from handover.errors import DatabaseUnavailable
from handover.persistence.engine import READ_ONLY

LOST = (
    "La base de données ne répond plus ({detail}). Rien n'a été enregistré. Vérifiez le réseau "
    "ou le serveur, puis recommencez ; si le problème persiste, appelez l'assistance."
)


class UnitOfWork:
    """``with UnitOfWork(engine) as uow: ...; uow.commit()``; leaving without commit rolls back.

    ``read_only=True`` starts a plain (deferred) transaction on SQLite, so look-ups never wait
    for the write lock; writes use BEGIN IMMEDIATE (see persistence.engine).
    """

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only
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
        bind = _read_only_engine(self.engine) if self.read_only else self.engine
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
        if isinstance(exc, OperationalError) and is_connection_error(exc):
            raise DatabaseUnavailable(LOST.format(detail=_short(exc))) from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except OperationalError as exc:
            if is_connection_error(exc):
                raise DatabaseUnavailable(LOST.format(detail=_short(exc))) from exc
            raise


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


def _read_only_engine(engine: Engine) -> Engine:
    # execution_options() builds a new engine proxy at each call: keep one per engine.
    cached = engine.__dict__.get(_READ_ONLY_PROXY)
    if cached is None:
        cached = engine.execution_options(**{READ_ONLY: True})
        engine.__dict__[_READ_ONLY_PROXY] = cached
    assert isinstance(cached, Engine)
    return cached


_READ_ONLY_PROXY = "_handover_read_only_proxy"


def is_connection_error(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    return any(
        s in text
        for s in (
            "connection",
            "server closed",
            "terminating",
            "disk i/o",
            "unable to open",
            "readonly",
            "read-only",
            "no such table",
            "database is locked",
        )
    )


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn a lost connection met outside a unit of work into DatabaseUnavailable."""
    try:
        yield
    except OperationalError as exc:
        raise DatabaseUnavailable(LOST.format(detail=_short(exc))) from exc
