"""Receipts and closing sheets (PDF) and the printers they go to.

Importing this package loads neither reportlab nor python-escpos: they load on first use.
"""

from handover.receipts.data import (
    DaySheetData,
    DeskTotal,
    OverrideLine,
    ReceiptData,
    ReceiptLayout,
    ReprintLine,
    StampLine,
)
from handover.receipts.render import render_day_sheet, render_receipt

__all__ = [
    "DaySheetData",
    "DeskTotal",
    "OverrideLine",
    "ReceiptData",
    "ReceiptLayout",
    "ReprintLine",
    "StampLine",
    "render_day_sheet",
    "render_receipt",
]
