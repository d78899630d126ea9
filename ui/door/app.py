"""``handover-door`` (or ``python -m ui.door``): the door's window on its laptop or tablet.

Same configuration file as a desk (its ``[desk] name`` names the door device, e.g.
"Accueil"); the printer is the door's 80 mm one, behind the receipts' PDF archive.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from handover import logs
from handover.argparse_fr import FrenchArgumentParser
from handover.config import Config, load_config
from handover.errors import HandoverError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from handover.domain.clock import Clock
    from handover.receipts.printers import Printer
    from ui.door.window import DoorWindow
    from ui.presenters.counter import CoreWorker

log = logging.getLogger(__name__)


def build_door(
    engine: Engine,
    config: Config,
    *,
    printer: Printer | None = None,
    clock: Clock | None = None,
    key_clock: Callable[[], float] | None = None,
    worker: CoreWorker | None = None,
) -> DoorWindow:
    """The door window over a database, ready to show; tests and screenshots use it."""
    from handover.queue.service import QueueService
    from handover.queue.ticket_pdf import TicketHeader
    from handover.services.counter import CounterService
    from ui.app import make_printer, wedge_settings
    from ui.door.presenter import DoorPresenter
    from ui.door.window import DoorWindow

    accounts = CounterService(engine, config, clock=clock)
    queue = QueueService(engine, config, clock=clock)
    header = TicketHeader(config.site.prefecture, config.site.name, config.schedule.timezone)
    presenter = DoorPresenter(
        accounts,
        queue,
        printer if printer is not None else make_printer(config),
        header,
        priority_reasons=config.queue.priority_reasons,
        clock=clock,
        worker=worker,
    )
    return DoorWindow(
        presenter,
        clock=clock,
        lock_after=timedelta(minutes=config.security.inactivity_lock_minutes),
        timezone=config.schedule.timezone,
        wedge=wedge_settings(config),
        key_clock=key_clock,
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = FrenchArgumentParser(
        prog="handover-door",
        description="Accueil : tickets de la file d'attente, remis à la porte par l'agent "
        "d'accueil (base et imprimante de la configuration, HANDOVER_CONFIG)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="accueil de démonstration, ouvert à toute heure, sur une base de démonstration "
        "déjà remplie (make run) ; refuse une base de production",
    )
    return parser.parse_args(list(argv))


def open_door_database(engine: Engine, config: Config, *, demo: bool) -> Config:
    """The configuration the door works with; demonstration and production never mix.

    Like the counter: the production door refuses a demonstration database, the
    demonstration door a production one (and an empty one: nobody could log in), and is
    open at every hour.
    """
    from handover.services.demo import (
        DemoRefused,
        demo_config,
        refuse_demonstration,
        refuse_production,
    )

    if not demo:
        refuse_demonstration(engine)
        return config
    if refuse_production(engine) == "vide":
        raise DemoRefused(
            "La base de démonstration est vide : aucun compte ne peut s'y connecter. "
            "Remplissez-la d'abord avec « make run » (ou « handover demo »), puis relancez "
            "l'accueil."
        )
    return demo_config(config)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Guichet — accueil")
    from ui.style import apply_style

    apply_style(app)
    try:
        config = load_config()
        logs.setup("accueil", config)
        from handover.persistence.db import open_configured

        engine = open_configured(config)
        config = open_door_database(engine, config, demo=args.demo)
        window = build_door(engine, config)
    except HandoverError as error:
        log.error("Accueil impossible : %s", error.message)
        QMessageBox.critical(None, "Accueil", error.message)
        return 2
    from ui.first_paint import log_first_paint

    log_first_paint(window, log, "Écran de l'accueil affiché")
    window.show()
    code = app.exec()
    engine.dispose()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
