"""Repair text typed by a scanner that sends US key codes to a host with an AZERTY layout.

The scanner presses the keys where the characters sit on a US keyboard; the host reads
them with its French or Belgian layout. Undoing that is a character map per layout. The
map is applied only to text that is entirely AZERTY-looking; ``payloads.parse_scan`` keeps
a repair only when the repaired text parses and the original does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Layout(Enum):
    FRENCH = "fr"
    BELGIAN = "be"

    @property
    def label(self) -> str:
        return "AZERTY français" if self is Layout.FRENCH else "AZERTY belge"


_US_KEYS = "1234567890-=qwertyuiop[]asdfghjkl;'zxcvbnm,./`\\"
_US_SHIFT = '!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?~|'
# What the same physical keys type on each layout (None: dead key or nothing).
_FR_KEYS = "&é\"'(-è_çà)=azertyuiop^$qsdfghjklmùwxcvbn,;:!²*"
_FR_SHIFT = "1234567890°+AZERTYUIOP¨£QSDFGHJKLM%WXCVBN?./§\x00µ"
_BE_KEYS = "&é\"'(§è!çà)-azertyuiop^$qsdfghjklmùwxcvbn,;:=²µ"
_BE_SHIFT = "1234567890°_AZERTYUIOP¨*QSDFGHJKLM%WXCVBN?./+³£"


def _inverse(keys: str, shifted: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for us, typed in zip(_US_KEYS + _US_SHIFT, keys + shifted, strict=True):
        if typed not in ("\x00", "^", "¨"):  # dead keys: nothing reliable reaches the text
            mapping[typed] = us
    return mapping


_INVERSE = {
    Layout.FRENCH: _inverse(_FR_KEYS, _FR_SHIFT),
    Layout.BELGIAN: _inverse(_BE_KEYS, _BE_SHIFT),
}


def key_pairs(layout: Layout) -> dict[str, tuple[str, str]]:
    """For each US key (named by its unshifted character), what ``layout`` types with it.

    Dead keys read as ``"\x00"``: nothing reliable reaches the text.
    """
    keys, shifted = {
        Layout.FRENCH: (_FR_KEYS, _FR_SHIFT),
        Layout.BELGIAN: (_BE_KEYS, _BE_SHIFT),
    }[layout]
    dead = str.maketrans({"^": "\x00", "¨": "\x00"})
    return {
        us: (plain.translate(dead), shift.translate(dead))
        for us, plain, shift in zip(_US_KEYS, keys, shifted, strict=True)
    }


_TABLES = {layout: str.maketrans(mapping) for layout, mapping in _INVERSE.items()}
# Characters only an AZERTY host produces from a US scanner burst of plain ASCII payloads.
_AZERTY_ONLY = frozenset("&é\"'(§è!çà_-°;:?ù%²µ£§/.,")


@dataclass(frozen=True, slots=True)
class AzertyRepair:
    """One possible reading of the text, and the layouts that give it."""

    text: str
    layouts: tuple[Layout, ...]

    @property
    def label(self) -> str:
        if len(self.layouts) == 1:
            return f"clavier {self.layouts[0].label}"
        return "clavier AZERTY (français ou belge)"


def looks_mangled(text: str) -> bool:
    """Whether the text contains characters a US-layout scan turns into on AZERTY."""
    return any(c in _AZERTY_ONLY for c in text)


def repair_candidates(text: str) -> tuple[AzertyRepair, ...]:
    """The text as it would read under each layout's inverse map, distinct texts only."""
    readings: dict[str, list[Layout]] = {}
    for layout, table in _TABLES.items():
        repaired = text.translate(table)
        if repaired != text:
            readings.setdefault(repaired, []).append(layout)
    return tuple(AzertyRepair(t, tuple(layouts)) for t, layouts in readings.items())


def repair_azerty(text: str) -> tuple[str, bool, Layout | None]:
    """Undo the AZERTY mangling when both layouts agree; else return the text unchanged.

    Returns the (possibly) repaired text, whether a repair happened, and the layout
    (None when no repair, or when the French and Belgian maps give the same text).
    Callers that can validate the result (``parse_scan``) use ``repair_candidates``.
    """
    candidates = repair_candidates(text)
    if len(candidates) == 1 and looks_mangled(text):
        layouts = candidates[0].layouts
        return candidates[0].text, True, layouts[0] if len(layouts) == 1 else None
    return text, False, None
