"""What the scan field hands over, and how a keyboard-wedge burst is told from typing.

The text the platform delivers (what the field shows) is the reading. A wedge scanner
types with a layout of its own setting and the PC applies its own layout, so when that
text does not parse, two repairs are tried: ``payloads.parse_scan`` re-maps the
characters a US-set scanner makes on an AZERTY PC, and ``choose_reading`` rebuilds the
burst from the keys' scan codes (layout-independent: PC/AT set 1 on Windows, set 1 + 8
as X11/evdev key codes on Linux) as a scanner set to US, French or Belgian would have
meant them, Caps Lock ignored. A repair is kept only when it parses and the text as
delivered does not.

Timing never cuts a reading: the end key submits the whole field. It only says whether
the text was scanned or typed (audited, and a rebuild is tried for a scan only).
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Final, Literal

from handover.scanning.azerty import Layout, key_pairs

GS: Final = "\x1d"
RS: Final = "\x1e"
US: Final = "\x1f"
FS: Final = "\x1c"
CONTROLS: Final = (FS, GS, RS, US)
# What the field shows for a control character, since a line edit draws nothing for one.
CONTROL_PICTURES: Final = {c: chr(0x2400 + ord(c)) for c in CONTROLS}

Source = Literal["burst", "typed"]
Terminator = Literal["enter", "tab", "crlf"]
TERMINATORS: Final[tuple[Terminator, ...]] = ("enter", "tab", "crlf")


@dataclass(frozen=True)
class ScanInput:
    """One submission of the scan field: the reading to look up, and how it came.

    ``text`` is what the field showed unless a scan-code rebuild was needed; then
    ``from_scancodes`` is true, ``delivered`` keeps what the field showed and ``repair``
    is the one line that tells the agent.
    """

    text: str
    source: Source
    from_scancodes: bool = False
    delivered: str = ""
    repair: str | None = None


@dataclass(frozen=True)
class WedgeSettings:
    """How the desk's scanner is configured.

    ``substitutes`` maps strings some scanners send instead of a control character
    (e.g. ``("<GS>", GS)``) back to that character. ``terminator`` is the scanner's
    suffix: Enter (CR), Tab, or CR LF; Enter always submits what a person typed.
    ``mrz_wait_ms`` is how long the field waits for the next line of a multi-line MRZ.
    """

    max_gap_ms: float = 50.0
    min_length: int = 4
    prefix: str = ""
    substitutes: tuple[tuple[str, str], ...] = ()
    terminator: Terminator = "enter"
    mrz_wait_ms: float = 400.0

    @property
    def tab_ends_scan(self) -> bool:
        """A Tab ends a burst whatever the setting (scanners are often shipped so)."""
        return True


class ScannerLayout(Enum):
    """A layout a wedge scanner can be set to, for the scan-code rebuild."""

    US = "us"
    FRENCH = "fr"
    BELGIAN = "be"

    @property
    def label(self) -> str:
        return {
            ScannerLayout.US: "clavier US (QWERTY)",
            ScannerLayout.FRENCH: "AZERTY français",
            ScannerLayout.BELGIAN: "AZERTY belge",
        }[self]


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

# Control characters typed with Ctrl: Ctrl+\ FS, Ctrl+] GS, Ctrl+^ RS, Ctrl+_ US (the
# last two with Shift on the 6 and - keys). Scanners send them by US key position.
_US_CTRL_SET1: Final[dict[int, str]] = {0x2B: FS, 0x1B: GS, 0x07: RS, 0x0C: US}


_ISO_KEY: Final = 0x56


def _layout_set1(layout: Layout) -> dict[int, tuple[str, str]]:
    pairs = key_pairs(layout)
    # The keypad (0x37 and up) types the same on every layout.
    table = {code: pairs.get(us[0], us) if code < 0x37 else us for code, us in _US_SET1.items()}
    table[_ISO_KEY] = ("<", ">")  # the key left of W, which a US keyboard lacks
    return table


_SET1: Final[dict[ScannerLayout, dict[int, tuple[str, str]]]] = {
    ScannerLayout.US: _US_SET1,
    ScannerLayout.FRENCH: _layout_set1(Layout.FRENCH),
    ScannerLayout.BELGIAN: _layout_set1(Layout.BELGIAN),
}


def default_scancode_offset(platform: str = sys.platform) -> int | None:
    """What the platform adds to a set-1 scan code in Qt's native scan code, if usable."""
    if platform.startswith("linux"):
        return 8  # X11 and Wayland key codes are evdev codes + 8; evdev = set 1 here.
    if platform == "win32":
        return 0
    return None  # macOS gives no scan code at all.


def layout_character(
    set1_code: int, *, shift: bool, ctrl: bool = False, layout: ScannerLayout = ScannerLayout.US
) -> str | None:
    """The character a keyboard set to ``layout`` types with this key, or None."""
    if set1_code <= 0:
        return None
    if ctrl:
        return _US_CTRL_SET1.get(set1_code)
    pair = _SET1[layout].get(set1_code)
    if pair is None or "\x00" in pair:
        return None
    return pair[1] if shift else pair[0]


