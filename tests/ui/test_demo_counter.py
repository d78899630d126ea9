"""The demonstration counter (``make run``): open at any hour, marked on screen, never on
a production database."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

import ui.app
from handover.domain.values import VerdictKind
from handover.scanning.reference import format_reference
from tests.ui.counter_fixtures import (
    PARIS,
    Counter,
    build_counter,
    counter_fixture,
    log_in,
    ready_permit,
    scan,
    seeded_template_fixture,
    shown_counter,
)

FIXTURES = (counter_fixture, seeded_template_fixture)
HOURS = {
    "dimanche-nuit": datetime(2026, 11, 29, 3, 0, tzinfo=PARIS),
    "noel": datetime(2026, 12, 25, 15, 0, tzinfo=PARIS),  # a public holiday
    "vendredi-apres-fermeture": datetime(2026, 11, 27, 11, 30, tzinfo=PARIS),
}


@pytest.fixture(params=sorted(HOURS), name="demo_counter")
def demo_counter_fixture(
    request: pytest.FixtureRequest, qtbot, tmp_path: Path, seeded_template
) -> Iterator[Counter]:
    at = HOURS[request.param]
    yield from shown_counter(qtbot, build_counter(tmp_path, seeded_template, at=at, demo=True))


def test_the_demo_counter_serves_a_demo_holder_at_any_hour(demo_counter: Counter, qtbot) -> None:
    window = demo_counter.window
    assert window.demo_banner is not None and window.demo_banner.isVisible()
    assert "DÉMONSTRATION" in window.demo_banner.text()
    log_in(demo_counter)
    assert window.stack.currentWidget() is window.counter_page
    permit = ready_permit(demo_counter.engine)
    with qtbot.waitSignal(demo_counter.presenter.verdict_ready) as verdict:
        scan(window.scan_field, format_reference(permit.reference), demo_counter.keys)
    assert verdict.args[0].kind == VerdictKind.READY, window.verdict_panel.headline
    assert window.wizard.isVisible()


def test_the_production_counter_has_no_banner(counter: Counter) -> None:
    assert counter.window.demo_banner is None


@pytest.fixture(name="shown")
def shown_fixture(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages the counter shows at start; its database is a new, migrated file."""
    from handover.cli import main

    shown: list[str] = []
    monkeypatch.setattr(ui.app.QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{tmp_path / 'guichet.sqlite3'}")
    assert main(["db", "upgrade"]) == 0
    return shown


def test_the_demo_counter_refuses_a_production_database(
    shown: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from handover.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("remise-des-titres-2026\n"))
    assert main(["agent", "add", "marie"]) == 0  # a real account: a production database
    assert ui.app.main(["--seed-demo"]) == 2
    assert len(shown) == 1 and "données réelles" in shown[0]


def test_the_production_counter_refuses_a_demonstration_database(
    shown: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from handover.cli import main

    assert main(["demo", "--permits", "20"]) == 0
    assert main(["db", "check"]) == 0
    assert "Type de base : démonstration (guichet de démonstration seulement" in (
        capsys.readouterr().out
    )
    assert ui.app.main([]) == 2  # the production counter
    assert len(shown) == 1 and "base de démonstration" in shown[0]
    assert "--seed-demo" in shown[0] and "demo --remove" in shown[0]
