"""Text shown on a terminal or a screen: control and escape characters made visible."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Categories never shown raw: controls (ESC, NUL, BEL, CR…), format characters (bidi
# overrides that reorder a line, zero-width ones), separators of lines and paragraphs,
# surrogates and unassigned code points.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})


def is_hidden(c: str) -> bool:
    return unicodedata.category(c) in _HIDDEN


def printable(text: str, *, limit: int | None = None) -> str:
    """``text`` with every control or invisible character written as ``\\xNN``/``\\uNNNN``.

    What a terminal would interpret (an ANSI escape sequence, a carriage return that
    rewrites the line) is shown instead of executed. ``limit`` cuts a long value and says so.
    """
    out: list[str] = []
    for c in text:
        if not is_hidden(c):
            out.append(c)
        elif ord(c) < 0x100:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) < 0x10000:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    shown = "".join(out)
    if limit is not None and len(shown) > limit:
        return shown[:limit] + f"… ({len(text)} caractères)"
    return shown


def printable_lines(text: str) -> str:
    """``printable`` line by line: the line breaks of a report stay line breaks."""
    return "\n".join(printable(line) for line in text.split("\n"))


_DAY = re.compile(r"^\s*(\d{1,2})[/.\-\s]?(\d{1,2})[/.\-\s]?(\d{4})\s*$")


def parse_day(text: str) -> date | None:
    """A day typed the French way (03/11/2026, 3.11.2026, 03112026), or None."""
    found = _DAY.match(text)
    if found is None:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
