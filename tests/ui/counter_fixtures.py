"""Fixtures for the counter screen: a seeded SQLite database, a fixed clock, a fake printer.

Import them explicitly in a test module: ``from tests.ui.counter_fixtures import
counter_fixture, seeded_template_fixture`` (the fixtures are named ``counter`` and
``seeded_template``).
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeySequence, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import Engine, func, select

from handover.config import Config, DatabaseConfig, IdentityConfig, PrinterConfig
from handover.domain.clock import FakeClock
from handover.persistence.db import open_database
from handover.persistence.models import Handover, Permit, PermitState
from handover.receipts.printers import FakePrinter
from handover.scanning.mrz_build import passport_mrz as passport_mrz  # re-exported
from handover.scanning.mrz_build import residence_card_mrz as residence_card_mrz
from handover.services.counter import CounterService
from handover.services.demo import demo_config, seed_demo
from ui.main_window import MainWindow
from ui.presenters.counter import CounterPresenter, InlineWorker

# The presenters of the counters alive in this test: the agent's actions below return
# once every call they started has answered (the core runs on a worker thread).
_LIVE: list[CounterPresenter] = []

PARIS = ZoneInfo("Europe/Paris")
OPEN_AT = datetime(2026, 11, 27, 9, 30, tzinfo=PARIS)  # a Friday, 9:30: open
CLOSED_AT = datetime(2026, 11, 27, 11, 30, tzinfo=PARIS)  # the same Friday after 11:00


class KeyClock:
    """Monotonic milliseconds for the scan fields, moved by hand: bursts stay bursts."""

    def __init__(self) -> None:
        self.ms = 1_000_000.0
        self.actions: list[str] = []  # what the agent did: scans and submitting keys

    def __call__(self) -> float:
        return self.ms

    def pause(self, ms: float = 1000.0) -> None:
        self.ms += ms


@dataclass
class Counter:
    """Everything a counter test touches."""

    window: MainWindow
    presenter: CounterPresenter
    service: CounterService
    engine: Engine
    config: Config
    clock: FakeClock
    keys: KeyClock
    printer: FakePrinter
    passwords: dict[str, str]


def counter_config(tmp_path: Path) -> Config:
    return dataclasses.replace(
        Config(),
        database=DatabaseConfig(url=f"sqlite:///{tmp_path / 'counter.sqlite3'}"),
        printer=PrinterConfig(kind="pdf", archive_dir=str(tmp_path / "receipts")),
    )


@pytest.fixture(scope="session", name="seeded_template")
def seeded_template_fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, str]]:
    """One seeded database file per session; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("seeded")
    config = counter_config(folder)
    engine = open_database(config.database_url, create=True)
    passwords = seed_demo(engine, config, permits=60, seed=7)
    engine.dispose()
    return folder / "counter.sqlite3", passwords


def build_counter(
    tmp_path: Path,
    template: tuple[Path, dict[str, str]],
    *,
    at: datetime = OPEN_AT,
    printer: FakePrinter | None = None,
    busy_timeout_ms: int = 30000,
    threaded: bool = True,
    demo: bool = False,
    identity_documents: tuple[str, ...] | None = None,
) -> Counter:
    """``demo``: the demonstration counter of ``make run`` (always open, its banner);
    ``identity_documents``: the site's ``[identity] documents``."""
    source, passwords = template
    (tmp_path / "counter.sqlite3").write_bytes(source.read_bytes())
    config = counter_config(tmp_path)
    if demo:
        config = demo_config(config)
    if identity_documents is not None:
        config = dataclasses.replace(config, identity=IdentityConfig(identity_documents))
    engine = open_database(config.database_url, busy_timeout_ms=busy_timeout_ms)
    clock = FakeClock(at)
    keys = KeyClock()
    service = CounterService(engine, config, clock=clock)
    printer = printer or FakePrinter()
    presenter = CounterPresenter(
        service,
        printer,
        clock=clock,
        runner=lambda job: job(),
        worker=None if threaded else InlineWorker(),
    )
    _LIVE.append(presenter)
    window = MainWindow(presenter, clock=clock, key_clock=keys, timezone="Europe/Paris", demo=demo)
    return Counter(window, presenter, service, engine, config, clock, keys, printer, passwords)


@pytest.fixture(name="counter")
def counter_fixture(qtbot, tmp_path: Path, seeded_template) -> Iterator[Counter]:
    yield from shown_counter(qtbot, build_counter(tmp_path, seeded_template))


def shown_counter(qtbot, built: Counter) -> Iterator[Counter]:
    """The counter shown for a test, then stopped and closed."""
    show(qtbot, built.window)
    yield built
    built.window.watch.stop()
    built.presenter.shutdown()
    _LIVE.clear()
    built.engine.dispose()


