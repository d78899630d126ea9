"""Wait for a call across processes: LISTEN/NOTIFY on PostgreSQL, polling on SQLite (no Qt)."""

from __future__ import annotations

from sqlalchemy import Engine


class CallWatcher:
    """Blocks until a call may have happened: LISTEN/NOTIFY on PostgreSQL, polling on SQLite."""

    def __init__(self, engine: Engine, *, poll_s: float = 0.5) -> None:
        self.engine = engine
        self.poll_s = poll_s

    def wait(self, timeout_s: float) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        pass
