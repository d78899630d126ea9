from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from escpos.printer import Dummy
from PIL import Image

from handover.domain.clock import FakeClock
from handover.errors import ConfigError
from handover.receipts.data import ReceiptData
from handover.receipts.printers import (
    EscPosPrinter,
    FakePrinter,
    NoPrinterError,
    PdfArchivePrinter,
    PrinterError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    make_printer,
    rasterise,
    render_escpos_lines,
    try_print,
    write_receipt,
)
from handover.receipts.render import render_receipt
from tests.handover.receipts.pdf_reading import page_texts
from tests.handover.receipts.samples import make_receipt

AT = datetime(2026, 11, 27, 9, 15, 42, 123456, tzinfo=UTC)


# --- outcome wording ---------------------------------------------------------------------------


def test_success_says_sent_not_printed(receipt: ReceiptData) -> None:
    printer = FakePrinter()

    outcome = printer.print_pdf(render_receipt(receipt), job_name="R-2026-000123")

    assert outcome.sent
    assert "envoyé à l'imprimante" in outcome.message
    assert "imprimé" not in outcome.message
    assert [job.job_name for job in printer.jobs] == ["R-2026-000123"]
    assert page_texts(printer.jobs[0].pdf)[0].startswith("Préfecture de l'Isère")


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NoPrinterError("Caisse-2"), "Aucune imprimante « Caisse-2 »"),
        (PrinterOfflineError(), "ne répond pas"),
        (PrinterOutOfPaperError(), "plus de papier"),
    ],
)
def test_failing_printer_raises_a_french_message(error: PrinterError, words: str) -> None:
    printer = FakePrinter(fail_with=error)

    with pytest.raises(PrinterError) as raised:
        printer.print_pdf(b"%PDF-", job_name="R-1")

    assert words in raised.value.message
    assert "réimpr" in raised.value.message  # every failure says what to do next
    assert printer.jobs == []


def test_try_print_turns_a_failure_into_an_outcome() -> None:
    outcome = try_print(FakePrinter(fail_with=PrinterOutOfPaperError()), b"%PDF-", job_name="R-1")

    assert not outcome.sent
    assert "plus de papier" in outcome.message


# --- PDF archive -------------------------------------------------------------------------------


def test_archive_writes_the_pdf_named_after_the_job_and_time(
    tmp_path: Path, receipt: ReceiptData
) -> None:
    pdf = render_receipt(receipt)
    printer = PdfArchivePrinter(tmp_path / "recus", clock=FakeClock(AT))

    outcome = printer.print_pdf(pdf, job_name="R-2026-000123")

    assert outcome.sent
    assert outcome.document == tmp_path / "recus" / "R-2026-000123_20261127T091542123456Z.pdf"
    assert outcome.document.read_bytes() == pdf
    assert os.listdir(tmp_path / "recus") == [outcome.document.name]  # no temporary left


def test_archive_never_overwrites_an_earlier_file(tmp_path: Path) -> None:
    printer = PdfArchivePrinter(tmp_path, clock=FakeClock(AT))

    first = printer.print_pdf(b"%PDF-first", job_name="R-1")
    second = printer.print_pdf(b"%PDF-second", job_name="R-1")

    assert first.document != second.document
    assert first.document is not None
    assert second.document is not None
    assert first.document.read_bytes() == b"%PDF-first"
    assert second.document.read_bytes() == b"%PDF-second"


def test_archive_job_name_cannot_escape_the_folder(tmp_path: Path) -> None:
    printer = PdfArchivePrinter(tmp_path / "recus", clock=FakeClock(AT))

    outcome = printer.print_pdf(b"%PDF-", job_name="../../etc/passwd")

    assert outcome.document is not None
    assert outcome.document.parent == tmp_path / "recus"


def test_archive_into_an_unusable_folder_fails_in_french(tmp_path: Path) -> None:
    blocker = tmp_path / "recus"
    blocker.write_text("a file where the folder should be")
    printer = PdfArchivePrinter(blocker, clock=FakeClock(AT))

    with pytest.raises(PrinterError, match="n'a pas pu être enregistré"):
        printer.print_pdf(b"%PDF-", job_name="R-1")


# --- ESC/POS -----------------------------------------------------------------------------------


def test_escpos_lines_fit_48_columns_and_carry_every_field(receipt: ReceiptData) -> None:
    lines = render_escpos_lines(receipt)
    text = " ".join(" ".join(lines).split())

    assert max(len(line) for line in lines) <= 48
    for expected in [
        "Récépissé de remise de titre de séjour",
        "R-2026-000123",
        "27/11/2026 à 10:15",
        "N'Guessan-Müller",
        "Éléonore",
        "Titre délivré",
        "**** **** **** 1234",
        "225,00 €",
        "Carte précédente n° ...4321 restituée",
    ]:
        assert expected in text, expected


