"""Machine-readable zones of identity documents (ICAO 9303): TD1, TD2 and TD3.

``parse_mrz`` raises ``ScanParseError`` when the text is not an MRZ at all (wrong shape or
characters). A damaged MRZ that has the right shape is returned with its ``errors`` listed
(wrong check digit, impossible date), so the agent sees what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from handover.scanning.errors import ScanParseError


class MrzFormat(Enum):
    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"


_SHAPES = {30: (3, MrzFormat.TD1), 36: (2, MrzFormat.TD2), 44: (2, MrzFormat.TD3)}
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_MRZ_CHARS = re.compile(r"[A-Z0-9<]*")
_CHAR_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_CHAR_VALUE["<"] = 0
_WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating; ``<`` = 0, A = 10 … Z = 35."""
    total = 0
    for i, c in enumerate(field):
        try:
            total += _CHAR_VALUE[c] * _WEIGHTS[i % 3]
        except KeyError:
            raise ScanParseError(f"Caractère « {c} » impossible dans une MRZ.") from None
    return str(total % 10)


@dataclass(frozen=True, slots=True)
class Mrz:
    """The fields of an MRZ; ``errors`` (French) is empty when every check passed."""

    format: MrzFormat
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str  # "M", "F" or "X" (unspecified, written < in the MRZ)
    expiry_date: date | None
    optional_data: str  # TD1: both optional fields joined by a space; TD3: personal number
    surname: str
    given_names: str
    errors: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors


def split_mrz_lines(text: str) -> tuple[tuple[str, ...], MrzFormat]:
    """Cut the text into MRZ lines, whether separated by CR/LF or sent in one burst."""
    if not isinstance(text, str):
        raise ScanParseError("La MRZ doit être un texte.")
    pieces = [p.strip(" \t") for p in _LINE_BREAKS.split(text.strip(" \t\r\n"))]
    pieces = [p for p in pieces if p]
    if not pieces:
        raise ScanParseError("MRZ vide : relisez le document.")
    if len(pieces) == 1:
        whole = pieces[0]
        for width, (count, fmt) in _SHAPES.items():
            if len(whole) == width * count:
                return tuple(whole[i * width : (i + 1) * width] for i in range(count)), fmt
        raise ScanParseError(
            f"Une MRZ compte 90, 72 ou 88 caractères ; {len(whole)} reçus. Relisez le document."
        )
    width = len(pieces[0])
    shape = _SHAPES.get(width)
    if shape is None or len(pieces) != shape[0] or any(len(p) != width for p in pieces):
        lengths = " + ".join(str(len(p)) for p in pieces)
        raise ScanParseError(
            f"Lignes de MRZ de longueurs inattendues ({lengths}) : attendu 3×30, 2×36 ou 2×44."
        )
    return tuple(pieces), shape[1]


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.strip("<").partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _date(yymmdd: str, *, birth: bool, today: date) -> date | None:
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy
    if birth:
        try:
            if date(year, mm, dd) > today:
                year -= 100
        except ValueError:
            return None
    try:
        return date(year, mm, dd)
    except ValueError:
        return None


def _long_number(number: str, check: str, optional: str) -> tuple[str, str, str]:
    """Apply the long document number rule: ``<`` as check digit means the number goes on
    in the optional data, whose last character before the first filler is the check digit."""
    if check != "<":
        return number, check, optional
    extension = optional.split("<", 1)[0]
    if len(extension) < 2:
        return number + extension, "?", optional[len(extension) :]
    return number + extension[:-1], extension[-1], optional[len(extension) :]


def _check(field: str, digit: str, label: str, errors: list[str]) -> None:
    if check_digit(field) != digit:
        errors.append(f"chiffre de contrôle {label} faux")


def parse_mrz(text: str, *, today: date | None = None) -> Mrz:
    """Parse a TD1, TD2 or TD3 MRZ; birth dates are never after ``today``."""
    lines, fmt = split_mrz_lines(text)
    lines = tuple(line.upper() for line in lines)
    for line in lines:
        if not _MRZ_CHARS.fullmatch(line):
            bad = sorted(set(re.sub(r"[A-Z0-9<]", "", line)))
            raise ScanParseError(
                f"Caractère(s) impossible(s) dans une MRZ : {' '.join(bad)}. Relisez le document."
            )
    today = today or date.today()
    errors: list[str] = []
    if fmt is MrzFormat.TD1:
        l1, l2, l3 = lines
        doc_code, state = l1[0:2], l1[2:5]
        number, number_check, optional1 = l1[5:14], l1[14], l1[15:30]
        birth, birth_check, sex = l2[0:6], l2[6], l2[7]
        expiry, expiry_check, nationality = l2[8:14], l2[14], l2[15:18]
        optional2, composite_check = l2[18:29], l2[29]
        composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
        surname, given = _names(l3)
        number, number_check, optional1 = _long_number(number, number_check, optional1)
        optional = " ".join(p for p in (optional1.strip("<"), optional2.strip("<")) if p)
    else:
        l1, l2 = lines
        doc_code, state = l1[0:2], l1[2:5]
        surname, given = _names(l1[5:])
        number, number_check, nationality = l2[0:9], l2[9], l2[10:13]
        birth, birth_check, sex = l2[13:19], l2[19], l2[20]
        expiry, expiry_check = l2[21:27], l2[27]
        if fmt is MrzFormat.TD3:
            personal, personal_check, composite_check = l2[28:42], l2[42], l2[43]
            composite = l2[0:10] + l2[13:20] + l2[21:43]
            optional = personal.strip("<")
            # ICAO allows < instead of 0 as the check digit of an unused personal number.
            if not (personal_check == "<" and not optional):
                _check(personal, personal_check, "du numéro personnel", errors)
        else:
            optional_td2, composite_check = l2[28:35], l2[35]
            composite = l2[0:10] + l2[13:20] + l2[21:35]
            number, number_check, optional_td2 = _long_number(number, number_check, optional_td2)
            optional = optional_td2.strip("<")
    if number_check == "?":
        errors.append("numéro de document long mal terminé (chiffre de contrôle absent)")
    else:
        _check(number, number_check, "du numéro de document", errors)
    _check(birth, birth_check, "de la date de naissance", errors)
    _check(expiry, expiry_check, "de la date d'expiration", errors)
    _check(composite, composite_check, "global", errors)
    birth_date = _date(birth, birth=True, today=today)
    if birth_date is None and "<" not in birth:
        errors.append("date de naissance impossible")
    expiry_date = _date(expiry, birth=False, today=today)
    if expiry_date is None:
        errors.append("date d'expiration impossible")
    if sex not in "MFX<":
        errors.append(f"sexe « {sex} » impossible (M, F ou <)")
    return Mrz(
        format=fmt,
        lines=lines,
        document_code=doc_code.strip("<"),
        issuing_state=state.strip("<"),
        document_number=number.strip("<"),
        nationality=nationality.strip("<"),
        birth_date=birth_date,
        sex="X" if sex == "<" else sex,
        expiry_date=expiry_date,
        optional_data=optional,
        surname=surname,
        given_names=given,
        errors=tuple(errors),
    )