def us_character(
    native_scan_code: int, *, shift: bool, ctrl: bool = False, offset: int | None = 8
) -> str | None:
    """The character a US keyboard types with this key, or None when unknown."""
    if offset is None or native_scan_code <= 0:
        return None
    return layout_character(native_scan_code - offset, shift=shift, ctrl=ctrl)


@dataclass(frozen=True)
class KeyStroke:
    """One character key: what the layout typed, the key's set-1 code, and when.

    ``code`` is 0 when the platform gave no usable scan code.
    """

    text: str
    at_ms: float
    code: int = 0
    shift: bool = False
    ctrl: bool = False


def rebuild(keys: Sequence[KeyStroke], layout: ScannerLayout) -> str | None:
    """The text a scanner set to ``layout`` meant with these keys; None if one is unknown."""
    chars: list[str] = []
    for key in keys:
        if key.text in CONTROLS:
            chars.append(key.text)  # the same on every layout
            continue
        char = layout_character(key.code, shift=key.shift, ctrl=key.ctrl, layout=layout)
        if char is None:
            return None
        chars.append(char)
    return "".join(chars)


def classify(keys: Sequence[KeyStroke], end_ms: float, settings: WedgeSettings) -> Source:
    """Scanned or typed: most gaps between keys (and the end key) under ``max_gap_ms``.

    A USB hub or a busy PC may pause a burst once or twice; a person rarely types three
    keys out of four within 50 ms.
    """
    if len(keys) < settings.min_length:
        return "typed"
    times = [k.at_ms for k in keys] + [end_ms]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    fast = sum(1 for g in gaps if g <= settings.max_gap_ms)
    return "burst" if fast * 4 >= len(gaps) * 3 else "typed"


@dataclass(frozen=True)
class Reading:
    text: str
    from_scancodes: bool = False
    repair: str | None = None


def choose_reading(
    delivered: str,
    keys: Sequence[KeyStroke] | None,
    source: Source,
    read: Callable[[str], object | None],
    clean: Callable[[str], str] = lambda text: text,
) -> Reading:
    """The delivered text if it reads; else the one scan-code rebuild that does.

    ``read`` gives what a text means (the parsed payload), or None when it is not
    usable; it is ``parse_scan``, which itself tries the AZERTY character re-mapping.
    Rebuilds that mean the same thing count once. A rebuild is tried for a burst only,
    and only when ``keys`` are exactly the keys that made the delivered text.
    """
    if read(delivered) is not None or source != "burst" or not keys:
        return Reading(delivered)
    found: dict[object, tuple[str, list[ScannerLayout]]] = {}
    for layout in ScannerLayout:
        rebuilt = rebuild(keys, layout)
        if rebuilt is None:
            continue
        text = clean(rebuilt)
        meaning = read(text) if text and text != delivered else None
        if meaning is not None:
            found.setdefault(meaning, (text, []))[1].append(layout)
    if len(found) != 1:
        return Reading(delivered)  # nothing usable, or two layouts give two readings
    # Layouts that agree: the first (US before AZERTY) is the one that needs no re-map.
    text, layouts = next(iter(found.values()))
    return Reading(
        text,
        from_scancodes=True,
        repair=(
            f"Relu d'après les touches (lecteur réglé en {layouts[0].label}) : "
            f"« {delivered} » → « {text} »."
        ),
    )


@dataclass
class BurstTracker:
    """The keys typed since the field was last empty, with their timing."""

    settings: WedgeSettings
    keys: list[KeyStroke] = field(default_factory=list)
    edited: bool = False
    last_submit_ms: float | None = None

    def add(self, stroke: KeyStroke) -> None:
        self.keys.append(stroke)

    def break_burst(self) -> None:
        """An editing key (Backspace, arrows): the keys no longer spell the field.

        Before any key (Escape or an arrow on the empty field, as agents do between two
        scans) there is nothing to break: the next burst must still be rebuildable.
        """
        if self.keys:
            self.edited = True

    def reset(self) -> None:
        self.keys.clear()
        self.edited = False

    def in_burst(self, now_ms: float) -> bool:
        """Whether a key arriving now ends a scanner burst (a Tab suffix, say)."""
        return (
            len(self.keys) >= self.settings.min_length
            and now_ms - self.keys[-1].at_ms <= self.settings.max_gap_ms
            and classify(self.keys, now_ms, self.settings) == "burst"
        )

    def is_echo(self, now_ms: float, field_is_empty: bool) -> bool:
        """Whether an end key is the second half of a CR+LF (or Enter+Tab) suffix."""
        return (
            field_is_empty
            and not self.keys
            and self.last_submit_ms is not None
            and now_ms - self.last_submit_ms <= self.settings.max_gap_ms
        )

    def finish(
        self,
        now_ms: float,
        field_text: str,
        read: Callable[[str], object | None] | None = None,
    ) -> ScanInput | None:
        """The submission an end key makes now: the whole field; None if it is empty."""
        source = classify(self.keys, now_ms, self.settings)
        keys = None if self.edited else list(self.keys)
        self.reset()
        self.last_submit_ms = now_ms
        text = self.clean(field_text)
        if not text:
            return None
        if keys is not None and len(keys) != len(field_text):
            keys = None  # pasted, or a key the field did not take: no rebuild
        reading = choose_reading(text, keys, source, read or (lambda t: t), self.clean)
        if not reading.from_scancodes:
            return ScanInput(text=text, source=source)
        return ScanInput(
            text=reading.text,
            source=source,
            from_scancodes=True,
            delivered=text,
            repair=reading.repair,
        )

    def clean(self, raw: str) -> str:
        """Control pictures back to controls, prefix and substitutes, outer blanks."""
        text = raw
        for control, picture in CONTROL_PICTURES.items():
            text = text.replace(picture, control)
        prefix = self.settings.prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        for substitute, control in self.settings.substitutes:
            text = text.replace(substitute, control)
        return text.strip(" \r\n\t")


