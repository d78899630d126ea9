"""What the scan field hands over, and how a keyboard-wedge burst is told from typing.

A wedge scanner types as a US keyboard. On the AZERTY desk PC the layout turns its
digits into ``& é " ' ( - è _ ç à``; the key's scan code is the same on every layout, so
a burst is rebuilt from scan codes when the platform gives them (PC/AT set 1 on Windows,
set 1 + 8 as X11/evdev key codes on Linux).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Final, Literal

GS: Final = "\x1d"
RS: Final = "\x1e"
US: Final = "\x1f"
FS: Final = "\x1c"
CONTROLS: Final = (FS, GS, RS, US)
# What the field shows for a control character, since a line edit draws nothing for one.
CONTROL_PICTURES: Final = {c: chr(0x2400 + ord(c)) for c in CONTROLS}

Source = Literal["burst", "typed"]


@dataclass(frozen=True)
class ScanInput:
    """One submission of the scan field, raw: the presenter parses it.

    ``from_scancodes`` is true when every character was rebuilt from the keys' scan
    codes as a US keyboard would type them, whatever the desk's layout.
    """

    text: str
    source: Source
    from_scancodes: bool


@dataclass(frozen=True)
class WedgeSettings:
    """How the desk's scanner is configured.

    ``substitutes`` maps strings some scanners send instead of a control character
    (e.g. ``("<GS>", GS)``) back to that character.
    """

    max_gap_ms: float = 50.0
    min_length: int = 4
    prefix: str = ""
    substitutes: tuple[tuple[str, str], ...] = ()
    tab_ends_scan: bool = True


# US layout by PC/AT set-1 scan code: (unshifted, shifted).
_US_SET1: Final[dict[int, tuple[str, str]]] = {
    0x02: ("1", "!"),
    0x03: ("2", "@"),
    0x04: ("3", "#"),
    0x05: ("4", "$"),
    0x06: ("5", "%"),
    0x07: ("6", "^"),
    0x08: ("7", "&"),
    0x09: ("8", "*"),
    0x0A: ("9", "("),
    0x0B: ("0", ")"),
    0x0C: ("-", "_"),
    0x0D: ("=", "+"),
    0x10: ("q", "Q"),
    0x11: ("w", "W"),
    0x12: ("e", "E"),
    0x13: ("r", "R"),
    0x14: ("t", "T"),
    0x15: ("y", "Y"),
    0x16: ("u", "U"),
    0x17: ("i", "I"),
    0x18: ("o", "O"),
    0x19: ("p", "P"),
    0x1A: ("[", "{"),
    0x1B: ("]", "}"),
    0x1E: ("a", "A"),
    0x1F: ("s", "S"),
    0x20: ("d", "D"),
    0x21: ("f", "F"),
    0x22: ("g", "G"),
    0x23: ("h", "H"),
    0x24: ("j", "J"),
    0x25: ("k", "K"),
    0x26: ("l", "L"),
    0x27: (";", ":"),
    0x28: ("'", '"'),
    0x29: ("`", "~"),
    0x2B: ("\\", "|"),
    0x2C: ("z", "Z"),
    0x2D: ("x", "X"),
    0x2E: ("c", "C"),
    0x2F: ("v", "V"),
    0x30: ("b", "B"),
    0x31: ("n", "N"),
    0x32: ("m", "M"),
    0x33: (",", "<"),
    0x34: (".", ">"),
    0x35: ("/", "?"),
    0x39: (" ", " "),
    # Keypad with Num Lock on: some scanners type digits there.
    0x37: ("*", "*"),
    0x47: ("7", "7"),
    0x48: ("8", "8"),
    0x49: ("9", "9"),
    0x4A: ("-", "-"),
    0x4B: ("4", "4"),
    0x4C: ("5", "5"),
    0x4D: ("6", "6"),
    0x4E: ("+", "+"),
    0x4F: ("1", "1"),
    0x50: ("2", "2"),
    0x51: ("3", "3"),
    0x52: ("0", "0"),
    0x53: (".", "."),
}

# Control characters a US keyboard types with Ctrl: Ctrl+\ FS, Ctrl+] GS, Ctrl+^ RS,
# Ctrl+_ US (the last two with Shift on the 6 and - keys).
_US_CTRL_SET1: Final[dict[int, str]] = {0x2B: FS, 0x1B: GS, 0x07: RS, 0x0C: US}


def default_scancode_offset(platform: str = sys.platform) -> int | None:
    """What the platform adds to a set-1 scan code in Qt's native scan code, if usable."""
    if platform.startswith("linux"):
        return 8  # X11 and Wayland key codes are evdev codes + 8; evdev = set 1 here.
    if platform == "win32":
        return 0
    return None  # macOS gives no scan code at all.


def us_character(
    native_scan_code: int, *, shift: bool, ctrl: bool = False, offset: int | None = 8
) -> str | None:
    """The character a US keyboard types with this key, or None when unknown."""
    if offset is None or native_scan_code <= 0:
        return None
    code = native_scan_code - offset
    if ctrl:
        return _US_CTRL_SET1.get(code)
    pair = _US_SET1.get(code)
    if pair is None:
        return None
    return pair[1] if shift else pair[0]


@dataclass(frozen=True)
class KeyStroke:
    """One character key: what the layout typed, what a US keyboard meant, and when."""

    text: str
    us_text: str | None
    at_ms: float


@dataclass
class BurstTracker:
    """Collects the keys of the current burst: keys closer than ``max_gap_ms`` apart."""

    settings: WedgeSettings
    keys: list[KeyStroke] = field(default_factory=list)
    last_submit_ms: float | None = None

    def add(self, stroke: KeyStroke) -> None:
        """Record a character key; a long pause before it starts a new burst."""
        if self.keys and stroke.at_ms - self.keys[-1].at_ms > self.settings.max_gap_ms:
            self.keys.clear()
        self.keys.append(stroke)

    def break_burst(self) -> None:
        """An editing key (Backspace, arrows): no scanner sends one, so no burst runs."""
        self.keys.clear()

    def in_burst(self, now_ms: float) -> bool:
        """Whether a key arriving now ends a scanner burst."""
        return (
            len(self.keys) >= self.settings.min_length
            and now_ms - self.keys[-1].at_ms <= self.settings.max_gap_ms
        )

    def is_echo(self, now_ms: float, field_is_empty: bool) -> bool:
        """Whether an end key is the second half of a CR+LF (or Enter+Tab) suffix."""
        return (
            field_is_empty
            and not self.keys
            and self.last_submit_ms is not None
            and now_ms - self.last_submit_ms <= self.settings.max_gap_ms
        )

    def finish(self, now_ms: float, field_text: str) -> ScanInput | None:
        """The submission an end key makes now, given what the field shows; None if empty."""
        if self.in_burst(now_ms):
            rebuilt = [k.us_text for k in self.keys]
            from_scancodes = all(t is not None for t in rebuilt)
            if from_scancodes:
                raw = "".join(t for t in rebuilt if t is not None)
            else:
                raw = "".join(k.text for k in self.keys)
            source: Source = "burst"
        else:
            raw = field_text
            from_scancodes = False
            source = "typed"
        self.keys.clear()
        self.last_submit_ms = now_ms
        text = self._clean(raw)
        if not text:
            return None
        return ScanInput(text=text, source=source, from_scancodes=from_scancodes)

    def _clean(self, raw: str) -> str:
        text = raw
        for control, picture in CONTROL_PICTURES.items():
            text = text.replace(picture, control)
        prefix = self.settings.prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        for substitute, control in self.settings.substitutes:
            text = text.replace(substitute, control)
        return text.strip(" \r\n\t")
