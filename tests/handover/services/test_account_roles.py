"""Every use case reads the acting account from the database: disabled, demoted, wrong role."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from handover.backoffice.imports import import_permits
from handover.backoffice.retention import purge
from handover.backoffice.sms import export_notifications
from handover.backoffice.unclaimed import return_unclaimed
from handover.config import Config
from handover.domain.values import Role
from handover.errors import AccountDisabled
from handover.persistence.models import Agent, AuditEntry, Handover, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services import accounts
from handover.services.accounts import PermissionDenied
from handover.services.permits import set_blocked
from tests.handover.backoffice.delivery import row, write
from tests.handover.services.helpers import (
    drawer_card_mrz,
    login,
    make_counter,
    permit_in_state,
    request_for,
)

REASON = "Alerte fraude transmise par le service titres"


def written(engine: Engine) -> tuple[int, int, int, list[str]]:
    """Permits, handovers, audit entries, and the permits' states: all a refusal must keep."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        return (
            s.execute(select(func.count(Permit.id))).scalar_one(),
            s.execute(select(func.count(Handover.id))).scalar_one(),
            s.execute(select(func.count(AuditEntry.id))).scalar_one(),
            list(s.execute(select(Permit.state).order_by(Permit.id)).scalars()),
        )


def test_a_disabled_agent_is_refused_at_every_use_case(engine: Engine, tmp_path: Path) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent, chef, admin = (login(counter, pw, who) for who in ("agent1", "chef", "admin"))
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    accounts.set_active(UnitOfWork(engine), "agent1", False, by=admin)
    accounts.set_active(UnitOfWork(engine), "chef", False, by=admin)
    before = written(engine)

    with pytest.raises(AccountDisabled, match="désactivé : la session se termine"):
        counter.check(str(permit.handover_reference), agent)
    with pytest.raises(AccountDisabled):
        counter.check_permit(permit.id, agent)  # a verdict chosen from a list
    with pytest.raises(AccountDisabled):
        counter.check_card(permit.id, drawer_card_mrz(permit), agent)
    with pytest.raises(AccountDisabled):
        counter.hand_over(request_for(permit), agent)
    with pytest.raises(AccountDisabled):
        counter.receipt_pdf(1, duplicate=True, agent=agent)  # F9: a demo handover's reprint
    with pytest.raises(AccountDisabled):
        set_blocked(UnitOfWork(engine), permit.id, True, reason=REASON, by=chef, desk_name="G1")
    delivery = write(tmp_path / "livraison.csv", [row(900_001), row(900_002)])
    with pytest.raises(AccountDisabled):
        import_permits(engine, Config(), delivery, actor=chef)
    with pytest.raises(AccountDisabled):
        export_notifications(engine, Config(), tmp_path / "sms.csv", actor=chef)
    assert written(engine) == before  # nothing at all: no verdict entry, no row

    accounts.set_active(UnitOfWork(engine), "chef", True, by=admin)
    assert import_permits(engine, Config(), delivery, actor=chef).imported == 2


def test_the_role_is_the_stored_one_not_the_claimed_one(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent, chef = login(counter, pw, "agent1"), login(counter, pw, "chef")
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    before = written(engine)

    claimed = dataclasses.replace(agent, role=Role.ADMIN)  # a screen's value, tampered with
    with pytest.raises(PermissionDenied, match=r"Camille Martin \(agent\) ne peut pas bloquer"):
        set_blocked(UnitOfWork(engine), permit.id, True, reason=REASON, by=claimed, desk_name="G1")
    with pytest.raises(PermissionDenied, match="il faut un compte administrateur"):
        purge(engine, Config(), actor=chef)  # a supervisor does not purge
    with pytest.raises(PermissionDenied):
        return_unclaimed(engine, Config(), dry_run=True, actor=agent)  # not even a dry run
    # Demoted since logging in: the stored role decides at the next action.
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(Agent).where(Agent.id == chef.agent_id).values(role="agent"))
        uow.commit()
    with pytest.raises(PermissionDenied, match="ne peut pas bloquer un titre"):
        set_blocked(UnitOfWork(engine), permit.id, True, reason=REASON, by=chef, desk_name="G1")
    with pytest.raises(PermissionDenied, match="seul un chef d'accueil peut autoriser"):
        counter.grant_override(
            "chef",
            pw["chef"],
            kind="blocked",
            reason="Vérifié avec le service titres",
            minutes=5,
            permit_id=permit.id,
            agent=agent,
        )
    assert written(engine)[:2] == before[:2] and written(engine)[3] == before[3]


def test_accounts_are_managed_by_an_administrator(engine: Engine) -> None:
    # A new database: the first account needs nobody (nobody could log in yet).
    first = accounts.add_agent(
        UnitOfWork(engine), "direction", "phrase-de-passe-38", role=Role.ADMIN
    )
    with pytest.raises(PermissionDenied, match="Un administrateur existe"):
        accounts.add_agent(UnitOfWork(engine), "intrus", "phrase-de-passe-38", role=Role.ADMIN)
    chef = accounts.add_agent(
        UnitOfWork(engine), "chef", "phrase-de-passe-38", role=Role.SUPERVISOR, by=first
    )
    agent = accounts.add_agent(
        UnitOfWork(engine), "agent", "phrase-de-passe-38", role=Role.AGENT, by=first
    )
    with pytest.raises(PermissionDenied, match=r"chef \(chef d'accueil\) ne peut pas créer"):
        accounts.add_agent(
            UnitOfWork(engine), "autre", "phrase-de-passe-38", role=Role.AGENT, by=chef
        )
    with pytest.raises(PermissionDenied, match="désactiver un compte"):
        accounts.set_active(UnitOfWork(engine), "agent", False, by=chef)
    with pytest.raises(PermissionDenied, match="mot de passe d'un autre compte"):
        accounts.set_password(UnitOfWork(engine), "chef", "une-autre-phrase-38", by=agent)
    accounts.set_password(UnitOfWork(engine), "agent", "une-autre-phrase-38", by=agent)  # own
    with pytest.raises(accounts.AccountError, match="son propre compte"):
        accounts.set_active(UnitOfWork(engine), "direction", False, by=first)
    accounts.set_active(UnitOfWork(engine), "chef", False, by=first)

    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        names = set(s.execute(select(Agent.username)).scalars())
        entries = s.execute(
            select(AuditEntry.action, AuditEntry.agent)
            .where(AuditEntry.action.like("account.%"))
            .order_by(AuditEntry.id)
        ).all()
    assert names == {"direction", "chef", "agent"}
    assert [tuple(e) for e in entries] == [
        ("account.create", accounts.SYSTEM),
        ("account.create", first.pseudonym),
        ("account.create", first.pseudonym),
        ("account.password", agent.pseudonym),
        ("account.disable", first.pseudonym),
    ]