# -- multi-line MRZ ---------------------------------------------------------------------

_MRZ_LINE: Final = re.compile(r"[A-Z0-9<]+")
_MRZ_LINES_NEEDED: Final = {30: 3, 36: 2, 44: 2}
_MRZ_NAMES: Final = {30: "TD1, 3 lignes", 36: "TD2, 2 lignes", 44: "TD3, 2 lignes"}


def mrz_line_width(text: str) -> int | None:
    """The width of an MRZ line (30, 36 or 44) if the text is one, else None."""
    line = text.strip().upper()
    if len(line) in _MRZ_LINES_NEEDED and "<" in line and _MRZ_LINE.fullmatch(line):
        return len(line)
    return None


def is_mrz_first_line(text: str) -> bool:
    """A document code, then the issuing state: how every MRZ's first line starts."""
    line = text.strip().upper()
    return (
        mrz_line_width(line) is not None
        and line[0] in "ACIPV"
        and all(c.isalpha() or c == "<" for c in line[1:5])
    )


@dataclass(frozen=True)
class MrzProgress:
    """What the assembler made of one submitted line."""

    complete: str | None = None  # the assembled MRZ, lines joined with LF
    waiting: bool = False  # a partial MRZ: wait for the next line
    abandoned: str | None = None  # a partial MRZ the new text did not continue: message


@dataclass
class MrzAssembler:
    """Joins the lines of an MRZ that a reader sends as separate scans."""

    lines: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return bool(self.lines)

    def offer(self, text: str) -> MrzProgress:
        """Take one submitted text; say whether it completes, continues or is unrelated."""
        abandoned = None
        if self.lines:
            width = len(self.lines[0])
            if mrz_line_width(text) == width and not is_mrz_first_line(text):
                self.lines.append(text.strip())
                if len(self.lines) == _MRZ_LINES_NEEDED[width]:
                    whole = "\n".join(self.lines)
                    self.lines = []
                    return MrzProgress(complete=whole)
                return MrzProgress(waiting=True)
            abandoned = self.give_up()
        if is_mrz_first_line(text):
            self.lines = [text.strip()]
            return MrzProgress(waiting=True, abandoned=abandoned)
        return MrzProgress(abandoned=abandoned)

    def status(self) -> str:
        width = len(self.lines[0]) if self.lines else 44
        return (
            f"Lecture en cours… bande MRZ ({_MRZ_NAMES[width]}) : "
            f"ligne {len(self.lines)} reçue, attente de la suivante."
        )

    def give_up(self) -> str | None:
        """The French message for an MRZ whose next line never came, and forget it."""
        if not self.lines:
            return None
        width = len(self.lines[0])
        got, needed = len(self.lines), _MRZ_LINES_NEEDED[width]
        self.lines = []
        return (
            f"Bande MRZ incomplète : {got} ligne{'s' if got > 1 else ''} reçue"
            f"{'s' if got > 1 else ''} sur {needed}. Rien n'a été cherché : "
            "rescannez toute la bande de la pièce d'identité."
        )


# -- Alt + numpad (Windows only) --------------------------------------------------------


def decode_alt_numpad(digits: str, *, oem_codepage: str = "cp850") -> str | None:
    """The character Windows types for Alt + these keypad digits, or None.

    Some scanners send every character this way on Windows. A leading 0 selects the
    ANSI code page (Windows-1252 on French PCs); without it the OEM code page (850 on
    French PCs, 437 in the US). Codes wrap modulo 256, as Windows does.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    codepage = "cp1252" if digits.startswith("0") else oem_codepage
    byte = int(digits) % 256
    if byte < 0x20 and codepage != "cp1252":
        return None  # OEM low codes are glyphs (☺ ♥ …), not what a scanner means
    try:
        return bytes([byte]).decode(codepage)
    except UnicodeDecodeError:
        return None
