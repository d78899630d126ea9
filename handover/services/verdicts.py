"""What the agent should do with a scan: a Verdict, from the permit's state and the window."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handover.domain.identity import births_match, holder_differences
from handover.domain.names import names_match
from handover.domain.opening_window import WindowStatus
from handover.domain.text import printable
from handover.domain.values import (
    CardReading,
    IdentityMatch,
    PermitSummary,
    ScanProblem,
    Verdict,
    VerdictKind,
)
from handover.persistence.models import PermitState
from handover.scanning.mrz import Mrz
from handover.scanning.numbers import AnefRequestNumber, NumeroEtranger, TaxStamp
from handover.scanning.payloads import ScanKind, ScanResult, Unrecognised
from handover.scanning.reference import HandoverReference
from handover.scanning.twoddoc import TwoDDoc
from handover.services import lookup

MRZ_DOCUMENT_KINDS = {"P": "passport", "I": "id_card", "A": "id_card", "C": "id_card"}


READ_LIMIT = 60  # what is echoed of a scan: enough to compare with the SMS, no more


def identity_from(value: object) -> IdentityMatch | None:
    """The identity an MRZ or a 2D-Doc carries, not yet compared with a permit."""
    if isinstance(value, Mrz):
        code = value.document_code[:1]
        kind = (
            "residence_card"
            if value.document_code[:2] in ("IR", "AR", "CR", "RT")
            else (MRZ_DOCUMENT_KINDS.get(code, "other"))
        )
        return IdentityMatch(
            kind,
            value.issuing_state,
            value.document_number,
            value.surname,
            value.given_names,
            value.birth_date,
            False,
            False,
        )
    if isinstance(value, TwoDDoc) and value.surname:
        return IdentityMatch(
            "anef_attestation",
            "FRA",
            value.request_number or "",
            value.surname,
            value.first_names or "",
            value.birth_date,
            False,
            False,
        )
    return None


def compare_identity(identity: IdentityMatch, permit: PermitSummary) -> IdentityMatch:
    """The rule the record re-checks (``identity_differences``), for the screen to show."""
    differences = holder_differences(
        identity.surname, identity.given_names, identity.birth_date, permit
    )
    name_ok = "nom" not in differences and "prénom" not in differences
    birth_ok = "date de naissance" not in differences
    return IdentityMatch(
        identity.document_kind,
        identity.issuing_country,
        identity.document_number,
        identity.surname,
        identity.given_names,
        identity.birth_date,
        name_ok,
        birth_ok,
        differences,
    )


def find_permits(session: Session, value: object) -> tuple[list[PermitSummary], str]:
    """Permits matching a parsed scan, and what was looked up (in French, no full number).

    Read as plain rows (Core), not ORM objects: this is on every scan's path.
    """
    conn = session.connection()
    if isinstance(value, HandoverReference):
        return lookup.by_reference(conn, value.code), f"référence {value.display}"
    if isinstance(value, NumeroEtranger):
        return lookup.by_numero_etranger(conn, value.digits), "numéro étranger"
    if isinstance(value, AnefRequestNumber):
        return lookup.by_anef(conn, value.digits), "numéro de demande ANEF"
    if isinstance(value, Mrz):
        found = lookup.by_card_number(conn, value.document_number)
        if found:
            return found, "numéro de la carte"
        if value.birth_date is None:
            return [], "nom et date de naissance (date illisible)"
        return (
            lookup.by_name_and_birth(conn, value.surname, value.given_names, value.birth_date),
            "nom et date de naissance du document",
        )
    if isinstance(value, TwoDDoc):
        if value.request_number:
            found = lookup.by_anef(conn, value.request_number)
            if found:
                return found, "numéro de demande ANEF de l'attestation"
        if value.numero_etranger:
            found = lookup.by_numero_etranger(conn, value.numero_etranger)
            if found:
                return found, "numéro étranger de l'attestation"
        if value.surname and value.birth_date:
            return (
                lookup.by_name_and_birth(
                    conn, value.surname, value.first_names or "", value.birth_date
                ),
                "nom et date de naissance de l'attestation",
            )
        return [], "attestation 2D-Doc"
    return [], "scan"


def what_was_read(value: object) -> str:
    """The scan as the agent may see it echoed: the number or reference, or the name read."""
    if isinstance(value, HandoverReference):
        return value.display
    if isinstance(value, NumeroEtranger | AnefRequestNumber):
        return value.digits
    if isinstance(value, Mrz):
        return printable(f"{value.surname} {value.given_names}".strip(), limit=READ_LIMIT)
    if isinstance(value, TwoDDoc):
        return printable(
            f"{value.surname or ''} {value.first_names or ''}".strip(), limit=READ_LIMIT
        )
    return ""


def verdict_for(
    session: Session,
    value: object,
    *,
    window: WindowStatus,
    timezone: str,
    window_overridden: bool = False,
    repaired: str | None = None,
) -> Verdict:
    """The verdict for a parsed scan value at the instant ``window`` was computed for."""
    if isinstance(value, TaxStamp):
        return Verdict(
            VerdictKind.INVALID_SCAN,
            scan_problem=ScanProblem.TAX_STAMP,
            window=window,
            timezone=timezone,
            repaired=repaired,
        )
    permits, looked_up = find_permits(session, value)
    identity = identity_from(value)
    if not permits:
        return Verdict(
            VerdictKind.UNKNOWN,
            identity=identity,
            window=window,
            looked_up=looked_up,
            repaired=repaired,
            timezone=timezone,
            read=what_was_read(value),
        )
    if len(permits) > 1:
        return Verdict(
            VerdictKind.SEVERAL_MATCHES,
            candidates=tuple(permits),
            identity=identity,
            window=window,
            looked_up=looked_up,
            repaired=repaired,
            timezone=timezone,
        )
    return verdict_for_permit(
        session,
        permits[0],
        window=window,
        timezone=timezone,
        identity=identity,
        looked_up=looked_up,
        window_overridden=window_overridden,
        repaired=repaired,
    )


def invalid_scan(result: ScanResult, raw: str, *, window: WindowStatus | None) -> Verdict:
    """A scan the parser could not use: what it looked like, what was read, and why."""
    errors = result.errors or (
        (result.value.reason,) if isinstance(result.value, Unrecognised) else ()
    )
    return Verdict(
        VerdictKind.INVALID_SCAN,
        scan_problem=ScanProblem.UNREADABLE
        if result.kind == ScanKind.UNRECOGNISED
        else ScanProblem.INVALID,
        scan_kind=result.kind.value,
        errors=tuple(errors),
        read=printable(raw.strip(), limit=READ_LIMIT),
        window=window,
        repaired=result.repaired,
    )


def verdict_for_permit(
    session: Session,
    p: PermitSummary,
    *,
    window: WindowStatus,
    timezone: str,
    identity: IdentityMatch | None = None,
    looked_up: str = "",
    window_overridden: bool = False,
    repaired: str | None = None,
) -> Verdict:
    if identity is not None:
        identity = compare_identity(identity, p)
    common = {
        "permit": p,
        "identity": identity,
        "window": window,
        "looked_up": looked_up,
        "repaired": repaired,
        "timezone": timezone,
    }
    state = PermitState(p.state)
    if state == PermitState.HANDED_OVER:
        prior = lookup.prior_handover(session, p.permit_id)
        if prior is not None:
            return Verdict(VerdictKind.ALREADY_HANDED_OVER, prior=prior, **common)  # type: ignore[arg-type]
    if state == PermitState.BLOCKED:
        return Verdict(VerdictKind.BLOCKED, needs_supervisor=True, **common)  # type: ignore[arg-type]
    if state == PermitState.RETURNED:
        return Verdict(VerdictKind.RETURNED, **common)  # type: ignore[arg-type]
    if state == PermitState.EXPECTED:
        return Verdict(VerdictKind.NOT_ARRIVED, **common)  # type: ignore[arg-type]
    if not window.is_open and not window_overridden:
        return Verdict(VerdictKind.COUNTER_CLOSED, needs_supervisor=True, **common)  # type: ignore[arg-type]
    if state == PermitState.RECEIVED:
        return Verdict(VerdictKind.NOT_NOTIFIED, can_hand_over=True, **common)  # type: ignore[arg-type]
    return Verdict(VerdictKind.READY, can_hand_over=True, **common)  # type: ignore[arg-type]


def card_verdict(permit: PermitSummary, value: object) -> Verdict:
    """Is the card taken from the drawer this permit's card? Loud when it is not."""
    if not isinstance(value, Mrz):
        return Verdict(VerdictKind.INVALID_SCAN, scan_problem=ScanProblem.NOT_A_CARD, permit=permit)
    card = CardReading(value.document_number, value.surname, value.birth_date)
    differences = []
    if value.document_number.upper() != permit.card_number.upper():
        differences.append("numéro")
    if not names_match(value.surname, permit.surname):
        differences.append("nom")
    if not births_match(value.birth_date, permit.birth_date):
        differences.append("date de naissance")
    if differences:
        return Verdict(
            VerdictKind.WRONG_CARD,
            permit=permit,
            card=card,
            differences=tuple(differences),
            needs_supervisor=True,
        )
    return Verdict(VerdictKind.CARD_OK, permit=permit, card=card, can_hand_over=True)
