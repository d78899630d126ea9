"""When the counter is open: weekly hours, French public holidays and exceptional days.

Hours are local wall-clock times of the schedule's time zone; every instant that comes in
or goes out is an aware datetime, and answers never depend on the process's own time zone.
Periods are half-open: open at the start instant, closed at the end instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from handover.errors import ConfigError

WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# How far ahead ``next_opening`` looks; a schedule with nothing within it has none.
SEARCH_DAYS = 400

_RANGE_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_RANGE_EXPECTED = 'attendu une plage "HH:MM-HH:MM"'


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            'attendu un fuseau horaire de la base IANA, par exemple "Europe/Paris"'
        ) from exc


def _check_range(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("attendu des heures locales, sans fuseau")
    if start >= end:
        raise ValueError("l'heure de début doit précéder l'heure de fin")


def _first_overlap(ranges: Sequence[tuple[time, time]]) -> tuple[int, int] | None:
    """Indices of two ranges that overlap or touch, if any.

    Touching ranges are refused too: 09:00-11:00 and 11:00-12:00 would report a closing
    at 11:00 that never happens; write 09:00-12:00.
    """
    for i, (start_i, end_i) in enumerate(ranges):
        for j in range(i + 1, len(ranges)):
            start_j, end_j = ranges[j]
            if start_i <= end_j and start_j <= end_i:
                return i, j
    return None


def _hm(t: time) -> str:
    return f"{t.hour} h {t.minute:02d}"


def _range_text(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def _join_fr(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


@dataclass(frozen=True)
class WeeklyRule:
    """The counter opens every ``weekday`` (0 = Monday) from ``start`` to ``end``."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("attendu un jour de semaine entre 0 (lundi) et 6 (dimanche)")
        _check_range(self.start, self.end)


@dataclass(frozen=True)
class ScheduleException:
    """One exceptional day: closed all day, or open from ``start`` to ``end``.

    An exceptional opening with several periods is several exceptions for the same day.
    Exceptions replace the weekly hours and the public holiday of their day.
    """

    day: date
    kind: Literal["closed", "open"]
    start: time | None = None
    end: time | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.kind == "closed":
            if self.start is not None or self.end is not None:
                raise ValueError("une fermeture exceptionnelle n'a pas d'heures")
        elif self.kind == "open":
            if self.start is None or self.end is None:
                raise ValueError("une ouverture exceptionnelle a une heure de début et de fin")
            _check_range(self.start, self.end)
        else:
            raise ValueError('attendu le genre "closed" ou "open"')


DEFAULT_RULES: tuple[WeeklyRule, ...] = tuple(
    WeeklyRule(weekday, time(9), time(11)) for weekday in (0, 1, 2, 4)
)


@dataclass(frozen=True)
class Schedule:
    """A counter's opening hours, as configured."""

    timezone: str = "Europe/Paris"
    rules: tuple[WeeklyRule, ...] = DEFAULT_RULES
    public_holidays: bool = True
    whit_monday_worked: bool = False
    exceptions: tuple[ScheduleException, ...] = ()

    def __post_init__(self) -> None:
        _zone(self.timezone)
        for weekday in range(7):
            ranges = [(r.start, r.end) for r in self.rules if r.weekday == weekday]
            if _first_overlap(ranges) is not None:
                raise ValueError(f"des plages du {WEEKDAY_NAMES_FR[weekday]} se chevauchent")
        by_day: dict[date, list[ScheduleException]] = {}
        for exception in self.exceptions:
            by_day.setdefault(exception.day, []).append(exception)
        for day, same_day in by_day.items():
            if len(same_day) > 1 and any(e.kind == "closed" for e in same_day):
                raise ValueError(f"le {day:%d/%m/%Y} est à la fois fermé et ouvert")
            ranges = [
                (e.start, e.end) for e in same_day if e.start is not None and e.end is not None
            ]
            if _first_overlap(ranges) is not None:
                raise ValueError(f"des plages du {day:%d/%m/%Y} se chevauchent")

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, source: str, section: str = "schedule"
    ) -> Schedule:
        """Read a ``[schedule]`` table as parsed by ``tomllib``; ``source`` names the file.

        A missing key keeps its default; a ``weekly`` table replaces the default hours
        entirely (a day it does not list is closed).
        """
        return _Parser(source).schedule(data, section)

    def to_mapping(self) -> dict[str, Any]:
        """The schedule as a ``[schedule]`` table that ``from_mapping`` reads back."""
        weekly: dict[str, list[str]] = {}
        for rule in sorted(self.rules, key=lambda r: (r.weekday, r.start)):
            weekly.setdefault(WEEKDAY_KEYS[rule.weekday], []).append(
                _range_text(rule.start, rule.end)
            )
        exceptions: dict[date, dict[str, Any]] = {}
        for exception in sorted(self.exceptions, key=lambda e: (e.day, e.start or time())):
            entry = exceptions.setdefault(exception.day, {"date": exception.day.isoformat()})
            if exception.kind == "closed":
                entry["closed"] = True
            elif exception.start is not None and exception.end is not None:
                entry.setdefault("hours", []).append(_range_text(exception.start, exception.end))
            if exception.reason:
                entry["reason"] = exception.reason
        return {
            "timezone": self.timezone,
            "public_holidays": self.public_holidays,
            "whit_monday_worked": self.whit_monday_worked,
            "weekly": weekly,
            "exceptions": list(exceptions.values()),
        }


