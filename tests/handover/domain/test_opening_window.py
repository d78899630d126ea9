"""Opening window: examples the prefecture would check by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from handover.domain.opening_window import (
    OpeningWindow,
    Schedule,
    ScheduleException,
    WeeklyRule,
    easter_sunday,
    format_next_opening,
)

PARIS = ZoneInfo("Europe/Paris")
DEFAULT = OpeningWindow(Schedule())

# Written by hand from the official calendar, not computed.
EASTER_SUNDAYS = {
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
    2031: date(2031, 4, 13),
    2032: date(2032, 3, 28),
    2033: date(2033, 4, 17),
    2034: date(2034, 4, 9),
    2035: date(2035, 3, 25),
}
HOLIDAYS_2025_2026 = [
    date(2025, 1, 1),
    date(2025, 4, 21),  # lundi de Pâques
    date(2025, 5, 1),
    date(2025, 5, 8),
    date(2025, 5, 29),  # Ascension
    date(2025, 6, 9),  # lundi de Pentecôte
    date(2025, 7, 14),
    date(2025, 8, 15),
    date(2025, 11, 1),
    date(2025, 11, 11),
    date(2025, 12, 25),
    date(2026, 1, 1),
    date(2026, 4, 6),
    date(2026, 5, 1),
    date(2026, 5, 8),
    date(2026, 5, 14),
    date(2026, 5, 25),
    date(2026, 7, 14),
    date(2026, 8, 15),
    date(2026, 11, 1),
    date(2026, 11, 11),
    date(2026, 12, 25),
]
FIXED_HOLIDAYS = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]


def _all_holidays_2025_2035() -> list[date]:
    days = [date(year, month, day) for year in range(2025, 2036) for month, day in FIXED_HOLIDAYS]
    for easter in EASTER_SUNDAYS.values():
        days += [easter + timedelta(days=n) for n in (1, 39, 50)]
    return days


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_open_from_nine_exactly_to_just_before_eleven() -> None:
    friday = "2025-11-28"
    assert not DEFAULT.status(paris(f"{friday}T08:59:59.999999")).is_open
    assert DEFAULT.status(paris(f"{friday}T09:00:00")).is_open
    assert DEFAULT.status(paris(f"{friday}T10:59:59.999999")).is_open
    assert not DEFAULT.status(paris(f"{friday}T11:00:00")).is_open


def test_open_status_tells_when_it_closes() -> None:
    status = DEFAULT.status(paris("2025-11-28T10:15"))
    assert status.is_open
    assert status.closes_at == utc("2025-11-28T10:00")
    assert status.next_closing == status.closes_at
    assert status.closes_at.tzinfo is UTC
    assert status.next_opening is None
    assert status.reason == ""


def test_thursday_is_closed_and_says_the_weekly_hours() -> None:
    status = DEFAULT.status(paris("2025-11-27T10:00"))
    assert not status.is_open
    assert status.reason == (
        "Guichet fermé : ouvert lundi, mardi, mercredi et vendredi de 9 h 00 à 11 h 00"
    )
    assert status.next_opening == utc("2025-11-28T08:00")
    assert status.next_closing == utc("2025-11-28T10:00")
    assert status.holiday_name is None


def test_after_closing_says_since_when_and_next_opening_skips_the_weekend() -> None:
    status = DEFAULT.status(paris("2025-11-28T11:00"))
    assert status.reason == "Guichet fermé depuis 11 h 00"
    assert status.next_opening == utc("2025-12-01T08:00")  # Monday


def test_before_opening_says_when_it_opens() -> None:
    status = DEFAULT.status(paris("2025-11-28T07:30"))
    assert status.reason == "Guichet fermé : ouverture à 9 h 00"
    assert status.next_opening == utc("2025-11-28T08:00")


def test_christmas_is_closed_with_its_name() -> None:
    status = DEFAULT.status(paris("2026-12-25T09:30"))  # a Friday
    assert not status.is_open
    assert status.reason == "Guichet fermé : jour férié (Noël)"
    assert status.holiday_name == "Noël"
    assert status.next_opening == utc("2026-12-28T08:00")


def test_easter_sunday_matches_the_calendar() -> None:
    for year, expected in EASTER_SUNDAYS.items():
        assert easter_sunday(year) == expected


@pytest.mark.parametrize("day", HOLIDAYS_2025_2026, ids=str)
def test_public_holidays_of_2025_and_2026_are_closed(day: date) -> None:
    assert DEFAULT.periods_on(day) == []
    status = DEFAULT.status(datetime.combine(day, time(9, 30), PARIS))
    assert not status.is_open
    assert status.holiday_name


def test_every_public_holiday_2025_2035_is_closed() -> None:
    for day in _all_holidays_2025_2035():
        status = DEFAULT.status(datetime.combine(day, time(10), PARIS))
        assert not status.is_open, day
        assert status.holiday_name, day


def test_ordinary_days_next_to_holidays_are_open() -> None:
    assert DEFAULT.status(paris("2026-05-26T09:30")).is_open  # Tuesday after Whit Monday
    assert DEFAULT.status(paris("2025-04-22T09:30")).is_open  # Tuesday after Easter Monday


def test_whit_monday_closed_by_default_open_when_worked() -> None:
    worked = OpeningWindow(Schedule(whit_monday_worked=True))
    for whit_monday in (date(2025, 6, 9), date(2026, 5, 25), date(2030, 6, 10)):
        at = datetime.combine(whit_monday, time(9, 30), PARIS)
        assert DEFAULT.status(at).reason == "Guichet fermé : jour férié (Lundi de Pentecôte)"
        status = worked.status(at)
        assert status.is_open
        assert status.holiday_name is None
    # Only Whit Monday is worked: Easter Monday stays closed.
    assert not worked.status(paris("2026-04-06T09:30")).is_open


def test_public_holidays_can_be_ignored() -> None:
    window = OpeningWindow(Schedule(public_holidays=False))
    status = window.status(paris("2026-12-25T09:30"))
    assert status.is_open
    assert status.holiday_name is None


@pytest.mark.parametrize(
    ("monday", "opens_utc"),
    [
        ("2026-03-23", "07:59:59"),  # winter time: 09:00 Paris = 08:00 UTC
        ("2026-03-30", "06:59:59"),  # day after the change to summer time: 07:00 UTC
        ("2026-10-19", "06:59:59"),  # summer time
        ("2026-10-26", "07:59:59"),  # day after the return to winter time
    ],
)
def test_monday_after_a_clock_change_still_opens_at_nine_local(monday: str, opens_utc: str) -> None:
    last_closed = utc(f"{monday}T{opens_utc}")
    first_open = last_closed + timedelta(seconds=1)
    assert not DEFAULT.status(last_closed).is_open
    assert DEFAULT.status(first_open).is_open
    assert DEFAULT.periods_on(date.fromisoformat(monday)) == [
        (first_open, first_open + timedelta(hours=2))
    ]
    # Asked on the Sunday of the change, the next opening is that Monday at 09:00 local.
    sunday = datetime.combine(date.fromisoformat(monday) - timedelta(days=1), time(12), PARIS)
    assert DEFAULT.status(sunday).next_opening == first_open


def test_same_instant_in_any_zone_gives_the_same_answer() -> None:
    instant = utc("2026-03-30T08:30")
    answers = {
        DEFAULT.status(instant.astimezone(ZoneInfo(name)))
        for name in ("UTC", "Europe/Paris", "Pacific/Auckland", "America/Los_Angeles")
    }
    assert len(answers) == 1


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        DEFAULT.status(datetime(2026, 3, 30, 9, 30))


def test_several_periods_a_day() -> None:
    window = OpeningWindow(
        Schedule(rules=(WeeklyRule(0, time(14), time(15)), WeeklyRule(0, time(9), time(11))))
    )
    noon = window.status(paris("2026-03-30T12:00"))
    assert not noon.is_open
    assert noon.reason == "Guichet fermé depuis 11 h 00"
    assert noon.next_opening == paris("2026-03-30T14:00")
    assert noon.next_closing == paris("2026-03-30T15:00")
    afternoon = window.status(paris("2026-03-30T14:30"))
    assert afternoon.closes_at == paris("2026-03-30T15:00")
    thursday = window.status(paris("2026-04-02T10:00"))
    assert (
        thursday.reason
        == "Guichet fermé : ouvert lundi de 9 h 00 à 11 h 00 et de 14 h 00 à 15 h 00"
    )


def test_weekly_description_groups_days_with_the_same_hours() -> None:
    window = OpeningWindow(
        Schedule(
            rules=(
                WeeklyRule(0, time(9, 30), time(15, 30)),
                WeeklyRule(1, time(9, 30), time(15, 30)),
                WeeklyRule(4, time(9), time(11)),
            )
        )
    )
    assert window.status(paris("2026-04-02T10:00")).reason == (
        "Guichet fermé : ouvert lundi et mardi de 9 h 30 à 15 h 30 ; vendredi de 9 h 00 à 11 h 00"
    )


def test_exceptional_closure_overrides_weekly_hours() -> None:
    window = OpeningWindow(
        Schedule(exceptions=(ScheduleException(date(2026, 12, 23), "closed", reason="inventaire"),))
    )
    status = window.status(paris("2026-12-23T09:30"))  # a Wednesday
    assert not status.is_open
    assert status.reason == "Guichet fermé : fermeture exceptionnelle (inventaire)"
    assert window.status(paris("2026-12-22T11:00")).next_opening == paris("2026-12-28T09:00")
    unexplained = OpeningWindow(
        Schedule(exceptions=(ScheduleException(date(2026, 12, 23), "closed"),))
    )
    assert unexplained.status(paris("2026-12-23T09:30")).reason == (
        "Guichet fermé : fermeture exceptionnelle"
    )


def test_exceptional_opening_on_a_saturday() -> None:
    saturday = date(2026, 12, 26)
    window = OpeningWindow(
        Schedule(exceptions=(ScheduleException(saturday, "open", time(9), time(10), "rattrapage"),))
    )
    assert window.status(paris("2026-12-25T12:00")).next_opening == paris("2026-12-26T09:00")
    during = window.status(paris("2026-12-26T09:59"))
    assert during.is_open
    assert during.closes_at == paris("2026-12-26T10:00")
    after = window.status(paris("2026-12-26T10:00"))
    assert after.reason == "Guichet fermé depuis 10 h 00"


def test_exceptional_opening_on_a_holiday_opens() -> None:
    christmas = date(2026, 12, 25)
    window = OpeningWindow(
        Schedule(exceptions=(ScheduleException(christmas, "open", time(10), time(12)),))
    )
    status = window.status(paris("2026-12-25T11:00"))
    assert status.is_open
    assert status.holiday_name == "Noël"
    assert not window.status(paris("2026-12-25T09:30")).is_open  # its hours, not the weekly ones


def test_exceptional_hours_replace_the_weekly_hours_of_that_day() -> None:
    window = OpeningWindow(
        Schedule(exceptions=(ScheduleException(date(2026, 3, 30), "open", time(14), time(15)),))
    )
    status = window.status(paris("2026-03-30T09:30"))
    assert not status.is_open
    assert status.reason == "Guichet fermé : ouverture à 14 h 00"
    assert window.status(paris("2026-03-30T14:00")).is_open


def test_no_hours_at_all_never_opens() -> None:
    window = OpeningWindow(Schedule(rules=()))
    status = window.status(paris("2026-03-30T09:30"))
    assert not status.is_open
    assert status.next_opening is None
    assert status.next_closing is None
    assert status.reason == "Guichet fermé : aucun horaire d'ouverture n'est configuré"
    assert format_next_opening(status, "Europe/Paris") == (
        "aucune ouverture prévue dans les 400 prochains jours"
    )


def test_format_next_opening_in_french() -> None:
    status = DEFAULT.status(paris("2025-11-26T11:30"))  # Wednesday after closing
    assert format_next_opening(status, "Europe/Paris") == "réouverture vendredi 28/11 à 9 h 00"
    assert format_next_opening(status, PARIS) == "réouverture vendredi 28/11 à 9 h 00"
    assert format_next_opening(status, UTC) == "réouverture vendredi 28/11 à 8 h 00"
    assert format_next_opening(DEFAULT.status(paris("2025-11-28T10:00")), PARIS) == (
        "ouvert jusqu'à 11 h 00"
    )


def test_periods_on_gives_utc_pairs() -> None:
    assert DEFAULT.periods_on(date(2026, 7, 15)) == [
        (utc("2026-07-15T07:00"), utc("2026-07-15T09:00"))
    ]
    assert DEFAULT.periods_on(date(2026, 7, 16)) == []  # Thursday


@pytest.mark.parametrize(
    "build",
    [
        lambda: WeeklyRule(7, time(9), time(11)),
        lambda: WeeklyRule(0, time(11), time(9)),
        lambda: WeeklyRule(0, time(9), time(9)),
        lambda: ScheduleException(date(2026, 1, 2), "closed", time(9), time(10)),
        lambda: ScheduleException(date(2026, 1, 2), "open"),
        lambda: Schedule(timezone="Europe/Pariss"),
        lambda: Schedule(
            rules=(WeeklyRule(0, time(9), time(11)), WeeklyRule(0, time(10), time(12)))
        ),
        lambda: Schedule(
            exceptions=(
                ScheduleException(date(2026, 1, 2), "closed"),
                ScheduleException(date(2026, 1, 2), "open", time(9), time(10)),
            )
        ),
    ],
)
def test_inconsistent_values_are_refused(build: object) -> None:
    assert callable(build)
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        build()


def test_holiday_on_a_day_without_hours_gives_the_weekly_hours() -> None:
    status = DEFAULT.status(paris("2026-05-14T10:00"))  # Ascension, a Thursday
    assert status.holiday_name == "Ascension"
    assert status.reason.startswith("Guichet fermé : ouvert lundi, mardi")
