"""The card from the storage slot is scanned last: the right one records, a wrong one blocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.domain.values import OverrideKind, VerdictKind
from handover.persistence.models import AuditEntry, Handover, Permit, PermitState
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    draw_signature,
    drawer_card,
    find_permit,
    focused,
    handover_count,
    log_in,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
)
from tests.ui.test_counter_states import fill_supervisor, walk_to
from ui.dialogs.supervisor_dialog import SupervisorDialog
from ui.style import TONE_BLOCKED, TONE_READY
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)


def another_card(counter: Counter) -> str:
    """The MRZ of some other holder's card, filed in the same drawers."""
    permit = ready_permit(counter.engine)
    other = find_permit(
        counter.engine, Permit.id != permit.permit_id, Permit.state == PermitState.NOTIFIED
    )
    return drawer_card(other)


def test_a_wrong_card_says_so_loudly_and_blocks_until_the_right_one(
    counter: Counter, qtbot
) -> None:
    window = counter.window
    log_in(counter)
    walk_to(counter, qtbot, Step.CARD)
    wizard = window.wizard
    before = handover_count(counter.engine)

    with qtbot.waitSignal(wizard.card_checked) as checked:
        scan(focused(), another_card(counter), counter.keys)
    assert checked.args[0].kind == VerdictKind.WRONG_CARD
    assert window.verdict_panel.headline == "MAUVAISE CARTE — ne pas remettre"
    assert window.verdict_panel.tone == TONE_BLOCKED
    assert wizard.card_tone == "alarm"
    assert "MAUVAISE CARTE" in wizard.card_state.text()
    assert wizard.supervisor_button.isVisible()  # F4: the card override
    assert not window.supervisor_button.isVisible()  # one offer, not two
    assert focused() is wizard.card_field

    # Enter does not get past a wrong card.
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.isVisible()
    assert "ne la remettez pas" in wizard.problem.text()
    assert handover_count(counter.engine) == before
    with counter.engine.connect() as connection:
        actions = connection.execute(select(AuditEntry.action)).scalars().all()
    assert "card.wrong" in actions

    # The right card from the drawer: the holder signs, and Enter records the handover.
    scan(focused(), drawer_card(ready_permit(counter.engine)), counter.keys)
    assert wizard.step == Step.SIGNATURE
    assert handover_count(counter.engine) == before
    draw_signature(wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before + 1
    assert "REMIS" in window.verdict_panel.headline
    assert focused() is window.scan_field


def test_enter_without_the_card_scan_records_nothing(counter: Counter, qtbot) -> None:
    log_in(counter)
    walk_to(counter, qtbot, Step.CARD)
    before = handover_count(counter.engine)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert counter.window.wizard.step == Step.CARD
    assert "Scannez d'abord la carte" in counter.window.wizard.problem.text()
    assert handover_count(counter.engine) == before


def test_something_else_than_a_card_is_refused_and_the_card_field_waits(
    counter: Counter, qtbot
) -> None:
    log_in(counter)
    walk_to(counter, qtbot, Step.CARD)
    wizard = counter.window.wizard
    scan(focused(), "1234567890123456", counter.keys)  # a tax stamp, not a card
    assert wizard.step == Step.CARD
    assert "rien n'a été enregistré" in wizard.problem.text()
    assert "carte sortie du casier" in wizard.problem.text()
    assert not wizard.card_verified
    assert focused() is wizard.card_field


def test_a_supervisor_lets_an_unverified_card_go_with_a_visible_warning(
    counter: Counter, qtbot, monkeypatch
) -> None:
    window = counter.window
    log_in(counter)
    walk_to(counter, qtbot, Step.CARD)
    wizard = window.wizard
    permit = ready_permit(counter.engine)
    before = handover_count(counter.engine)
    scan(focused(), another_card(counter), counter.keys)

    # An agent cannot allow it.
    ask, dialogs = fill_supervisor("agent1", counter.passwords["agent1"], "Carte abimee")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    press(focused(), Qt.Key.Key_F4, counter.keys)
    assert dialogs[-1].result_grant is None
    assert wizard.wanted_override() == OverrideKind.CARD

    ask, dialogs = fill_supervisor("chef", counter.passwords["chef"], "MRZ abimee, carte verifiee")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted) as granted:
        press(focused(), Qt.Key.Key_F4, counter.keys)
    assert granted.args[0].kind == "card"
    assert granted.args[0].permit_id == permit.permit_id
    assert "CARTE NON VÉRIFIÉE" in wizard.card_state.text()
    assert wizard.card_tone == "warning"
    assert "CARTE NON VÉRIFIÉE" in window.verdict_panel.headline
    assert focused() is wizard.card_field

    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.SIGNATURE
    draw_signature(wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before + 1
    with counter.engine.connect() as connection:
        recorded = connection.execute(
            select(Handover.id).where(Handover.permit_id == permit.permit_id)
        ).scalar_one_or_none()
        actions = connection.execute(select(AuditEntry.action)).scalars().all()
    assert recorded is not None
    assert "override.card" in actions


def test_the_right_card_shows_green_when_the_record_then_fails(
    counter: Counter, qtbot, monkeypatch
) -> None:
    log_in(counter)
    walk_to(counter, qtbot, Step.CARD)
    wizard = counter.window.wizard

    def refuse(request, agent):
        from handover.errors import HandoverError

        raise HandoverError("Base de données indisponible.")

    monkeypatch.setattr(counter.service, "hand_over", refuse)
    with qtbot.waitSignal(wizard.card_checked) as checked:
        scan(focused(), drawer_card(ready_permit(counter.engine)), counter.keys)
    assert checked.args[0].kind == VerdictKind.CARD_OK
    draw_signature(wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_failed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.card_verified
    assert wizard.card_tone == "good"
    assert "BONNE CARTE" in wizard.card_state.text()
    assert counter.window.verdict_panel.tone != TONE_READY  # « NON ENREGISTRÉ » wins
