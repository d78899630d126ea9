"""The process's own time zone (TZ) must not change any answer of the opening window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]

# Instants every 97 minutes around both 2026 clock changes (29 March, 25 October) and the
# year's end.
SCRIPT = """
import json, time
from datetime import UTC, datetime, timedelta
from handover.domain.opening_window import OpeningWindow, Schedule, format_next_opening

window = OpeningWindow(Schedule())
answers = []
for first, last in (("2026-03-20", "2026-04-10"), ("2026-10-15", "2026-11-05"),
                    ("2026-12-20", "2027-01-06")):
    at = datetime.fromisoformat(first).replace(tzinfo=UTC)
    end = datetime.fromisoformat(last).replace(tzinfo=UTC)
    while at < end:
        s = window.status(at)
        answers.append([at.isoformat(), s.is_open, str(s.closes_at), str(s.next_opening),
                        str(s.next_closing), s.reason, s.holiday_name,
                        format_next_opening(s, "Europe/Paris")])
        at += timedelta(minutes=97)
print(json.dumps({"offset": time.strftime("%z", time.localtime(1775000000)),
                  "answers": answers}))
"""


def _answers_under(tz: str) -> dict[str, object]:
    env = {**os.environ, "TZ": tz}
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    result: dict[str, object] = json.loads(completed.stdout)
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="TZ is only honoured on POSIX")
def test_answers_are_the_same_whatever_the_process_time_zone() -> None:
    in_utc = _answers_under("UTC")
    in_auckland = _answers_under("Pacific/Auckland")
    # The processes really ran under different zones, so equal answers mean something.
    assert in_utc["offset"] == "+0000"
    assert in_auckland["offset"] in {"+1200", "+1300"}
    assert in_utc["answers"] == in_auckland["answers"]
    answers = in_utc["answers"]
    assert isinstance(answers, list)
    assert any(row[1] for row in answers)  # some open, some closed: not a trivial list
    assert not all(row[1] for row in answers)
