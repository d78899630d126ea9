"""Look-up by name and birth date: names compared as documents spell them, not as stored."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, update

from handover.domain.values import VerdictKind
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from tests.handover.services.helpers import login, make_counter, permit_in_state
from tests.handover.services.test_identity_verdicts import td3

BIRTH = date(1931, 2, 3)  # no demo holder is born then (demo births start in 1950)


def _rename(engine: Engine, permit_id: int, surname: str, given: str) -> None:
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(Permit)
            .where(Permit.id == permit_id)
            .values(surname=surname, given_names=given, name_key="", birth_date=BIRTH)
        )
        uow.commit()


def test_a_long_surname_cut_by_the_mrz_still_finds_the_holder(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    # name_key left empty on purpose: the match must not depend on the stored key.
    _rename(engine, permit.id, "Wolfeschlegelsteinhausenberger-Müller", "Hubert")
    # A TD3 line holds 39 name characters: the surname is cut after 36 of them.
    verdict = counter.check(td3("WOLFESCHLEGELSTEINHAUSENBERGER MUEL", "HUBERT", BIRTH), agent)
    assert verdict.kind == VerdictKind.READY
    assert verdict.permit is not None and verdict.permit.permit_id == permit.id


def test_same_surname_and_birth_date_narrowed_by_given_names(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    first = permit_in_state(engine, PermitState.NOTIFIED)
    second = permit_in_state(engine, PermitState.NOTIFIED, offset=1)
    _rename(engine, first.id, "Öztürk", "Zeynep")
    _rename(engine, second.id, "Öztürk", "Emre")
    one = counter.check(td3("OEZTUERK", "EMRE", BIRTH), agent)
    assert one.kind == VerdictKind.READY
    assert one.permit is not None and one.permit.permit_id == second.id
    both = counter.check(td3("OZTURK", "", BIRTH), agent)
    assert both.kind == VerdictKind.SEVERAL_MATCHES
    assert {c.permit_id for c in both.candidates} == {first.id, second.id}
