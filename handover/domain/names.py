"""Name keys for matching a holder's name across accents, case, hyphens and MRZ spelling."""

from __future__ import annotations

import unicodedata

# ICAO 9303 transliterations that differ from simply dropping the accent.
_ICAO = str.maketrans(
    {
        "Ä": "AE",
        "Ö": "OE",
        "Ü": "UE",
        "ß": "SS",
        "Å": "AA",
        "Æ": "AE",
        "Ø": "OE",
        "Œ": "OE",
        "Þ": "TH",
        "Ð": "D",
        "Ł": "L",
        "Ĳ": "IJ",
    }
)
_PLAIN = str.maketrans(
    {"ß": "SS", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L", "Ð": "D", "Þ": "TH", "Ĳ": "IJ"}
)


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c))


def icao_spelling(text: str) -> str:
    """The name as an MRZ spells it (ICAO 9303): capitals, ``<`` for every non-letter."""
    decomposed = unicodedata.normalize("NFKD", text.upper().translate(_ICAO))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if "A" <= c <= "Z" else "<" for c in plain)


def name_key(text: str) -> str:
    """Upper-case letters only, accents dropped: « N'Guessan-Müller » → ``NGUESSANMULLER``."""
    return _letters(text.upper().translate(_PLAIN)).upper()


def name_keys(text: str) -> frozenset[str]:
    """Every key a document may spell this name with (plain and ICAO transliteration)."""
    upper = text.upper()
    return frozenset({name_key(upper), _letters(upper.translate(_ICAO)).upper()})


def names_match(document_name: str, record_name: str, *, truncated_ok: bool = True) -> bool:
    """Same name, whatever accents, case, hyphens, spaces; an MRZ may have cut a long name."""
    doc = name_keys(document_name)
    rec = name_keys(record_name)
    if doc & rec:
        return True
    if truncated_ok:
        return any(len(d) >= 10 and r.startswith(d) for d in doc for r in rec)
    return False