def _show(value: object) -> str:
    """A configuration value written the way the administrator typed it in TOML."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


class _Parser:
    """Turns a TOML table into a ``Schedule``, naming the key and file of any bad value."""

    def __init__(self, source: str) -> None:
        self._source = source

    def _bad(self, key: str, value: object, expected: str) -> ConfigError:
        return ConfigError(f"Dans {self._source}, la clé {key} vaut {_show(value)} : {expected}.")

    def _unknown(self, data: Mapping[str, Any], key: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for name in data:
            if name not in allowed:
                raise ConfigError(
                    f"Dans {self._source}, la clé {key}.{name} est inconnue : "
                    f"clés possibles : {', '.join(allowed)}."
                )

    def _table(self, value: object, key: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self._bad(key, value, "attendu une table")
        return value

    def _bool(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            raise self._bad(key, value, "attendu true ou false")
        return value

    def _ranges(self, value: object, key: str) -> list[tuple[time, time]]:
        if not isinstance(value, list):
            raise self._bad(key, value, 'attendu une liste de plages, par exemple ["09:00-11:00"]')
        ranges: list[tuple[time, time]] = []
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            match = _RANGE_RE.match(item) if isinstance(item, str) else None
            if match is None:
                raise self._bad(item_key, item, _RANGE_EXPECTED)
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
                raise self._bad(item_key, item, f"{_RANGE_EXPECTED} avec des heures valides")
            start, end = time(h1, m1), time(h2, m2)
            try:
                _check_range(start, end)
            except ValueError as exc:
                raise self._bad(item_key, item, str(exc)) from None
            ranges.append((start, end))
        overlap = _first_overlap(ranges)
        if overlap is not None:
            i, j = overlap
            raise self._bad(
                key,
                value,
                f"les plages {key}[{i}] et {key}[{j}] se chevauchent ou se touchent : "
                "fusionnez-les en une seule",
            )
        return ranges

    def schedule(self, data: Mapping[str, Any], key: str) -> Schedule:
        data = self._table(data, key)
        self._unknown(
            data,
            key,
            ("timezone", "public_holidays", "whit_monday_worked", "weekly", "exceptions"),
        )
        defaults = Schedule()
        timezone = data.get("timezone", defaults.timezone)
        try:
            if not isinstance(timezone, str):
                raise ValueError('attendu un nom de fuseau horaire, par exemple "Europe/Paris"')
            _zone(timezone)
        except ValueError as exc:
            raise self._bad(f"{key}.timezone", timezone, str(exc)) from None
        public_holidays = self._bool(
            data.get("public_holidays", defaults.public_holidays), f"{key}.public_holidays"
        )
        whit_monday_worked = self._bool(
            data.get("whit_monday_worked", defaults.whit_monday_worked),
            f"{key}.whit_monday_worked",
        )
        rules = defaults.rules
        if "weekly" in data:
            rules = self._weekly(data["weekly"], f"{key}.weekly")
        exceptions: tuple[ScheduleException, ...] = ()
        if "exceptions" in data:
            exceptions = self._exceptions(data["exceptions"], f"{key}.exceptions")
        return Schedule(
            timezone=timezone,
            rules=rules,
            public_holidays=public_holidays,
            whit_monday_worked=whit_monday_worked,
            exceptions=exceptions,
        )

    def _weekly(self, value: object, key: str) -> tuple[WeeklyRule, ...]:
        weekly = self._table(value, key)
        self._unknown(weekly, key, WEEKDAY_KEYS)
        return tuple(
            WeeklyRule(weekday, start, end)
            for weekday, name in enumerate(WEEKDAY_KEYS)
            if name in weekly
            for start, end in sorted(self._ranges(weekly[name], f"{key}.{name}"))
        )

    def _exceptions(self, value: object, key: str) -> tuple[ScheduleException, ...]:
        if not isinstance(value, list):
            raise self._bad(key, value, "attendu une liste de tables [[schedule.exceptions]]")
        exceptions: list[ScheduleException] = []
        seen: set[date] = set()
        for index, item in enumerate(value):
            item_key = f"{key}[{index}]"
            entry = self._table(item, item_key)
            self._unknown(entry, item_key, ("date", "closed", "hours", "reason"))
            day = self._date(entry.get("date"), f"{item_key}.date")
            if day in seen:
                raise self._bad(
                    f"{item_key}.date", entry["date"], "cette date a déjà une exception plus haut"
                )
            seen.add(day)
            reason = entry.get("reason", "")
            if not isinstance(reason, str):
                raise self._bad(f"{item_key}.reason", reason, "attendu un texte entre guillemets")
            closed = self._bool(entry.get("closed", False), f"{item_key}.closed")
            if closed == ("hours" in entry):
                raise ConfigError(
                    f"Dans {self._source}, l'exception {item_key} ({day.isoformat()}) doit "
                    'avoir soit closed = true, soit hours = ["HH:MM-HH:MM"], pas les deux ni '
                    "aucun des deux."
                )
            if closed:
                exceptions.append(ScheduleException(day, "closed", reason=reason.strip()))
            else:
                ranges = self._ranges(entry["hours"], f"{item_key}.hours")
                if not ranges:
                    raise self._bad(
                        f"{item_key}.hours", entry["hours"], "attendu au moins une plage"
                    )
                exceptions.extend(
                    ScheduleException(day, "open", start, end, reason.strip())
                    for start, end in sorted(ranges)
                )
        return tuple(exceptions)

    def _date(self, value: object, key: str) -> date:
        if value is None:
            raise ConfigError(
                f"Dans {self._source}, la clé {key} manque : "
                'ajoutez par exemple date = "2026-12-24".'
            )
        # A TOML datetime is a ``datetime``, itself a ``date``: refuse it explicitly.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self._bad(key, value, 'attendu une date "AAAA-MM-JJ"')


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    sun_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - sun_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * correction + 114, 31)
    return date(year, month, day + 1)


@dataclass(frozen=True)
class WindowStatus:
    """The answer for one instant; instants are aware UTC datetimes.

    Open: ``closes_at`` and ``next_closing`` are the end of the current period,
    ``next_opening`` is None and ``reason`` is empty. Closed: ``next_opening`` is the start
    of the next period (None when nothing opens within ``SEARCH_DAYS``), ``next_closing``
    its end, and ``reason`` says why, in French. ``holiday_name`` is the public holiday the
    schedule observes on that local day, if any (even when an exception opens it).
    """

    is_open: bool
    closes_at: datetime | None = None
    next_opening: datetime | None = None
    next_closing: datetime | None = None
    reason: str = ""
    holiday_name: str | None = None


@dataclass(frozen=True)
class _DayPlan:
    periods: tuple[tuple[datetime, datetime], ...]  # UTC, sorted
    local_periods: tuple[tuple[time, time], ...] = ()
    closed_reason: str | None = None  # why the whole day is closed
    holiday_name: str | None = None


class OpeningWindow:
    """Answers "is the counter open at T, until when, and when does it open next?"."""

    def __init__(self, schedule: Schedule) -> None:
        self._schedule = schedule
        self._tz = _zone(schedule.timezone)
        weekly: list[list[tuple[time, time]]] = [[] for _ in range(7)]
        for rule in schedule.rules:
            weekly[rule.weekday].append((rule.start, rule.end))
        self._weekly = tuple(tuple(sorted(ranges)) for ranges in weekly)
        self._exceptions: dict[date, list[ScheduleException]] = {}
        for exception in schedule.exceptions:
            self._exceptions.setdefault(exception.day, []).append(exception)
        self._weekly_reason = f"Guichet fermé : {self._describe_weekly()}"
        # Both caches only grow by one entry per distinct day or year asked about.
        self._holidays: dict[int, dict[date, str]] = {}
        self._plans: dict[date, _DayPlan] = {}

    @property
    def schedule(self) -> Schedule:
        return self._schedule

    def _describe_weekly(self) -> str:
        groups: dict[tuple[tuple[time, time], ...], list[str]] = {}
        for weekday, ranges in enumerate(self._weekly):
            if ranges:
                groups.setdefault(ranges, []).append(WEEKDAY_NAMES_FR[weekday])
        if not groups:
            return "aucun horaire d'ouverture n'est configuré"
        parts = [
            _join_fr(days)
            + " "
            + " et ".join(f"de {_hm(start)} à {_hm(end)}" for start, end in ranges)
            for ranges, days in groups.items()
        ]
        return "ouvert " + " ; ".join(parts)

    def _holiday(self, day: date) -> str | None:
        if not self._schedule.public_holidays:
            return None
        year_holidays = self._holidays.get(day.year)
        if year_holidays is None:
            # Language fixed so that names do not follow the machine's locale.
            france = holidays.country_holidays("FR", years=day.year, language="fr")
            year_holidays = {d: str(name) for d, name in france.items()}
            self._holidays[day.year] = year_holidays
        name = year_holidays.get(day)
        if name is None:
            return None
        if self._schedule.whit_monday_worked and day == easter_sunday(day.year) + timedelta(
            days=50
        ):
            return None
        return name

    def _plan(self, day: date) -> _DayPlan:
        plan = self._plans.get(day)
        if plan is None:
            plan = self._make_plan(day)
            self._plans[day] = plan
        return plan

    def _make_plan(self, day: date) -> _DayPlan:
        holiday_name = self._holiday(day)
        exceptions = self._exceptions.get(day)
        if exceptions and exceptions[0].kind == "closed":
            motive = exceptions[0].reason
            reason = "Guichet fermé : fermeture exceptionnelle" + (f" ({motive})" if motive else "")
            return _DayPlan((), closed_reason=reason, holiday_name=holiday_name)
        if exceptions:
            local = tuple(
                sorted(
                    (e.start, e.end)
                    for e in exceptions
                    if e.start is not None and e.end is not None
                )
            )
        elif holiday_name is not None and self._weekly[day.weekday()]:
            return _DayPlan(
                (),
                closed_reason=f"Guichet fermé : jour férié ({holiday_name})",
                holiday_name=holiday_name,
            )
        else:
            local = self._weekly[day.weekday()]
        periods: list[tuple[datetime, datetime]] = []
        kept: list[tuple[time, time]] = []
        for start, end in local:
            start_utc = datetime.combine(day, start, self._tz).astimezone(UTC)
            end_utc = datetime.combine(day, end, self._tz).astimezone(UTC)
            # A period inside a daylight-saving gap can come out empty or reversed.
            if start_utc < end_utc:
                periods.append((start_utc, end_utc))
                kept.append((start, end))
        if not periods:
            return _DayPlan((), closed_reason=self._weekly_reason, holiday_name=holiday_name)
        return _DayPlan(tuple(periods), tuple(kept), None, holiday_name)

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening periods of a local calendar day, as aware UTC (start, end) pairs."""
        return list(self._plan(day).periods)

    def status(self, at: datetime) -> WindowStatus:
        """Whether the counter is open at the aware instant ``at``, and what comes next."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("OpeningWindow.status needs an aware datetime")
        at_utc = at.astimezone(UTC)
        today = at_utc.astimezone(self._tz).date()
        plan = self._plan(today)
        for start, end in plan.periods:
            if start <= at_utc < end:
                return WindowStatus(True, end, None, end, "", plan.holiday_name)
        next_period = self._next_period(at_utc, today)
        next_opening, next_closing = next_period if next_period else (None, None)
        return WindowStatus(
            False, None, next_opening, next_closing, self._reason(plan, at_utc), plan.holiday_name
        )

    def _next_period(self, at_utc: datetime, today: date) -> tuple[datetime, datetime] | None:
        day = today
        for _ in range(SEARCH_DAYS + 1):
            for start, end in self._plan(day).periods:
                if start > at_utc:
                    return start, end
            day += timedelta(days=1)
        return None

    @staticmethod
    def _reason(plan: _DayPlan, at_utc: datetime) -> str:
        if plan.closed_reason is not None:
            return plan.closed_reason
        last_end: time | None = None
        for (_start, end), (_local_start, local_end) in zip(
            plan.periods, plan.local_periods, strict=True
        ):
            if end <= at_utc:
                last_end = local_end
        if last_end is None:
            return f"Guichet fermé : ouverture à {_hm(plan.local_periods[0][0])}"
        return f"Guichet fermé depuis {_hm(last_end)}"


def _as_zone(tz: tzinfo | str) -> tzinfo:
    return _zone(tz) if isinstance(tz, str) else tz


def format_next_opening(status: WindowStatus, tz: tzinfo | str) -> str:
    """French phrase such as « réouverture vendredi 28/11 à 9 h 00 », in the zone ``tz``."""
    if status.next_opening is None:
        if status.closes_at is not None:
            return f"ouvert jusqu'à {_hm(status.closes_at.astimezone(_as_zone(tz)).time())}"
        return f"aucune ouverture prévue dans les {SEARCH_DAYS} prochains jours"
    local = status.next_opening.astimezone(_as_zone(tz))
    weekday = WEEKDAY_NAMES_FR[local.weekday()]
    return f"réouverture {weekday} {local:%d/%m} à {_hm(local.time())}"
