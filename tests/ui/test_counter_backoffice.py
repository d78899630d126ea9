"""F10 opens the back office for a supervisor; an agent never sees it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    focused,
    log_in,
    press,
    seeded_template_fixture,
)
from ui.backoffice.window import BackofficeWindow

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
