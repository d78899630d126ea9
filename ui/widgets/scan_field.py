"""The field that receives keyboard-wedge scanner bursts and the agent's typing."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from handover.scanning.input import (
    CONTROL_PICTURES,
    CONTROLS,
    BurstTracker,
    KeyStroke,
    MrzAssembler,
    ScanInput,
    WedgeSettings,
    default_scancode_offset,
    mrz_line_width,
)
from handover.scanning.payloads import parse_scan

_END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
# A scanner presses Shift for capitals: that is part of the burst, not an edit.
MODIFIER_KEYS = (
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


def payload_meaning(text: str) -> object | None:
    """What a reading means: a valid payload, or one line of a multi-line MRZ; else None."""
    result = parse_scan(text)
    if result.valid:
        return result.value
    return text.strip().upper() if mrz_line_width(text) is not None else None


def _mrz_repair(repairs: list[str]) -> str | None:
    """One line for an MRZ whose lines were rebuilt: the first line's, and how many more."""
    if not repairs:
        return None
    more = len(repairs) - 1
    return repairs[0] if not more else f"{repairs[0]} (+ {more} autre(s) ligne(s) relue(s))"


class ScanField(QLineEdit):
    """A line edit that submits what it shows, whole, once per end key.

    The end key (Enter, a scanner's Tab, LF; the LF of CR LF is ignored) submits the
    whole field. Key timing only says "scanned" or "typed". When a scan does not parse
    as delivered, it is rebuilt from the keys' scan codes (see ``choose_reading``).
    A line that starts an MRZ waits up to ``mrz_wait_ms`` for the next lines.

    ``clock`` returns monotonic milliseconds; without one the key events' own time
    stamps are used (they say when the key was pressed, not when the event loop got
    round to it), or the monotonic clock where the platform stamps nothing.
    """

    scan_submitted = Signal(ScanInput)
    # A multi-line MRZ whose next line never came, or was followed by something else.
    scan_incomplete = Signal(str)
    # "Lecture en cours…" while a multi-line MRZ is being assembled; "" when done.
    reading_changed = Signal(str)

    def __init__(
        self,
        settings: WedgeSettings | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] | None = None,
        scancode_offset: int | None = default_scancode_offset(),
        read: Callable[[str], object | None] | None = payload_meaning,
        assemble_mrz: bool = True,
    ) -> None:
        super().__init__(parent)
        self._tracker = BurstTracker(settings or WedgeSettings())
        self._clock = clock
        self._scancode_offset = scancode_offset
        self._read = read
        self._mrz = MrzAssembler() if assemble_mrz else None
        self._mrz_sources: list[str] = []
        self._mrz_repairs: list[str] = []  # the lines rebuilt from their scan codes
        self._mrz_timer = QTimer(self)
        self._mrz_timer.setSingleShot(True)
        self._mrz_timer.setInterval(int(self.settings.mrz_wait_ms))
        self._mrz_timer.timeout.connect(self._on_mrz_timeout)
        self.last_keys: tuple[KeyStroke, ...] = ()
        self.last_text = ""
        self._placeholder = self.tr("Scannez ou saisissez une référence, puis Entrée")
        self.setPlaceholderText(self._placeholder)
        self.setClearButtonEnabled(True)

    @property
    def settings(self) -> WedgeSettings:
        """The scanner configuration in force."""
        return self._tracker.settings

    @property
    def reading(self) -> bool:
        """Whether a multi-line MRZ is being assembled."""
        return self._mrz is not None and self._mrz.pending

    def setPlaceholderText(self, text: str) -> None:
        if not self.reading:
            self._placeholder = text
        super().setPlaceholderText(text)

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
        ):
            now = self._now(event)
            if (
                self._tracker.in_burst(now)
                or self._tracker.is_echo(now, not self.text())
                or (self.settings.terminator == "tab" and self.text())
                or (self.reading and not self.text())
            ):
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
            self._tracker.add(self._stroke(event, now))
            if self.reading:
                self._mrz_timer.start()  # the next line is arriving: wait from its last key
            if text in CONTROLS:
                self.insert(CONTROL_PICTURES[text])
                event.accept()
                return
        elif event.key() not in MODIFIER_KEYS:
            self._tracker.break_burst()
        super().keyPressEvent(event)

    @staticmethod
    def _is_end_key(event: QKeyEvent) -> bool:
        if event.key() in _END_KEYS or event.text() in ("\r", "\n"):
            return True
        # A scanner's LF arrives as Ctrl+J where the platform gives it no text.
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        return ctrl and event.key() == Qt.Key.Key_J

    def _stroke(self, event: QKeyEvent, now: float) -> KeyStroke:
        modifiers = event.modifiers()
        native = event.nativeScanCode()
        offset = self._scancode_offset
        code = native - offset if offset is not None and native > offset else 0
        return KeyStroke(
            text=event.text(),
            at_ms=now,
            code=code,
            shift=bool(modifiers & Qt.KeyboardModifier.ShiftModifier),
            ctrl=bool(modifiers & Qt.KeyboardModifier.ControlModifier),
        )

    def _end(self, now: float) -> None:
        if self._tracker.is_echo(now, not self.text()):
            return  # the LF after a CR: the scan was already submitted
        self.last_keys = tuple(self._tracker.keys)  # for the scanner test screen
        self.last_text = self.text()
        submitted = self._tracker.finish(now, self.text(), self._read)
        self.clear()
        if submitted is None:
            return
        if self._mrz is None:
            self.scan_submitted.emit(submitted)
            return
        was_reading = self._mrz.pending
        progress = self._mrz.offer(submitted.text)
        if progress.abandoned:
            self._stop_reading()
            self.scan_incomplete.emit(progress.abandoned)
        if progress.waiting or progress.complete is not None:
            if not was_reading or progress.abandoned:
                self._mrz_sources = []
                self._mrz_repairs = []
            self._mrz_sources.append(submitted.source)
            if submitted.repair:
                self._mrz_repairs.append(submitted.repair)
        if progress.waiting:
            self._mrz_timer.start()
            super().setPlaceholderText(self._mrz.status())
            self.reading_changed.emit(self._mrz.status())
            return
        if progress.complete is not None:
            self._stop_reading()
            burst = all(s == "burst" for s in self._mrz_sources)
            self.scan_submitted.emit(
                ScanInput(
                    progress.complete,
                    "burst" if burst else "typed",
                    from_scancodes=bool(self._mrz_repairs),
                    repair=_mrz_repair(self._mrz_repairs),
                )
            )
            return
        self.scan_submitted.emit(submitted)

    def _stop_reading(self) -> None:
        self._mrz_timer.stop()
        super().setPlaceholderText(self._placeholder)
        self.reading_changed.emit("")

    def _on_mrz_timeout(self) -> None:
        message = self._mrz.give_up() if self._mrz is not None else None
        self._stop_reading()
        if message:
            self.scan_incomplete.emit(message)

    def cancel_reading(self) -> None:
        """Forget a partly read MRZ (the screen changed)."""
        if self._mrz is not None:
            self._mrz.give_up()
        self._stop_reading()
