"""An uncaught Python error at the counter is logged and said in French; the counter stays."""

from __future__ import annotations

import dataclasses
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, QThreadPool, QTimer, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from handover import __version__, logs
from handover.config import Config, LogConfig
from ui import error_reporting
from ui.widgets.login_page import LoginPage

NUMERO_ETRANGER = "7501234567"

pytestmark = pytest.mark.qt_no_exception_capture  # the hook under test replaces pytest-qt's


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    config = dataclasses.replace(Config(), log=LogConfig(dir=str(tmp_path / "log")))
    files = logs.setup(logs.COUNTER, config, console=False)
    assert files is not None
    saved = (sys.excepthook, threading.excepthook)
    yield files.log_file
    sys.excepthook, threading.excepthook = saved
    logs.reset()


def logged(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def open_dialogs() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "unexpected_error" and w.isVisible()
    ]


def test_error_in_a_slot_is_logged_and_shown(qtbot, log_file: Path) -> None:
    app = QApplication.instance()
    reporter = error_reporting.install(app)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()

    def on_click() -> None:
        raise KeyError(f"titre {NUMERO_ETRANGER}")

    QTimer.singleShot(0, on_click)
    qtbot.waitUntil(lambda: bool(open_dialogs()))

    dialog = open_dialogs()[0]
    assert dialog.windowTitle() == "Guichet — erreur inattendue"
    assert dialog.text().startswith("Erreur inattendue : l'opération en cours")
    assert dialog.informativeText() == f"Détail dans le journal :\n{log_file}"
    assert window.isVisible()  # the counter is still there behind the message
    text = logged(log_file)
    assert "CRITICAL" in text and "Exception non rattrapée (MainThread)" in text
    assert "KeyError: 'titre [numéro masqué]'" in text
    assert NUMERO_ETRANGER not in text

    QTimer.singleShot(0, on_click)  # again while the message is open: logged, not stacked
    qtbot.waitUntil(lambda: logged(log_file).count("Exception non rattrapée") == 2)
    qtbot.wait(50)
    assert len(open_dialogs()) == 1
    dialog.accept()
    qtbot.waitUntil(lambda: reporter.dialog is None)


def test_error_in_a_worker_thread_reaches_the_screen(qtbot, log_file: Path) -> None:
    reporter = error_reporting.install(QApplication.instance())

    class Job(QRunnable):
        def run(self) -> None:
            raise RuntimeError("import interrompu")

    pool = QThreadPool()
    pool.start(Job())
    qtbot.waitUntil(lambda: bool(open_dialogs()))
    pool.waitForDone()
    assert "import interrompu" in logged(log_file)
    assert "Exception non rattrapée (MainThread)" not in logged(log_file)
    assert reporter.dialog is not None and reporter.dialog.text().startswith("Erreur inattendue")
    reporter.dialog.accept()


def test_qt_warnings_go_to_the_log(qtbot, log_file: Path) -> None:
    error_reporting.install(QApplication.instance())
    qWarning("avertissement de Qt")
    assert "WARNING ui.qt [MainThread] avertissement de Qt" in logged(log_file)


def test_the_login_screen_shows_the_version(qtbot) -> None:
    page = LoginPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.version.text() == f"Version {__version__}"
    assert page.version.isVisible()
    geometry = page.version.geometry()
    assert geometry.bottom() > page.height() - 60 and geometry.right() > page.width() - 60
