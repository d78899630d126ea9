"""The queue ticket printed at the door: 80 mm roll, bilingual, no name.

HOLDER-FACING: every sentence drawn here is read by the holder, so it is French then
English. The ticket carries the number, the time, what to have ready, and a Code128 of
the SMS reference so that the desk can scan the ticket instead of the phone.

It is drawn with the receipts' blocks and fonts (``handover.receipts._pdf``), loaded on
the first ticket only; it goes to the printers of ``handover.receipts.printers``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from handover.receipts import format as fmt
from handover.receipts.errors import PrinterError, PrinterOutOfPaperError
from handover.receipts.printers import Printer, PrintOutcome

if TYPE_CHECKING:
    from handover.queue.values import Ticket


@dataclass(frozen=True)
class TicketHeader:
    """Where the ticket was issued: the lines above the number."""

    prefecture_name: str
    site_name: str
    timezone: str  # the ticket's time is shown in this zone


# HOLDER-FACING texts (French / English).
TITLE = "Ticket d'attente / Queue ticket"
REPRINT = "RÉIMPRESSION / REPRINT"
PRIORITY = "PRIORITAIRE / PRIORITY"
ISSUED_AT = "Délivré le {day} à {time} / Issued on {day} at {time}"
PREPARE_FR = "À préparer :"
PREPARE_EN = "Please have ready:"
STAMPS = "{amount} en timbres fiscaux / in tax stamps"
OLD_CARD = "votre ancienne carte / your previous card"
IDENTITY = "votre pièce d'identité / your identity document"
WAIT = (
    "Attendez l'appel de votre numéro sur l'écran. / "
    "Wait until your number is called on the screen."
)
VALID = "Valable aujourd'hui, pour vous seul(e). / Valid today only, for you only."
SCAN_HINT = "Présentez ce code au guichet / Show this code at the desk"


def ticket_lines(ticket: Ticket, header: TicketHeader) -> list[str]:
    """The ticket's text in reading order (what the PDF draws, and what a test reads back)."""
    day, time = fmt.day_and_time(ticket.issued_at, header.timezone)
    lines = [header.prefecture_name, header.site_name, TITLE]
    if ticket.reprints:
        lines.append(REPRINT)
    lines.append(ticket.label)
    if ticket.priority:
        lines.append(PRIORITY)
    lines.append(ISSUED_AT.format(day=day, time=time))
    lines += [PREPARE_FR, PREPARE_EN]
    if ticket.fee_cents > 0:
        lines.append("• " + STAMPS.format(amount=fmt.euros(ticket.fee_cents)))
    if ticket.needs_previous_card:
        lines.append("• " + OLD_CARD)
    lines.append("• " + IDENTITY)
    lines += [WAIT, VALID]
    return lines


def render_ticket(ticket: Ticket, header: TicketHeader) -> bytes:
    """The ticket as a one-page PDF 80 mm wide, as long as its content; same data, same bytes."""
    import io

    from handover.receipts import _pdf

    _pdf.register_fonts()
    g = _pdf.GEOMETRIES["roll80"]
    b = _pdf._Builder(g)
    day, time = fmt.day_and_time(ticket.issued_at, header.timezone)
    b.centred(header.prefecture_name, bold=True, size=g.font_size + 1)
    b.centred(header.site_name, size=g.font_size)
    b.space(0.5)
    b.centred(TITLE, bold=True, size=g.title_size)
    if ticket.reprints:
        b.space(0.3)
        b.add(_pdf.Banner(REPRINT, g.content_width, g.title_size))
    b.centred(ticket.label, bold=True, size=64)
    if ticket.priority:
        b.add(_pdf.Banner(PRIORITY, g.content_width, g.title_size))
        b.space(0.3)
    b.centred(ISSUED_AT.format(day=day, time=time), size=g.font_size)
    b.heading(f"{PREPARE_FR} / {PREPARE_EN}")
    if ticket.fee_cents > 0:
        b.line("• " + STAMPS.format(amount=fmt.euros(ticket.fee_cents)), bold=True)
    if ticket.needs_previous_card:
        b.line("• " + OLD_CARD, bold=True)
    b.line("• " + IDENTITY, bold=True)
    b.space(0.6)
    b.line(WAIT)
    b.line(VALID)
    if ticket.reference:
        b.space(0.8)
        b.add(_pdf.Barcode(ticket.reference, g))
        b.centred(ticket.reference, size=g.font_size)
        b.centred(SCAN_HINT, size=g.font_size - 1)
    buffer = io.BytesIO()
    canvas = _pdf._canvas(buffer, f"Ticket {ticket.label}", header.prefecture_name, TITLE)
    _pdf._flow(canvas, b.blocks, g, lambda _height: None)
    canvas.save()
    return buffer.getvalue()


class TicketNotPrinted(PrinterError):
    """The door's printer did not take the ticket; the number stays the holder's."""


def print_ticket(printer: Printer, ticket: Ticket, header: TicketHeader) -> PrintOutcome:
    """Send the ticket; a printer fault becomes :class:`TicketNotPrinted` saying to reprint."""
    pdf = render_ticket(ticket, header)
    job = f"ticket {ticket.label}{' reimpression' if ticket.reprints else ''}"
    try:
        return printer.print_pdf(pdf, job_name=job)
    except PrinterOutOfPaperError as error:
        raise TicketNotPrinted(
            f"Ticket {ticket.label} non imprimé : l'imprimante de l'accueil n'a plus de papier. "
            "Remettez un rouleau puis réimprimez (F5) : le numéro reste attribué à cette "
            "personne."
        ) from error
    except PrinterError as error:
        raise TicketNotPrinted(
            f"Ticket {ticket.label} non imprimé : {_about_ticket(error.message)} Quand "
            "l'imprimante est "
            "prête, réimprimez (F5) : le numéro reste attribué à cette personne."
        ) from error


def _about_ticket(message: str) -> str:
    """The printers speak of receipts; at the door the document is a ticket."""
    return message.replace("le récépissé", "le ticket").replace("Le récépissé", "Le ticket")
