"""Read-side queries: find permits by what a holder can show, and their earlier handover."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handover.domain.names import names_match
from handover.domain.values import PermitSummary, PriorHandover
from handover.persistence.models import Agent, Desk, Handover, Permit
from handover.scanning.reference import format_reference

MAX_CANDIDATES = 20


def summary(p: Permit) -> PermitSummary:
    return PermitSummary(
        permit_id=p.id,
        reference=format_reference(p.handover_reference) if p.handover_reference else None,
        surname=p.surname,
        given_names=p.given_names,
        birth_date=p.birth_date,
        nationality=p.nationality,
        category=p.category,
        card_number=p.card_number,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        storage_slot=p.storage_slot,
        fee_cents=p.fee_cents,
        previous_card_expected=p.previous_card_expected,
        state=p.state.value,
        state_reason=p.state_reason,
        notified_at=p.notified_at,
        closed_at=p.closed_at,
    )


def _many(session: Session, *where: object) -> list[Permit]:
    stmt = select(Permit).where(*where).order_by(Permit.id).limit(MAX_CANDIDATES)  # type: ignore[arg-type]
    return list(session.execute(stmt).scalars().all())


def by_reference(session: Session, normalized: str) -> list[Permit]:
    return _many(session, Permit.handover_reference == normalized)


def by_numero_etranger(session: Session, number: str) -> list[Permit]:
    # Some documents print 9 digits, others pad to 10 with a leading zero.
    variants = {number, number.lstrip("0"), number.zfill(10)} - {""}
    return _many(session, Permit.numero_etranger.in_(sorted(variants)))


def by_anef(session: Session, number: str) -> list[Permit]:
    return _many(session, Permit.anef_request_number == number)


def by_card_number(session: Session, number: str) -> list[Permit]:
    return _many(session, Permit.card_number == number.upper())


def by_name_and_birth(
    session: Session, surname: str, given_names: str, birth_date: date
) -> list[Permit]:
    """Holders born that day whose surname matches (accents, case, hyphens, MRZ spelling)."""
    rows = session.execute(
        select(Permit).where(Permit.birth_date == birth_date).order_by(Permit.id)
    ).scalars()
    found = [p for p in rows if names_match(surname, p.surname)]
    if len(found) > 1 and given_names:
        narrowed = [p for p in found if names_match(given_names, p.given_names)]
        found = narrowed or found
    return found[:MAX_CANDIDATES]


def prior_handover(session: Session, permit_id: int) -> PriorHandover | None:
    row = session.execute(
        select(Handover, Desk.name, Agent.display_name, Agent.pseudonym)
        .join(Desk, Desk.id == Handover.desk_id)
        .join(Agent, Agent.id == Handover.agent_id)
        .where(Handover.permit_id == permit_id)
    ).first()
    if row is None:
        return None
    h, desk_name, agent_name, pseudonym = row
    from handover.domain.values import handover_number

    return PriorHandover(
        handover_id=h.id,
        handover_number=handover_number(h.id, h.handed_over_at),
        at=h.handed_over_at,
        desk_name=desk_name,
        agent_name=agent_name,
        agent_pseudonym=pseudonym,
    )
