"""The queue ticket printed at the door: 80 mm roll, bilingual, no name.

Every sentence drawn here is read by the holder, so it is a ``holder_text``: French then
English, the English half registered as holder-facing. The ticket carries the number, the
time, what to have ready, and a Code128 of the SMS reference so that the desk can scan the
ticket instead of the phone.

It is drawn with the receipts' blocks and fonts (``handover.receipts._pdf``), loaded on
the first ticket only; it goes to the printers of ``handover.receipts.printers``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from handover.holder_text import holder_text
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


# What the holder reads (French / English).
TITLE = holder_text("Ticket d'attente", "Queue ticket")
REPRINT = holder_text("RÉIMPRESSION", "REPRINT")
PRIORITY = holder_text("PRIORITAIRE", "PRIORITY")
ISSUED_AT = holder_text("Délivré le {day} à {time}", "Issued on {day} at {time}")
PREPARE = holder_text("À préparer :", "Please have ready:")
STAMPS = holder_text("{amount} en timbres fiscaux", "in tax stamps")
OLD_CARD = holder_text("votre ancienne carte", "your previous card")
IDENTITY = holder_text("votre pièce d'identité", "your identity document")
WAIT = holder_text(
    "Attendez l'appel de votre numéro sur l'écran.",
    "Wait until your number is called on the screen.",
)
VALID = holder_text("Valable aujourd'hui, pour vous seul(e).", "Valid today only, for you only.")
SCAN_HINT = holder_text("Présentez ce code au guichet", "Show this code at the desk")


def ticket_lines(ticket: Ticket, header: TicketHeader) -> list[str]:
    """The ticket's text in reading order (what the PDF draws, and what a test reads back)."""
    day, time = fmt.day_and_time(ticket.issued_at, header.timezone)
    lines = [header.prefecture_name, header.site_name, str(TITLE)]
    if ticket.reprints:
        lines.append(str(REPRINT))
    lines.append(ticket.label)
    if ticket.priority:
        lines.append(str(PRIORITY))
    lines.append(str(ISSUED_AT).format(day=day, time=time))
    lines += [PREPARE.fr, PREPARE.en]
    if ticket.fee_cents > 0:
        lines.append(f"• {STAMPS}".format(amount=fmt.euros(ticket.fee_cents)))
    if ticket.needs_previous_card:
        lines.append(f"• {OLD_CARD}")
    lines.append(f"• {IDENTITY}")
    lines += [str(WAIT), str(VALID)]
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
    b.centred(str(TITLE), bold=True, size=g.title_size)
    if ticket.reprints:
        b.space(0.3)
        b.add(_pdf.Banner(str(REPRINT), g.content_width, g.title_size))
    b.centred(ticket.label, bold=True, size=64)
    if ticket.priority:
        b.add(_pdf.Banner(str(PRIORITY), g.content_width, g.title_size))
        b.space(0.3)
    b.centred(str(ISSUED_AT).format(day=day, time=time), size=g.font_size)
    b.heading(str(PREPARE))
    if ticket.fee_cents > 0:
        b.line(f"• {STAMPS}".format(amount=fmt.euros(ticket.fee_cents)), bold=True)
    if ticket.needs_previous_card:
        b.line(f"• {OLD_CARD}", bold=True)
    b.line(f"• {IDENTITY}", bold=True)
    b.space(0.6)
    b.line(str(WAIT))
    b.line(str(VALID))
    if ticket.reference:
        b.space(0.8)
        b.add(_pdf.Barcode(ticket.reference, g))
        b.centred(ticket.reference, size=g.font_size)
        b.centred(str(SCAN_HINT), size=g.font_size - 1)
    buffer = io.BytesIO()
    canvas = _pdf._canvas(buffer, f"Ticket {ticket.label}", header.prefecture_name, str(TITLE))
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
