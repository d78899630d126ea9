import datetime as dt
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from handover.scanning.errors import ScanParseError
from handover.scanning.twoddoc import (
    TrustStore,
    parse_header,
    parse_twoddoc,
    unescape_controls,
)
from tests.handover.scanning.signing import certificate, sign

GS, RS, US = "\x1d", "\x1e", "\x1f"

# A type-13 attestation written from the field table of the ANTS specification:
# header v04 = DC 04 | CA FR05 | cert 0001 | issued 1CE9 (2020-04-06) | signed 1CEA | type 13
#              | perimeter 01 | country FR
HEADER = "DC04" + "FR05" + "0001" + "1CE9" + "1CEA" + "13" + "01" + "FR"
FIELDS = (
    "6J2"  # fixed 1: attestation de prolongation d'instruction
    + "6K0123456789012345678"  # fixed 19
    + "6L15012025"  # fixed 8, DDMMYYYY
    + "6MCARTE DE SEJOUR TEMPORAIRE"
    + GS  # variable, max 40, not reached
    + "6N01022025"
    + "6O31012026"
    + "6PAUTORISE A TRAVAILLER"
    + GS
    + "6Q0013748911"  # max 10 reached: no GS
    + "60AMINA FATOU"
    + GS
    + "62DIALLO"
    + GS
    + "68F"
    + "6912081990"
)
MESSAGE = HEADER + FIELDS


@pytest.fixture(scope="module")
def p256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def trust(tmp_path: Path, p256_key: ec.EllipticCurvePrivateKey) -> TrustStore:
    pem = certificate(p256_key, "0001").public_bytes(serialization.Encoding.PEM)
    (tmp_path / "FR050001.pem").write_bytes(pem)
    return TrustStore(tmp_path)


@pytest.fixture
def signed(p256_key: ec.EllipticCurvePrivateKey) -> str:
    return MESSAGE + US + sign(MESSAGE, p256_key, 32, hashes.SHA256())


def test_type_13_fields_read_as_written(signed: str) -> None:
    doc = parse_twoddoc(signed)
    assert doc.header.version == "04"
    assert (doc.header.ca_id, doc.header.certificate_id) == ("FR05", "0001")
    assert doc.header.issue_date == date(2020, 4, 6)
    assert doc.header.signature_date == date(2020, 4, 7)
    assert (doc.header.document_type, doc.header.perimeter, doc.header.country) == (
        "13",
        "01",
        "FR",
    )
    assert doc.value("6J") == "2"
    assert doc.foreign_document_kind == "Attestation de prolongation d'instruction"
    assert doc.request_number == "0123456789012345678"
    assert doc.value("6L") == date(2025, 1, 15)
    assert doc.value("6M") == "CARTE DE SEJOUR TEMPORAIRE"
    assert (doc.value("6N"), doc.value("6O")) == (date(2025, 2, 1), date(2026, 1, 31))
    assert doc.value("6P") == "AUTORISE A TRAVAILLER"
    assert doc.numero_etranger == "0013748911"
    assert (doc.first_names, doc.surname) == ("AMINA FATOU", "DIALLO")
    assert doc.value("68") == "F"
    assert doc.birth_date == date(1990, 8, 12)
    assert doc.valid
    assert doc.authenticated is None
    assert "non authentifié" in doc.authentication


def test_valid_signature_is_authenticated(signed: str, trust: TrustStore) -> None:
    doc = parse_twoddoc(signed, trust=trust)
    assert doc.authenticated is True
    assert doc.valid


def test_tampered_message_fails_authentication(signed: str, trust: TrustStore) -> None:
    doc = parse_twoddoc(signed.replace("DIALLO", "DIALLA"), trust=trust)
    assert doc.surname == "DIALLA"
    assert doc.authenticated is False
    assert not doc.valid


def test_p384_signature(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    der = certificate(key, "0001").public_bytes(serialization.Encoding.DER)
    (tmp_path / "any-name.der").write_bytes(der)  # found by its subject common name
    text = MESSAGE + US + sign(MESSAGE, key, 48, hashes.SHA384())
    assert parse_twoddoc(text, trust=TrustStore(tmp_path)).authenticated is True


def test_certificate_missing_from_folder_is_not_authenticated(signed: str, tmp_path) -> None:
    doc = parse_twoddoc(signed, trust=TrustStore(tmp_path))
    assert doc.authenticated is None
    assert "0001" in doc.authentication


def test_scanner_that_drops_every_control_character(signed: str, trust: TrustStore) -> None:
    stripped = signed.replace(GS, "").replace(US, "")
    doc = parse_twoddoc(stripped, trust=trust)
    assert doc.controls_missing
    assert (doc.first_names, doc.surname) == ("AMINA FATOU", "DIALLO")
    assert doc.value("6M") == "CARTE DE SEJOUR TEMPORAIRE"
    assert doc.birth_date == date(1990, 8, 12)
    assert doc.authenticated is True  # the canonical message is rebuilt for the check


def test_textual_and_substituted_controls(signed: str, trust: TrustStore) -> None:
    textual = signed.replace(GS, "<GS>").replace(US, "<US>")
    assert parse_twoddoc(textual, trust=trust).authenticated is True
    substituted = signed.replace(GS, "|").replace(US, "^")
    doc = parse_twoddoc(substituted, trust=trust, substitutes={"GS": "|", "US": "^"})
    assert doc.authenticated is True


def test_record_separator_marks_a_truncated_value() -> None:
    doc = parse_twoddoc(HEADER + "62DIAL" + RS + "68F")
    field = doc.get("62")
    assert field is not None
    assert field.truncated
    assert field.text == "DIAL"
    assert doc.value("68") == "F"


def test_unescape_controls_forms() -> None:
    assert unescape_controls(r"A\x1dB\\x1eC<US>D<gs>") == "A\x1dB\x1eC\x1fD\x1d"
    assert unescape_controls(r"\u001d") == GS


@pytest.mark.parametrize(("version", "length"), [("02", 22), ("03", 24), ("04", 26)])
def test_header_lengths(version: str, length: int) -> None:
    text = ("DC" + version + "FR000001FFFF1CE913" + "0102")[:length]
    header = parse_header(text)
    assert header.length == length
    assert header.issue_date is None
    assert header.signature_date == date(2020, 4, 6)


@pytest.mark.parametrize("text", ["", "DC", "DC09FR000001", "DC02FR000001ZZZZ1CE913", "XX02"])
def test_bad_headers_raise_scan_parse_error(text: str) -> None:
    with pytest.raises(ScanParseError):
        parse_header(text)


hex4 = st.integers(min_value=0, max_value=0xFFFE)
ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=4, max_size=4)


@given(st.sampled_from(["02", "03", "04"]), ids, ids, hex4, hex4, st.sampled_from(["13", "01"]))
def test_generated_headers_round_trip(version, ca, cert, issued, signed_on, doc_type) -> None:
    extra = {"02": "", "03": "01", "04": "01FR"}[version]
    text = f"DC{version}{ca}{cert}{issued:04X}{signed_on:04X}{doc_type}{extra}"
    header = parse_twoddoc(text).header
    epoch = date(2000, 1, 1)
    assert (header.ca_id, header.certificate_id, header.document_type) == (ca, cert, doc_type)
    assert header.issue_date == epoch + dt.timedelta(days=issued)
    assert header.signature_date == epoch + dt.timedelta(days=signed_on)
    assert header.perimeter == (None if version == "02" else "01")
    assert header.country == ("FR" if version == "04" else None)
