"""Texts the permit holder reads: French and English, marked as such in the code.

Agents, IT staff and CLI users read French only. The holder — who may not read French —
also reads the signature prompt, the ticket and the waiting-room display: those texts are
written with ``holder_text(fr, en)``, the one marker for holder-facing text. It does two
things: it keeps both languages together where they are written, and it records the
English half in ``HOLDER_ENGLISH`` so the language test (``tests/test_language.py``) knows
that English is meant to be there and still finds English anywhere else.

A widget that shows holder text only (a screen turned towards the holder) can instead be
marked whole with ``ui.holder_facing.mark_holder_facing(widget)``.
"""

from __future__ import annotations

from dataclasses import dataclass

# The English halves of every holder text created so far (for the language test).
HOLDER_ENGLISH: set[str] = set()

SEPARATOR = " / "


@dataclass(frozen=True)
class HolderText:
    """One holder-facing text in French and in English (French first, always)."""

    fr: str
    en: str

    def joined(self, separator: str = SEPARATOR) -> str:
        """Both languages on one line: ``"Signez ici / Sign here"``."""
        return f"{self.fr}{separator}{self.en}"

    def lines(self) -> str:
        """French, then English on the next line."""
        return self.joined("\n")

    def __str__(self) -> str:
        return self.joined()


def holder_text(fr: str, en: str) -> HolderText:
    """A text the holder reads, in French and English; the English half is registered."""
    if not fr.strip() or not en.strip():
        raise ValueError("a holder text needs both its French and its English half")
    HOLDER_ENGLISH.add(en)
    return HolderText(fr, en)
