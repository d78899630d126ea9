"""What the agent should do with a scan: a Verdict, from the permit's state and the window."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handover.domain.identity import births_match, holder_differences
from handover.domain.names import names_match
from handover.domain.opening_window import WindowStatus, format_next_opening
from handover.domain.values import (
    IdentityMatch,
    PermitSummary,
    Verdict,
    VerdictKind,
)
from handover.persistence.models import PermitState
from handover.scanning.mrz import Mrz
from handover.scanning.numbers import AnefRequestNumber, NumeroEtranger, TaxStamp
from handover.scanning.reference import HandoverReference
from handover.scanning.twoddoc import TwoDDoc
from handover.services import lookup

MRZ_DOCUMENT_KINDS = {"P": "passport", "I": "id_card", "A": "id_card", "C": "id_card"}


def _money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


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


def _local(at: datetime, tz: str) -> datetime:
    return at.astimezone(ZoneInfo(tz))


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
            "TIMBRE FISCAL — scannez d'abord la référence",
            ("Ce code est un timbre fiscal. Il se scanne à l'étape « Timbres » d'une remise.",),
            window=window,
            repaired=repaired,
        )
    permits, looked_up = find_permits(session, value)
    identity = identity_from(value)
    if not permits:
        return Verdict(
            VerdictKind.UNKNOWN,
            "INCONNU — aucun titre trouvé",
            (
                f"Recherche par {looked_up} : aucun titre.",
                "Vérifiez que l'usager a bien reçu le SMS « titre disponible » ; essayez un "
                "autre document (SMS, récépissé, attestation ANEF, passeport).",
            ),
            identity=identity,
            window=window,
            looked_up=looked_up,
            repaired=repaired,
        )
    if len(permits) > 1:
        summaries = tuple(permits)
        return Verdict(
            VerdictKind.SEVERAL_MATCHES,
            f"PLUSIEURS TITRES — {len(permits)} correspondances",
            (f"Recherche par {looked_up}. Choisissez le bon titre dans la liste.",),
            candidates=summaries,
            identity=identity,
            window=window,
            looked_up=looked_up,
            repaired=repaired,
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
    }
    state = PermitState(p.state)
    if state == PermitState.HANDED_OVER:
        prior = lookup.prior_handover(session, p.permit_id)
        if prior is not None:
            at = _local(prior.at, timezone)
            return Verdict(
                VerdictKind.ALREADY_HANDED_OVER,
                f"DÉJÀ REMIS le {at:%d/%m} à {at:%H:%M}, {prior.desk_name}",
                (
                    f"Remis le {at:%d/%m/%Y à %H:%M} par {prior.agent_name}, {prior.desk_name} "
                    f"(remise {prior.handover_number}).",
                    "Ne remettez rien : un titre n'est remis qu'une fois.",
                ),
                prior=prior,
                **common,  # type: ignore[arg-type]
            )
    if state == PermitState.BLOCKED:
        return Verdict(
            VerdictKind.BLOCKED,
            "BLOQUÉ — voir le chef d'accueil",
            (
                f"Motif : {p.state_reason or 'non précisé'}.",
                "La remise demande l'accord d'un chef d'accueil.",
            ),
            needs_supervisor=True,
            **common,  # type: ignore[arg-type]
        )
    if state == PermitState.RETURNED:
        when = _local(p.closed_at, timezone).strftime("%d/%m/%Y") if p.closed_at else "—"
        return Verdict(
            VerdictKind.RETURNED,
            f"RETOURNÉ le {when} — non réclamé",
            (
                f"Motif : {p.state_reason or 'délai de retrait dépassé'}.",
                "Le titre n'est plus au guichet : orientez l'usager vers l'accueil général.",
            ),
            **common,  # type: ignore[arg-type]
        )
    if state == PermitState.EXPECTED:
        return Verdict(
            VerdictKind.NOT_ARRIVED,
            "PAS ENCORE ARRIVÉ",
            (
                "Le titre est annoncé mais pas encore reçu en préfecture.",
                "L'usager recevra un SMS quand il sera disponible.",
            ),
            **common,  # type: ignore[arg-type]
        )
    details = [
        f"{p.given_names} {p.surname.upper()}, né(e) le {p.birth_date:%d/%m/%Y}, {p.nationality}",
        f"{p.category} — carte n° {p.card_number}",
        f"À percevoir : {_money(p.fee_cents)} en timbres fiscaux."
        if p.fee_cents
        else "Aucun timbre à percevoir.",
        "Reprendre l'ancienne carte (ou n° de déclaration de perte/vol)."
        if p.previous_card_expected
        else "Première délivrance : pas d'ancienne carte.",
    ]
    if identity is not None and not identity.matches:
        details.insert(
            0,
            "ATTENTION : le document scanné ne correspond pas au titulaire "
            f"(ce qui diffère : {', '.join(identity.differences) or 'nom'}).",
        )
    slot = p.storage_slot or "?"
    if not window.is_open and not window_overridden:
        nxt = format_next_opening(window, timezone) if window.next_opening else ""
        return Verdict(
            VerdictKind.COUNTER_CLOSED,
            f"FERMÉ — {nxt}" if nxt else "FERMÉ",
            (
                window.reason,
                f"Titre prêt, casier {slot} : remise possible avec l'accord d'un chef d'accueil.",
                *details,
            ),
            needs_supervisor=True,
            **common,  # type: ignore[arg-type]
        )
    if state == PermitState.RECEIVED:
        return Verdict(
            VerdictKind.NOT_NOTIFIED,
            f"PRÊT (SMS non envoyé) — casier {slot}",
            (
                "Le titre est arrivé mais l'usager n'a pas encore été prévenu par SMS : "
                "remise possible.",
                *details,
            ),
            can_hand_over=True,
            **common,  # type: ignore[arg-type]
        )
    return Verdict(
        VerdictKind.READY,
        f"PRÊT — casier {slot}",
        tuple(details),
        can_hand_over=True,
        **common,  # type: ignore[arg-type]
    )


def card_verdict(permit: PermitSummary, value: object) -> Verdict:
    """Is the card taken from the drawer this permit's card? Loud when it is not."""
    if not isinstance(value, Mrz):
        return Verdict(
            VerdictKind.INVALID_SCAN,
            "CE N'EST PAS UNE CARTE — scannez la zone MRZ du titre",
            ("Scannez les lignes MRZ au dos du titre sorti du casier.",),
            permit=permit,
        )
    problems = []
    if value.document_number.upper() != permit.card_number.upper():
        problems.append(f"numéro {value.document_number} au lieu de {permit.card_number}")
    if not names_match(value.surname, permit.surname):
        problems.append(f"nom {value.surname}")
    if not births_match(value.birth_date, permit.birth_date):
        problems.append("date de naissance différente")
    if problems:
        return Verdict(
            VerdictKind.WRONG_CARD,
            "MAUVAISE CARTE — ne pas remettre",
            (
                "La carte scannée n'est pas celle de ce titre : " + ", ".join(problems) + ".",
                "Remettez-la dans son casier et cherchez la bonne carte.",
            ),
            permit=permit,
            needs_supervisor=True,
        )
    return Verdict(
        VerdictKind.CARD_OK,
        "BONNE CARTE — numéro, nom et date de naissance concordent",
        (f"Carte n° {permit.card_number}.",),
        permit=permit,
        can_hand_over=True,
    )
