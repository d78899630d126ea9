import pytest

from handover.scanning.errors import ScanParseError
from handover.scanning.numbers import (
    parse_anef_request_number,
    parse_numero_etranger,
    parse_tax_stamp,
)


def test_numero_etranger_accepts_nine_or_ten_digits() -> None:
    assert parse_numero_etranger("0013748911").digits == "0013748911"
    assert parse_numero_etranger("001 374 891").digits == "001374891"


@pytest.mark.parametrize("text", ["12345678", "12345678901", "00137489A1", ""])
def test_numero_etranger_rejects_other_shapes(text: str) -> None:
    with pytest.raises(ScanParseError):
        parse_numero_etranger(text)


def test_anef_request_number_is_19_digits() -> None:
    assert parse_anef_request_number("1234567890123456789").digits == "1234567890123456789"
    with pytest.raises(ScanParseError):
        parse_anef_request_number("123456789012345678")


def test_tax_stamp_is_16_digits() -> None:
    assert parse_tax_stamp("1234 5678 9012 3456").digits == "1234567890123456"
    with pytest.raises(ScanParseError):
        parse_tax_stamp("123456789012345")
    with pytest.raises(ScanParseError):
        parse_tax_stamp("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦")  # non-ASCII digits are not a stamp
