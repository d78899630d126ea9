"""Scans of identity documents: lookup by name and birth date, match shown, card check."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, update

from handover.domain.values import VerdictKind
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz import check_digit
from tests.handover.services.helpers import login, make_counter, permit_in_state


def td3(surname: str, given: str, birth: date, number: str = "P1234567", code: str = "P<") -> str:
    """A passport MRZ (ICAO 9303 TD3), check digits computed by the documented rule."""
    names = f"{surname}<<{given}".upper().replace(" ", "<").replace("-", "<").replace("'", "")
    line1 = f"{code}SEN{names}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")
    dob = birth.strftime("%y%m%d")
    expiry = "301231"
    personal = "<" * 14
    body = (
        f"{num}{check_digit(num)}SEN{dob}{check_digit(dob)}F{expiry}{check_digit(expiry)}"
        f"{personal}{check_digit(personal)}"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


def test_passport_of_the_holder_finds_the_permit_and_matches(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(Permit)
            .where(Permit.id == permit.id)
            .values(surname="Zorglub-Müller", name_key="ZORGLUBMULLER", given_names="Anna Maria")
        )
        uow.commit()
    # The MRZ spells Müller the ICAO way (MUELLER), with a hyphen turned into a filler.
    verdict = counter.check(td3("ZORGLUB MUELLER", "ANNA", permit.birth_date), agent)
    assert verdict.kind == VerdictKind.READY
    assert verdict.permit is not None and verdict.permit.permit_id == permit.id
    assert verdict.identity is not None and verdict.identity.matches
    assert verdict.identity.document_kind == "passport"
    # The document's first given name must be one of the record's.
    other = counter.check(td3("ZORGLUB MUELLER", "MARTA", permit.birth_date), agent)
    assert other.identity is not None and not other.identity.name_matches
    assert "prénom" in other.details[0]


def test_passport_with_another_birth_date_finds_nothing(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    verdict = counter.check(td3("NOBODY", "X", date(1901, 1, 1)), agent)
    assert verdict.kind == VerdictKind.UNKNOWN
    assert "nom et date de naissance" in verdict.details[0]
    assert permit.id  # the database had permits; none matched


def test_card_from_the_drawer_right_and_wrong(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(Permit)
            .where(Permit.id == permit.id)
            .values(surname="Diallo", name_key="DIALLO", card_number="FR7654321")
        )
        uow.commit()
    right = td3("DIALLO", "FATOU", permit.birth_date, number="FR7654321", code="IR")
    ok = counter.check_card(permit.id, right, agent)
    assert ok.kind == VerdictKind.CARD_OK, ok.details
    wrong = td3("DIALLO", "FATOU", permit.birth_date, number="FR7654329", code="IR")
    bad = counter.check_card(permit.id, wrong, agent)
    assert bad.kind == VerdictKind.WRONG_CARD
    assert "MAUVAISE CARTE" in bad.headline and bad.needs_supervisor
