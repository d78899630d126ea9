"""Handovers made through the real counter service, at chosen instants and desks."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, select

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.counter import CounterService
from tests.handover.services.helpers import permit_in_state, request_for

_stamps = itertools.count(1)


def counter(engine: Engine, desk: str, at: datetime) -> CounterService:
    config = Config()
    return CounterService(
        engine, replace(config, desk=replace(config.desk, name=desk)), clock=FakeClock(at)
    )


def hand_over(
    service: CounterService,
    passwords: dict[str, str],
    at: datetime,
    *,
    scan_seconds: float | None = None,
) -> int:
    """Hand the first notified permit over at ``at``; returns the permit's id."""
    assert isinstance(service.clock, FakeClock)
    service.clock.set(at)
    agent = service.login("agent1", passwords["agent1"])
    permit = permit_in_state(service.engine, PermitState.NOTIFIED)
    request = request_for(permit, stamps=(f"{9000000000000000 + next(_stamps):016d}",))
    if scan_seconds is not None:
        request = replace(request, scan_started_at=at - timedelta(seconds=scan_seconds))
    service.hand_over(request, agent)
    return permit.id


def add_permit(
    engine: Engine,
    card: str,
    *,
    state: PermitState,
    notified_at: datetime | None,
    closed_at: datetime | None = None,
) -> None:
    at = notified_at or closed_at
    assert at is not None
    with UnitOfWork(engine) as uow:
        # Explicit id: seed_demo inserts explicit ids, so PostgreSQL's sequence lags behind.
        last = uow.session.execute(select(func.max(Permit.id))).scalar() or 0
        uow.session.add(
            Permit(
                id=last + 1,
                card_number=card,
                surname="Diallo",
                given_names="Aminata",
                name_key="DIALLO",
                birth_date=date(1990, 1, 1),
                nationality="SEN",
                category="Carte de résident",
                valid_from=date(2025, 1, 1),
                valid_until=date(2035, 1, 1),
                phone="+33612345678",
                state=state,
                received_at=at,
                notified_at=notified_at,
                closed_at=closed_at,
                created_at=at,
                updated_at=at,
            )
        )
        uow.commit()
