"""French formats: decimal comma, grouped thousands, percent sign apart, local times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handover import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (1234567, 0, f"1{NBSP}234{NBSP}567"),
        (12.345, 1, "12,3"),
        (-1500.5, 2, f"-1{NBSP}500,50"),
    ],
)
def test_number(value: float, decimals: int, text: str) -> None:
    assert fmt.number(value, decimals) == text


def test_percent_has_a_decimal_comma_and_a_spaced_sign() -> None:
    assert fmt.percent(1.0) == f"100,0{NBSP}%"
    assert fmt.percent(0.125, 0) == f"12{NBSP}%"


def test_moment_is_shown_in_the_schedule_time_zone() -> None:
    summer = datetime(2026, 7, 6, 7, 30, tzinfo=UTC)
    assert fmt.moment(summer, "Europe/Paris") == "06/07/2026 09:30"
    assert fmt.moment(summer, "America/Cayenne", seconds=True) == "06/07/2026 04:30:00"
    with pytest.raises(ValueError, match="naive"):
        fmt.moment(datetime(2026, 7, 6, 7, 30), "Europe/Paris")


def test_duration() -> None:
    assert fmt.duration(None) == "—"
    assert fmt.duration(45.2) == "45 s"
    assert fmt.duration(65) == "1 min 05 s"
