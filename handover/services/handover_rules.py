"""The rules that decide whether a permit may leave the drawer, checked from raw inputs.

The record use case runs ``check_request`` inside its transaction: it re-parses every scan
the screen sent (identity document, previous card, card from the drawer) and compares it
with the permit; no match flag from the screen is trusted. A rule that fails raises a
``RuleRefused`` (French message) unless a supervisor's override of its kind was granted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from handover.domain.identity import holder_differences
from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    HandoverRequest,
    IdentityDocumentKind,
    OverrideKind,
    PermitSummary,
    PreviousCardOutcome,
    StampEntry,
    VerdictKind,
)
from handover.errors import HandoverError
from handover.scanning.mrz import Mrz
from handover.scanning.payloads import ScanResult
from handover.services.verdicts import card_verdict, identity_from

Parser = Callable[[str], ScanResult]


class HandoverRefused(HandoverError):
    """The handover cannot be recorded; nothing was written."""


class RuleRefused(HandoverRefused):
    """A rule refuses the handover; nothing was written. ``kind`` lifts it, if any."""

    def __init__(self, message: str, kind: OverrideKind | None = None) -> None:
        super().__init__(message)
        self.kind = kind


def _money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


@dataclass(frozen=True)
class CheckedIdentity:
    kind: str
    issuing_country: str
    number: str
    from_scan: bool  # False: typed by the agent, "vérifié visuellement par l'agent"
    differences: tuple[str, ...]  # what differs from the holder (lifted by an override)


@dataclass(frozen=True)
class CheckedPreviousCard:
    outcome: PreviousCardOutcome
    card_number: str | None
    police_report_number: str | None
    police_report_date: date | None


@dataclass(frozen=True)
class CheckedRequest:
    identity: CheckedIdentity
    previous_card: CheckedPreviousCard
    stamps_total_cents: int
    lifted: frozenset[OverrideKind]  # the overrides without which a rule refuses


def _differ(differences: tuple[str, ...]) -> str:
    return ", ".join(differences)


def document_label(kind: str) -> str:
    """« Passeport », « Titre de séjour »…: a document kind as the agent reads it."""
    known = kind in IdentityDocumentKind.__members__.values()
    return IDENTITY_DOCUMENT_LABELS[IdentityDocumentKind(kind)] if known else kind


def _accepted(kind: str, accepted: frozenset[str] | None) -> None:
    if accepted is None or kind in accepted:
        return
    listed = ", ".join(document_label(k) for k in sorted(accepted))
    raise RuleRefused(
        f"Ce type de pièce ({document_label(kind)}) n'est pas accepté au guichet de ce site. "
        f"Pièces acceptées : {listed}. Demandez une autre pièce au titulaire."
    )


def check_identity(
    request: HandoverRequest,
    permit: PermitSummary,
    parse: Parser,
    accepted: frozenset[str] | None = None,
) -> CheckedIdentity:
    """The identity document, re-read from its scan (or typed and checked by eye).

    ``accepted``: the site's ``[identity] documents``; None accepts every kind.
    """
    ident = request.identity
    if ident.scan is None:
        _accepted(ident.kind.value, accepted)
        country = ident.issuing_country.strip().upper()
        if len(country) != 3 or not country.isalpha():
            raise RuleRefused(
                "Pièce saisie à la main : indiquez le pays de délivrance (code à 3 lettres, "
                "par exemple DZA)."
            )
        if len(ident.number.strip()) < 4:
            raise RuleRefused("Numéro du document d'identité trop court (4 caractères au moins).")
        return CheckedIdentity(ident.kind.value, country, ident.number.strip(), False, ())
    result = parse(ident.scan)
    found = identity_from(result.value) if result.valid and result.value is not None else None
    if found is None:
        raise RuleRefused(
            "Pièce d'identité illisible ou non reconnue : scannez à nouveau sa bande MRZ."
        )
    _accepted(found.document_kind, accepted)
    differences = holder_differences(found.surname, found.given_names, found.birth_date, permit)
    return CheckedIdentity(
        found.document_kind, found.issuing_country, found.document_number, True, differences
    )


def _previous_card(
    request: HandoverRequest, permit: PermitSummary, parse: Parser, today: date
) -> CheckedPreviousCard:
    prev = request.previous_card
    if prev.outcome == PreviousCardOutcome.LOST_OR_STOLEN:
        number = (prev.police_report_number or "").strip()
        if not number:
            raise RuleRefused(
                "Carte précédente perdue ou volée : saisissez le numéro de la déclaration."
            )
        if prev.police_report_date is None:
            raise RuleRefused(
                "Carte précédente perdue ou volée : saisissez la date de la déclaration."
            )
        if prev.police_report_date > today:
            raise RuleRefused("La date de la déclaration de perte ou de vol est dans le futur.")
        return CheckedPreviousCard(prev.outcome, None, number, prev.police_report_date)
    if prev.outcome == PreviousCardOutcome.NONE:
        if permit.previous_card_expected:
            raise RuleRefused(
                "Ancienne carte : reprenez-la et scannez sa bande MRZ, ou notez la "
                "déclaration de perte ou de vol (numéro et date).",
                OverrideKind.PREVIOUS_CARD,
            )
        return CheckedPreviousCard(prev.outcome, None, None, None)
    if prev.scan is None:
        raise RuleRefused(
            "Ancienne carte reprise : scannez sa bande MRZ (le numéro tapé ne suffit pas).",
            OverrideKind.PREVIOUS_CARD,
        )
    result = parse(prev.scan)
    value = result.value if result.valid else None
    if not isinstance(value, Mrz):
        raise RuleRefused(
            "Ancienne carte illisible : scannez à nouveau la bande MRZ au dos de la carte.",
            OverrideKind.PREVIOUS_CARD,
        )
    if value.document_number.upper() == permit.card_number.upper():
        raise RuleRefused(
            "C'est la nouvelle carte qui a été scannée : scannez l'ancienne carte de l'usager."
        )
    differences = holder_differences(value.surname, value.given_names, value.birth_date, permit)
    if differences:
        raise RuleRefused(
            "L'ancienne carte scannée n'est pas celle du titulaire "
            f"(ce qui diffère : {_differ(differences)}). Rendez-la et demandez la bonne carte.",
            OverrideKind.PREVIOUS_CARD,
        )
    return CheckedPreviousCard(prev.outcome, value.document_number, None, None)


def _drawer_card(request: HandoverRequest, permit: PermitSummary, parse: Parser) -> None:
    if request.drawer_card_scan is None:
        raise RuleRefused(
            "Scannez la carte sortie du casier (bande MRZ au dos) avant la signature.",
            OverrideKind.CARD,
        )
    result = parse(request.drawer_card_scan)
    verdict = card_verdict(permit, result.value if result.valid else None)
    if verdict.kind != VerdictKind.CARD_OK:
        raise RuleRefused(" ".join((verdict.headline, *verdict.details)), OverrideKind.CARD)


def check_request(
    request: HandoverRequest,
    permit: PermitSummary,
    stamps: tuple[StampEntry, ...],
    *,
    parse: Parser,
    today: date,
    granted: frozenset[OverrideKind],
    accepted_documents: frozenset[str] | None = None,
) -> CheckedRequest:
    """Every rule, in the order of the steps; the first that refuses raises ``RuleRefused``."""
    lifted: set[OverrideKind] = set()

    def lift(refusal: RuleRefused) -> None:
        if refusal.kind is None or refusal.kind not in granted:
            raise refusal
        lifted.add(refusal.kind)

    identity = check_identity(request, permit, parse, accepted_documents)
    if identity.differences:
        kind = OverrideKind.PROXY if OverrideKind.PROXY in granted else OverrideKind.IDENTITY
        lift(
            RuleRefused(
                "La pièce d'identité ne correspond pas au titulaire. "
                f"Diffère : {_differ(identity.differences)}. Ne remettez pas le titre sans "
                "l'accord du chef d'accueil.",
                kind,
            )
        )
    total = sum(s.amount_cents for s in stamps)
    if total < permit.fee_cents:
        lift(
            RuleRefused(
                f"Timbres insuffisants : {_money(total)} reçus pour {_money(permit.fee_cents)} "
                f"dus ; il manque {_money(permit.fee_cents - total)}.",
                OverrideKind.FEE,
            )
        )
    try:
        previous = _previous_card(request, permit, parse, today)
    except RuleRefused as refusal:
        lift(refusal)
        prev = request.previous_card
        number = (prev.card_number or "").strip() or None
        previous = CheckedPreviousCard(prev.outcome, number, prev.police_report_number, None)
    try:
        _drawer_card(request, permit, parse)
    except RuleRefused as refusal:
        lift(refusal)
    return CheckedRequest(identity, previous, total, frozenset(lifted))