def test_escpos_bytes_use_cp858_for_french_letters_and_euro(receipt: ReceiptData) -> None:
    device = Dummy()
    duplicate = make_receipt(duplicate=True)

    write_receipt(device, duplicate)
    output: bytes = device.output

    assert b"\x1bt\x13" in output  # ESC t 19: select code page CP858
    assert "Récépissé".encode("cp858") in output  # é = 0x82
    assert "Prénom(s)".encode("cp858") in output
    assert "délivré".encode("cp858") in output
    assert "à 10:15".encode("cp858") in output  # à = 0x85
    assert "Müller".encode("cp858") in output
    assert "225,00 \u20ac".encode("cp858") in output  # € = 0xD5
    assert b"225,00 \xd5" in output
    assert b"DUPLICATA" in output
    # Every line went out whole in CP858: none had a letter replaced by "?".
    for line in render_escpos_lines(duplicate):
        assert line.encode("cp858") in output


def test_escpos_prints_the_handover_number_as_code128(receipt: ReceiptData) -> None:
    device = Dummy()

    write_receipt(device, receipt)

    # GS k 73 (CODE128), length, then code set B and the number.
    payload = b"{BR-2026-000123"
    assert b"\x1dkI" + bytes([len(payload)]) + payload in device.output


def test_escpos_prints_the_signature_as_a_raster_image(receipt: ReceiptData) -> None:
    with_signature, without = Dummy(), Dummy()

    write_receipt(with_signature, receipt)
    write_receipt(without, make_receipt(signature_png=None))

    assert b"\x1dv0" in with_signature.output  # GS v 0: raster bit image
    assert b"\x1dv0" not in without.output
    assert "Signature non recueillie".encode("cp858") in without.output


class _Device(Dummy):  # type: ignore[misc]
    """A Dummy that answers status queries like a real printer would."""

    def __init__(self, paper: int = 2) -> None:
        super().__init__()
        self.paper = paper
        self.closed = False

    def paper_status(self) -> int:
        return self.paper

    def close(self) -> None:
        self.closed = True


def test_escpos_printer_sends_the_receipt_and_closes(receipt: ReceiptData) -> None:
    device = _Device()
    printer = EscPosPrinter(device_factory=lambda: device)

    outcome = printer.print_receipt(receipt)

    assert outcome.sent
    assert "envoyé à l'imprimante" in outcome.message
    assert b"\x1dV" in device.output  # paper cut
    assert device.closed


def test_escpos_printer_out_of_paper_refuses_before_printing(receipt: ReceiptData) -> None:
    device = _Device(paper=0)
    printer = EscPosPrinter(device_factory=lambda: device)

    with pytest.raises(PrinterOutOfPaperError):
        printer.print_receipt(receipt)
    assert device.output == b""


def test_escpos_printer_unreachable_is_offline(receipt: ReceiptData) -> None:
    def refuse() -> Any:
        raise ConnectionRefusedError(111, "Connection refused")

    printer = EscPosPrinter(device_factory=refuse)

    with pytest.raises(PrinterOfflineError, match="ne répond pas"):
        printer.print_receipt(receipt)


def test_escpos_print_pdf_sends_each_page_as_an_image(receipt: ReceiptData) -> None:
    device = _Device()
    printer = EscPosPrinter(device_factory=lambda: device)

    printer.print_pdf(render_receipt(receipt, "roll80", archive_copy=True), job_name="R-1")

    # escpos sends a tall picture in slices; what counts is one cut per page.
    assert device.output.count(b"\x1dv0") >= 2
    assert device.output.count(b"\x1dV\x00") == 2


def test_rasterise_gives_72_mm_at_203_dpi(receipt: ReceiptData) -> None:
    [page] = rasterise(render_receipt(receipt, "roll80"), width_px=576)

    assert page.width == 576
    assert page.mode == "1"
    assert isinstance(page, Image.Image)


def test_network_escpos_without_host_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="adresse"):
        EscPosPrinter(connection="network")


# --- factory -----------------------------------------------------------------------------------


def test_factory_builds_each_kind(tmp_path: Path) -> None:
    assert isinstance(make_printer("pdf", folder=tmp_path), PdfArchivePrinter)
    assert isinstance(make_printer("fake"), FakePrinter)
    assert isinstance(make_printer("escpos", host="127.0.0.1"), EscPosPrinter)


def test_factory_refuses_unknown_kinds_in_french() -> None:
    with pytest.raises(ConfigError, match="Type d'imprimante inconnu « laser »"):
        make_printer("laser")
    with pytest.raises(ConfigError, match="dossier"):
        make_printer("pdf")


def test_signature_png_fixture_is_a_png() -> None:
    data = make_receipt().signature_png
    assert data is not None
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