def show(qtbot, window: QWidget) -> None:
    """Show and activate, as the window manager does: the focus goes to the active window."""
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


# -- what the agent does ------------------------------------------------------------------


def track(presenter: CounterPresenter) -> None:
    """Let the actions below wait for this presenter too (a window built elsewhere)."""
    _LIVE.append(presenter)


def settle(timeout_ms: int = 10_000) -> None:
    """Wait (processing events, never sleeping) until every call to the core has answered."""
    deadline = time.monotonic() + timeout_ms / 1000
    if not any(p.is_busy for p in _LIVE):
        return
    while busy := [p for p in _LIVE if p.is_busy]:
        if time.monotonic() > deadline:
            raise AssertionError("the core did not answer")
        loop = QEventLoop()
        for presenter in busy:
            presenter.idle.connect(loop.quit)
        QTimer.singleShot(100, loop.quit)
        loop.exec()
        for presenter in busy:
            presenter.idle.disconnect(loop.quit)
    QApplication.processEvents()  # the replay of held keys is posted once idle


def scan(widget: QWidget, text: str, keys: KeyClock) -> None:
    """A keyboard-wedge burst: every key at once, then Enter; then the agent pauses."""
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)
    keys.actions.append("scan")
    keys.pause()
    settle()


def type_by_hand(widget: QWidget, text: str, keys: KeyClock) -> None:
    """A person typing: keys 150 ms apart (all at once would be a scanner burst)."""
    for char in text:
        keys.pause(150)
        QTest.keyClicks(widget, char)
    keys.pause(150)


def press(widget: QWidget, key: Qt.Key, keys: KeyClock) -> None:
    QTest.keyClick(widget, key)
    keys.actions.append(QKeySequence(key).toString())
    keys.pause()
    settle()


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def log_in(counter: Counter, username: str = "agent1") -> None:
    """A person types the name and the password (a burst there is refused as a scan)."""
    page = counter.window.login_page
    for field, text in ((page.username, username), (page.password, counter.passwords[username])):
        for char in text:
            counter.keys.pause(150)
            QTest.keyClicks(field, char)
    counter.keys.pause(150)
    QTest.keyClick(page.password, Qt.Key.Key_Return)
    settle()


def _mouse(widget: QWidget, kind: QEvent.Type, point: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    global_point = QPointF(widget.mapToGlobal(point.toPoint()))
    event = QMouseEvent(kind, point, global_point, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def draw_stroke(widget: QWidget, points: list[tuple[float, float]]) -> None:
    """One stroke with the mouse: press, moves with the button held, release."""
    first = QPointF(*points[0])
    _mouse(widget, QEvent.Type.MouseButtonPress, first, Qt.MouseButton.LeftButton)
    for x, y in points[1:]:
        _mouse(widget, QEvent.Type.MouseMove, QPointF(x, y), Qt.MouseButton.LeftButton)
    last = QPointF(*points[-1])
    _mouse(widget, QEvent.Type.MouseButtonRelease, last, Qt.MouseButton.NoButton)


def draw_signature(widget: QWidget) -> None:
    """Two strokes across most of the pad, like a short handwritten name."""
    draw_stroke(widget, [(40 + 12 * i, 120 + (25 if i % 2 else -25)) for i in range(20)])
    draw_stroke(widget, [(60, 90), (120, 150), (200, 100), (280, 160)])


def click_at(widget: QWidget, x: int = 5, y: int = 5) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


# -- test data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadyPermit:
    permit_id: int
    reference: str
    surname: str
    given_names: str
    birth_date: date
    nationality: str
    card_number: str
    fee_cents: int
    previous_card_expected: bool


def find_permit(engine: Engine, *where: object) -> ReadyPermit:
    with engine.connect() as connection:
        row = connection.execute(
            select(
                Permit.id,
                Permit.handover_reference,
                Permit.surname,
                Permit.given_names,
                Permit.birth_date,
                Permit.nationality,
                Permit.card_number,
                Permit.fee_cents,
                Permit.previous_card_expected,
            )
            .where(Permit.handover_reference.is_not(None), *where)
            .order_by(Permit.id)
            .limit(1)
        ).one()
    return ReadyPermit(*row)


def ready_permit(engine: Engine) -> ReadyPermit:
    """A notified permit that takes stamps and wants the previous card back."""
    return find_permit(
        engine,
        Permit.state == PermitState.NOTIFIED,
        Permit.fee_cents > 0,
        Permit.previous_card_expected.is_(True),
    )


def handover_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count(Handover.id))).scalar_one())


def stamp_numbers(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.randrange(10**15, 10**16):016d}" for _ in range(count)]


def drawer_card(permit: ReadyPermit) -> str:
    """The MRZ of the permit's own card, as the agent scans it from the storage slot."""
    return residence_card_mrz(
        permit.card_number, permit.surname, permit.given_names, permit.birth_date
    )
