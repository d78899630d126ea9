"""``handover window``, run the way an administrator types it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from handover.cli import main
from handover.commands import window_cmd
from handover.domain.clock import FakeClock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["window", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_open_at_a_local_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--at", "2025-11-28T10:15")
    assert code == 0
    assert out.splitlines() == [
        "Le vendredi 28/11/2025 à 10 h 15 (Europe/Paris) :",
        "Guichet ouvert jusqu'à 11 h 00.",
    ]


def test_closed_on_christmas_says_why_and_when_it_reopens(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--at", "2026-12-25T09:30")
    assert code == 0
    assert out.splitlines() == [
        "Le vendredi 25/12/2026 à 9 h 30 (Europe/Paris) :",
        "Guichet fermé : jour férié (Noël).",
        "Réouverture lundi 28/12 à 9 h 00.",
    ]


def test_json_answer_in_utc(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--at", "2025-11-28T11:00", "--json")
    assert code == 0
    assert json.loads(out) == {
        "at": "2025-11-28T10:00:00+00:00",
        "timezone": "Europe/Paris",
        "is_open": False,
        "closes_at": None,
        "next_opening": "2025-12-01T08:00:00+00:00",
        "next_closing": "2025-12-01T10:00:00+00:00",
        "reason": "Guichet fermé depuis 11 h 00",
        "holiday_name": None,
    }


def test_an_explicit_offset_is_honoured(capsys: pytest.CaptureFixture[str]) -> None:
    # 09:30 UTC is 10:30 in Paris in winter: open. Read as Paris time it would be too,
    # so take 10:30 UTC, which is 11:30 in Paris: closed.
    _, out, _ = run(capsys, "--at", "2025-11-28T10:30Z", "--json")
    assert json.loads(out)["is_open"] is False
    _, out, _ = run(capsys, "--at", "2025-11-28T10:30", "--json")
    assert json.loads(out)["is_open"] is True


def test_without_at_uses_the_clock(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window_cmd, "_clock", FakeClock(datetime(2026, 3, 30, 7, 0, tzinfo=UTC)))
    code, out, _ = run(capsys, "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["at"] == "2026-03-30T07:00:00+00:00"
    assert answer["is_open"] is True  # 09:00 in Paris, summer time


@pytest.mark.parametrize("bad", ["demain", "2026-13-01T09:00", "30/03/2026 09:00", ""])
def test_unreadable_at_is_a_french_message_and_exit_2(
    capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    code, out, err = run(capsys, "--at", bad)
    assert code == 2
    assert out == ""
    assert f"La date --at « {bad} » est illisible" in err
    assert "2026-03-30T09:30" in err
    assert "Traceback" not in err
