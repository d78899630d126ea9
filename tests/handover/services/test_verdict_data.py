"""Verdicts are kinds with data; the words are ``handover.verdict_text``'s (both databases)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, update

from handover import audit, verdict_text
from handover.domain.values import ScanProblem, VerdictKind
from handover.persistence.models import Agent, AuditEntry, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz_build import residence_card_mrz
from handover.scanning.reference import format_reference
from handover.services.accounts import PermissionDenied
from handover.services.permits import PermitChangeRefused
from tests.handover.services.helpers import (
    drawer_card_mrz,
    login,
    make_counter,
    permit_in_state,
    request_for,
)

REASON = "Carte signalée défectueuse par le fabricant"


def _bad_check_character(reference: str) -> str:
    """The same reference with another check character: a typo the check catches."""
    shown = format_reference(reference)
    last = shown[-1]
    return shown[:-1] + ("0" if last != "0" else "1")


def test_an_unknown_reference_echoes_what_was_read(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert permit.handover_reference is not None
    with UnitOfWork(engine) as uow:  # the reference exists no more: nobody has it
        uow.session.execute(
            update(Permit).where(Permit.id == permit.id).values(handover_reference=None)
        )
        uow.commit()

    verdict = counter.check(permit.handover_reference.lower(), agent)

    assert verdict.kind == VerdictKind.UNKNOWN and verdict.permit is None
    assert verdict.read == format_reference(permit.handover_reference)
    assert verdict.looked_up.startswith("référence")
    assert f"« {verdict.read} » : aucun titre" in verdict_text.details(verdict)[0]


def test_an_invalid_reference_and_an_unreadable_code_are_told_apart(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert permit.handover_reference is not None
    typo = _bad_check_character(permit.handover_reference)

    invalid = counter.check(typo, agent)
    unreadable = counter.check("bonjour madame", agent)
    stamp = counter.check("1234567890123456", agent)

    assert invalid.kind == unreadable.kind == stamp.kind == VerdictKind.INVALID_SCAN
    assert invalid.scan_problem == ScanProblem.INVALID and invalid.scan_kind == "reference"
    assert invalid.read == typo and invalid.errors
    assert verdict_text.headline(invalid) == "RÉFÉRENCE DE REMISE (SMS) INVALIDE"
    assert f"Lu : « {typo} »" in verdict_text.details(invalid)
    assert unreadable.scan_problem == ScanProblem.UNREADABLE
    assert verdict_text.headline(unreadable).startswith("CODE ILLISIBLE")
    assert "Lu : « bonjour madame »" in verdict_text.details(unreadable)
    assert stamp.scan_problem == ScanProblem.TAX_STAMP
    assert stamp.permit is None and invalid.permit is None


def test_each_state_is_a_kind_with_the_permit_and_who_handed_it_over(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=60)
    agent = login(counter, pw)
    ready = permit_in_state(engine, PermitState.NOTIFIED)
    kinds = {}
    for state in (
        PermitState.NOTIFIED,
        PermitState.RECEIVED,
        PermitState.EXPECTED,
        PermitState.BLOCKED,
        PermitState.RETURNED,
    ):
        permit = permit_in_state(engine, state)
        verdict = counter.check_permit(permit.id, agent)
        assert verdict.permit is not None and verdict.permit.permit_id == permit.id
        assert verdict.permit.storage_slot == permit.storage_slot
        kinds[state] = verdict
    assert kinds[PermitState.NOTIFIED].kind == VerdictKind.READY
    assert kinds[PermitState.RECEIVED].kind == VerdictKind.NOT_NOTIFIED
    assert kinds[PermitState.EXPECTED].kind == VerdictKind.NOT_ARRIVED
    assert kinds[PermitState.BLOCKED].kind == VerdictKind.BLOCKED
    assert kinds[PermitState.RETURNED].kind == VerdictKind.RETURNED
    slot = ready.storage_slot
    assert verdict_text.headline(kinds[PermitState.NOTIFIED]) == f"PRÊT — casier {slot}"
    blocked = kinds[PermitState.BLOCKED]
    assert blocked.permit is not None and blocked.permit.state_reason
    assert f"Motif : {blocked.permit.state_reason}." in verdict_text.details(blocked)

    record = counter.hand_over(request_for(ready), agent)
    again = counter.check_permit(ready.id, agent)
    assert again.kind == VerdictKind.ALREADY_HANDED_OVER and again.prior is not None
    assert again.prior.handover_number == record.handover_number
    assert again.prior.agent_pseudonym == agent.pseudonym
    assert again.timezone == "Europe/Paris"
    local = record.at.astimezone(ZoneInfo(again.timezone))
    assert verdict_text.headline(again) == (
        f"DÉJÀ REMIS le {local:%d/%m} à {local:%H:%M}, {again.prior.desk_name}"
    )


def test_a_wrong_drawer_card_says_what_differs(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    other = permit_in_state(engine, PermitState.NOTIFIED, offset=1)

    ok = counter.check_card(permit.id, drawer_card_mrz(permit), agent)
    wrong = counter.check_card(permit.id, drawer_card_mrz(other), agent)
    same_name = counter.check_card(
        permit.id,
        residence_card_mrz("IR9999999", permit.surname, permit.given_names, permit.birth_date),
        agent,
    )

    assert ok.kind == VerdictKind.CARD_OK and ok.differences == ()
    assert wrong.kind == VerdictKind.WRONG_CARD and wrong.card is not None
    assert wrong.card.document_number == other.card_number
    assert "numéro" in wrong.differences and "nom" in wrong.differences
    assert same_name.differences == ("numéro",)
    assert verdict_text.details(same_name)[0] == (
        f"La carte scannée n'est pas celle de ce titre : numéro IR9999999 au lieu de "
        f"{permit.card_number}."
    )


def test_a_desk_blocks_as_the_supervisor_who_logs_in_and_unblocks(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=30)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)

    with pytest.raises(PermissionDenied, match="il faut un compte chef d'accueil"):
        counter.set_blocked(permit.id, True, reason=REASON, agent=agent)
    change = counter.set_blocked(
        permit.id, True, reason=REASON, agent=agent, supervisor_username="chef", password=pw["chef"]
    )

    assert change.state == PermitState.BLOCKED
    blocked = counter.check_permit(permit.id, agent)
    assert blocked.kind == VerdictKind.BLOCKED
    assert blocked.permit is not None and blocked.permit.state_reason == REASON
    chef = login(counter, pw, "chef")
    back = counter.set_blocked(permit.id, False, reason="Carte vérifiée ce matin", agent=chef)
    assert back.state == PermitState.NOTIFIED
    with UnitOfWork(engine, read_only=True) as uow:
        entries = uow.session.execute(
            select(AuditEntry.action, AuditEntry.agent, AuditEntry.subject, AuditEntry.details)
            .where(AuditEntry.action.in_(["permit.block", "permit.unblock"]))
            .order_by(AuditEntry.id)
        ).all()
        assert audit.verify(uow.session).ok
    assert [(a, who, subject) for a, who, subject, _ in entries] == [
        ("permit.block", chef.pseudonym, f"permit:{permit.id}"),
        ("permit.unblock", chef.pseudonym, f"permit:{permit.id}"),
    ]
    assert all("fabricant" not in details for *_, details in entries)
    assert json.loads(entries[0][3])["state"] == "blocked"


def test_a_desk_supervisor_demoted_since_login_blocks_nothing(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=30)
    chef = login(counter, pw, "chef")
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(Agent).where(Agent.id == chef.agent_id).values(role="agent"))
        uow.commit()

    with pytest.raises(PermissionDenied):
        counter.set_blocked(permit.id, True, reason=REASON, agent=chef)

    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.session.get(Permit, permit.id).state == PermitState.NOTIFIED  # type: ignore[union-attr]


def test_a_handed_over_permit_is_not_blocked_and_nothing_changes(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=30)
    agent = login(counter, pw)
    chef = login(counter, pw, "chef")
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    counter.hand_over(request_for(permit), agent)

    with pytest.raises(PermitChangeRefused, match="Titre « remis »"):
        counter.set_blocked(permit.id, True, reason=REASON, agent=chef)

    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.session.get(Permit, permit.id).state == PermitState.HANDED_OVER  # type: ignore[union-attr]
        blocks = uow.session.execute(
            select(AuditEntry.id).where(AuditEntry.action == "permit.block")
        ).all()
    assert blocks == []
