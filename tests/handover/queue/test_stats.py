"""The queue's statistics, from a morning played through the services, and in the CSV."""

from __future__ import annotations

import csv
import os
from datetime import timedelta

import pytest

from handover.cli import main
from handover.persistence.models import PermitState
from handover.queue.stats import compute_queue_stats
from tests.handover.queue.helpers import OPEN, make_queue, permits_in, sms
from tests.handover.services.helpers import request_for


def test_a_morning_in_figures_and_in_the_report_csv(
    engine, db_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, no_show_after_s=180)
    served, absent = permits_in(engine, PermitState.NOTIFIED, 2)
    blocked = permits_in(engine, PermitState.BLOCKED)[0]
    env.queue.issue(sms(served), env.door)
    env.queue.issue(sms(absent), env.door)
    env.queue.issue(sms(served), env.door)  # a reprint
    env.queue.issue(sms(blocked), env.door)  # refused at the door
    env.clock.advance(timedelta(minutes=10))
    first = env.queue.call_next("Guichet 1", env.agent)
    assert first is not None
    env.queue.mark_opened(first.call_id, env.agent)
    env.clock.advance(timedelta(minutes=4))
    env.counter.hand_over(request_for(served), env.agent)
    second = env.queue.call_next("Guichet 1", env.agent)
    assert second is not None
    env.clock.advance(timedelta(minutes=4))
    env.queue.mark_no_show(second.ticket.ticket_id, env.agent)

    st = compute_queue_stats(engine, env.config, OPEN.date(), OPEN.date())

    (day,) = st.days
    assert (day.issued, day.served, day.no_shows, day.reprints) == (2, 1, 1, 1)
    assert day.door_refusals == 1
    assert day.wait_to_call_min == pytest.approx(12.0)  # 10 and 14 minutes
    assert day.call_to_handover_min == pytest.approx(4.0)
    assert day.prediction_error_min is not None
    (desk,) = st.desks
    assert (desk.desk, desk.calls, desk.served, desk.no_shows) == ("Guichet 1", 2, 1, 1)

    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    out = tmp_path / "stats.csv"
    day_text = OPEN.date().isoformat()
    assert main(["report", "stats", "--from", day_text, "--to", day_text, "--csv", str(out)]) == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert ["file_tickets_emis", day_text, "2"] in rows
    assert ["file_servis_par_guichet", "Guichet 1", "1"] in rows
    assert ["file_duree_appel_remise_min", day_text, "4,0"] in rows
