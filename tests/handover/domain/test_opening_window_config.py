"""Reading the ``[schedule]`` section of the configuration file."""

from __future__ import annotations

import tomllib
from datetime import date, time
from typing import Any

import pytest

from handover.domain.opening_window import Schedule, ScheduleException, WeeklyRule
from handover.errors import ConfigError

SOURCE = "/home/x/config.toml"

EXAMPLE = """
[schedule]
timezone = "Europe/Paris"
public_holidays = true
whit_monday_worked = false
[schedule.weekly]
monday = ["09:00-11:00"]
tuesday = ["09:00-11:00"]
wednesday = ["09:00-11:00"]
friday = ["09:00-11:00"]
[[schedule.exceptions]]
date = "2026-12-24"
closed = true
reason = "Fermeture exceptionnelle"
[[schedule.exceptions]]
date = "2026-12-26"
hours = ["09:00-10:00"]
reason = "Ouverture exceptionnelle"
"""


def parse(text: str) -> Schedule:
    section: dict[str, Any] = tomllib.loads(text).get("schedule", {})
    return Schedule.from_mapping(section, source=SOURCE)


def test_the_documented_example() -> None:
    assert parse(EXAMPLE) == Schedule(
        timezone="Europe/Paris",
        rules=(
            WeeklyRule(0, time(9), time(11)),
            WeeklyRule(1, time(9), time(11)),
            WeeklyRule(2, time(9), time(11)),
            WeeklyRule(4, time(9), time(11)),
        ),
        public_holidays=True,
        whit_monday_worked=False,
        exceptions=(
            ScheduleException(date(2026, 12, 24), "closed", reason="Fermeture exceptionnelle"),
            ScheduleException(
                date(2026, 12, 26), "open", time(9), time(10), "Ouverture exceptionnelle"
            ),
        ),
    )


def test_missing_section_gives_the_counter_defaults() -> None:
    assert parse("") == Schedule()
    assert Schedule().rules == tuple(WeeklyRule(d, time(9), time(11)) for d in (0, 1, 2, 4))


def test_student_desk_with_several_periods_and_toml_dates() -> None:
    schedule = parse(
        """
        [schedule]
        timezone = "Europe/Paris"
        whit_monday_worked = true
        [schedule.weekly]
        monday = ["14:00-15:30", "9:30-12:00"]
        tuesday = ["09:30-15:30"]
        [[schedule.exceptions]]
        date = 2026-09-05
        hours = ["09:00-10:00", "14:00-16:00"]
        """
    )
    assert schedule.whit_monday_worked
    assert schedule.rules == (
        WeeklyRule(0, time(9, 30), time(12)),
        WeeklyRule(0, time(14), time(15, 30)),
        WeeklyRule(1, time(9, 30), time(15, 30)),
    )
    assert schedule.exceptions == (
        ScheduleException(date(2026, 9, 5), "open", time(9), time(10)),
        ScheduleException(date(2026, 9, 5), "open", time(14), time(16)),
    )


def test_to_mapping_reads_back_to_the_same_schedule() -> None:
    schedule = parse(EXAMPLE)
    mapping = schedule.to_mapping()
    assert mapping == {
        "timezone": "Europe/Paris",
        "public_holidays": True,
        "whit_monday_worked": False,
        "weekly": {
            "monday": ["09:00-11:00"],
            "tuesday": ["09:00-11:00"],
            "wednesday": ["09:00-11:00"],
            "friday": ["09:00-11:00"],
        },
        "exceptions": [
            {"date": "2026-12-24", "closed": True, "reason": "Fermeture exceptionnelle"},
            {"date": "2026-12-26", "hours": ["09:00-10:00"], "reason": "Ouverture exceptionnelle"},
        ],
    }
    assert Schedule.from_mapping(mapping, source=SOURCE) == schedule


def test_the_message_of_the_documentation() -> None:
    with pytest.raises(ConfigError) as caught:
        parse('[schedule.weekly]\nmonday = ["9h-11h"]')
    assert caught.value.message == (
        'Dans /home/x/config.toml, la clé schedule.weekly.monday[0] vaut "9h-11h" : '
        'attendu une plage "HH:MM-HH:MM".'
    )


