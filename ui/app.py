"""Composition root of the counter: configuration, database, services, printer, window.

``python -m ui.app --seed-demo`` is what ``make run`` starts: it opens the configured
database, fills it with demo data when it holds no permit, and shows the login screen.
OpenCV and reportlab are imported only when a camera frame or a receipt needs them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from handover.config import Config, load_config
from handover.errors import HandoverError
from ui.i18n import install_translator
from ui.style import apply_style

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from handover.domain.clock import Clock
    from handover.receipts.printers import Printer
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def make_printer(config: Config) -> Printer:
    """The configured printer; the system printer is Qt's, so it is built here."""
    from handover.receipts.printers import make_printer as core_printer

    kind = config.printer.kind
    if kind == "system":
        from ui.printing import QtSystemPrinter

        return QtSystemPrinter(config.printer.name or None, paper=config.printer.paper)  # type: ignore[arg-type]
    if kind == "escpos":
        return core_printer(
            "escpos", host=config.printer.escpos_host, port=config.printer.escpos_port
        )
    return core_printer("pdf", folder=config.archive_dir)


def database_is_empty(engine: Engine) -> bool:
    from sqlalchemy import func, select

    from handover.persistence.models import Permit

    with engine.connect() as connection:
        return not connection.execute(select(func.count(Permit.id))).scalar_one()


def build_window(
    engine: Engine,
    config: Config,
    *,
    printer: Printer | None = None,
    clock: Clock | None = None,
) -> MainWindow:
    """The counter window over a database, ready to show; tests and screenshots use it."""
    from handover.services.counter import CounterService
    from ui.main_window import MainWindow
    from ui.presenters.counter import CounterPresenter

    service = CounterService(engine, config, clock=clock)
    presenter = CounterPresenter(
        service,
        printer if printer is not None else make_printer(config),
        clock=clock,
        override_minutes=config.security.override_minutes,
    )
    badge = config.security.badge_login
    return MainWindow(
        presenter,
        clock=clock,
        lock_after=timedelta(minutes=config.security.inactivity_lock_minutes),
        badge_enabled=badge,
        timezone=config.schedule.timezone,
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="handover-counter", description="Guichet de remise")
    parser.add_argument(
        "--seed-demo",
        action="store_true",
        help="remplir la base avec des données de démonstration si elle est vide",
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Guichet")
    try:
        config = load_config()
    except HandoverError as error:
        QMessageBox.critical(None, "Guichet", error.message)
        return 2
    translator = install_translator(app, config.ui.language)
    apply_style(app)
    try:
        from handover.persistence.db import open_database

        engine = open_database(config.database_url, busy_timeout_ms=config.database.busy_timeout_ms)
        if args.seed_demo and database_is_empty(engine):
            from handover.services.demo import seed_demo

            passwords = seed_demo(engine, config)
            print("Comptes de démonstration :")
            for username, password in passwords.items():
                print(f"  {username} / {password}")
        window = build_window(engine, config)
    except HandoverError as error:
        QMessageBox.critical(None, "Guichet", error.message)
        return 2
    window.show()
    code = app.exec()
    del translator
    return code


if __name__ == "__main__":
    raise SystemExit(main())
