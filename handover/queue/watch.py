"""Wait for a call across processes: LISTEN/NOTIFY on PostgreSQL, polling on SQLite (no Qt).

A call notifies ``NOTIFY_CHANNEL`` inside its own transaction, so a listener hears of it
only once it is committed. On SQLite (a desk and its second screen on one PC) the watcher
polls the highest call id. Either way ``wait`` answers "something may have changed": the
display then reads ``QueueService.recent_calls``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import Engine, func, select

from handover.persistence.models import QueueCall

log = logging.getLogger(__name__)
NOTIFY_CHANNEL = "handover_queue_calls"


class CallWatcher:
    """Blocks until a call may have happened: LISTEN/NOTIFY on PostgreSQL, polling on SQLite."""

    def __init__(self, engine: Engine, *, poll_s: float = 0.5) -> None:
        self.engine = engine
        self.poll_s = poll_s
        self._listening = engine.dialect.name == "postgresql"
        self._raw: Any = None  # the detached DBAPI connection that LISTENs
        self._last = -1
        try:  # from now on, no call is missed
            if self._listening:
                self._listener()
            else:
                self._last = self._last_call_id()
        except Exception:  # the database is away: the first wait tries again
            log.warning("Écoute des appels impossible pour l'instant", exc_info=True)
            self.close()

    def _last_call_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(QueueCall.id), 0))).scalar_one())

    def _listener(self) -> Any:
        if self._raw is None:
            raw = self.engine.raw_connection()
            driver = raw.driver_connection
            raw.detach()  # ours alone, never back to the pool while it listens
            assert driver is not None
            driver.rollback()
            driver.autocommit = True
            driver.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self._raw = driver
        return self._raw

    def wait(self, timeout_s: float) -> bool:
        """True if a call may have happened within ``timeout_s`` seconds (or at once after
        a lost connection: the caller re-reads, and the next wait reconnects)."""
        if self._listening:
            try:
                listener = self._listener()
                for _ in listener.notifies(timeout=timeout_s, stop_after=1):
                    return True
                return False
            except Exception:  # a lost server: report a possible change, reconnect next time
                log.warning("Écoute des appels interrompue : reconnexion", exc_info=True)
                self.close()
                time.sleep(min(timeout_s, 1.0))
                return True
        deadline = time.monotonic() + timeout_s
        if self._last < 0:
            self._last = self._last_call_id()
        while True:
            current = self._last_call_id()
            if current != self._last:
                self._last = current
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self.poll_s, left))

    def close(self) -> None:
        if self._raw is not None:
            try:
                self._raw.close()
            except Exception:  # already gone
                log.debug("Connexion d'écoute déjà fermée", exc_info=True)
            self._raw = None
