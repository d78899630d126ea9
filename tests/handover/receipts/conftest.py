"""Fixtures of the receipt tests; the values themselves are in ``samples``."""

from __future__ import annotations

import pytest

from handover.receipts.data import DaySheetData, ReceiptData
from tests.handover.receipts.samples import make_day_sheet, make_receipt


@pytest.fixture
def receipt() -> ReceiptData:
    return make_receipt()


@pytest.fixture
def day_sheet() -> DaySheetData:
    return make_day_sheet()
