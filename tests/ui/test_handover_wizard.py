"""The handover steps as an agent meets them: identity verdicts, overrides, wrong-step scans.

Driven through the real window and presenter on a seeded SQLite database; outcomes are
read from the database and the audit.
"""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.domain.values import OverrideKind, VerdictKind
from handover.persistence.models import (
    AuditEntry,
    Handover,
    HandoverOverride,
    IdentityCheck,
    Permit,
    PermitState,
)
from handover.scanning.mrz_build import residence_card_mrz
from tests.ui.counter_fixtures import (
    CLOSED_AT,
    Counter,
    build_counter,
    counter_fixture,
    draw_signature,
    drawer_card,
    find_permit,
    focused,
    handover_count,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    settle,
    show,
    stamp_numbers,
    type_by_hand,
)
from tests.ui.test_counter_states import fill_supervisor
from ui.dialogs.supervisor_dialog import SupervisorDialog
from ui.style import TONE_BLOCKED
from ui.widgets.handover_wizard import SIGNATURE_PROMPT_HOLDER, Step

FIXTURES = (counter_fixture, seeded_template_fixture)


def _audit(counter: Counter) -> list[tuple[str, str]]:
    with counter.engine.connect() as connection:
        rows = connection.execute(select(AuditEntry.action, AuditEntry.details)).all()
    return [(action, details or "") for action, details in rows]


def _passport(permit) -> str:
    return passport_mrz(permit.surname, permit.given_names, permit.birth_date)


def _start(counter: Counter):
    log_in(counter)
    permit = ready_permit(counter.engine)
    scan(counter.window.scan_field, permit.reference, counter.keys)
    wizard = counter.window.wizard
    assert wizard.step == Step.IDENTITY
    return permit, wizard


