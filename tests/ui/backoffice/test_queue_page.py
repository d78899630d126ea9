"""The back office's queue tab, over tickets issued, called and missed through the core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from handover.domain.clock import FakeClock
from tests.ui.queue_fixtures import (
    OPEN,
    queue_config,
    queue_template_fixture,
    room_with_tickets,
)
from ui.backoffice.queue_page import QueuePage
from ui.backoffice.stats_page import StatsPage

__all__ = ["queue_template_fixture"]


@pytest.fixture(name="engine")
def engine_fixture(tmp_path: Path, queue_template) -> Iterator[Engine]:
    """Four tickets; desks call two; one holder never comes (no-show)."""
    room = room_with_tickets(tmp_path, queue_template, 4)
    room.clock.advance(timedelta(minutes=12))
    first = room.queue.call_next("Guichet 1", room.agent)
    room.queue.call_next("Guichet 2", room.agent)
    assert first is not None
    room.clock.advance(timedelta(seconds=room.config.queue.no_show_after_s + 5))
    room.queue.mark_no_show(first.ticket.ticket_id, room.agent)
    yield room.engine
    room.engine.dispose()


def test_the_queue_tab_shows_the_days_tickets_and_no_shows(qtbot, engine: Engine, tmp_path) -> None:
    page = QueuePage(engine, queue_config(tmp_path))
    qtbot.addWidget(page)
    page.resize(1200, 1000)
    page.show()

    with qtbot.waitSignal(page.stats_ready, timeout=20000):
        page.show_period(OPEN.date(), OPEN.date())

    assert page.issued_tile.value.text() == "4"
    assert page.no_show_tile.value.text() == "1"
    assert page.served_tile.value.text() == "0"
    assert [bar.value for bar in page.issued_chart.bars] == [4]
    assert page.issued_chart.bars[0].label == "mar 24/11"
    waits = page.wait_chart.bars
    assert len(waits) == 1 and waits[0].text.endswith("min")
    page.pool.waitForDone()


def test_it_follows_the_period_of_the_statistics_tab(qtbot, engine: Engine, tmp_path) -> None:
    config = queue_config(tmp_path)
    stats = StatsPage(engine, config, clock=FakeClock(OPEN + timedelta(days=1)))
    qtbot.addWidget(stats)
    page = QueuePage.beside(stats, engine, config, stats.pool)
    qtbot.addWidget(page)
    stats.set_period(OPEN.date() - timedelta(days=2), OPEN.date())

    with qtbot.waitSignal(page.stats_ready, timeout=20000):
        stats.refresh()

    assert page.issued_tile.value.text() == "4"
    stats.pool.waitForDone()
