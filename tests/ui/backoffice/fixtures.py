"""A back-office test bed: an empty SQLite database with accounts, and a fixed clock.

Import the fixture explicitly: ``from tests.ui.backoffice.fixtures import bed_fixture``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from handover.config import Config, DatabaseConfig
from handover.domain.clock import FakeClock
from handover.domain.values import AgentIdentity, Role
from handover.persistence.engine import make_engine
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services import accounts

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass
class Bed:
    engine: Engine
    config: Config
    clock: FakeClock
    agents: dict[Role, AgentIdentity]


@pytest.fixture(name="bed")
def bed_fixture(sqlite_url: str) -> Iterator[Bed]:
    engine = make_engine(sqlite_url)
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=sqlite_url))
    agents = {
        role: accounts.add_agent(
            UnitOfWork(engine),
            name,
            "mot-de-passe-de-test-42",
            role=role,
            display_name=name,
            provisioning=True,
        )
        for role, name in (
            (Role.AGENT, "agent1"),
            (Role.SUPERVISOR, "chef"),
            (Role.ADMIN, "admin"),
        )
    }
    yield Bed(engine, config, FakeClock(NOW), agents)
    engine.dispose()


def count_permits(engine: Engine, state: PermitState | None = None) -> int:
    query = select(func.count()).select_from(Permit)
    if state is not None:
        query = query.where(Permit.state == state)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())
