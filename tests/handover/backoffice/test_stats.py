"""Statistics of a period, computed from handovers made through the counter service."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from handover.backoffice.stats import AgeBucket, DayCount, DeskCount, compute_stats
from handover.commands.report_cmd import format_stats
from handover.config import Config
from handover.persistence.models import Agent, Desk, Override, PermitState, ScanEvent
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.handovers import add_permit, counter, hand_over
from tests.handover.services.helpers import make_counter

# Monday 17 and Tuesday 18 March 2025, 09:30 in Paris (UTC+1): the counter is open.
DAY1 = datetime(2025, 3, 17, 8, 30, tzinfo=UTC)
DAY2 = datetime(2025, 3, 18, 8, 30, tzinfo=UTC)
# The period ends on 18 March at midnight in Paris.
PERIOD_END = datetime(2025, 3, 18, 23, 0, tzinfo=UTC)


def test_period_statistics(engine: Engine) -> None:
    desk1, passwords = make_counter(engine, at=DAY1)
    desk2 = counter(engine, "Guichet 2", DAY1)
    hand_over(desk1, passwords, DAY1, scan_seconds=40)
    hand_over(desk1, passwords, DAY1 + timedelta(minutes=5), scan_seconds=60)
    hand_over(desk1, passwords, DAY1 + timedelta(minutes=10), scan_seconds=100)
    hand_over(desk2, passwords, DAY1 + timedelta(minutes=7), scan_seconds=30)
    hand_over(desk1, passwords, DAY2)  # no scan time recorded
    hand_over(desk1, passwords, DAY2 + timedelta(days=3))  # Friday 21: outside the period
    with UnitOfWork(engine) as uow:
        s = uow.session
        desk_id = s.execute(select(Desk.id).where(Desk.name == "Guichet 1")).scalar_one()
        chef = s.execute(select(Agent.id).where(Agent.username == "chef")).scalar_one()
        for verdict, minute in (("ok", 1), ("ok", 2), ("ok", 3), ("unknown", 4), ("ok", 60 * 50)):
            s.add(ScanEvent(at=DAY1 + timedelta(minutes=minute), desk_id=desk_id, verdict=verdict))
        for kind, at in (
            ("window", DAY1),
            ("window", DAY2),
            ("blocked", DAY2),
            ("window", DAY2 + timedelta(days=3)),
        ):
            s.add(
                Override(
                    kind=kind,
                    supervisor_id=chef,
                    desk_id=desk_id,
                    reason="file d'attente à 11 h",
                    created_at=at,
                    expires_at=at + timedelta(minutes=30),
                )
            )
        uow.commit()
    # Permits waiting for their holder at the end of the period, by age.
    add_permit(engine, "W1", state=PermitState.NOTIFIED, notified_at=PERIOD_END - timedelta(days=2))
    add_permit(
        engine, "W2", state=PermitState.NOTIFIED, notified_at=PERIOD_END - timedelta(days=10)
    )
    add_permit(
        engine, "W3", state=PermitState.NOTIFIED, notified_at=PERIOD_END - timedelta(days=100)
    )
    add_permit(  # collected after the period: it was still waiting then
        engine,
        "W4",
        state=PermitState.HANDED_OVER,
        notified_at=PERIOD_END - timedelta(days=40),
        closed_at=PERIOD_END + timedelta(days=1),
    )
    add_permit(  # collected before the end: not waiting
        engine,
        "W5",
        state=PermitState.HANDED_OVER,
        notified_at=PERIOD_END - timedelta(days=40),
        closed_at=PERIOD_END - timedelta(days=1),
    )

    st = compute_stats(engine, Config(), date(2025, 3, 17), date(2025, 3, 18))
    assert st.handovers == 5
    assert st.per_day == (DayCount(date(2025, 3, 17), 4), DayCount(date(2025, 3, 18), 1))
    assert st.per_desk == (DeskCount("Guichet 1", 4), DeskCount("Guichet 2", 1))
    assert st.median_scan_to_handover_s == 50.0 and st.timed_handovers == 4
    assert st.scans == 4
    assert [(v.verdict, v.count, v.share) for v in st.verdicts] == [
        ("ok", 3, 0.75),
        ("unknown", 1, 0.25),
    ]
    assert st.overrides == 3 and st.overrides_by_kind == (("blocked", 1), ("window", 2))
    assert st.waiting_at == PERIOD_END
    assert st.waiting == (
        AgeBucket(0, 7, 1),
        AgeBucket(7, 30, 1),
        AgeBucket(30, 90, 1),
        AgeBucket(90, None, 1),
    )
    rows = st.rows()
    assert ("remises_par_guichet", "Guichet 2", "Guichet 2", "1") in rows
    assert ("remises_par_jour", "2025-03-17", "17/03/2025", "4") in rows
    assert ("verdicts_pourcentage", "unknown", "Inconnu", "25,0") in rows
    assert ("derogations", "window", "remise hors horaires d'ouverture", "2") in rows
    # 23:00 UTC on 18 March is midnight in Paris: the CSV shows local time too.
    assert ("titres_en_attente", "au", "au", "19/03/2025 00:00") in rows

    report = format_stats(st).splitlines()
    assert report[0] == "Statistiques du 17/03/2025 au 18/03/2025 (heures de Europe/Paris)"
    assert "  Inconnu : 1 (25,0\u00a0%)" in report
    assert "  ok : 3 (75,0\u00a0%)" in report  # a code this version does not know stays as is
    assert "Titres prévenus en attente de retrait au 19/03/2025 00:00 :" in report
    assert "  remise hors horaires d'ouverture : 2" in report
    assert "Durée médiane du scan à la remise : 50 s (sur 4 remises mesurées)" in report
