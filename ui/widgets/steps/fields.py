"""What every handover step is made of: its scan field, typing fields, the loud states."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit

from handover.scanning.input import ScanInput
from ui.widgets.scan_field import ScanField

END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_END_KEYS = END_KEYS


class StepField(ScanField):
    """A scan field that also reports Enter on an empty field: « continue »."""

    empty_submitted = Signal()

    def __init__(self, *, clock: Callable[[], float] | None = None) -> None:
        super().__init__(clock=clock)
        self._last_submit: float | None = None
        self.scan_submitted.connect(self._on_submitted)
        self._pending_now = 0.0

    def _on_submitted(self, _scan: ScanInput) -> None:
        self._last_submit = self._pending_now

    def keyPressEvent(self, event: QKeyEvent) -> None:
        now = self._now(event)
        self._pending_now = now
        is_end = event.key() in _END_KEYS
        was_empty = not self.text()
        super().keyPressEvent(event)
        if not (is_end and was_empty):
            return
        # The LF of a scanner's CR+LF suffix is not the agent pressing Enter.
        echo = self._last_submit is not None and now - self._last_submit <= self.settings.max_gap_ms
        if not echo:
            self.empty_submitted.emit()


def parse_euros(text: str) -> int | None:
    """« 225 », « 25,00 », « 25.5 » → cents; None when it is not an amount."""
    cleaned = text.strip().replace("€", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    whole, _, fraction = cleaned.partition(".")
    if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
        return None
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)


class EnterLineEdit(QLineEdit):
    """A line edit that keeps its Enter: the wizard must not see it a second time."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in _END_KEYS:
            event.accept()


# The card check must not be missed: a wrong card is the loudest thing on the screen.
TONE_STYLES = {
    "good": "background: #1b5e20; color: #ffffff; font-size: 26px; font-weight: bold;"
    " padding: 12px; border-radius: 6px;",
    "warning": "background: #fff3e0; color: #bf360c; border: 3px solid #bf360c;"
    " font-size: 22px; font-weight: bold; padding: 12px; border-radius: 6px;",
    "alarm": "background: #b71c1c; color: #ffffff; font-size: 30px; font-weight: bold;"
    " padding: 14px; border-radius: 6px;",
}


def problem_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problem")
    label.setWordWrap(True)
    label.hide()
    return label
