"""Plain numbers seen at the counter: numéro étranger, ANEF request number, tax stamp.

None of them has a published check digit that we can rely on, so only the length and the
digits are checked. (The electronic tax stamp number may carry a checksum, but it is not
published: inventing one would reject real stamps.)
"""

from __future__ import annotations

from dataclasses import dataclass

from handover.scanning.errors import ScanParseError

_SEPARATORS = str.maketrans("", "", " -.\t")


def _digits(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise ScanParseError(f"Le {what} doit être un texte.")
    digits = text.strip().translate(_SEPARATORS)
    if not digits.isascii() or not digits.isdigit():
        raise ScanParseError(f"Le {what} ne doit contenir que des chiffres.")
    return digits


@dataclass(frozen=True, slots=True)
class NumeroEtranger:
    """The AGDREF number of a foreign national (9 or 10 digits, kept as typed)."""

    digits: str


@dataclass(frozen=True, slots=True)
class AnefRequestNumber:
    """The 19-digit number of an ANEF application (2D-Doc field 6K)."""

    digits: str


@dataclass(frozen=True, slots=True)
class TaxStamp:
    """The 16-digit number of an electronic tax stamp (timbre fiscal électronique)."""

    digits: str


def parse_numero_etranger(text: str) -> NumeroEtranger:
    """Parse a numéro étranger: 9 or 10 digits, spaces allowed."""
    digits = _digits(text, "numéro étranger")
    if len(digits) not in (9, 10):
        raise ScanParseError(
            f"Un numéro étranger compte 10 chiffres (parfois 9) ; {len(digits)} reçus."
        )
    return NumeroEtranger(digits)


def parse_anef_request_number(text: str) -> AnefRequestNumber:
    """Parse an ANEF request number: exactly 19 digits."""
    digits = _digits(text, "numéro de demande ANEF")
    if len(digits) != 19:
        raise ScanParseError(f"Un numéro de demande ANEF compte 19 chiffres ; {len(digits)} reçus.")
    return AnefRequestNumber(digits)


def parse_tax_stamp(text: str) -> TaxStamp:
    """Parse an electronic tax stamp number: exactly 16 digits."""
    digits = _digits(text, "numéro de timbre fiscal")
    if len(digits) != 16:
        raise ScanParseError(
            f"Un timbre fiscal électronique compte 16 chiffres ; {len(digits)} reçus."
        )
    return TaxStamp(digits)
