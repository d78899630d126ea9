"""Read-side queries: find permits by what a holder can show, and their earlier handover."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
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


def _many(column: Any, *, several: bool = False) -> Select[Any]:
    # Built once per look-up kind: SQLAlchemy reuses the cache key and the compiled SQL.
    where = (
        column.in_(bindparam("values", expanding=True)) if several else column == bindparam("value")
    )
    return select(Permit).where(where).order_by(Permit.id).limit(MAX_CANDIDATES)


_BY_REFERENCE = _many(Permit.handover_reference)
_BY_NUMERO_ETRANGER = _many(Permit.numero_etranger, several=True)
_BY_ANEF = _many(Permit.anef_request_number)
_BY_CARD_NUMBER = _many(Permit.card_number)
_BY_ID = (
    select(Permit).where(Permit.id.in_(bindparam("values", expanding=True))).order_by(Permit.id)
)
_NAMES_BORN_ON = (
    select(Permit.id, Permit.surname, Permit.given_names)
    .where(Permit.birth_date == bindparam("birth_date"))
    .order_by(Permit.id)
)


def _found(session: Session, stmt: Select[Any], value: object) -> list[Permit]:
    key = "values" if isinstance(value, list) else "value"
    return list(session.execute(stmt, {key: value}).scalars().all())


def by_reference(session: Session, normalized: str) -> list[Permit]:
    return _found(session, _BY_REFERENCE, normalized)


def by_numero_etranger(session: Session, number: str) -> list[Permit]:
    # Some documents print 9 digits, others pad to 10 with a leading zero.
    variants = {number, number.lstrip("0"), number.zfill(10)} - {""}
    return _found(session, _BY_NUMERO_ETRANGER, sorted(variants))


def by_anef(session: Session, number: str) -> list[Permit]:
    return _found(session, _BY_ANEF, number)


def by_card_number(session: Session, number: str) -> list[Permit]:
    return _found(session, _BY_CARD_NUMBER, number.upper())


def by_name_and_birth(
    session: Session, surname: str, given_names: str, birth_date: date
) -> list[Permit]:
    """Holders born that day whose surname matches (accents, case, hyphens, MRZ spelling).

    The names are compared in Python (``names_match``: ICAO spellings, truncated MRZ names),
    over the names alone; only the matching permits are loaded whole.
    """
    born = session.execute(_NAMES_BORN_ON, {"birth_date": birth_date}).all()
    found = [(pid, given) for pid, name, given in born if _names_match(surname, name)]
    if len(found) > 1 and given_names:
        narrowed = [(pid, given) for pid, given in found if _names_match(given_names, given)]
        found = narrowed or found
    ids = [pid for pid, _given in found[:MAX_CANDIDATES]]
    return _found(session, _BY_ID, ids) if ids else []


@lru_cache(maxsize=4096)
def _names_match(document_name: str, record_name: str) -> bool:
    # A day's holders share a few hundred surnames at most: the pairs repeat.
    return names_match(document_name, record_name)


_PRIOR = (
    select(Handover, Desk.name, Agent.display_name, Agent.pseudonym)
    .join(Desk, Desk.id == Handover.desk_id)
    .join(Agent, Agent.id == Handover.agent_id)
    .where(Handover.permit_id == bindparam("permit_id"))
)


def prior_handover(session: Session, permit_id: int) -> PriorHandover | None:
    row = session.execute(_PRIOR, {"permit_id": permit_id}).first()
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