@pytest.mark.parametrize(
    ("toml", "key", "hint"),
    [
        ('[schedule.weekly]\nmonday = "09:00-11:00"', "schedule.weekly.monday ", "liste"),
        ("[schedule.weekly]\nmonday = [9]", "schedule.weekly.monday[0] ", "HH:MM-HH:MM"),
        ('[schedule.weekly]\nmonday = ["11:00-09:00"]', "schedule.weekly.monday[0] ", "début"),
        ('[schedule.weekly]\nmonday = ["09:00-09:00"]', "schedule.weekly.monday[0] ", "début"),
        ('[schedule.weekly]\nmonday = ["24:00-25:00"]', "schedule.weekly.monday[0] ", "valides"),
        ('[schedule.weekly]\nmonday = ["09:60-10:00"]', "schedule.weekly.monday[0] ", "valides"),
        (
            '[schedule.weekly]\ntuesday = ["09:00-11:00", "10:30-12:00"]',
            "schedule.weekly.tuesday[0] et schedule.weekly.tuesday[1]",
            "chevauchent",
        ),
        (
            '[schedule.weekly]\ntuesday = ["09:00-11:00", "11:00-12:00"]',
            "schedule.weekly.tuesday[0] et schedule.weekly.tuesday[1]",
            "touchent",
        ),
        ('[schedule.weekly]\nlundi = ["09:00-11:00"]', "schedule.weekly.lundi ", "monday"),
        ("[schedule]\nweekly = 3", "schedule.weekly ", "table"),
        ('[schedule]\ntimezone = "Europe/Pariss"', "schedule.timezone ", "Europe/Paris"),
        ("[schedule]\ntimezone = 1", "schedule.timezone ", "fuseau"),
        ('[schedule]\npublic_holidays = "oui"', "schedule.public_holidays ", "true ou false"),
        ("[schedule]\nwhit_monday_worked = 1", "schedule.whit_monday_worked ", "true ou false"),
        ('[schedule]\nopening = "9h"', "schedule.opening ", "timezone"),
        ("[schedule]\nexceptions = 3", "schedule.exceptions ", "liste"),
        (
            '[[schedule.exceptions]]\ndate = "24/12/2026"\nclosed = true',
            "schedule.exceptions[0].date ",
            "AAAA-MM-JJ",
        ),
        (
            "[[schedule.exceptions]]\ndate = 2026-12-24T10:00:00\nclosed = true",
            "schedule.exceptions[0].date ",
            "AAAA-MM-JJ",
        ),
        ("[[schedule.exceptions]]\nclosed = true", "schedule.exceptions[0].date ", "manque"),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nclosed = true\nhours = ["09:00-10:00"]',
            "schedule.exceptions[0] ",
            "pas les deux",
        ),
        ('[[schedule.exceptions]]\ndate = "2026-12-24"', "schedule.exceptions[0] ", "closed"),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nclosed = "oui"',
            "schedule.exceptions[0].closed ",
            "true ou false",
        ),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nhours = ["9-10"]',
            "schedule.exceptions[0].hours[0] ",
            "HH:MM-HH:MM",
        ),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nhours = []',
            "schedule.exceptions[0].hours ",
            "au moins une plage",
        ),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nclosed = true\nreason = 5',
            "schedule.exceptions[0].reason ",
            "texte",
        ),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nclosed = true\nmotif = "x"',
            "schedule.exceptions[0].motif ",
            "reason",
        ),
        (
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nclosed = true\n'
            '[[schedule.exceptions]]\ndate = "2026-12-24"\nhours = ["09:00-10:00"]',
            "schedule.exceptions[1].date ",
            "déjà",
        ),
    ],
)
def test_bad_values_name_the_key_and_the_file(toml: str, key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(toml)
    message = caught.value.message
    assert message.startswith(f"Dans {SOURCE}, ")
    assert key in message
    assert hint in message


def test_a_section_that_is_not_a_table() -> None:
    with pytest.raises(ConfigError, match=r"la clé schedule vaut 3 : attendu une table"):
        Schedule.from_mapping(3, source=SOURCE)  # type: ignore[arg-type]
