"""The field that receives keyboard-wedge scanner bursts and the agent's typing."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from handover.scanning.input import (
    CONTROL_PICTURES,
    CONTROLS,
    BurstTracker,
    KeyStroke,
    ScanInput,
    WedgeSettings,
    default_scancode_offset,
    us_character,
)

_END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
# A scanner presses Shift for capitals: that is part of the burst, not an edit.
_MODIFIER_KEYS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
)


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class ScanField(QLineEdit):
    """A line edit that submits each scan once, rebuilt as the scanner meant it.

    A burst (keys under ``max_gap_ms`` apart, at least ``min_length`` of them, then
    Enter, Tab or LF) is rebuilt from the keys' native scan codes on a US layout; slower
    keys are typing, submitted as the field shows them when Enter is pressed.

    ``clock`` returns monotonic milliseconds; without one the key events' own time
    stamps are used (they say when the key was pressed, not when the event loop got
    round to it), or the monotonic clock where the platform stamps nothing.
    """

    scan_submitted = Signal(ScanInput)

    def __init__(
        self,
        settings: WedgeSettings | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] | None = None,
        scancode_offset: int | None = default_scancode_offset(),
    ) -> None:
        super().__init__(parent)
        self._tracker = BurstTracker(settings or WedgeSettings())
        self._clock = clock
        self._scancode_offset = scancode_offset
        self.setPlaceholderText(self.tr("Scannez ou saisissez une référence, puis Entrée"))
        self.setClearButtonEnabled(True)

    @property
    def settings(self) -> WedgeSettings:
        """The scanner configuration in force."""
        return self._tracker.settings

    def _now(self, event: QKeyEvent) -> float:
        if self._clock is not None:
            return self._clock()
        stamp = event.timestamp()
        return float(stamp) if stamp else _monotonic_ms()

    def event(self, event: QEvent) -> bool:
        # Qt moves the focus on Tab before keyPressEvent sees it: catch a scanner's Tab
        # suffix here, and leave a person's Tab to move to the next field.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _TAB_KEYS
            and self.settings.tab_ends_scan
        ):
            now = self._now(event)
            if self._tracker.in_burst(now) or self._tracker.is_echo(now, not self.text()):
                self._end(now)
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        now = self._now(event)
        if self._is_end_key(event):
            self._end(now)
            event.accept()
            return
        text = event.text()
        if len(text) == 1 and (text.isprintable() or text in CONTROLS):
            self._tracker.add(KeyStroke(text=text, us_text=self._us_text(event), at_ms=now))
            if text in CONTROLS:
                self.insert(CONTROL_PICTURES[text])
                event.accept()
                return
        elif event.key() not in _MODIFIER_KEYS:
            self._tracker.break_burst()
        super().keyPressEvent(event)

    @staticmethod
    def _is_end_key(event: QKeyEvent) -> bool:
        if event.key() in _END_KEYS or event.text() in ("\r", "\n"):
            return True
        # A scanner's LF arrives as Ctrl+J where the platform gives it no text.
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        return ctrl and event.key() == Qt.Key.Key_J

    def _us_text(self, event: QKeyEvent) -> str | None:
        text = event.text()
        if text in CONTROLS:
            return text  # the same on every layout
        modifiers = event.modifiers()
        return us_character(
            event.nativeScanCode(),
            shift=bool(modifiers & Qt.KeyboardModifier.ShiftModifier),
            ctrl=bool(modifiers & Qt.KeyboardModifier.ControlModifier),
            offset=self._scancode_offset,
        )

    def _end(self, now: float) -> None:
        if self._tracker.is_echo(now, not self.text()):
            return  # the LF after a CR: the scan was already submitted
        submitted = self._tracker.finish(now, self.text())
        self.clear()
        if submitted is not None:
            self.scan_submitted.emit(submitted)
