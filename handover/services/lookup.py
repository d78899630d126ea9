"""Read-side queries: find permits by what a holder can show, and their earlier handover."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, bindparam, select
from sqlalchemy.orm import Session

from handover.domain.names import names_match
from handover.domain.values import PermitSummary, PriorHandover
from handover.persistence.models import Agent, Desk, Handover, Permit, PermitState
from handover.scanning.reference import format_reference

MAX_CANDIDATES = 20


def summary(p: Permit | Row[Any]) -> PermitSummary:
    """The screen's view of a permit, from an ORM object or a Core row of the permits table."""
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
        state=PermitState(p.state).value,
        state_reason=p.state_reason,
        notified_at=p.notified_at,
        closed_at=p.closed_at,
    )


# The scan's look-ups read plain rows of the permits table (Core, no ORM objects): they are
# on every scan's path. Each statement is built once, so SQLAlchemy reuses its compiled SQL.
_PERMITS = Permit.__table__
assert isinstance(_PERMITS, Table)


def _many(column: Any, *, several: bool = False) -> Select[Any]:
    where = (
        column.in_(bindparam("values", expanding=True)) if several else column == bindparam("value")
    )
    return select(_PERMITS).where(where).order_by(_PERMITS.c.id).limit(MAX_CANDIDATES)


_BY_REFERENCE = _many(_PERMITS.c.handover_reference)
_BY_NUMERO_ETRANGER = _many(_PERMITS.c.numero_etranger, several=True)
_BY_ANEF = _many(_PERMITS.c.anef_request_number)
_BY_CARD_NUMBER = _many(_PERMITS.c.card_number)
_BY_ID = _many(_PERMITS.c.id, several=True)
_NAMES_BORN_ON = (
    select(_PERMITS.c.id, _PERMITS.c.surname, _PERMITS.c.given_names)
    .where(_PERMITS.c.birth_date == bindparam("birth_date"))
    .order_by(_PERMITS.c.id)
)


def _found(conn: Connection, stmt: Select[Any], value: object) -> list[PermitSummary]:
    key = "values" if isinstance(value, list) else "value"
    return [summary(row) for row in conn.execute(stmt, {key: value})]


def by_id(conn: Connection, permit_id: int) -> PermitSummary | None:
    found = _found(conn, _BY_ID, [permit_id])
    return found[0] if found else None


def by_reference(conn: Connection, normalized: str) -> list[PermitSummary]:
    return _found(conn, _BY_REFERENCE, normalized)


def by_numero_etranger(conn: Connection, number: str) -> list[PermitSummary]:
    # Some documents print 9 digits, others pad to 10 with a leading zero.
    variants = {number, number.lstrip("0"), number.zfill(10)} - {""}
    return _found(conn, _BY_NUMERO_ETRANGER, sorted(variants))


def by_anef(conn: Connection, number: str) -> list[PermitSummary]:
    return _found(conn, _BY_ANEF, number)


def by_card_number(conn: Connection, number: str) -> list[PermitSummary]:
    return _found(conn, _BY_CARD_NUMBER, number.upper())


def by_name_and_birth(
    conn: Connection, surname: str, given_names: str, birth_date: date
) -> list[PermitSummary]:
    """Holders born that day whose surname matches (accents, case, hyphens, MRZ spelling).

    The names are compared in Python (``names_match``: ICAO spellings, truncated MRZ names),
    over the names alone; only the matching permits are loaded whole.
    """
    born = conn.execute(_NAMES_BORN_ON, {"birth_date": birth_date}).all()
    found = [(pid, given) for pid, name, given in born if _names_match(surname, name)]
    if len(found) > 1 and given_names:
        narrowed = [(pid, given) for pid, given in found if _names_match(given_names, given)]
        found = narrowed or found
    ids = [pid for pid, _given in found[:MAX_CANDIDATES]]
    return _found(conn, _BY_ID, ids) if ids else []


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
