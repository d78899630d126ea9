"""Receipts and closing sheets as PDF bytes.

reportlab is imported on the first call, not at import: the counter starts faster and
``handover.receipts`` stays cheap to import for the services.
"""

from __future__ import annotations

from handover.receipts.data import DaySheetData, ReceiptData, ReceiptLayout

LAYOUTS: tuple[ReceiptLayout, ...] = ("a4", "a5", "roll80")


def render_receipt(
    data: ReceiptData, layout: ReceiptLayout = "a4", *, archive_copy: bool = False
) -> bytes:
    """The holder's receipt; ``archive_copy`` adds a second page for the prefecture's file.

    The same data gives the same bytes (reportlab invariant mode): a reprint can be
    compared with the archived one.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown receipt layout {layout!r}; expected one of {LAYOUTS}")
    from handover.receipts import _pdf

    return _pdf.render_receipt(data, layout, archive_copy)


def render_day_sheet(data: DaySheetData) -> bytes:
    """The daily closing sheet of one site, on A4."""
    from handover.receipts import _pdf

    return _pdf.render_day_sheet(data)
