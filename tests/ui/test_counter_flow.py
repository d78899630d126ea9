"""The counter driven as an agent drives it: scans, keys, a signature drawn with the mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.domain.values import VerdictKind
from handover.persistence.models import Handover, Signature, TaxStamp
from handover.scanning.mrz_build import residence_card_mrz
from handover.scanning.reference import format_reference
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
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)


def test_complete_handover_from_scan_to_receipt(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    assert window.stack.currentWidget() is window.counter_page
    assert focused() is window.scan_field
    permit = ready_permit(counter.engine)
    before = handover_count(counter.engine)

    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict_signal:
        scan(window.scan_field, format_reference(permit.reference), counter.keys)
    verdict = verdict_signal.args[0]
    assert verdict.kind == VerdictKind.READY
    assert "PRÊT" in window.verdict_panel.headline
    wizard = window.wizard
    assert wizard.isVisible()
    assert wizard.step == Step.IDENTITY

    scan(
        focused(),
        passport_mrz(permit.surname, permit.given_names, permit.birth_date),
        counter.keys,
    )
    assert wizard.step == Step.STAMPS, wizard.problem.text()

    first, second = stamp_numbers(2, seed=11)
    due = permit.fee_cents
    scan(focused(), first, counter.keys)
    assert focused() is wizard.stamp_amount
    part = due - 2500
    focused().clear()
    type_by_hand(focused(), f"{part // 100},{part % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    scan(focused(), second, counter.keys)
    assert focused() is wizard.stamp_amount
    assert wizard.stamp_amount.text() == ""  # nothing offered: a reflex Enter records nothing
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.STAMPS and wizard.problem.isVisible()
    type_by_hand(focused(), "25", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.PREVIOUS_CARD, wizard.problem.text()
    assert wizard.problem.isHidden()  # the Enter that finished the stamps is not seen twice

    old_card = passport_mrz(
        permit.surname, permit.given_names, permit.birth_date, number="OLD123456"
    )
    scan(focused(), old_card, counter.keys)
    assert wizard.step == Step.CARD, wizard.problem.text()
    assert wizard.problem.isHidden()
    assert focused() is wizard.card_field
    assert permit.card_number in wizard.card_prompt.text()
    assert "conformes" in wizard.summary.text()  # the identity match stays in view

    # The card from the drawer is checked before the holder signs.
    scan(focused(), drawer_card(permit), counter.keys)
    assert wizard.step == Step.SIGNATURE, wizard.problem.text()
    press(focused(), Qt.Key.Key_Return, counter.keys)  # not signed yet: refused
    assert wizard.step == Step.SIGNATURE
    assert wizard.problem.isVisible()
    assert handover_count(counter.engine) == before
    draw_signature(wizard.signature_pad)
    # The signature is the last thing: Enter records the handover.
    with qtbot.waitSignal(counter.presenter.receipt_sent):
        press(focused(), Qt.Key.Key_Return, counter.keys)

    # The agent's actions: six scans (permit, identity, two stamps, old card, card from the
    # drawer) and three Enters (two stamp amounts read off the stamps, signature done); the
    # refused Enters (an empty amount, no signature yet) are the two extra.
    actions = counter.keys.actions
    assert actions.count("scan") == 6
    assert actions.count("Return") == 5

    assert not wizard.isVisible()
    assert focused() is window.scan_field
    assert window.scan_field.text() == ""
    assert "REMIS" in window.verdict_panel.headline
    assert f"Carte n° {permit.card_number} vérifiée" in window.verdict_panel.details
    assert len(counter.printer.jobs) == 1
    assert counter.printer.jobs[0].pdf.startswith(b"%PDF")
    assert handover_count(counter.engine) == before + 1
    with counter.engine.connect() as connection:
        handover = connection.execute(
            select(Handover).where(Handover.permit_id == permit.permit_id)
        ).one()
        stamps = connection.execute(
            select(TaxStamp.stamp_number, TaxStamp.amount_cents).where(
                TaxStamp.handover_id == handover.id
            )
        ).all()
        png = connection.execute(
            select(Signature.png).where(Signature.handover_id == handover.id)
        ).scalar_one()
    assert sorted(stamps) == sorted([(first, part), (second, 2500)])
    assert png.startswith(b"\x89PNG")
    assert window.banner.count_text.endswith(str(counter.service.count_today()))


def test_second_scan_of_the_same_permit_shows_already_handed_over(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    permit = ready_permit(counter.engine)
    complete_handover(counter, qtbot, permit)

    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict_signal:
        scan(window.scan_field, permit.reference, counter.keys)
    assert verdict_signal.args[0].kind == VerdictKind.ALREADY_HANDED_OVER
    assert "DÉJÀ REMIS" in window.verdict_panel.headline
    assert not window.wizard.isVisible()
    assert focused() is window.scan_field


def complete_handover(counter: Counter, qtbot, permit) -> None:
    window = counter.window
    scan(window.scan_field, permit.reference, counter.keys)
    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    scan(focused(), stamp_numbers(1, seed=permit.permit_id)[0], counter.keys)
    focused().clear()
    due = permit.fee_cents
    type_by_hand(focused(), f"{due // 100},{due % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    if permit.previous_card_expected:
        old_card = residence_card_mrz(
            "OLD123456", permit.surname, permit.given_names, permit.birth_date
        )
        scan(focused(), old_card, counter.keys)
    scan(focused(), drawer_card(permit), counter.keys)
    draw_signature(window.wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
