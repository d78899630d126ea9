"""Send key events with native scan codes, as a real keyboard or wedge scanner would.

pytest-qt's ``keyClicks`` sets no scan code, so the AZERTY desk PC receiving a US-layout
scanner burst is simulated here key by key: each intended character is the key a US
keyboard presses for it (set-1 scan code, Shift), and the text is what the French layout
makes of that key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Linux X11/evdev key codes are set-1 scan codes + 8.
LINUX_OFFSET = 8

# Intended character -> (set-1 scan code of the US key, Shift pressed on the US keyboard).
US_KEYS: dict[str, tuple[int, bool]] = {
    "1": (0x02, False),
    "2": (0x03, False),
    "3": (0x04, False),
    "4": (0x05, False),
    "5": (0x06, False),
    "6": (0x07, False),
    "7": (0x08, False),
    "8": (0x09, False),
    "9": (0x0A, False),
    "0": (0x0B, False),
    "-": (0x0C, False),
    "A": (0x1E, True),
    "K": (0x25, True),
    "M": (0x32, True),
    "P": (0x19, True),
    "Q": (0x10, True),
    "W": (0x11, True),
    "X": (0x2D, True),
    "Z": (0x2C, True),
}

# What the French AZERTY layout types for (scan code, Shift).
AZERTY: dict[tuple[int, bool], str] = {
    (0x02, False): "&",
    (0x03, False): "é",
    (0x04, False): '"',
    (0x05, False): "'",
    (0x06, False): "(",
    (0x07, False): "-",
    (0x08, False): "è",
    (0x09, False): "_",
    (0x0A, False): "ç",
    (0x0B, False): "à",
    (0x0C, False): ")",
    (0x02, True): "1",
    (0x03, True): "2",
    (0x04, True): "3",
    (0x05, True): "4",
    (0x06, True): "5",
    (0x07, True): "6",
    (0x08, True): "7",
    (0x09, True): "8",
    (0x0A, True): "9",
    (0x0B, True): "0",
    (0x1E, True): "Q",
    (0x25, True): "K",
    (0x32, True): "?",
    (0x19, True): "P",
    (0x10, True): "A",
    (0x11, True): "Z",
    (0x2D, True): "X",
    (0x2C, True): "W",
    (0x27, True): "M",
}

# Where an AZERTY typist finds each character: (scan code, Shift).
AZERTY_KEYS: dict[str, tuple[int, bool]] = {text: key for key, text in AZERTY.items()}

ENTER_SCAN = 0x1C
TAB_SCAN = 0x0F


def _qt_key(text: str) -> int:
    # Qt key codes of Latin-1 characters are the upper-case code point.
    if len(text) == 1 and ord(text.upper()) < 0x100:
        return ord(text.upper())
    return int(Qt.Key.Key_unknown.value)


def send_key(
    widget: QWidget,
    text: str,
    scan_code: int,
    *,
    key: int | None = None,
    shift: bool = False,
    ctrl: bool = False,
    offset: int = LINUX_OFFSET,
) -> None:
    """One key press with its native scan code and the text the layout produced."""
    modifiers = Qt.KeyboardModifier.NoModifier
    if shift:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    if ctrl:
        modifiers |= Qt.KeyboardModifier.ControlModifier
    event = QKeyEvent(
        QEvent.Type.KeyPress,
        _qt_key(text) if key is None else key,
        modifiers,
        scan_code + offset if scan_code else 0,
        0,
        0,
        text,
    )
    QApplication.sendEvent(widget, event)


class Keyboard:
    """Types on a widget with a controllable clock (milliseconds)."""

    def __init__(self, widget: QWidget, start_ms: float = 10_000.0) -> None:
        self.widget = widget
        self.now_ms = start_ms

    def clock(self) -> float:
        """The time the widget reads for the key being sent."""
        return self.now_ms

    def _at(self, gap_ms: float, press: Callable[[], None]) -> None:
        self.now_ms += gap_ms
        press()

    def scanner_burst(self, intended: str, *, gap_ms: float = 3.0) -> None:
        """A US-layout scanner typing ``intended`` into the AZERTY PC, no suffix."""
        for char in intended:
            scan, shift = US_KEYS[char]
            self._at(
                gap_ms, lambda s=scan, sh=shift: send_key(self.widget, AZERTY[s, sh], s, shift=sh)
            )

    def azerty_typing(self, intended: str, *, gap_ms: float = 180.0) -> None:
        """A person typing ``intended`` on the AZERTY keyboard."""
        for char in intended:
            scan, shift = AZERTY_KEYS[char]
            self._at(gap_ms, lambda s=scan, sh=shift, c=char: send_key(self.widget, c, s, shift=sh))

    def raw(self, text: str, scan_code: int = 0, *, gap_ms: float = 3.0, **kwargs: object) -> None:
        """Any one key."""
        self._at(gap_ms, lambda: send_key(self.widget, text, scan_code, **kwargs))  # type: ignore[arg-type]

    def enter(self, *, gap_ms: float = 3.0) -> None:
        self._at(
            gap_ms,
            lambda: send_key(self.widget, "\r", ENTER_SCAN, key=int(Qt.Key.Key_Return.value)),
        )

    def line_feed(self, *, gap_ms: float = 3.0) -> None:
        """LF as a wedge scanner sends it: Ctrl+J."""
        self._at(
            gap_ms,
            lambda: send_key(self.widget, "\n", 0x24, key=int(Qt.Key.Key_J.value), ctrl=True),
        )

    def tab(self, *, gap_ms: float = 3.0) -> None:
        self._at(
            gap_ms, lambda: send_key(self.widget, "\t", TAB_SCAN, key=int(Qt.Key.Key_Tab.value))
        )
