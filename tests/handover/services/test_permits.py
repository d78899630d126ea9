"""Block and unblock a permit: supervisor only, a reason, conditional, audited without words."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from handover import audit
from handover.domain.values import Role
from handover.persistence.models import AuditEntry, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import PermissionDenied
from handover.services.handovers import PermitNotAvailable
from handover.services.permits import (
    PermitChangeRefused,
    find_permit_id,
    reason_digest,
    set_blocked,
)
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for

REASON = "Alerte fraude signalée par Mme Martin (service titres)"


def test_a_blocked_permit_cannot_be_handed_over_until_unblocked(engine: Engine) -> None:
    counter, passwords = make_counter(engine, permits=30)
    chef = login(counter, passwords, "chef")
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert find_permit_id(UnitOfWork(engine), permit.card_number) == permit.id
    assert permit.handover_reference is not None
    assert find_permit_id(UnitOfWork(engine), permit.handover_reference.lower()) == permit.id

    change = set_blocked(
        UnitOfWork(engine), permit.id, True, reason=REASON, by=chef, desk_name="G1"
    )
    assert change.state == PermitState.BLOCKED
    with pytest.raises(PermitNotAvailable, match="bloqué"):
        counter.hand_over(request_for(permit), agent)
    with pytest.raises(PermitChangeRefused, match="Titre « bloqué » : impossible de le bloquer"):
        set_blocked(UnitOfWork(engine), permit.id, True, reason=REASON, by=chef, desk_name="G1")

    back = set_blocked(
        UnitOfWork(engine),
        permit.id,
        False,
        reason="Alerte levée ce matin",
        by=chef,
        desk_name="G1",
    )
    assert back.state == PermitState.NOTIFIED  # the SMS had gone out
    counter.hand_over(request_for(permit), agent)
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        entries = s.execute(
            select(AuditEntry).where(AuditEntry.action.in_(["permit.block", "permit.unblock"]))
        ).scalars()
        details = [json.loads(e.details) for e in entries]
        assert audit.verify(s).ok
        assert s.get(Permit, permit.id).state == PermitState.HANDED_OVER  # type: ignore[union-attr]
    assert [d["reason_digest"] for d in details] == [
        reason_digest(REASON),
        reason_digest("Alerte levée ce matin"),
    ]
    assert all("Martin" not in json.dumps(d) for d in details)


def test_only_a_supervisor_with_a_reason_blocks(engine: Engine) -> None:
    counter, passwords = make_counter(engine, permits=30)
    agent = login(counter, passwords)
    assert agent.role == Role.AGENT
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    with pytest.raises(
        PermissionDenied, match="il faut un compte chef d'accueil ou administrateur"
    ):
        set_blocked(UnitOfWork(engine), permit.id, True, reason=REASON, by=agent, desk_name="G1")
    chef = login(counter, passwords, "chef")
    for reason, message in (
        ("   vu  ", "Motif obligatoire"),
        ("x" * 501, "Motif trop long"),
        ("Alerte \x1b[31mrouge\x1b[0m fraude", "caractères de contrôle"),
    ):
        with pytest.raises(PermitChangeRefused, match=message):
            set_blocked(UnitOfWork(engine), permit.id, True, reason=reason, by=chef, desk_name="G1")
    assert permit_in_state(engine, PermitState.NOTIFIED).id == permit.id  # unchanged
    handed = permit_in_state(engine, PermitState.HANDED_OVER)
    with pytest.raises(PermitChangeRefused, match="Titre « remis »"):
        set_blocked(UnitOfWork(engine), handed.id, True, reason=REASON, by=chef, desk_name="G1")
