"""The display hears of a call made by another connection (NOTIFY on PostgreSQL, polling)."""

from __future__ import annotations

import time

from handover.persistence.engine import make_engine
from handover.persistence.models import PermitState
from handover.queue.watch import CallWatcher
from tests.handover.queue.helpers import make_queue, permits_in, sms


def test_the_watcher_wakes_on_a_call_and_not_without_one(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    for p in permits_in(engine, PermitState.NOTIFIED, 2):
        env.queue.issue(sms(p), env.door)
    display_engine = make_engine(db_url)  # the display's own connections
    watcher = CallWatcher(display_engine, poll_s=0.05)
    try:
        assert watcher.wait(0.3) is False  # tickets issued, nobody called
        env.queue.call_next("Guichet 1", env.agent)
        started = time.monotonic()
        assert watcher.wait(5.0) is True
        assert time.monotonic() - started < 2.0
        assert watcher.wait(0.3) is False
    finally:
        watcher.close()
        display_engine.dispose()
