"""What the back-office pages share: titles, status lines, date formats, the clock."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from handover.domain.clock import Clock


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("title")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def scrolling(page: QWidget) -> QScrollArea:
    """The page in a vertical scroll area: on a short screen it scrolls, never squashes.

    Its minimum width is the page's: nothing is cut sideways (the window test keeps that
    within a 1280 px screen at 125 %).
    """
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(page)
    area.setMinimumWidth(
        page.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width()
    )
    return area


STATUS_STYLES = {
    "good": "background: #e8f5e9; color: #1b5e20; border: 2px solid #1b5e20; "
    "border-radius: 4px; padding: 10px; font-weight: bold;",
    "problem": "background: #ffebee; color: #8e0000; border: 2px solid #b71c1c; "
    "border-radius: 4px; padding: 10px; font-weight: bold;",
}


class StatusLine(QLabel):
    """A sentence that says how an operation ended: green frame when good, red when not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()

    @property
    def is_problem(self) -> bool:
        return self.objectName() == "problem"

    def show_good(self, text: str) -> None:
        self._show("good", "✔ " + text)

    def show_problem(self, text: str) -> None:
        self._show("problem", "✖ " + text)

    def _show(self, kind: str, text: str) -> None:
        self.setObjectName(kind)
        # Its own style sheet: the window also opens without the counter's application style.
        self.setStyleSheet(STATUS_STYLES[kind])
        self.setText(text)
        self.show()


def now_from(clock: Clock | None) -> datetime | None:
    """The clock's instant, or None so that the core asks the database server."""
    return clock.now() if clock is not None else None


def today_from(clock: Clock | None, timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return (clock.now() if clock is not None else datetime.now(UTC)).astimezone(ZoneInfo(timezone))
