"""Each rule broken in the wizard on purpose: the screen lets the handover through, the
core still refuses it and writes nothing.

The wizard only guides; these tests switch one of its checks off (the draft says « done »
whatever it holds) and drive the real window to the record.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from handover.domain.draft import HandoverDraft
from handover.scanning.mrz_build import residence_card_mrz
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    draw_signature,
    drawer_card,
    focused,
    handover_count,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    stamp_numbers,
    type_by_hand,
)
from ui.widgets.handover_wizard import HandoverWizard, Step
from ui.widgets.signature_pad import SignaturePad

FIXTURES = (counter_fixture, seeded_template_fixture)

# rule → (what the wizard no longer checks, what the core says)
BROKEN = {
    "identity": ("_identity_needs", "ne correspond pas au titulaire"),
    "fee": ("_stamps_needs", "Timbres insuffisants"),
    "previous_card": ("_previous_needs", "Ancienne carte"),
    "drawer_card": ("_card_needs", "carte sortie du casier"),
    "signature": (None, "signature"),
}


@pytest.mark.parametrize("rule", list(BROKEN))
def test_the_core_refuses_what_a_broken_wizard_lets_through(
    counter: Counter, qtbot, monkeypatch, rule: str
) -> None:
    check, refusal = BROKEN[rule]
    if check is not None:
        monkeypatch.setattr(HandoverDraft, check, lambda self: None)
    if rule == "drawer_card":
        monkeypatch.setattr(HandoverWizard, "_finish_card", lambda self: None)
    if rule == "signature":
        monkeypatch.setattr(SignaturePad, "problem", lambda self: None)
    log_in(counter)
    permit = ready_permit(counter.engine)
    keys = counter.keys
    before = handover_count(counter.engine)
    wizard = counter.window.wizard

    scan(counter.window.scan_field, permit.reference, keys)
    if rule == "identity":
        scan(focused(), passport_mrz("MARTIN", "PAUL", date(1970, 1, 1)), keys)
        press(focused(), Qt.Key.Key_Return, keys)
    else:
        scan(focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), keys)
    assert wizard.step == Step.STAMPS
    scan(focused(), stamp_numbers(1, seed=permit.permit_id + 90)[0], keys)
    amount = 2500 if rule == "fee" else permit.fee_cents
    type_by_hand(focused(), f"{amount // 100},{amount % 100:02d}", keys)
    press(focused(), Qt.Key.Key_Return, keys)
    if rule == "fee":
        press(focused(), Qt.Key.Key_Return, keys)
    assert wizard.step == Step.PREVIOUS_CARD
    if rule == "previous_card":
        press(focused(), Qt.Key.Key_Return, keys)
    else:
        old = residence_card_mrz("OLD123456", permit.surname, permit.given_names, permit.birth_date)
        scan(focused(), old, keys)
    assert wizard.step == Step.CARD
    if rule == "drawer_card":
        press(focused(), Qt.Key.Key_Return, keys)
    else:
        scan(focused(), drawer_card(permit), keys)
    assert wizard.step == Step.SIGNATURE
    if rule != "signature":
        draw_signature(wizard.signature_pad)

    with qtbot.waitSignal(counter.presenter.handover_failed) as failed:
        press(focused(), Qt.Key.Key_Return, keys)
    assert refusal.lower() in failed.args[0].lower()
    assert handover_count(counter.engine) == before
    assert counter.printer.jobs == []
