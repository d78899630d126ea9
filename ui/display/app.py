"""``handover-display`` (or ``python -m ui.display``): the call display on a television.

It opens the configured database read-only in spirit (it only reads calls), shows the
calls full-screen and follows them through ``CallWatcher``: PostgreSQL notifications, or
polling on SQLite (a second screen of a desk's PC).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from handover import logs
from handover.argparse_fr import FrenchArgumentParser
from handover.config import load_config
from handover.errors import HandoverError

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = FrenchArgumentParser(
        prog="handover-display", description="Affichage des appels en salle d'attente"
    )
    parser.add_argument(
        "--fenetre", action="store_true", help="dans une fenêtre plutôt qu'en plein écran"
    )
    parser.add_argument("--sans-carillon", action="store_true", help="pas de son à chaque appel")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Guichet — affichage des appels")
    try:
        config = load_config()
        logs.setup("affichage", config)
        from handover.persistence.db import open_configured
        from handover.queue.service import QueueService
        from handover.queue.watch import CallWatcher

        engine = open_configured(config)
        service = QueueService(engine, config)
    except HandoverError as error:
        log.error("Affichage impossible : %s", error.message)
        QMessageBox.critical(None, "Affichage des appels", error.message)
        return 2
    from ui.display.window import CallDisplay

    display = CallDisplay(
        timezone=config.schedule.timezone,
        calls_shown=config.queue.display_calls,
        chime=config.queue.chime and not args.sans_carillon,
    )
    display.follow(service, lambda: CallWatcher(engine))
    from ui.first_paint import log_first_paint

    log_first_paint(display, log, "Écran des appels affiché")
    if args.fenetre:
        display.resize(1280, 720)
        display.show()
    else:
        display.showFullScreen()
    code = app.exec()
    display.stop_following()  # whatever ended the loop, the feed's thread ends first
    engine.dispose()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
