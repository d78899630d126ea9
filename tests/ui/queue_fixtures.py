"""Fixtures for the queue's screens (door, display, call key): a seeded SQLite database
with a door agent, at a fixed instant of an opening day.

Import them explicitly: ``from tests.ui.queue_fixtures import door_fixture,
desk_fixture, queue_template_fixture`` (fixtures ``door``, ``desk``, ``queue_template``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from handover.config import Config, DatabaseConfig, DeskConfig, PrinterConfig
from handover.domain.clock import FakeClock
from handover.domain.values import AgentIdentity, Role
from handover.persistence.db import open_database
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.queue.service import QueueService
from handover.receipts.printers import FakePrinter
from handover.services import accounts
from handover.services.counter import CounterService
from handover.services.demo import seed_demo
from tests.handover.queue.helpers import permits_in as permits_in
from tests.handover.queue.helpers import sms as sms
from tests.ui import counter_fixtures
from tests.ui.counter_fixtures import KeyClock, show, track
from ui.door.app import build_door
from ui.door.window import DoorWindow
from ui.main_window import MainWindow
from ui.presenters.counter import CounterPresenter

# Tuesday 24 November 2026, opening 09:00-11:00 Paris (08:00-10:00 UTC).
DOOR_OPEN = datetime(2026, 11, 24, 7, 45, tzinfo=UTC)  # 08:45 Paris: tickets, no call yet
OPEN = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # 09:30 Paris
NEAR_CLOSING = datetime(2026, 11, 24, 9, 57, tzinfo=UTC)  # 10:57 Paris
DOOR_PASSWORD = "porte-de-la-salle-2026"


def queue_config(folder: Path, desk: str = "Accueil") -> Config:
    return dataclasses.replace(
        Config(),
        database=DatabaseConfig(url=f"sqlite:///{folder / 'queue.sqlite3'}"),
        printer=PrinterConfig(kind="pdf", archive_dir=str(folder / "archive")),
        desk=DeskConfig(name=desk),
    )


def write_config(folder: Path, database: Path) -> Path:
    """A configuration file as IT staff write it: the database, logs in ``folder``."""
    config = folder / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{database}"\n[log]\ndir = "{folder}"\n', encoding="utf-8"
    )
    return config


@pytest.fixture(scope="session", name="queue_template")
def queue_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One seeded database per session (demo permits, a door agent); tests copy it."""
    folder = tmp_path_factory.mktemp("queue")
    config = queue_config(folder)
    engine = open_database(config.database_url, create=True)
    passwords = seed_demo(engine, config, permits=40, seed=11, handed_over=2)
    accounts.add_agent(
        UnitOfWork(engine), "accueil1", DOOR_PASSWORD, role=Role.DOOR, provisioning=True
    )
    engine.dispose()
    return folder / "queue.sqlite3", {**passwords, "accueil1": DOOR_PASSWORD}


def copy_database(template: tuple[Path, dict[str, str]], folder: Path) -> None:
    (folder / "queue.sqlite3").write_bytes(template[0].read_bytes())


@dataclass
class Door:
    window: DoorWindow
    engine: Engine
    config: Config
    clock: FakeClock
    keys: KeyClock
    printer: FakePrinter
    passwords: dict[str, str]

    @property
    def queue(self) -> QueueService:
        """A second look at the same database, as the desks and the display have."""
        return QueueService(self.engine, self.config, clock=self.clock)


def build_door_for_test(
    tmp_path: Path,
    template: tuple[Path, dict[str, str]],
    *,
    at: datetime = OPEN,
    busy_timeout_ms: int = 30000,
    **queue: object,
) -> Door:
    copy_database(template, tmp_path)
    config = queue_config(tmp_path)
    config = dataclasses.replace(config, queue=dataclasses.replace(config.queue, **queue))
    engine = open_database(config.database_url, busy_timeout_ms=busy_timeout_ms)
    clock = FakeClock(at)
    keys = KeyClock()
    printer = FakePrinter()
    window = build_door(engine, config, printer=printer, clock=clock, key_clock=keys)
    track(window.presenter)
    return Door(window, engine, config, clock, keys, printer, template[1])


@pytest.fixture(name="door")
def door_fixture(qtbot, tmp_path: Path, queue_template) -> Iterator[Door]:
    yield from shown_door(qtbot, build_door_for_test(tmp_path, queue_template))


def shown_door(qtbot, built: Door) -> Iterator[Door]:
    show(qtbot, built.window)
    yield built
    built.window.close()
    counter_fixtures._LIVE.remove(built.window.presenter)
    built.engine.dispose()


@dataclass
class Desk:
    """A desk whose call key is on (its presenter has the queue) and the door beside it."""

    window: MainWindow
    presenter: CounterPresenter
    engine: Engine
    config: Config
    clock: FakeClock
    keys: KeyClock
    door: QueueService
    door_agent: AgentIdentity
    passwords: dict[str, str]

    def issue(self, count: int) -> list[Permit]:
        """The door gives tickets 1…count to the first notified permits."""
        permits = permits_in(self.engine, PermitState.NOTIFIED, count)
        for permit in permits:
            assert self.door.issue(sms(permit), self.door_agent).issued
        return permits


def build_desk_for_test(
    tmp_path: Path, template: tuple[Path, dict[str, str]], *, at: datetime = OPEN
) -> Desk:
    copy_database(template, tmp_path)
    config = queue_config(tmp_path, desk="Guichet 2")
    engine = open_database(config.database_url)
    clock = FakeClock(at)
    keys = KeyClock()
    service = CounterService(engine, config, clock=clock)
    presenter = CounterPresenter(service, FakePrinter(), clock=clock, runner=lambda job: job())
    presenter.attach_queue(QueueService(engine, config, clock=clock), heartbeat_s=10)
    track(presenter)
    window = MainWindow(presenter, clock=clock, key_clock=keys, timezone="Europe/Paris")
    door = QueueService(engine, queue_config(tmp_path), clock=clock)
    door_agent = service.login("accueil1", template[1]["accueil1"])
    return Desk(window, presenter, engine, config, clock, keys, door, door_agent, template[1])


@pytest.fixture(name="desk")
def desk_fixture(qtbot, tmp_path: Path, queue_template) -> Iterator[Desk]:
    built = build_desk_for_test(tmp_path, queue_template)
    show(qtbot, built.window)
    yield built
    built.window.watch.stop()
    built.window.close()
    counter_fixtures._LIVE.remove(built.presenter)
    built.engine.dispose()


@dataclass
class Room:
    """A database with tickets issued at the door, a desk agent, and a queue service."""

    engine: Engine
    config: Config
    clock: FakeClock
    queue: QueueService
    agent: AgentIdentity
    password: str


def room_with_tickets(
    folder: Path, template: tuple[Path, dict[str, str]], count: int, *, at: datetime = OPEN
) -> Room:
    """The door issued tickets 1…count to the first notified permits; nobody called yet."""
    copy_database(template, folder)
    config = queue_config(folder)
    engine = open_database(config.database_url)
    clock = FakeClock(at)
    queue = QueueService(engine, config, clock=clock)
    door = queue.counter.login("accueil1", template[1]["accueil1"])
    for permit in permits_in(engine, PermitState.NOTIFIED, count):
        assert queue.issue(sms(permit), door).issued
    agent = queue.counter.login("agent1", template[1]["agent1"])
    return Room(engine, config, clock, queue, agent, template[1]["agent1"])
