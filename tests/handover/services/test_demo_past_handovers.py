"""Demo data's past handovers fall inside an opening period, whatever the hour of seeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handover.config import Config
from handover.domain.opening_window import OpeningWindow
from handover.services.demo import _last_closed_period


@pytest.mark.parametrize(
    ("now", "expected_start"),
    [
        # Wednesday 2 Dec 2026, 10:30 Paris: the counter is open now; Tuesday's period is used.
        (datetime(2026, 12, 2, 9, 30, tzinfo=UTC), datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
        # Wednesday 11:30 Paris: that morning's period has closed.
        (datetime(2026, 12, 2, 10, 30, tzinfo=UTC), datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        # Thursday 8:00 (no counter on Thursdays): Wednesday's.
        (datetime(2026, 12, 3, 7, 0, tzinfo=UTC), datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_last_period_that_closed_before_now(now: datetime, expected_start: datetime) -> None:
    window = OpeningWindow(Config().schedule)
    period = _last_closed_period(window, now)
    assert period is not None
    start, end = period
    assert (start, end) == (expected_start, expected_start + timedelta(hours=2))
    assert end <= now
    for minute in (1, 60, 119):  # handovers are spread inside it: open all along
        assert window.status(start + timedelta(minutes=minute)).is_open
