"""The handover reference sent in the SMS: 8 Crockford Base32 characters and a check character.

Check scheme: the check character is also a Crockford Base32 symbol (no ``*~$=U``, which
are awkward to type and to send by SMS). Each of the nine symbols is read as an element of
GF(2⁵) (polynomial x⁵ + x² + 1); data symbol i (0-based) is weighted by αⁱ⁺¹ and the check
symbol by α⁰ = 1, and the check is chosen so that the weighted sum is zero. Because the
nine weights are distinct and non-zero, every single substitution and every transposition
of two characters (adjacent or not, the check character included) changes the sum and is
caught.

References made only of digits are never generated, so that a reference can never be
mistaken for a 9-digit numéro étranger.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from handover.scanning.errors import ScanParseError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_LENGTH = 8
LENGTH = DATA_LENGTH + 1

_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# Crockford decoding: case-insensitive, O reads as 0, I and L as 1; separators are ignored.
_NORMALIZE = str.maketrans(
    {"O": "0", "I": "1", "L": "1", "o": "0", "i": "1", "l": "1", "-": None, " ": None}
)
_POLY = 0b100101  # x^5 + x^2 + 1, primitive


def _gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _POLY
    return result


def _alpha_power(n: int) -> int:
    value = 1
    for _ in range(n):
        value = _gf_mul(value, 2)
    return value


_WEIGHTS = tuple(_alpha_power(i + 1) for i in range(DATA_LENGTH))
# Two symbols (10 bits) at a time: four lookups per reference keep generation fast.
_PAIR_TEXT = tuple(ALPHABET[v >> 5] + ALPHABET[v & 31] for v in range(1024))
_PAIR_CHECK = tuple(
    tuple(
        _gf_mul(_WEIGHTS[2 * p], v >> 5) ^ _gf_mul(_WEIGHTS[2 * p + 1], v & 31) for v in range(1024)
    )
    for p in range(DATA_LENGTH // 2)
)
_WEIGHT_TABLES = tuple(tuple(_gf_mul(w, v) for v in range(32)) for w in _WEIGHTS)


def check_symbol(data: str) -> str:
    """The check character for 8 normalised data symbols."""
    total = 0
    for table, symbol in zip(_WEIGHT_TABLES, data, strict=True):
        total ^= table[_VALUE[symbol]]
    return ALPHABET[total]


@dataclass(frozen=True, slots=True)
class HandoverReference:
    """A valid reference, stored normalised (9 symbols, no separator)."""

    code: str

    def __post_init__(self) -> None:
        if len(self.code) != LENGTH or any(c not in _VALUE for c in self.code):
            raise ScanParseError(
                "La référence doit comporter 9 caractères (chiffres et lettres sans I, L, O, U)."
            )
        if check_symbol(self.code[:DATA_LENGTH]) != self.code[DATA_LENGTH]:
            raise ScanParseError(
                "Le caractère de contrôle de la référence est faux : vérifiez la saisie."
            )

    def __str__(self) -> str:
        return format_reference(self.code)

    @property
    def display(self) -> str:
        """Grouped form shown to people, e.g. ``K3P9-7QXA-M``."""
        return format_reference(self.code)


def normalize_reference(text: str) -> str:
    """Upper-case, separators removed, O→0 and I/L→1; no validation."""
    return text.strip().translate(_NORMALIZE).upper()


def format_reference(text: str) -> str:
    """Grouped display form ``XXXX-XXXX-X`` of a (possibly not normalised) reference."""
    code = normalize_reference(text)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def looks_like_reference(text: str) -> bool:
    """Whether the text has the shape of a reference (right length and symbols, not all digits)."""
    stripped = text.strip()
    if not 9 <= len(stripped) <= 13:
        return False
    code = normalize_reference(stripped)
    if len(code) != LENGTH or code.isdigit():
        return False
    return all(c in _VALUE for c in code)


def parse_reference(text: str) -> HandoverReference:
    """Parse a typed or scanned reference; raise ``ScanParseError`` if it is not valid."""
    if not isinstance(text, str):
        raise ScanParseError("La référence doit être un texte.")
    code = normalize_reference(text)
    if len(code) != LENGTH:
        raise ScanParseError(
            f"Une référence comporte 9 caractères, celle-ci en a {len(code)} : vérifiez la saisie."
        )
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        raise ScanParseError(
            f"Caractère(s) impossible(s) dans une référence : {' '.join(bad)}. "
            "Une référence n'utilise que les chiffres et les lettres sauf I, L, O et U."
        )
    return HandoverReference(code)


def generate_reference(rng: random.Random) -> HandoverReference:
    """A new random reference (40 random bits, never all digits)."""
    while True:
        bits = rng.getrandbits(40)
        a, b, c, d = bits >> 30, (bits >> 20) & 1023, (bits >> 10) & 1023, bits & 1023
        data = _PAIR_TEXT[a] + _PAIR_TEXT[b] + _PAIR_TEXT[c] + _PAIR_TEXT[d]
        if data.isdigit():
            continue
        check = _PAIR_CHECK[0][a] ^ _PAIR_CHECK[1][b] ^ _PAIR_CHECK[2][c] ^ _PAIR_CHECK[3][d]
        reference = object.__new__(HandoverReference)
        # Skips __post_init__: the check is computed right here, and this runs a million times.
        object.__setattr__(reference, "code", data + ALPHABET[check])
        return reference
