"""The handover being prepared at the desk: which steps apply, what each still needs.

No Qt here: the wizard asks the draft, and the record re-checks everything anyway
(``handover.services.handover_rules``). The order is the desk's safety order: the card is
taken from the drawer and checked before the holder signs, and the signature is the last
thing before the record, so that nobody signs for a card that is not theirs.

``route_scan`` says what a scan that arrived in a step is for: a scan is never silently
turned into data of another kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from handover.domain.values import (
    IdentityDocument,
    OverrideKind,
    PermitSummary,
    PreviousCardOutcome,
    PreviousCardReturn,
    StampEntry,
)


class DraftStep(enum.IntEnum):
    """The steps, in the order the desk does them (the wizard's pages follow it)."""

    IDENTITY = 0
    STAMPS = 1
    PREVIOUS_CARD = 2
    CARD = 3  # the card taken from the drawer, checked against the permit
    SIGNATURE = 4


# The override that lets each step go on without what it needs.
STEP_OVERRIDES = {
    DraftStep.IDENTITY: OverrideKind.IDENTITY,
    DraftStep.STAMPS: OverrideKind.FEE,
    DraftStep.PREVIOUS_CARD: OverrideKind.PREVIOUS_CARD,
    DraftStep.CARD: OverrideKind.CARD,
}


def _money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


@dataclass
class HandoverDraft:
    """One holder's handover until it is recorded or discarded; nothing is written."""

    permit: PermitSummary
    identity: IdentityDocument | None = None
    identity_differences: tuple[str, ...] = ()  # what the core read differs (French)
    stamps: list[StampEntry] = field(default_factory=list)
    previous_card: PreviousCardReturn | None = None
    card_checked: bool = False  # the drawer card's scan was this permit's card
    signature_png: bytes | None = None
    overrides: set[OverrideKind] = field(default_factory=set)

    # -- which steps ----------------------------------------------------------------------

    def steps(self) -> tuple[DraftStep, ...]:
        """The steps this permit needs, in order."""
        steps = [DraftStep.IDENTITY]
        if self.permit.fee_cents > 0:
            steps.append(DraftStep.STAMPS)
        if self.permit.previous_card_expected:
            steps.append(DraftStep.PREVIOUS_CARD)
        return (*steps, DraftStep.CARD, DraftStep.SIGNATURE)

    def after(self, step: DraftStep) -> DraftStep | None:
        steps = self.steps()
        index = steps.index(step)
        return steps[index + 1] if index + 1 < len(steps) else None

    # -- what each step still needs -------------------------------------------------------

    @property
    def stamps_total(self) -> int:
        return sum(s.amount_cents for s in self.stamps)

    def lifted(self, kind: OverrideKind) -> bool:
        return kind in self.overrides

    def needs(self, step: DraftStep) -> str | None:
        """What ``step`` still needs, in French for the agent; None: done."""
        return {
            DraftStep.IDENTITY: self._identity_needs,
            DraftStep.STAMPS: self._stamps_needs,
            DraftStep.PREVIOUS_CARD: self._previous_needs,
            DraftStep.CARD: self._card_needs,
            DraftStep.SIGNATURE: self._signature_needs,
        }[step]()

    def _identity_needs(self) -> str | None:
        if self.identity is None:
            return "Scannez la pièce d'identité du titulaire (saisie à la main : F8)."
        if self.identity_differences and not (
            self.lifted(OverrideKind.IDENTITY) or self.lifted(OverrideKind.PROXY)
        ):
            return (
                "PIÈCE NON CONFORME (" + ", ".join(self.identity_differences) + ") : scannez "
                "une autre pièce du titulaire, ou faites venir le chef d'accueil (F4)."
            )
        return None

    def _stamps_needs(self) -> str | None:
        missing = self.permit.fee_cents - self.stamps_total
        if missing <= 0 or self.lifted(OverrideKind.FEE):
            return None
        return (
            f"Il manque {_money(missing)} : scannez le timbre suivant "
            "(timbres insuffisants : chef d'accueil, F4)."
        )

    def _previous_needs(self) -> str | None:
        if self.previous_card is not None or self.lifted(OverrideKind.PREVIOUS_CARD):
            return None
        return (
            "Scannez l'ancienne carte, ou cochez « perdue ou volée » (F6) et tapez le "
            "numéro et la date de la déclaration."
        )

    def _card_needs(self) -> str | None:
        if self.card_checked or self.lifted(OverrideKind.CARD):
            return None
        return (
            "Scannez la carte sortie du casier (bande MRZ au dos) avant la signature. "
            "Carte illisible : chef d'accueil (F4)."
        )

    def _signature_needs(self) -> str | None:
        return None if self.signature_png else "Le titulaire signe dans le cadre."

    def complete(self, step: DraftStep) -> bool:
        return self.needs(step) is None

    def next_needed(self) -> DraftStep | None:
        """The first step that still needs something; None: the draft is complete."""
        return next((s for s in self.steps() if not self.complete(s)), None)

    @property
    def is_complete(self) -> bool:
        return self.next_needed() is None

    def steps_done(self) -> int:
        """How many steps hold the agent's work (for « cancel this? »)."""
        done = 0
        if self.identity is not None:
            done += 1
        if self.stamps:
            done += 1
        if self.previous_card is not None and self.previous_card.outcome != (
            PreviousCardOutcome.NONE
        ):
            done += 1
        if self.card_checked:
            done += 1
        return done

    def worth_asking_before_discarding(self) -> bool:
        """A signature, or two steps done: Esc asks once before throwing it away."""
        return self.signature_png is not None or self.steps_done() >= 2


class ScanRoute(enum.StrEnum):
    """What a scan that arrived in a wizard step is for."""

    THIS_STEP = "this_step"  # the step's own kind of code: the step reads it
    OTHER_HOLDER = "other_holder"  # another permit's reference: offer to switch holders
    SAME_PERMIT = "same_permit"  # this permit's reference again: nothing to do
    LATER_STEP = "later_step"  # a code a later step reads (an MRZ while stamps are due)
    REFUSED = "refused"  # anything else: said, and nothing kept


# The scan kinds (``ScanKind`` values) that name a permit.
PERMIT_KEYS = frozenset({"reference", "numero_etranger", "anef_request"})
STEP_READS = {
    DraftStep.IDENTITY: frozenset({"mrz", "2d_doc"}),
    DraftStep.STAMPS: frozenset({"tax_stamp"}),
    DraftStep.PREVIOUS_CARD: frozenset({"mrz"}),
    DraftStep.CARD: frozenset({"mrz"}),
    DraftStep.SIGNATURE: frozenset[str](),
}


@dataclass(frozen=True)
class Routed:
    route: ScanRoute
    step: DraftStep | None = None  # LATER_STEP: the step that will read it


def route_scan(
    draft: HandoverDraft,
    step: DraftStep,
    scan_kind: str,
    valid: bool,
    *,
    reference: str | None = None,
) -> Routed:
    """Where a scan that arrived in ``step`` goes, from its kind (``ScanKind`` value).

    ``reference``: the permit reference it carries, formatted, when it is one.
    """
    if scan_kind in PERMIT_KEYS and valid:
        same = reference is not None and reference == draft.permit.reference
        return Routed(ScanRoute.SAME_PERMIT if same else ScanRoute.OTHER_HOLDER)
    if not valid:
        return Routed(ScanRoute.REFUSED)
    if scan_kind in STEP_READS[step]:
        return Routed(ScanRoute.THIS_STEP)
    steps = draft.steps()
    later = [s for s in steps[steps.index(step) + 1 :] if scan_kind in STEP_READS[s]]
    if later:
        return Routed(ScanRoute.LATER_STEP, later[0])
    return Routed(ScanRoute.REFUSED)
