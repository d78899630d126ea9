"""Shared set-up for service tests: a counter on a fresh database at a fixed instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine, select

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.domain.values import (
    AgentIdentity,
    HandoverRequest,
    IdentityDocument,
    IdentityDocumentKind,
    PreviousCardOutcome,
    PreviousCardReturn,
    Role,
    StampEntry,
)
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz_build import passport_mrz, residence_card_mrz
from handover.services import accounts
from handover.services.counter import CounterService
from handover.services.demo import demo_signature_png, seed_demo

# Monday 24 November 2026, 09:30 in Paris (08:30 UTC): the counter is open.
OPEN_AT = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
# Thursday 26 November 2026, 10:00 in Paris: closed (not an opening day).
CLOSED_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def make_counter(
    engine: Engine, *, at: datetime = OPEN_AT, desk: str = "Guichet 1", permits: int = 60
) -> tuple[CounterService, dict[str, str]]:
    from dataclasses import replace

    config = Config()
    config = replace(config, desk=replace(config.desk, name=desk))
    passwords = seed_demo(engine, config, permits=permits, seed=7, handed_over=2)
    return CounterService(engine, config, clock=FakeClock(at)), passwords


def login(
    counter: CounterService, passwords: dict[str, str], user: str = "agent1"
) -> AgentIdentity:
    return counter.login(user, passwords[user])


def permit_in_state(engine: Engine, state: PermitState, *, offset: int = 0) -> Permit:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(
            select(Permit).where(Permit.state == state).order_by(Permit.id).offset(offset).limit(1)
        ).scalar_one()


def _holder(permit: Permit, changes: dict[str, object]) -> tuple[str, str, date]:
    surname = str(changes.get("surname", permit.surname))
    given = str(changes.get("given_names", permit.given_names))
    birth = changes.get("birth", permit.birth_date)
    assert isinstance(birth, date)
    return surname, given, birth


def holder_passport(permit: Permit, **changes: object) -> str:
    """The holder's passport MRZ; ``changes`` (surname, given_names, birth) make another's."""
    return passport_mrz(*_holder(permit, changes), number="AB1234567", state="SEN")


def previous_card_mrz(permit: Permit, **changes: object) -> str:
    """The holder's previous residence card (another number than the new card's)."""
    return residence_card_mrz("IR0000001", *_holder(permit, changes))


def drawer_card_mrz(permit: Permit) -> str:
    return residence_card_mrz(
        permit.card_number, permit.surname, permit.given_names, permit.birth_date
    )


def request_for(
    permit: Permit, *, stamps: tuple[str, ...] = ("1234567890123456",)
) -> HandoverRequest:
    """A complete, honest request: every scan is the holder's, the stamps cover the fee."""
    total = max(22500, permit.fee_cents)
    amounts = [total // len(stamps)] * len(stamps) if stamps else []
    if amounts:
        amounts[-1] += total - sum(amounts)
    return HandoverRequest(
        permit_id=permit.id,
        identity=IdentityDocument(
            IdentityDocumentKind.PASSPORT, "SEN", "AB1234567", scan=holder_passport(permit)
        ),
        signature_png=demo_signature_png(1),
        stamps=tuple(StampEntry(s, a) for s, a in zip(stamps, amounts, strict=True)),
        previous_card=PreviousCardReturn(
            PreviousCardOutcome.TAKEN_BACK, "IR0000001", scan=previous_card_mrz(permit)
        )
        if permit.previous_card_expected
        else PreviousCardReturn(PreviousCardOutcome.NONE),
        drawer_card_scan=drawer_card_mrz(permit),
    )


def add_supervisor(
    engine: Engine, name: str = "chef2", password: str = "chef-de-salle-2026"
) -> str:
    accounts.add_agent(UnitOfWork(engine), name, password, role=Role.SUPERVISOR, provisioning=True)
    return password
