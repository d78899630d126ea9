"""The statistics dashboard over handovers made through the real counter service."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from sqlalchemy import select

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.persistence.engine import make_engine
from handover.persistence.models import Desk, ScanEvent
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.handovers import counter, hand_over
from tests.handover.services.helpers import make_counter
from ui.backoffice.charts import BAR_COLOUR, Bar, BarChart, ShareChart
from ui.backoffice.stats_page import StatsPage

# Monday 17 and Tuesday 18 March 2025, 09:30 in Paris: the counter is open.
DAY1 = datetime(2025, 3, 17, 8, 30, tzinfo=UTC)
DAY2 = datetime(2025, 3, 18, 8, 30, tzinfo=UTC)


@pytest.fixture(name="engine")
def engine_fixture(sqlite_url: str):
    engine = make_engine(sqlite_url)
    desk1, passwords = make_counter(engine, at=DAY1)
    desk2 = counter(engine, "Guichet 2", DAY1)
    hand_over(desk1, passwords, DAY1, scan_seconds=40)
    hand_over(desk1, passwords, DAY1 + timedelta(minutes=5), scan_seconds=70)
    hand_over(desk2, passwords, DAY1 + timedelta(minutes=7), scan_seconds=30)
    hand_over(desk1, passwords, DAY2)  # not timed
    with UnitOfWork(engine) as uow:
        desk_id = uow.session.execute(select(Desk.id).where(Desk.name == "Guichet 1")).scalar_one()
        for verdict, minute in (("ready", 1), ("ready", 2), ("ready", 3), ("unknown", 4)):
            uow.session.add(
                ScanEvent(at=DAY1 + timedelta(minutes=minute), desk_id=desk_id, verdict=verdict)
            )
        uow.commit()
    yield engine
    engine.dispose()


@pytest.fixture(name="page")
def page_fixture(qtbot, engine):
    page = StatsPage(engine, Config(), clock=FakeClock(DAY2 + timedelta(days=30)))
    qtbot.addWidget(page)
    page.resize(1200, 1000)
    page.show()
    yield page
    page.pool.waitForDone()


def show_period(qtbot, page: StatsPage, start: date, end: date):
    page.set_period(start, end)
    with qtbot.waitSignal(page.stats_ready, timeout=20000) as blocker:
        QTest.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_default_period_is_the_last_30_days(page):
    assert page.period == (date(2025, 3, 19), date(2025, 4, 17))


def test_figures_and_charts_of_a_week(qtbot, page):
    show_period(qtbot, page, date(2025, 3, 17), date(2025, 3, 23))

    # Monday to Friday open except Thursday; Saturday and Sunday are not shown.
    assert [(b.label, b.value) for b in page.per_day_chart.bars] == [
        ("lun 17/03", 3),
        ("mar 18/03", 1),
        ("mer 19/03", 0),
        ("ven 21/03", 0),
    ]
    assert [(b.label, b.value) for b in page.per_desk_chart.bars] == [
        ("Guichet 1", 3),
        ("Guichet 2", 1),
    ]
    assert [(b.label, b.shown) for b in page.verdict_chart.bars] == [
        ("Prêt à remettre", "3 (75\u00a0%)"),
        ("Inconnu", "1 (25\u00a0%)"),
    ]
    assert page.handovers_tile.value.text() == "4"
    assert page.median_tile.value.text() == "40 s"  # median of 30, 40 and 70 s
    assert page.median_tile.detail.text() == "3 remise(s) mesurée(s)"
    assert page.scans_tile.value.text() == "4"
    assert page.overrides_tile.value.text() == "0"
    assert page.export_button.isEnabled()


def test_export_writes_the_csv(qtbot, page, tmp_path, monkeypatch):
    show_period(qtbot, page, date(2025, 3, 17), date(2025, 3, 18))
    target = tmp_path / "stats.csv"
    suggested: list[str] = []

    def ask(cls, parent, name):
        suggested.append(name)
        return target

    monkeypatch.setattr(StatsPage, "ask_save_path", classmethod(ask))
    QTest.mouseClick(page.export_button, Qt.MouseButton.LeftButton)

    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "rubrique;code;libellé;valeur"
    assert "remises;total;total;4" in lines
    assert "remises_par_guichet;Guichet 2;Guichet 2;1" in lines
    assert suggested == ["statistiques-2025-03-17-2025-03-18.csv"]
    assert "exportées" in page.status.text()


def test_end_before_start_is_refused(qtbot, page):
    page.set_period(date(2025, 3, 18), date(2025, 3, 17))
    with qtbot.waitSignal(page.stats_failed, timeout=1000):
        QTest.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.status.is_problem and "18/03/2025" in page.status.text()
    assert page.stats is None and not page.export_button.isEnabled()


def bar_pixels(widget) -> int:
    image = widget.grab().toImage()
    colour = QColor(BAR_COLOUR).rgb()
    return sum(
        1
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
        if image.pixel(x, y) == colour
    )


@pytest.mark.parametrize("chart_type", [BarChart, ShareChart])
def test_a_chart_draws_bars_only_for_values(qtbot, chart_type):
    chart = chart_type("Essai")
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.set_bars([Bar("lun", 0), Bar("mar", 0)])
    assert bar_pixels(chart) == 0
    chart.set_bars([Bar("lun", 2), Bar("mar", 6)])
    assert bar_pixels(chart) > 100
