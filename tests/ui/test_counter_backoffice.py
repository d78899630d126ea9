"""F10 opens the back office for a supervisor; an agent never sees it."""

from __future__ import annotations

import dataclasses
import os

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from handover.config import Config, DatabaseConfig
from handover.persistence.db import open_configured
from handover.receipts.printers import FakePrinter
from handover.services.counter import CounterService
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    focused,
    log_in,
    press,
    seeded_template_fixture,
)
from ui.backoffice.window import BackofficeWindow
from ui.main_window import MainWindow
from ui.presenters.counter import CounterPresenter, InlineWorker

FIXTURES = (counter_fixture, seeded_template_fixture)


def test_supervisor_opens_the_back_office_with_f10(counter: Counter, qtbot) -> None:
    log_in(counter, "chef")
    window = counter.window
    assert window.backoffice_button.isVisible()
    press(focused(), Qt.Key.Key_F10, counter.keys)
    opened = window._backoffice
    assert isinstance(opened, BackofficeWindow)
    qtbot.addWidget(opened)
    assert opened.isVisible()
    assert opened.windowTitle()
    opened.close()


def test_agent_is_refused_the_back_office(counter: Counter, qtbot, monkeypatch) -> None:
    refusals: list[str] = []
    monkeypatch.setattr(
        BackofficeWindow, "refuse", classmethod(lambda cls, parent, text: refusals.append(text))
    )
    log_in(counter, "agent1")
    assert not counter.window.backoffice_button.isVisible()
    press(focused(), Qt.Key.Key_F10, counter.keys)
    assert counter.window._backoffice is None
    assert refusals and "chefs d'accueil" in refusals[0]


@pytest.mark.postgres
def test_back_office_from_the_counter_gets_the_back_office_time_limits(qtbot, pg_cluster) -> None:
    """An import started with F10 on PostgreSQL is not cut at the counter's 15 s."""
    name = f"bo_limits_{os.getpid()}"
    url = pg_cluster.create_database(name, template="handover_template")
    database = DatabaseConfig(
        url=url, statement_timeout_ms=15000, backoffice_statement_timeout_ms=600000
    )
    config = dataclasses.replace(Config(), database=database)
    engine = open_configured(config)
    presenter = CounterPresenter(
        CounterService(engine, config), FakePrinter(), worker=InlineWorker()
    )
    window = MainWindow(presenter)
    qtbot.addWidget(window)
    try:
        backoffice = window._backoffice_engine()
        assert backoffice is window._backoffice_engine()  # made once
        with engine.connect() as counter_side, backoffice.connect() as office_side:
            show = text("SHOW statement_timeout")
            assert counter_side.execute(show).scalar_one() == "15s"
            assert office_side.execute(show).scalar_one() == "10min"
    finally:
        window.close()
        presenter.shutdown()
        engine.dispose()
        pg_cluster.drop_database(name)
