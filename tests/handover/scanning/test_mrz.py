from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handover.scanning.errors import ScanParseError
from handover.scanning.mrz import MrzFormat, parse_mrz

# Specimens from ICAO Doc 9303 (parts 4, 5 and 6); expected values from the same document.
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
TODAY = date(2025, 3, 17)


def test_td3_specimen() -> None:
    mrz = parse_mrz(TD3, today=TODAY)
    assert mrz.format is MrzFormat.TD3
    assert mrz.valid, mrz.errors
    assert (mrz.document_code, mrz.issuing_state, mrz.nationality) == ("P", "UTO", "UTO")
    assert mrz.document_number == "L898902C3"
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.sex == "F"
    assert mrz.optional_data == "ZE184226B"


@pytest.mark.parametrize("text", [TD1, TD2])
def test_td1_and_td2_specimens(text: str) -> None:
    mrz = parse_mrz(text, today=TODAY)
    assert mrz.valid, mrz.errors
    assert mrz.document_code == "I"
    assert mrz.document_number == "D23145890"
    assert (mrz.issuing_state, mrz.nationality) == ("UTO", "UTO")
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.birth_date, mrz.expiry_date, mrz.sex) == (date(1974, 8, 12), date(2012, 4, 15), "F")


def test_td1_long_document_number_continues_in_optional_data() -> None:
    # ICAO 9303-5 example: number D23145890734, check digit 9, written after a < filler.
    line1 = "I<UTOD23145890<7349<<<<<<<<<<<"
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = _check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    mrz = parse_mrz(f"{line1}\n{line2}{composite}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", today=TODAY)
    assert mrz.document_number == "D23145890734"
    assert mrz.valid, mrz.errors


@pytest.mark.parametrize(
    "separator_form",
    [
        lambda lines: "\r\n".join(lines),
        lambda lines: "\r".join(lines),
        lambda lines: "".join(lines),
        lambda lines: "   \n".join(lines) + "  \n",
    ],
)
def test_line_separators_and_trailing_spaces(separator_form) -> None:
    mrz = parse_mrz(separator_form(TD3.split("\n")), today=TODAY)
    assert mrz.valid
    assert mrz.document_number == "L898902C3"


def test_birth_century_follows_today() -> None:
    line2 = "L898902C36UTO2408122F3004159ZE184226B<<<<<1"
    # 24 08 12 is in the past on 2025-03-17: born 2024, not 1924.
    text = TD3.split("\n")[0] + "\n" + line2 + _check(line2[0:10] + line2[13:20] + line2[21:43])
    assert parse_mrz(text, today=TODAY).birth_date == date(2024, 8, 12)
    assert parse_mrz(text, today=date(2024, 1, 1)).birth_date == date(1924, 8, 12)
    assert parse_mrz(text, today=TODAY).expiry_date == date(2030, 4, 15)


def test_wrong_birth_date_check_digit_is_named() -> None:
    damaged = TD3.replace("7408122F", "7408125F")
    mrz = parse_mrz(damaged, today=TODAY)
    assert not mrz.valid
    assert "chiffre de contrôle de la date de naissance faux" in mrz.errors


@pytest.mark.parametrize(
    "text", ["", "P<UTO", TD3.replace("<", " "), TD3 + "<", TD1.replace("\n", "\n\n\n") + "X"]
)
def test_not_an_mrz_raises_scan_parse_error(text: str) -> None:
    with pytest.raises(ScanParseError):
        parse_mrz(text)


# --- generated MRZs, built here from the ICAO rules --------------------------------------

_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {"<": 0}


def _check(field: str) -> str:
    return str(sum(_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
numbers = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=9, max_size=9)
births = st.dates(min_value=date(1926, 1, 1), max_value=date(2025, 3, 17))
expiries = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
states = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)


def _yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def _build(fmt: str, number: str, state: str, birth: date, sex: str, expiry: date, name: str):
    b, e = _yymmdd(birth), _yymmdd(expiry)
    names_field = f"{name}<<ANNA<MARIE"
    if fmt == "TD1":
        l1 = f"I<{state}{number}{_check(number)}".ljust(30, "<")
        l2 = f"{b}{_check(b)}{sex}{e}{_check(e)}{state}".ljust(29, "<")
        l2 += _check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        return "\n".join((l1, l2, names_field.ljust(30, "<")))
    width = 36 if fmt == "TD2" else 44
    l1 = f"{'I' if fmt == 'TD2' else 'P'}<{state}{names_field}".ljust(width, "<")
    l2 = f"{number}{_check(number)}{state}{b}{_check(b)}{sex}{e}{_check(e)}"
    if fmt == "TD2":
        l2 = l2.ljust(35, "<")
        l2 += _check(l2[0:10] + l2[13:20] + l2[21:35])
    else:
        l2 += "<" * 14 + "0"
        l2 += _check(l2[0:10] + l2[13:20] + l2[21:43])
    return l1 + "\n" + l2


mrz_parts = st.tuples(
    st.sampled_from(["TD1", "TD2", "TD3"]),
    numbers,
    states,
    births,
    st.sampled_from("MF"),
    expiries,
    names,
)


@given(mrz_parts)
def test_generated_mrz_round_trips(parts) -> None:
    fmt, number, state, birth, sex, expiry, name = parts
    mrz = parse_mrz(_build(*parts), today=date(2025, 3, 17))
    assert mrz.valid, mrz.errors
    assert mrz.format.value == fmt
    assert (mrz.document_number, mrz.issuing_state, mrz.nationality) == (number, state, state)
    assert (mrz.birth_date, mrz.expiry_date, mrz.sex) == (birth, expiry, sex)
    assert (mrz.surname, mrz.given_names) == (name, "ANNA MARIE")


@given(mrz_parts, st.data())
def test_one_changed_digit_in_a_checked_field_is_caught(parts, data) -> None:
    text = _build(*parts)
    lines = text.split("\n")
    fmt = parts[0]
    # Positions of digits covered by a check digit: birth and expiry dates, check digits.
    row, columns = (
        (1, [*range(7), *range(8, 15)]) if fmt == "TD1" else (1, [*range(13, 20), *range(21, 28)])
    )
    column = data.draw(st.sampled_from(columns))
    old = lines[row][column]
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != old]))
    lines[row] = lines[row][:column] + new + lines[row][column + 1 :]
    assert not parse_mrz("\n".join(lines), today=date(2025, 3, 17)).valid
