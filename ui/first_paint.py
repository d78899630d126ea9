"""Log a line once a window has painted its first screen.

Support staff read it in the program's log ("the screen came up"), and the installation
tests (wheel, bundle) wait for it: it is written from the window's first paint event,
so a program that starts but cannot draw never writes it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, logger: logging.Logger, message: str) -> None:
        super().__init__(window)
        self._logger = logger
        self._message = message

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._logger.info(self._message)
        return False


def log_first_paint(window: QWidget, logger: logging.Logger, message: str) -> None:
    """Write ``message`` to ``logger`` when ``window`` is painted for the first time."""
    window.installEventFilter(_FirstPaint(window, logger, message))
