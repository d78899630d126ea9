"""``python -m ui.backoffice``: the back office on its own, after a login."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from handover.config import load_config
from handover.errors import HandoverError
from ui.i18n import install_french
from ui.style import apply_style


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Guichet — back-office")
    install_french(app)
    apply_style(app)
    try:
        from handover.persistence.db import open_configured
        from handover.services.counter import CounterService

        config = load_config()
        engine = open_configured(config, backoffice=True)
        service = CounterService(engine, config)
    except HandoverError as error:
        QMessageBox.critical(None, "Back-office", error.message)
        return 2
    from ui.backoffice.login_dialog import LoginDialog
    from ui.backoffice.window import BackofficeWindow

    agent = LoginDialog.ask(None, service.login)
    if agent is None:
        return 1
    window = BackofficeWindow.open(None, engine, config, agent)
    if window is None:
        return 1
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
