from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from handover.receipts.errors import NoPrinterError, PrinterError
from handover.receipts.printers import try_print
from handover.receipts.render import render_receipt
from tests.handover.receipts.pdf_reading import barcodes, page_sizes_mm
from tests.handover.receipts.samples import make_receipt
from ui.printing import QtSystemPrinter


def test_unknown_printer_is_named_in_a_french_message(qtbot: QtBot) -> None:
    printer = QtSystemPrinter("Imprimante-Inexistante-42", "A4")

    with pytest.raises(NoPrinterError) as raised:
        printer.print_pdf(render_receipt(make_receipt()), job_name="R-2026-000123")

    assert "Aucune imprimante « Imprimante-Inexistante-42 »" in raised.value.message


def test_unknown_printer_through_try_print_is_not_sent(qtbot: QtBot) -> None:
    outcome = try_print(
        QtSystemPrinter("Imprimante-Inexistante-42"), render_receipt(make_receipt()), job_name="R"
    )

    assert not outcome.sent
    assert "Aucune imprimante" in outcome.message


def test_a4_job_goes_through_qt_and_still_scans(qtbot: QtBot, tmp_path: Path) -> None:
    output = tmp_path / "job.pdf"
    printer = QtSystemPrinter(None, "A4", output_file=output)

    outcome = printer.print_pdf(
        render_receipt(make_receipt(), "a4", archive_copy=True), job_name="R-2026-000123"
    )

    assert outcome.sent
    printed = output.read_bytes()
    assert page_sizes_mm(printed) == [pytest.approx((210, 297), abs=0.5)] * 2
    assert ("Code128", "R-2026-000123") in barcodes(printed, dpi=300)


def test_roll_job_keeps_80_mm_and_the_content_height(qtbot: QtBot, tmp_path: Path) -> None:
    source = render_receipt(make_receipt(), "roll80")
    output = tmp_path / "roll.pdf"

    QtSystemPrinter(None, "roll80", dpi=203, output_file=output).print_pdf(source, job_name="R")

    [(width, height)] = page_sizes_mm(output.read_bytes())
    [(_, source_height)] = page_sizes_mm(source)
    assert width == pytest.approx(80, abs=0.5)
    assert height == pytest.approx(source_height, abs=1.0)
    assert ("Code128", "R-2026-000123") in barcodes(output.read_bytes(), dpi=300)


def test_unreadable_document_is_refused_in_french(qtbot: QtBot, tmp_path: Path) -> None:
    with pytest.raises(PrinterError, match="illisible"):
        QtSystemPrinter(None, "A4", output_file=tmp_path / "x.pdf").print_pdf(b"", job_name="R")
