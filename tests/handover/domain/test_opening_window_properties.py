"""Opening window against a plain wall-clock oracle, on random instants of 2025–2035."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.domain.opening_window import OpeningWindow, Schedule, WeeklyRule

PARIS = ZoneInfo("Europe/Paris")
ONE_MICROSECOND = timedelta(microseconds=1)
# The oracle takes holidays straight from the package, in local calendar days.
FRENCH_HOLIDAYS = set(holidays.country_holidays("FR", years=range(2024, 2038)))

WeeklyHours = dict[int, list[tuple[time, time]]]

SCHEDULES: dict[str, WeeklyHours] = {
    "counter": {d: [(time(9), time(11))] for d in (0, 1, 2, 4)},
    "two_periods": {
        0: [(time(9), time(11)), (time(14), time(15, 30))],
        3: [(time(9, 30), time(15, 30))],
        5: [(time(8, 15), time(8, 45))],
    },
}
WINDOWS = {
    name: OpeningWindow(
        Schedule(
            rules=tuple(
                WeeklyRule(weekday, start, end)
                for weekday, ranges in hours.items()
                for start, end in ranges
            )
        )
    )
    for name, hours in SCHEDULES.items()
}


def local_range(hours: WeeklyHours, at: datetime) -> tuple[time, time] | None:
    """The weekly range holding ``at`` in Paris wall-clock time, ignoring holidays."""
    local = at.astimezone(PARIS)
    for start, end in hours.get(local.weekday(), []):
        if start <= local.time() < end:
            return start, end
    return None


def oracle_open(hours: WeeklyHours, at: datetime) -> bool:
    if at.astimezone(PARIS).date() in FRENCH_HOLIDAYS:
        return False
    return local_range(hours, at) is not None


def openings_between(hours: WeeklyHours, after: datetime, before: datetime) -> list[datetime]:
    """Opening instants strictly between two instants, by walking the local calendar."""
    found = []
    day = after.astimezone(PARIS).date()
    while day <= before.astimezone(PARIS).date():
        if day not in FRENCH_HOLIDAYS:
            for start, _end in hours.get(day.weekday(), []):
                opening = datetime.combine(day, start, PARIS)
                if after < opening < before:
                    found.append(opening)
        day += timedelta(days=1)
    return found


any_instant = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2035, 12, 31, 23, 59, 59),
    timezones=st.sampled_from(
        [UTC, PARIS, ZoneInfo("Pacific/Auckland"), ZoneInfo("America/New_York")]
    ),
)
# Instants right at the edges of periods, where off-by-one mistakes live.
edge_instant = st.builds(
    lambda day, clock, shift: datetime.combine(day, clock, PARIS) + shift,
    st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31)),
    st.sampled_from([time(8, 15), time(8, 45), time(9), time(9, 30), time(11), time(14)]),
    st.sampled_from([timedelta(0), -ONE_MICROSECOND, ONE_MICROSECOND, timedelta(minutes=-1)]),
)
instants = st.one_of(any_instant, edge_instant)


@pytest.mark.parametrize("name", sorted(SCHEDULES))
@settings(max_examples=400, deadline=None)
@given(at=instants)
def test_status_agrees_with_the_wall_clock_oracle(name: str, at: datetime) -> None:
    hours, window = SCHEDULES[name], WINDOWS[name]
    status = window.status(at)

    assert status.is_open == oracle_open(hours, at)
    if status.is_open:
        current = local_range(hours, at)
        assert current is not None
        local_day = at.astimezone(PARIS).date()
        assert status.closes_at == datetime.combine(local_day, current[1], PARIS)
        assert status.closes_at is not None
        assert status.closes_at.tzinfo is UTC
        assert status.next_closing == status.closes_at
        assert status.next_opening is None
        return

    assert status.reason.startswith("Guichet fermé")
    opening = status.next_opening
    assert opening is not None  # both schedules open every week
    assert opening.tzinfo is UTC
    assert opening > at
    assert oracle_open(hours, opening)
    assert not oracle_open(hours, opening - ONE_MICROSECOND)
    assert openings_between(hours, at, opening) == []
    period = local_range(hours, opening)
    assert period is not None
    assert status.next_closing == datetime.combine(
        opening.astimezone(PARIS).date(), period[1], PARIS
    )
