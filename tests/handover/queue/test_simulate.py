"""The morning's simulation: what triage changes, under the README's scenario."""

from __future__ import annotations

import json

import pytest

from handover.cli import main
from handover.queue.simulate import Scenario, run


def test_triage_turns_nobody_away_after_waiting_and_sends_more_home_with_their_permit() -> None:
    scenario = Scenario()
    without, with_triage = run(scenario, triage=False), run(scenario, triage=True)

    assert without.turned_away_after_waiting > 100  # the press's morning: most wait for nothing
    assert with_triage.turned_away_after_waiting == 0
    assert with_triage.complete > without.complete
    for r in (without, with_triage):
        assert r.received + r.turned_away_after_waiting + r.turned_away_at_door == r.queued
        assert r.complete <= r.received
        assert r.wait_median_min is not None and r.wait_p90_min is not None
        assert r.wait_p90_min >= r.wait_median_min


def test_more_desks_receive_more_people() -> None:
    few = run(Scenario(desks=2), triage=False)
    more = run(Scenario(desks=5), triage=False)
    assert more.received > few.received


def test_simulate_command_prints_both_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["queue", "simulate", "--service-s", "240", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [r["triage"] for r in data["results"]] == [False, True]
    assert data["results"][0]["queued"] == 400

    assert main(["queue", "simulate", "--service-s", "240", "--not-ready", "2"]) == 2
    assert "entre 0 et 1" in capsys.readouterr().err
