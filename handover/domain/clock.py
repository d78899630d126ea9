"""Where the time comes from: a small interface with a system clock and a fake for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Gives the current instant as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """This machine's clock. With a shared database, prefer the database server's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until told to move; for tests and screenshots."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta
