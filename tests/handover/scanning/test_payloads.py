import contextlib
import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.scanning.errors import ScanParseError
from handover.scanning.mrz import parse_mrz
from handover.scanning.numbers import (
    parse_anef_request_number,
    parse_numero_etranger,
    parse_tax_stamp,
)
from handover.scanning.payloads import ScanKind, describe, parse_scan
from handover.scanning.reference import generate_reference, parse_reference
from handover.scanning.twoddoc import parse_header, parse_twoddoc

from .test_azerty import BELGIAN, FRENCH
from .test_twoddoc import MESSAGE

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TODAY = date(2025, 3, 17)
REFERENCE = generate_reference(random.Random(42))


def test_reference() -> None:
    result = parse_scan(REFERENCE.display.lower())
    assert result.kind is ScanKind.REFERENCE
    assert result.valid
    assert result.value == REFERENCE


def test_reference_with_a_typo_is_a_reference_with_an_error() -> None:
    code = REFERENCE.code
    typo = code[:3] + ("X" if code[3] != "X" else "Y") + code[4:]
    result = parse_scan(typo)
    assert result.kind is ScanKind.REFERENCE
    assert not result.valid
    assert "contrôle" in result.errors[0]


@pytest.mark.parametrize(
    ("text", "kind", "digits"),
    [
        ("0013748911", ScanKind.NUMERO_ETRANGER, "0013748911"),
        ("001374891", ScanKind.NUMERO_ETRANGER, "001374891"),
        ("0123456789012345678", ScanKind.ANEF_REQUEST, "0123456789012345678"),
        ("1234 5678 9012 3456", ScanKind.TAX_STAMP, "1234567890123456"),
    ],
)
def test_numbers(text: str, kind: ScanKind, digits: str) -> None:
    result = parse_scan(text)
    assert result.kind is kind
    assert result.valid
    assert (
        describe(result)["fields"]
        == {
            ScanKind.NUMERO_ETRANGER: {"numero_etranger": digits},
            ScanKind.ANEF_REQUEST: {"request_number": digits},
            ScanKind.TAX_STAMP: {"stamp_number": digits},
        }[kind]
    )


def test_mrz_and_describe_gives_iso_dates() -> None:
    result = parse_scan(TD3, today=TODAY)
    assert result.kind is ScanKind.MRZ
    summary = describe(result)
    assert summary["valid"] is True
    assert summary["fields"]["birth_date"] == "1974-08-12"
    assert summary["fields"]["expiry_date"] == "2012-04-15"
    assert summary["errors"] == []
    assert summary["repaired"] is None


def test_mrz_with_a_wrong_check_digit_reports_it_in_french() -> None:
    result = parse_scan(TD3.replace("7408122F", "7408123F"), today=TODAY)
    assert result.kind is ScanKind.MRZ
    assert not result.valid
    assert "chiffre de contrôle de la date de naissance faux" in result.errors


def test_twoddoc_with_textual_controls() -> None:
    result = parse_scan(MESSAGE.replace("\x1d", "<GS>"))
    assert result.kind is ScanKind.TWODDOC
    fields = describe(result)["fields"]
    assert fields["authenticated"] is None
    values = {f["id"]: f["value"] for f in fields["fields"]}
    assert values["69"] == "1990-08-12"
    assert values["62"] == "DIALLO"


@pytest.mark.parametrize(
    "text",
    [
        f"https://rdv.example.fr/remise?ref={REFERENCE.code}",
        f"https://rdv.example.fr/remise/{REFERENCE.display}",
        f"REF:{REFERENCE.code}",
        f"nom=X;ref={REFERENCE.code}",
    ],
)
def test_reference_inside_url_or_qr_text(text: str) -> None:
    result = parse_scan(text)
    assert result.kind is ScanKind.REFERENCE
    assert result.value == REFERENCE
    assert describe(result)["fields"]["url"] == text


@pytest.mark.parametrize("text", ["", "   ", "bonjour", "12345", "https://example.fr/", "\x00"])
def test_unrecognised_gives_a_reason(text: str) -> None:
    result = parse_scan(text)
    assert result.kind is ScanKind.UNRECOGNISED
    assert not result.valid
    assert result.errors
    assert describe(result)["fields"]["reason"] == result.errors[0]


def test_azerty_field_example() -> None:
    result = parse_scan("àà&\"è'!ç&&")
    assert result.kind is ScanKind.NUMERO_ETRANGER
    assert result.value is not None
    assert describe(result)["fields"]["numero_etranger"] == "0013748911"
    assert result.repaired is not None
    assert "belge" in result.repaired


@pytest.mark.parametrize("layout", [FRENCH, BELGIAN])
def test_azerty_mangled_mrz_is_repaired(layout) -> None:
    result = parse_scan(TD3.translate(layout), today=TODAY)
    assert result.kind is ScanKind.MRZ
    assert result.valid
    assert describe(result)["fields"]["document_number"] == "L898902C3"
    assert result.repaired is not None


def test_azerty_mangled_reference_is_repaired() -> None:
    code = "9M8A3B2Z"  # holds M, A, Z and digits: every kind of damage at once
    reference = parse_reference(code + _check_of(code))
    result = parse_scan(reference.code.translate(BELGIAN))
    assert result.kind is ScanKind.REFERENCE
    assert result.value == reference
    assert result.repaired is not None


def _check_of(data: str) -> str:
    for symbol in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
        try:
            parse_reference(data + symbol)
        except ScanParseError:
            continue
        return symbol
    raise AssertionError("no check symbol")


def test_valid_text_is_never_repaired() -> None:
    assert parse_scan("0013748911").repaired is None


# --- robustness -------------------------------------------------------------------------

PARSERS = [
    parse_reference,
    parse_numero_etranger,
    parse_anef_request_number,
    parse_tax_stamp,
    parse_mrz,
    parse_header,
    parse_twoddoc,
]
scan_like = st.one_of(
    st.text(),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<\n\r "),
    st.text(alphabet="DC0123456789ABFR \x1d\x1e\x1f<>GSUR").map(lambda t: "DC04" + t),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.text(alphabet="&é\"'(-è_çà§!QAWZ?.").map(str),
)


@settings(max_examples=300)
@given(scan_like)
def test_parsers_raise_only_scan_parse_error(text: str) -> None:
    for parser in PARSERS:
        with contextlib.suppress(ScanParseError):
            parser(text)


@settings(max_examples=300)
@given(scan_like)
def test_parse_scan_never_raises(text: str) -> None:
    result = parse_scan(text)
    assert result.valid == (not result.errors) or result.kind is ScanKind.UNRECOGNISED
    describe(result)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=88, max_size=88))
def test_random_88_character_lines_are_handled(text: str) -> None:
    parse_scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "DC02FR000001FFFFFFFF13" + "68F" * 1300,  # many fields, no separator
        "DC02FR000001FFFFFFFF13" + "68F\x1d" * 1000,  # many fields with separators
        "a:" * 500 + ";;",
        "<" * 4000,
    ],
)
def test_pathological_inputs_end_quickly_without_crashing(text: str) -> None:
    result = parse_scan(text)
    describe(result)


# --- never raises: URLs, control characters, very long input ---------------------------

urls = st.builds(
    "{}://{}/{}?{}#{}".format,
    st.sampled_from(["http", "https", "ftp", "ants+x"]),
    st.text(alphabet="[]:.@%ab1", max_size=12),
    st.text(alphabet="[]/%?=K3P97QXAM-0123456789 \x1d\x00é", max_size=30),
    st.text(alphabet="[]=&;%refcod K3P97QXAM\x1f", max_size=30),
    st.text(alphabet="[]#%ab", max_size=8),
)
control_characters = st.text(
    alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Co"]),
    min_size=1,
    max_size=40,
)
very_long = st.builds(
    lambda unit, count: unit * count,
    st.text(min_size=1, max_size=12),
    st.integers(min_value=300, max_value=1500),
)


@settings(max_examples=300)
@given(st.one_of(urls, control_characters, very_long))
def test_parse_scan_never_raises_on_urls_controls_and_long_input(text: str) -> None:
    result = parse_scan(text)
    assert isinstance(result.kind, ScanKind)
    describe(result)


@pytest.mark.parametrize(
    "text",
    [
        "https://[abc/ref=K3P97QXAM",  # the case: ValueError from urlsplit
        "http://]K3P9-7QXA-M[",
        "https://[::1/r/K3P97QXAM",
        "http://[",
    ],
)
def test_a_url_with_a_square_bracket_is_not_an_error(text: str) -> None:
    result = parse_scan(text)
    assert result.kind in (ScanKind.REFERENCE, ScanKind.UNRECOGNISED)
    if "K3P97QXAM" in text.replace("-", ""):
        assert result.kind is ScanKind.REFERENCE