def _finish_from_stamps(counter: Counter, qtbot, permit) -> None:
    """Stamps, previous card, drawer card, signature and Enter: the handover is recorded."""
    wizard = counter.window.wizard
    scan(focused(), stamp_numbers(1, seed=permit.permit_id + 50)[0], counter.keys)
    due = permit.fee_cents
    type_by_hand(focused(), f"{due // 100},{due % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    old = residence_card_mrz("OLD123456", permit.surname, permit.given_names, permit.birth_date)
    scan(focused(), old, counter.keys)
    assert wizard.step == Step.CARD, wizard.problem.text()
    scan(focused(), drawer_card(permit), counter.keys)
    assert wizard.step == Step.SIGNATURE, wizard.problem.text()
    draw_signature(wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)


def test_a_passport_of_someone_else_is_a_red_verdict_that_enter_does_not_pass(
    counter: Counter, qtbot, monkeypatch
) -> None:
    permit, wizard = _start(counter)
    before = handover_count(counter.engine)
    other = passport_mrz("MARTIN", "PAUL", date(1970, 1, 1))
    scan(focused(), other, counter.keys)

    assert wizard.step == Step.IDENTITY
    assert wizard.identity_tone == "alarm"
    text = wizard.identity_match.text()
    assert "PIÈCE NON CONFORME" in text
    assert "NOM" in text and "PRÉNOM" in text and "DATE DE NAISSANCE" in text
    panel = counter.window.verdict_panel
    assert "PIÈCE NON CONFORME" in panel.headline
    assert panel.tone == TONE_BLOCKED
    for _ in range(5):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.IDENTITY
    assert "NON CONFORME" in wizard.problem.text()
    assert focused() is wizard.identity_field
    assert wizard.wanted_override() == OverrideKind.IDENTITY

    # The supervisor checks the person and allows it: the step goes on, the override
    # travels with the handover and is linked to it.
    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Nom d'usage, acte vu")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted) as granted:
        press(focused(), Qt.Key.Key_F4, counter.keys)
    assert granted.args[0].kind == OverrideKind.IDENTITY
    assert wizard.step == Step.STAMPS
    _finish_from_stamps(counter, qtbot, permit)
    assert handover_count(counter.engine) == before + 1
    with counter.engine.connect() as connection:
        handover_id = connection.execute(
            select(Handover.id).where(Handover.permit_id == permit.permit_id)
        ).scalar_one()
        kinds = connection.execute(
            select(HandoverOverride.kind).where(HandoverOverride.handover_id == handover_id)
        ).scalars()
        assert list(kinds) == [OverrideKind.IDENTITY.value]


def test_an_unrecognised_scan_is_refused_and_the_rescan_lands_in_the_identity_field(
    counter: Counter, qtbot
) -> None:
    permit, wizard = _start(counter)
    scan(focused(), "XQ7Z2", counter.keys)
    qtbot.waitUntil(lambda: wizard.problem.isVisible())
    assert "rien n'a été enregistré" in wizard.problem.text()
    assert wizard.document_number.text() == ""  # never copied into « Numéro »
    assert focused() is wizard.identity_field
    assert wizard.step == Step.IDENTITY
    press(focused(), Qt.Key.Key_Return, counter.keys)  # nothing typed by hand either
    assert wizard.step == Step.IDENTITY

    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    assert wizard.step == Step.STAMPS, wizard.problem.text()
    assert wizard.draft is not None and wizard.draft.identity is not None
    assert wizard.draft.identity.scan is not None


def test_another_holder_s_reference_offers_a_switch_that_writes_nothing(
    counter: Counter, qtbot
) -> None:
    permit, wizard = _start(counter)
    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    assert wizard.step == Step.STAMPS
    other = find_permit(
        counter.engine, Permit.id != permit.permit_id, Permit.state == PermitState.NOTIFIED
    )
    before = handover_count(counter.engine)

    scan(focused(), other.reference, counter.keys)
    qtbot.waitUntil(lambda: wizard.switch_offered)
    assert wizard.switch_offer.isVisible()
    assert "Entrée : passer à ce titulaire" in wizard.switch_offer.text()
    assert wizard.step == Step.STAMPS  # nothing taken as a stamp

    # Esc keeps the current holder; the offer comes back with the next scan.
    press(focused(), Qt.Key.Key_Escape, counter.keys)
    assert not wizard.switch_offered and wizard.isVisible()
    scan(focused(), other.reference, counter.keys)
    qtbot.waitUntil(lambda: wizard.switch_offered)

    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert verdict.args[0].permit.permit_id == other.permit_id
    settle()
    assert wizard.permit is not None and wizard.permit.permit_id == other.permit_id
    assert wizard.step == Step.IDENTITY
    assert handover_count(counter.engine) == before
    discarded = [d for a, d in _audit(counter) if a == "handover.discarded"]
    assert discarded and f"permit:{permit.permit_id}" in discarded[-1]
    assert "changement de titulaire" in discarded[-1]


def test_this_permit_s_own_reference_again_changes_nothing(counter: Counter, qtbot) -> None:
    permit, wizard = _start(counter)
    scan(focused(), permit.reference, counter.keys)
    qtbot.waitUntil(lambda: wizard.problem.isVisible())
    assert "référence de ce titre" in wizard.problem.text()
    assert not wizard.switch_offered
    assert wizard.step == Step.IDENTITY


def test_a_document_without_mrz_is_typed_after_f8_with_its_country(counter: Counter, qtbot) -> None:
    permit, wizard = _start(counter)
    assert not wizard.manual_box.isVisible()
    press(focused(), Qt.Key.Key_F3, counter.keys)
    assert wizard.manual_box.isVisible()
    assert focused() is wizard.document_country
    press(focused(), Qt.Key.Key_Return, counter.keys)  # no country yet
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.IDENTITY
    assert "pays de délivrance" in wizard.problem.text()
    wizard.document_country.setFocus()
    type_by_hand(focused(), "MAR", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert focused() is wizard.document_number
    type_by_hand(focused(), "RC123456", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.STAMPS, wizard.problem.text()
    assert "vérifiée visuellement par l'agent" in wizard.permit_line.text()
    _finish_from_stamps(counter, qtbot, permit)
    with counter.engine.connect() as connection:
        from_scan = connection.execute(
            select(IdentityCheck.from_scan)
            .join(Handover, Handover.id == IdentityCheck.handover_id)
            .where(Handover.permit_id == permit.permit_id)
        ).scalar_one()
    assert from_scan is False


def test_a_holder_found_by_their_passport_does_not_scan_it_again(counter: Counter, qtbot) -> None:
    log_in(counter)
    permit = ready_permit(counter.engine)
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        scan(
            counter.window.scan_field,
            passport_mrz(permit.surname, permit.given_names, permit.birth_date),
            counter.keys,
        )
    assert verdict.args[0].kind == VerdictKind.READY
    assert verdict.args[0].identity is not None
    wizard = counter.window.wizard
    qtbot.waitUntil(lambda: wizard.step == Step.STAMPS)
    assert wizard.draft is not None and wizard.draft.identity is not None


def test_too_few_stamps_go_on_only_with_the_supervisor_s_fee_override(
    counter: Counter, qtbot, monkeypatch
) -> None:
    permit, wizard = _start(counter)
    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    scan(focused(), stamp_numbers(1, seed=99)[0], counter.keys)
    type_by_hand(focused(), "25", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)  # continue with 25 € of 225 €: refused
    assert wizard.step == Step.STAMPS
    assert "Il manque" in wizard.problem.text()
    assert wizard.supervisor_button.isVisible()
    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Exoneration, courrier vu")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    press(focused(), Qt.Key.Key_F4, counter.keys)
    assert wizard.step == Step.PREVIOUS_CARD, wizard.problem.text()


def test_another_person_s_previous_card_is_refused_in_the_step(counter: Counter, qtbot) -> None:
    permit, wizard = _start(counter)
    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    scan(focused(), stamp_numbers(1, seed=98)[0], counter.keys)
    due = permit.fee_cents
    type_by_hand(focused(), f"{due // 100},{due % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.PREVIOUS_CARD
    someone = residence_card_mrz("OLD999999", "MARTIN", "PAUL", date(1970, 1, 1))
    scan(focused(), someone, counter.keys)
    qtbot.waitUntil(lambda: wizard.problem.isVisible())
    assert "n'est pas celle du titulaire" in wizard.problem.text()
    assert wizard.step == Step.PREVIOUS_CARD


def test_a_proxy_authorised_by_f7_hands_over_on_the_proxy_s_own_passport(
    counter: Counter, qtbot, monkeypatch
) -> None:
    permit, wizard = _start(counter)
    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Mere du mineur, livret vu")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted) as granted:
        press(focused(), Qt.Key.Key_F7, counter.keys)
    assert granted.args[0].kind == OverrideKind.PROXY
    assert "représentant" in wizard.problem.text()
    parent = passport_mrz("MARTIN", "CLAIRE", date(1980, 5, 5), number="PX1234567")
    scan(focused(), parent, counter.keys)
    assert wizard.step == Step.STAMPS, wizard.problem.text()
    assert wizard.identity_tone == "warning"  # differs, allowed: said, not hidden
    _finish_from_stamps(counter, qtbot, permit)
    details = [json.loads(d) for a, d in _audit(counter) if a == "handover" and d]
    assert {o["kind"] for o in details[-1]["overrides"]} == {"proxy"}


def test_a_burst_in_the_amount_field_is_not_typed_as_an_amount(counter: Counter, qtbot) -> None:
    permit, wizard = _start(counter)
    scan(
        focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), counter.keys
    )
    first, second = stamp_numbers(2, seed=97)
    scan(focused(), first, counter.keys)
    assert focused() is wizard.stamp_amount
    scan(focused(), second, counter.keys)  # the next stamp, scanned before typing the amount
    qtbot.waitUntil(lambda: wizard.problem.isVisible())
    assert wizard.stamp_amount.text() == ""
    assert "Tapez d'abord le montant" in wizard.problem.text()
    assert wizard.draft is not None and wizard.draft.stamps == []


def test_the_signature_prompt_speaks_to_the_holder_in_french_and_english(
    counter: Counter, qtbot
) -> None:
    _start(counter)
    assert "Signez" in SIGNATURE_PROMPT_HOLDER and "Please sign" in SIGNATURE_PROMPT_HOLDER
    assert counter.window.wizard.signature_prompt.text() == SIGNATURE_PROMPT_HOLDER


def _count_actions(counter: Counter, qtbot, permit) -> int:
    """The agent's actions for one standard handover, done on the real flow and counted:
    each scan, each submitting key, the signature (typing an amount is part of its Enter)."""
    window, keys = counter.window, counter.keys
    keys.actions.clear()
    scan(window.scan_field, permit.reference, keys)
    scan(focused(), _passport(permit), keys)
    scan(focused(), stamp_numbers(1, seed=permit.permit_id + 70)[0], keys)
    due = permit.fee_cents
    type_by_hand(focused(), f"{due // 100},{due % 100:02d}", keys)
    press(focused(), Qt.Key.Key_Return, keys)
    if permit.previous_card_expected:
        old = residence_card_mrz("OLD123456", permit.surname, permit.given_names, permit.birth_date)
        scan(focused(), old, keys)
    scan(focused(), drawer_card(permit), keys)
    draw_signature(window.wizard.signature_pad)
    keys.actions.append("signature")
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, keys)
    return len(keys.actions)


def test_a_first_permit_takes_seven_actions_and_a_renewal_eight(counter: Counter, qtbot) -> None:
    log_in(counter)
    first = find_permit(
        counter.engine,
        Permit.state == PermitState.NOTIFIED,
        Permit.fee_cents > 0,
        Permit.previous_card_expected.is_(False),
    )
    before = handover_count(counter.engine)
    assert _count_actions(counter, qtbot, first) == 7
    assert _count_actions(counter, qtbot, ready_permit(counter.engine)) == 8
    assert handover_count(counter.engine) == before + 2


def test_a_site_that_accepts_only_passports_offers_and_takes_only_passports(
    qtbot, tmp_path, seeded_template
) -> None:
    counter = build_counter(tmp_path, seeded_template, identity_documents=("passport",))
    show(qtbot, counter.window)
    permit, wizard = _start(counter)
    kinds = [wizard.document_kind.itemText(i) for i in range(wizard.document_kind.count())]
    assert kinds == ["Passeport"]
    card = residence_card_mrz("IR5555555", permit.surname, permit.given_names, permit.birth_date)
    scan(focused(), card, counter.keys)
    qtbot.waitUntil(wizard.problem.isVisible)
    assert "n'est pas accepté" in wizard.problem.text()
    assert wizard.step == Step.IDENTITY
    scan(focused(), _passport(permit), counter.keys)
    assert wizard.step == Step.STAMPS


def test_after_a_window_extension_f4_at_the_card_step_asks_for_the_card(
    qtbot, tmp_path, seeded_template, monkeypatch
) -> None:
    counter = build_counter(tmp_path, seeded_template, at=CLOSED_AT)
    show(qtbot, counter.window)
    log_in(counter)
    permit = ready_permit(counter.engine)
    scan(counter.window.scan_field, permit.reference, counter.keys)
    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Personnes dans la file")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted):
        press(focused(), Qt.Key.Key_F4, counter.keys)  # the window, extended
    wizard = counter.window.wizard
    scan(focused(), _passport(permit), counter.keys)
    scan(focused(), stamp_numbers(1, seed=61)[0], counter.keys)
    due = permit.fee_cents
    type_by_hand(focused(), f"{due // 100},{due % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    old = residence_card_mrz("OLD123456", permit.surname, permit.given_names, permit.birth_date)
    scan(focused(), old, counter.keys)
    assert wizard.step == Step.CARD
    scan(focused(), "1234567890123456", counter.keys)  # unreadable as a card

    with qtbot.waitSignal(counter.presenter.override_granted) as granted:
        press(focused(), Qt.Key.Key_F4, counter.keys)
    assert granted.args[0].kind == OverrideKind.CARD  # not a second window extension
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert wizard.step == Step.SIGNATURE
    draw_signature(wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    window_grants = [a for a, _d in _audit(counter) if a == "override.window"]
    assert len(window_grants) == 1
    counter.window.watch.stop()
    counter.engine.dispose()
