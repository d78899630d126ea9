"""Machine-readable zones written out (ICAO 9303): demo cards and test documents."""

from __future__ import annotations

from datetime import date

from handover.domain.names import icao_spelling as mrz_name
from handover.scanning.mrz import check_digit


def passport_mrz(
    surname: str, given_names: str, birth: date, *, number: str = "19FR12345", state: str = "FRA"
) -> str:
    """A TD3 (passport) MRZ in one burst of 88 characters."""
    names = f"{mrz_name(surname)}<<{mrz_name(given_names)}"
    line1 = f"P<{state}{names}".ljust(44, "<")[:44]
    number = number.ljust(9, "<")
    birth_text = f"{birth:%y%m%d}"
    expiry = "330101"
    line2 = (
        f"{number}{check_digit(number)}{state}{birth_text}{check_digit(birth_text)}"
        f"M{expiry}{check_digit(expiry)}" + "<" * 14 + "0"
    )
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return line1 + line2


def residence_card_mrz(
    card_number: str, surname: str, given_names: str, birth: date, *, expiry: str = "300101"
) -> str:
    """The TD1 MRZ (3 × 30, in one burst) on the back of a French residence card.

    A number longer than 9 characters goes on in the optional data (ICAO 9303 part 5).
    """
    head, tail = card_number[:9], card_number[9:]
    if tail:
        number_field = head + "<"
        optional1 = (tail + check_digit(card_number)).ljust(15, "<")
    else:
        number_field = head.ljust(9, "<") + check_digit(head.ljust(9, "<"))
        optional1 = "<" * 15
    line1 = f"IRFRA{number_field}{optional1}"
    birth_text = f"{birth:%y%m%d}"
    line2 = f"{birth_text}{check_digit(birth_text)}M{expiry}{check_digit(expiry)}FRA" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = f"{mrz_name(surname)}<<{mrz_name(given_names)}".ljust(30, "<")[:30]
    return line1 + line2 + line3
