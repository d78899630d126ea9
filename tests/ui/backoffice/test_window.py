"""Who may open the back office, and what it shows when it opens."""

from __future__ import annotations

import dataclasses

import pytest

from handover.domain.values import Role
from tests.ui.backoffice.fixtures import Bed, bed_fixture
from ui.backoffice.window import BackofficeWindow
from ui.style import STYLE_SHEET

__all__ = ["bed_fixture"]


@pytest.fixture(name="refusals")
def refusals_fixture(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(BackofficeWindow, "refuse", classmethod(lambda c, p, t: said.append(t)))
    return said


def test_an_agent_is_refused(bed: Bed, refusals):
    window = BackofficeWindow.open(None, bed.engine, bed.config, bed.agents[Role.AGENT])
    assert window is None
    assert len(refusals) == 1 and "réservé aux chefs d'accueil" in refusals[0]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisors_and_administrators_get_the_tabs(qtbot, bed: Bed, refusals, role):
    window = BackofficeWindow.open(None, bed.engine, bed.config, bed.agents[role], clock=bed.clock)
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.stats_page.stats is not None, timeout=20000)
    assert refusals == []
    assert window.isVisible()
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["Statistiques", "File d'attente", "Import des titres", "Non réclamés et SMS"]
    assert window.stats_page.handovers_tile.value.text() == "0"
    window.close()


def test_every_tab_fits_a_1280_screen_at_125_percent_with_a_long_name(qtbot, bed: Bed):
    # 1280×800 and 1366×768 less a 40 px taskbar, at 125 %: 1024×608 and 1093×582 px of
    # layout. A long name is shortened, never widens the window.
    agent = dataclasses.replace(
        bed.agents[Role.SUPERVISOR],
        display_name="Marie-Christine Vandenberghe-Oliveira de la Tour d'Auvergne",
    )
    window = BackofficeWindow.open(None, bed.engine, bed.config, agent, clock=bed.clock)
    assert window is not None
    qtbot.addWidget(window)
    window.setStyleSheet(STYLE_SHEET)  # the desk's large type
    qtbot.waitUntil(lambda: window.stats_page.stats is not None, timeout=20000)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 582, window.tabs.tabText(index)
    window.close()
