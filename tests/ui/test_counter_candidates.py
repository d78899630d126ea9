"""Several permits match a scan: the agent picks one with the keyboard, or goes back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select, update

from handover.domain.values import VerdictKind
from handover.persistence.models import Permit, PermitState
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    focused,
    log_in,
    press,
    scan,
    seeded_template_fixture,
)
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)
SHARED = "0099887766"


def share_numero_etranger(counter: Counter, count: int = 3) -> list[int]:
    """Give ``count`` notified permits the same numéro étranger (a homonym, a re-issue…)."""
    with counter.engine.begin() as connection:
        ids = list(
            connection.execute(
                select(Permit.id)
                .where(Permit.state == PermitState.NOTIFIED)
                .order_by(Permit.id)
                .limit(count)
            ).scalars()
        )
        connection.execute(update(Permit).where(Permit.id.in_(ids)).values(numero_etranger=SHARED))
    return ids


def show_several(counter: Counter, qtbot) -> list[int]:
    ids = share_numero_etranger(counter)
    log_in(counter)
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        scan(counter.window.scan_field, SHARED, counter.keys)
    assert verdict.args[0].kind == VerdictKind.SEVERAL_MATCHES
    return ids


def test_the_candidates_are_listed_with_what_tells_them_apart(counter: Counter, qtbot) -> None:
    ids = show_several(counter, qtbot)
    window = counter.window
    listing = window.candidates
    assert listing.isVisible()
    assert focused() is listing
    assert sorted(p.permit_id for p in listing.candidates) == sorted(ids)
    for row, permit in enumerate(listing.candidates):
        line = listing.item(row).text()
        assert line.startswith(f"{row + 1}.")
        for part in (
            permit.surname.upper(),
            f"{permit.birth_date:%d/%m/%Y}",
            permit.category,
            permit.card_number,
            permit.storage_slot,
        ):
            assert part in line
    assert "PLUSIEURS" in window.verdict_panel.headline


def test_arrows_and_enter_choose_and_the_handover_starts(counter: Counter, qtbot) -> None:
    show_several(counter, qtbot)
    window = counter.window
    second = window.candidates.candidates[1]
    press(focused(), Qt.Key.Key_Down, counter.keys)
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert verdict.args[0].kind == VerdictKind.READY
    assert verdict.args[0].permit.permit_id == second.permit_id
    assert not window.candidates.isVisible()
    assert window.wizard.isVisible()
    assert window.wizard.permit.permit_id == second.permit_id
    assert window.wizard.step == Step.IDENTITY
    assert focused() is window.wizard.identity_field


def test_a_digit_alone_chooses_that_line(counter: Counter, qtbot) -> None:
    show_several(counter, qtbot)
    window = counter.window
    third = window.candidates.candidates[2]
    with qtbot.waitSignal(counter.presenter.verdict_ready, timeout=2000) as verdict:
        press(focused(), Qt.Key.Key_3, counter.keys)
    assert verdict.args[0].permit.permit_id == third.permit_id
    assert window.wizard.isVisible()


def test_a_scanner_burst_on_the_list_is_a_new_scan_not_a_choice(counter: Counter, qtbot) -> None:
    show_several(counter, qtbot)
    window = counter.window
    chosen: list[object] = []
    window.candidates.chosen.connect(chosen.append)
    # A numéro étranger that starts with 1, scanned while the list is up.
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        for char in "1234567890":  # each key to whatever has the focus, as a scanner types
            QTest.keyClick(focused(), char)
        QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.wait(120)  # longer than a lone digit's wait: it must not fire afterwards
    assert chosen == []
    assert verdict.args[0].kind == VerdictKind.UNKNOWN
    assert not window.candidates.isVisible()
    assert focused() is window.scan_field


def test_escape_goes_back_to_the_scan_field(counter: Counter, qtbot) -> None:
    show_several(counter, qtbot)
    window = counter.window
    press(focused(), Qt.Key.Key_Escape, counter.keys)
    assert not window.candidates.isVisible()
    assert not window.wizard.isVisible()
    assert focused() is window.scan_field
    assert "Scannez" in window.verdict_panel.headline
    QTest.keyClick(focused(), Qt.Key.Key_1)  # typing goes to the scan field again
    assert window.scan_field.text() == "1"
