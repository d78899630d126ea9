"""The handover draft: which steps apply, what each still needs, where a scan goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from handover.domain.draft import DraftStep, HandoverDraft, ScanRoute, route_scan
from handover.domain.values import (
    IdentityDocument,
    IdentityDocumentKind,
    OverrideKind,
    PermitSummary,
    PreviousCardOutcome,
    PreviousCardReturn,
    StampEntry,
)

FIRST = PermitSummary(
    permit_id=7,
    reference="K3P9-7QXA-M",
    surname="Diallo",
    given_names="Awa",
    birth_date=date(1990, 4, 2),
    nationality="SEN",
    category="Salarié",
    card_number="FR1234567",
    valid_from=date(2026, 1, 1),
    valid_until=date(2030, 1, 1),
    storage_slot="B-12",
    fee_cents=22500,
    previous_card_expected=False,
    state="notified",
    state_reason=None,
    notified_at=None,
    closed_at=None,
)
RENEWAL = replace(FIRST, previous_card_expected=True)
PASSPORT = IdentityDocument(IdentityDocumentKind.PASSPORT, "SEN", "AB1234567", from_scan=True)


def test_a_first_permit_has_no_previous_card_step_and_ends_with_the_card_then_the_signature():
    assert HandoverDraft(FIRST).steps() == (
        DraftStep.IDENTITY,
        DraftStep.STAMPS,
        DraftStep.CARD,
        DraftStep.SIGNATURE,
    )
    assert HandoverDraft(RENEWAL).steps() == (
        DraftStep.IDENTITY,
        DraftStep.STAMPS,
        DraftStep.PREVIOUS_CARD,
        DraftStep.CARD,
        DraftStep.SIGNATURE,
    )
    free = HandoverDraft(replace(FIRST, fee_cents=0))
    assert DraftStep.STAMPS not in free.steps()
    assert free.complete(DraftStep.STAMPS)


def test_each_step_says_what_it_still_needs_until_the_draft_is_complete():
    draft = HandoverDraft(RENEWAL)
    assert draft.next_needed() == DraftStep.IDENTITY
    assert "pièce d'identité" in (draft.needs(DraftStep.IDENTITY) or "")
    draft.identity = PASSPORT
    assert draft.next_needed() == DraftStep.STAMPS
    draft.stamps.append(StampEntry("1234567890123456", 20000))
    assert "Il manque 25,00 €" in (draft.needs(DraftStep.STAMPS) or "")
    draft.stamps.append(StampEntry("1234567890123457", 2500))
    assert draft.complete(DraftStep.STAMPS)
    assert draft.next_needed() == DraftStep.PREVIOUS_CARD
    draft.previous_card = PreviousCardReturn(PreviousCardOutcome.TAKEN_BACK, "IR0000001")
    assert draft.next_needed() == DraftStep.CARD
    assert "avant la signature" in (draft.needs(DraftStep.CARD) or "")
    draft.card_checked = True
    assert draft.next_needed() == DraftStep.SIGNATURE
    assert not draft.is_complete
    draft.signature_png = b"\x89PNG"
    assert draft.is_complete


def test_a_document_that_differs_needs_a_new_scan_or_an_identity_or_proxy_override():
    draft = HandoverDraft(FIRST, identity=PASSPORT, identity_differences=("nom", "prénom"))
    needs = draft.needs(DraftStep.IDENTITY) or ""
    assert "NON CONFORME (nom, prénom)" in needs
    for kind in (OverrideKind.IDENTITY, OverrideKind.PROXY):
        lifted = HandoverDraft(
            FIRST, identity=PASSPORT, identity_differences=("nom",), overrides={kind}
        )
        assert lifted.complete(DraftStep.IDENTITY)
    # An override of another kind lifts nothing here.
    other = HandoverDraft(
        FIRST, identity=PASSPORT, identity_differences=("nom",), overrides={OverrideKind.FEE}
    )
    assert not other.complete(DraftStep.IDENTITY)


@pytest.mark.parametrize(
    ("step", "kind"),
    [
        (DraftStep.STAMPS, OverrideKind.FEE),
        (DraftStep.PREVIOUS_CARD, OverrideKind.PREVIOUS_CARD),
        (DraftStep.CARD, OverrideKind.CARD),
    ],
)
def test_a_supervisor_override_of_the_step_s_kind_lets_it_go_on(step, kind):
    draft = HandoverDraft(RENEWAL, identity=PASSPORT)
    assert not draft.complete(step)
    draft.overrides.add(kind)
    assert draft.complete(step)


def test_escape_asks_once_with_a_signature_or_two_steps_done():
    draft = HandoverDraft(RENEWAL)
    assert not draft.worth_asking_before_discarding()
    draft.identity = PASSPORT
    assert not draft.worth_asking_before_discarding()
    draft.stamps.append(StampEntry("1234567890123456", 22500))
    assert draft.worth_asking_before_discarding()
    signed = HandoverDraft(FIRST, signature_png=b"\x89PNG")
    assert signed.worth_asking_before_discarding()


def test_another_permit_s_reference_offers_a_switch_and_this_permit_s_does_nothing():
    draft = HandoverDraft(FIRST)
    for step in DraftStep:
        other = route_scan(draft, step, "reference", True, reference="ZZZZ-ZZZZ-Z")
        assert other.route == ScanRoute.OTHER_HOLDER
        same = route_scan(draft, step, "reference", True, reference=FIRST.reference)
        assert same.route == ScanRoute.SAME_PERMIT
    assert route_scan(draft, DraftStep.CARD, "numero_etranger", True).route == (
        ScanRoute.OTHER_HOLDER
    )


def test_a_scan_goes_to_its_own_step_or_is_refused():
    draft = HandoverDraft(RENEWAL)
    assert route_scan(draft, DraftStep.IDENTITY, "mrz", True).route == ScanRoute.THIS_STEP
    assert route_scan(draft, DraftStep.IDENTITY, "2d_doc", True).route == ScanRoute.THIS_STEP
    assert route_scan(draft, DraftStep.STAMPS, "tax_stamp", True).route == ScanRoute.THIS_STEP
    # Garbage in the identity step is never taken as a typed document number.
    assert route_scan(draft, DraftStep.IDENTITY, "unrecognised", False).route == (ScanRoute.REFUSED)
    stamp = route_scan(draft, DraftStep.IDENTITY, "tax_stamp", True)
    assert (stamp.route, stamp.step) == (ScanRoute.LATER_STEP, DraftStep.STAMPS)
    assert route_scan(draft, DraftStep.IDENTITY, "mrz", False).route == ScanRoute.REFUSED
    # An MRZ while stamps are due: the previous-card step will read it.
    early = route_scan(draft, DraftStep.STAMPS, "mrz", True)
    assert (early.route, early.step) == (ScanRoute.LATER_STEP, DraftStep.PREVIOUS_CARD)
    # Nothing is read at the signature: a scan there is refused.
    assert route_scan(draft, DraftStep.SIGNATURE, "mrz", True).route == ScanRoute.REFUSED
