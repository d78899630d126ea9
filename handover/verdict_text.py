"""The French words of a verdict, for the counter's panel and ``handover check`` alike.

The core decides (``handover.services.verdicts`` returns a kind and its data); this module
only says it. No Qt here: the command line prints the same sentences the agent reads.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handover.domain.opening_window import format_next_opening
from handover.domain.values import (
    OverrideGrant,
    OverrideKind,
    PermitSummary,
    ScanProblem,
    Verdict,
    VerdictKind,
)
from handover.scanning.payloads import ScanKind

RESCAN = "Scannez à nouveau, ou tapez la référence du SMS puis Entrée."


def money(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d} €"


def _local(at: datetime, timezone: str) -> datetime:
    return at.astimezone(ZoneInfo(timezone))


def _slot(permit: PermitSummary | None) -> str:
    return (permit.storage_slot if permit is not None else None) or "?"


def _echo(verdict: Verdict) -> str:
    return f" « {verdict.read} »" if verdict.read else ""


def holder_line(p: PermitSummary) -> str:
    return f"{p.given_names} {p.surname.upper()}, né(e) le {p.birth_date:%d/%m/%Y}, {p.nationality}"


def headline(v: Verdict) -> str:
    """One big line, readable from a metre away."""
    p = v.permit
    match v.kind:
        case VerdictKind.INVALID_SCAN:
            return _invalid_headline(v)
        case VerdictKind.UNKNOWN:
            return "INCONNU — aucun titre trouvé" if v.looked_up else "INCONNU — titre introuvable"
        case VerdictKind.SEVERAL_MATCHES:
            return f"PLUSIEURS TITRES — {len(v.candidates)} correspondances"
        case VerdictKind.ALREADY_HANDED_OVER:
            if v.prior is None:
                return "DÉJÀ REMIS"
            at = _local(v.prior.at, v.timezone)
            return f"DÉJÀ REMIS le {at:%d/%m} à {at:%H:%M}, {v.prior.desk_name}"
        case VerdictKind.BLOCKED:
            return "BLOQUÉ — voir le chef d'accueil"
        case VerdictKind.RETURNED:
            when = _local(p.closed_at, v.timezone) if p is not None and p.closed_at else None
            return f"RETOURNÉ le {when:%d/%m/%Y} — non réclamé" if when else "RETOURNÉ"
        case VerdictKind.NOT_ARRIVED:
            return "PAS ENCORE ARRIVÉ"
        case VerdictKind.COUNTER_CLOSED:
            nxt = (
                format_next_opening(v.window, v.timezone)
                if v.window is not None and v.window.next_opening
                else ""
            )
            return f"FERMÉ — {nxt}" if nxt else "FERMÉ"
        case VerdictKind.NOT_NOTIFIED:
            return f"PRÊT (SMS non envoyé) — casier {_slot(p)}"
        case VerdictKind.READY:
            return f"PRÊT — casier {_slot(p)}"
        case VerdictKind.WRONG_CARD:
            return "MAUVAISE CARTE — ne pas remettre"
        case VerdictKind.CARD_OK:
            return "BONNE CARTE — numéro, nom et date de naissance concordent"


def _invalid_headline(v: Verdict) -> str:
    match v.scan_problem:
        case ScanProblem.TAX_STAMP:
            return "TIMBRE FISCAL — scannez d'abord la référence"
        case ScanProblem.NOT_A_CARD:
            return "CE N'EST PAS UNE CARTE — scannez la zone MRZ du titre"
        case ScanProblem.INVALID if v.scan_kind:
            return f"{ScanKind(v.scan_kind).label.upper()} INVALIDE"
        case _:
            return "CODE ILLISIBLE — scannez à nouveau"


def details(v: Verdict) -> tuple[str, ...]:
    """The lines under the headline: why, and what to do."""
    p = v.permit
    match v.kind:
        case VerdictKind.INVALID_SCAN:
            return _invalid_details(v)
        case VerdictKind.UNKNOWN:
            if not v.looked_up:
                return ("Le titre n'existe plus dans la base. Scannez la référence suivante.",)
            return (
                f"Recherche par {v.looked_up}{_echo(v)} : aucun titre.",
                "Vérifiez que l'usager a bien reçu le SMS « titre disponible » ; essayez un "
                "autre document (SMS, récépissé, attestation ANEF, passeport).",
            )
        case VerdictKind.SEVERAL_MATCHES:
            return (f"Recherche par {v.looked_up}. Choisissez le bon titre dans la liste.",)
        case VerdictKind.ALREADY_HANDED_OVER:
            if v.prior is None:
                return ("Ne remettez rien : un titre n'est remis qu'une fois.",)
            at = _local(v.prior.at, v.timezone)
            return (
                f"Remis le {at:%d/%m/%Y à %H:%M} par {v.prior.agent_name}, {v.prior.desk_name} "
                f"(remise {v.prior.handover_number}).",
                "Ne remettez rien : un titre n'est remis qu'une fois.",
            )
        case VerdictKind.BLOCKED:
            reason = (p.state_reason if p is not None else None) or "non précisé"
            lines = [
                f"Motif : {reason}.",
                "La remise demande l'accord d'un chef d'accueil.",
            ]
            if p is not None:
                lines.append(holder_line(p))
            return tuple(lines)
        case VerdictKind.RETURNED:
            reason = (p.state_reason if p is not None else None) or "délai de retrait dépassé"
            return (
                f"Motif : {reason}.",
                "Le titre n'est plus au guichet : orientez l'usager vers l'accueil général.",
            )
        case VerdictKind.NOT_ARRIVED:
            return (
                "Le titre est annoncé mais pas encore reçu en préfecture.",
                "L'usager recevra un SMS quand il sera disponible.",
            )
        case VerdictKind.COUNTER_CLOSED:
            return (
                v.window.reason if v.window is not None else "Le guichet est fermé.",
                f"Titre prêt, casier {_slot(p)} : remise possible avec l'accord d'un chef "
                "d'accueil.",
                *_permit_lines(v),
            )
        case VerdictKind.NOT_NOTIFIED:
            return (
                "Le titre est arrivé mais l'usager n'a pas encore été prévenu par SMS : "
                "remise possible.",
                *_permit_lines(v),
            )
        case VerdictKind.READY:
            return _permit_lines(v)
        case VerdictKind.WRONG_CARD:
            problems = ", ".join(_card_problems(v))
            return (
                f"La carte scannée n'est pas celle de ce titre : {problems}.",
                "Remettez-la dans son casier et cherchez la bonne carte.",
            )
        case VerdictKind.CARD_OK:
            return (f"Carte n° {p.card_number if p is not None else '?'}.",)


def _invalid_details(v: Verdict) -> tuple[str, ...]:
    if v.scan_problem == ScanProblem.TAX_STAMP:
        return ("Ce code est un timbre fiscal. Il se scanne à l'étape « Timbres » d'une remise.",)
    if v.scan_problem == ScanProblem.NOT_A_CARD:
        return ("Scannez les lignes MRZ au dos du titre sorti du casier.",)
    read = (f"Lu : « {v.read} »",) if v.read else ()
    return (*read, *v.errors, RESCAN)


def _card_problems(v: Verdict) -> list[str]:
    p, card = v.permit, v.card
    problems: list[str] = []
    for what in v.differences:
        if what == "numéro" and card is not None and p is not None:
            problems.append(f"numéro {card.document_number} au lieu de {p.card_number}")
        elif what == "nom" and card is not None:
            problems.append(f"nom {card.surname}")
        elif what == "date de naissance":
            problems.append("date de naissance différente")
        else:
            problems.append(what)
    return problems


def _permit_lines(v: Verdict) -> tuple[str, ...]:
    """Who the permit is for and what the handover asks; a mismatched document first."""
    p = v.permit
    if p is None:
        return ()
    lines = [
        holder_line(p),
        f"{p.category} — carte n° {p.card_number}",
        f"À percevoir : {money(p.fee_cents)} en timbres fiscaux."
        if p.fee_cents
        else "Aucun timbre à percevoir.",
        "Reprendre l'ancienne carte (ou n° de déclaration de perte/vol)."
        if p.previous_card_expected
        else "Première délivrance : pas d'ancienne carte.",
    ]
    if v.identity is not None and not v.identity.matches:
        lines.insert(
            0,
            "ATTENTION : le document scanné ne correspond pas au titulaire "
            f"(ce qui diffère : {', '.join(v.identity.differences) or 'nom'}).",
        )
    return tuple(lines)


def authorised_headline(grant: OverrideGrant, permit: PermitSummary | None) -> str:
    """Once a supervisor lifted the rule: who, and where the card is."""
    return f"AUTORISÉ par {grant.supervisor_pseudonym} — casier {_slot(permit)}"


def authorised_details(grant: OverrideGrant, permit: PermitSummary | None) -> tuple[str, ...]:
    try:
        what = OverrideKind(grant.kind).label
    except ValueError:
        what = grant.kind
    lines = [f"Motif : {grant.reason}", f"Dérogation : {what}."]
    if permit is not None:
        lines += [holder_line(permit), f"{permit.category} — carte n° {permit.card_number}"]
    return tuple(lines)
