"""Render the queue's screens to PNG, offscreen: ``python -m ui.door.screenshots OUT``.

The door (a ticket, a refusal, the cut-off) and the waiting-room display, driven on a demo
database at fixed instants of an opening day, as the door agent and the desks would.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

OPEN = datetime(2026, 11, 24, 8, 37, tzinfo=UTC)  # Tuesday 9:37 Paris
NEAR_CLOSING = datetime(2026, 11, 24, 9, 57, tzinfo=UTC)  # 10:57 Paris


def _shoot(widget: QWidget, out: Path, name: str) -> Path:
    QApplication.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    return path


def render_all(out: Path) -> list[Path]:
    from handover.config import Config, DatabaseConfig, DeskConfig, PrinterConfig, QueueConfig
    from handover.domain.clock import FakeClock
    from handover.persistence.db import open_database
    from handover.persistence.models import Permit, PermitState
    from handover.persistence.uow import UnitOfWork
    from handover.queue.service import QueueService
    from handover.receipts.printers import FakePrinter
    from handover.scanning.reference import format_reference
    from handover.services.demo import seed_demo
    from ui.display.window import CallDisplay
    from ui.door.app import build_door
    from ui.presenters.counter import InlineWorker

    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        config = dataclasses.replace(
            Config(),
            database=DatabaseConfig(url=f"sqlite:///{Path(folder) / 'door.sqlite3'}"),
            printer=PrinterConfig(kind="pdf", archive_dir=str(Path(folder) / "archive")),
            desk=DeskConfig(name="Accueil"),
            queue=QueueConfig(expected_desks=3),
        )
        engine = open_database(config.database_url, create=True)
        passwords = seed_demo(engine, config, permits=60, seed=5, handed_over=3)
        with UnitOfWork(engine, read_only=True) as uow:
            ready = list(
                uow.session.execute(
                    select(Permit.handover_reference)
                    .where(Permit.state == PermitState.NOTIFIED)
                    .order_by(Permit.id)
                    .limit(12)
                ).scalars()
            )
            done = uow.session.execute(
                select(Permit.handover_reference)
                .where(Permit.state == PermitState.HANDED_OVER)
                .limit(1)
            ).scalar_one()
        references = [format_reference(code) for code in ready if code]
        clock = FakeClock(OPEN)
        window = build_door(
            engine, config, printer=FakePrinter(), clock=clock, worker=InlineWorker()
        )
        window.resize(1280, 800)
        window.show()
        shots.append(_shoot(window, out, "porte-01-connexion"))
        window.login_page.username.setText("accueil")  # the demo's agent d'accueil
        window.login_page.password.setText(passwords["accueil"])
        QTest.keyClick(window.login_page.password, Qt.Key.Key_Return)

        def scan(text: str) -> None:
            QTest.keyClicks(window.scan_field, text)
            QTest.keyClick(window.scan_field, Qt.Key.Key_Return)

        for reference in references[:9]:
            scan(reference)
        shots.append(_shoot(window, out, "porte-02-ticket-imprime"))
        scan(references[2])
        shots.append(_shoot(window, out, "porte-03-reimpression"))
        scan(format_reference(done or ""))
        shots.append(_shoot(window, out, "porte-04-deja-remis"))

        # The desks call: the display shows the last calls.
        desk_config = dataclasses.replace(config, desk=DeskConfig("Guichet 1"))
        queue = QueueService(engine, desk_config, clock=clock)
        agent = queue.counter.login("agent1", passwords["agent1"])
        for index in range(5):
            desk = f"Guichet {1 + index % 3}"
            queue.heartbeat(desk)
            queue.call_next(desk, agent)
        display = CallDisplay(now=clock.now)
        display.resize(1920, 1080)
        display.show()
        display.show_calls(queue.recent_calls(6))
        shots.append(_shoot(display, out, "affichage-appels"))
        display.close()
        empty = CallDisplay(now=clock.now)
        empty.resize(1920, 1080)
        empty.show()
        shots.append(_shoot(empty, out, "affichage-en-attente"))
        empty.close()

        shots.append(_desk_call(engine, config, clock, passwords, out))

        clock.set(NEAR_CLOSING)
        window.presenter.refresh_status()
        scan(references[10])
        shots.append(_shoot(window, out, "porte-05-limite-atteinte"))
        window.close()
        engine.dispose()
    return shots


def _desk_call(
    engine: object, config: object, clock: object, passwords: dict[str, str], out: Path
) -> Path:
    """A desk presses F8: the next ticket is called and its permit opens."""
    from handover.config import DeskConfig
    from handover.queue.service import QueueService
    from handover.receipts.printers import FakePrinter
    from handover.services.counter import CounterService
    from ui.main_window import MainWindow
    from ui.presenters.counter import CounterPresenter, InlineWorker

    desk_config = dataclasses.replace(config, desk=DeskConfig("Guichet 2"))  # type: ignore[type-var]
    service = CounterService(engine, desk_config, clock=clock)  # type: ignore[arg-type]
    presenter = CounterPresenter(
        service, FakePrinter(), clock=clock, runner=lambda job: job(), worker=InlineWorker()
    )  # type: ignore[arg-type]
    presenter.attach_queue(QueueService(engine, desk_config, clock=clock))  # type: ignore[arg-type]
    window = MainWindow(presenter, clock=clock)  # type: ignore[arg-type]
    window.resize(1280, 860)
    window.show()
    window.activateWindow()  # a shortcut (F8) needs the active window
    QApplication.processEvents()
    window.login_page.username.setText("agent1")
    window.login_page.password.setText(passwords["agent1"])
    QTest.keyClick(window.login_page.password, Qt.Key.Key_Return)
    QTest.keyClick(window.scan_field, Qt.Key.Key_F8)
    shot = _shoot(window, out, "guichet-appel-F8")
    window.close()
    return shot


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path("screenshots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from ui.style import apply_style

    apply_style(app)
    for path in render_all(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
