"""The demo's handovers fall inside a past opening period, whatever the time the demo is made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handover.config import Config
from handover.domain.opening_window import OpeningWindow
from handover.services.demo import _past_opening

NEEDED = timedelta(minutes=3 * 25)  # 25 handovers, three minutes apart


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 2, 9, 5, tzinfo=UTC),  # Wednesday 10:05 in Paris: open, Tuesday was
        datetime(2026, 12, 2, 7, 0, tzinfo=UTC),  # before opening
        datetime(2026, 12, 5, 15, 0, tzinfo=UTC),  # Saturday afternoon
        datetime(2026, 12, 7, 8, 30, tzinfo=UTC),  # Monday 9:30, after a closed weekend
    ],
)
def test_every_demo_handover_instant_is_open_and_past(now: datetime) -> None:
    window = OpeningWindow(Config().schedule)
    start = _past_opening(window, now, NEEDED)
    for k in range(25):
        at = start + timedelta(minutes=3 * k)
        assert at < now
        assert window.status(at).is_open, at
