"""The door's 80 mm ticket, read back as a holder and as the desk's scanner would."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from handover.queue.ticket_pdf import TicketHeader, TicketNotPrinted, print_ticket, render_ticket
from handover.queue.values import Ticket, TicketStatus
from handover.receipts.errors import PrinterOfflineError, PrinterOutOfPaperError
from handover.receipts.printers import FakePrinter
from handover.scanning.payloads import ScanKind, parse_scan
from handover.scanning.reference import generate_reference
from tests.handover.receipts.pdf_reading import barcodes, page_sizes_mm, page_texts

HEADER = TicketHeader("Préfecture de l'Isère", "Grenoble — remise des titres", "Europe/Paris")


@pytest.fixture(name="ticket")
def ticket_fixture() -> Ticket:
    reference = generate_reference(random.Random(16)).display
    return Ticket(
        ticket_id=9,
        number=42,
        day=date(2026, 11, 27),
        permit_id=1234,
        reference=reference,
        status=TicketStatus.WAITING,
        priority=None,
        issued_at=datetime(2026, 11, 27, 7, 41, tzinfo=UTC),  # 8:41 in Paris
        called_at=None,
        desk_name=None,
        fee_cents=22500,
        needs_previous_card=True,
    )


def flat(pdf: bytes) -> str:
    return " ".join(page_texts(pdf)[0].split())


def test_ticket_says_number_time_and_what_to_bring_in_both_languages(ticket: Ticket) -> None:
    pdf = render_ticket(ticket, HEADER)
    text = flat(pdf)

    width, _height = page_sizes_mm(pdf)[0]
    assert width == pytest.approx(80, abs=0.1)
    for expected in (
        "042",
        "27/11/2026 à 08:41",
        "À préparer",
        "Please have ready",
        "225,00 € en timbres fiscaux / in tax stamps",
        "votre ancienne carte / your previous card",
        "votre pièce d'identité / your identity document",
        "Wait until your number is called",
    ):
        assert expected in text
    assert "RÉIMPRESSION" not in text
    assert "PRIORITAIRE" not in text


def test_no_stamps_and_no_old_card_are_not_asked_for(ticket: Ticket) -> None:
    text = flat(render_ticket(replace(ticket, fee_cents=0, needs_previous_card=False), HEADER))

    assert "timbres fiscaux" not in text
    assert "ancienne carte" not in text
    assert "votre pièce d'identité" in text


def test_reprint_and_priority_are_marked(ticket: Ticket) -> None:
    text = flat(render_ticket(replace(ticket, reprints=1, priority="handicap"), HEADER))

    assert "RÉIMPRESSION / REPRINT" in text
    assert "PRIORITAIRE / PRIORITY" in text


def test_the_barcode_is_the_reference_the_desk_reads_as_a_reference(ticket: Ticket) -> None:
    found = barcodes(render_ticket(ticket, HEADER), dpi=300)

    assert [kind for kind, _ in found] == ["Code128"]
    scanned = found[0][1]
    assert scanned == ticket.reference
    result = parse_scan(scanned)
    assert result.valid
    assert result.kind is ScanKind.REFERENCE


def test_same_ticket_same_bytes(ticket: Ticket) -> None:
    assert render_ticket(ticket, HEADER) == render_ticket(ticket, HEADER)


def test_printed_to_the_door_printer(ticket: Ticket) -> None:
    printer = FakePrinter()

    outcome = print_ticket(printer, ticket, HEADER)

    assert outcome.sent
    assert [job.job_name for job in printer.jobs] == ["ticket 042"]
    assert "042" in flat(printer.jobs[0].pdf)


def test_out_of_paper_says_to_reload_and_reprint_the_same_number(ticket: Ticket) -> None:
    printer = FakePrinter(fail_with=PrinterOutOfPaperError())

    with pytest.raises(TicketNotPrinted) as caught:
        print_ticket(printer, ticket, HEADER)

    assert "plus de papier" in caught.value.message
    assert "réimprimez (F5)" in caught.value.message
    assert "042" in caught.value.message
    assert printer.jobs == []


def test_other_printer_faults_speak_of_the_ticket(ticket: Ticket) -> None:
    printer = FakePrinter(fail_with=PrinterOfflineError("délai dépassé"))

    with pytest.raises(TicketNotPrinted) as caught:
        print_ticket(printer, ticket, HEADER)

    assert "réimprimez le ticket" in caught.value.message
    assert "récépissé" not in caught.value.message
