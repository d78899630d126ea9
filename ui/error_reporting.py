"""The counter never vanishes on a Python error: it is logged and said in French.

PySide6 hands an exception raised in a slot, an event handler (``paintEvent``…) or a pool
thread to ``sys.excepthook``; ``handover.logs.install_excepthooks`` logs it, and the
``ErrorReporter`` here shows one dialog at a time on the screen's thread. Qt's own warnings
go to the log file too (logger ``ui.qt``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from handover import logs

qt_log = logging.getLogger("ui.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class ErrorReporter(QObject):
    """Receives the message from any thread; the dialog opens on the screen's thread."""

    error_raised = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: QMessageBox | None = None
        # Queued even from the screen's thread: never a dialog inside a paintEvent.
        self.error_raised.connect(self._on_error_raised, Qt.ConnectionType.QueuedConnection)

    def _on_error_raised(self, message: str) -> None:
        if self.dialog is not None:
            return  # one at a time: the log has every occurrence
        parent = QApplication.activeWindow()
        what, _, where = message.partition(" Détail dans le journal : ")
        dialog = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Guichet — erreur inattendue"),
            what,
            QMessageBox.StandardButton.Ok,
            parent if isinstance(parent, QWidget) else None,
        )
        if where:
            dialog.setInformativeText(self.tr("Détail dans le journal :") + f"\n{where}")
        dialog.setObjectName("unexpected_error")
        dialog.setStyleSheet(
            "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 520px; }"
        )
        dialog.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()  # modal without a nested event loop: the counter keeps running

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None


def _on_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    del context
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install(app: QApplication) -> ErrorReporter:
    """Uncaught exceptions logged and shown; Qt's messages into the log."""
    reporter = ErrorReporter(app)
    logs.install_excepthooks(reporter.error_raised.emit)
    qInstallMessageHandler(_on_qt_message)
    return reporter
