"""The training sheet of ``handover demo --sheet``: what demo holders bring, as barcodes.

One A4 page per holder, in the order of a handover: the SMS reference (Code128 and QR),
the identity document's MRZ, the tax stamp, the old card when one comes back, and the card
in the drawer. Every MRZ is printed as text (OCR-B when the font is installed, Courier
otherwise) and as a QR code holding the MRZ lines one after the other: one QR read is the
one burst a wedge scanner types, as an MRZ reader would. QR rather than PDF417: every 2D
imager reads it, and so does the counter's webcam decoder.

Loaded only when a sheet is printed: it imports reportlab.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from handover.receipts._pdf import BOLD, REGULAR, register_fonts
from handover.receipts.format import euros
from handover.resources import get_resource_path
from handover.services.demo import TrainingHolder

PAGE_WIDTH, PAGE_HEIGHT = 210 * mm, 297 * mm
MARGIN = 15 * mm
QR_SIZE = 34 * mm
SECTION_HEIGHT = 46 * mm
MRZ_SIZE = 10.5
# OCR-B, the MRZ's own typeface, if a TrueType file of it is installed (reportlab embeds
# TrueType only); Courier, built into every PDF reader, otherwise.
OCR_B_FILE = "OCRB.ttf"
OCR_B = "OCR-B"
FALLBACK_MRZ_FONT = "Courier-Bold"


@cache
def mrz_font() -> str:
    """The font the MRZ lines are printed in."""
    path = get_resource_path("fonts", OCR_B_FILE)
    if not path.is_file():
        return FALLBACK_MRZ_FONT
    try:
        pdfmetrics.registerFont(TTFont(OCR_B, str(path)))
    except (OSError, TTFError):
        return FALLBACK_MRZ_FONT
    return OCR_B


def mrz_lines(mrz: str) -> list[str]:
    """An MRZ burst cut into its printed lines (TD1: 3 × 30; TD2/TD3: 2 × 36 or 2 × 44)."""
    width = 30 if len(mrz) == 90 else len(mrz) // 2
    return [mrz[i : i + width] for i in range(0, len(mrz), width)]


def render_training_sheet(holders: Sequence[TrainingHolder]) -> bytes:
    """The sheet as PDF bytes, one page per holder (deterministic for the same holders)."""
    register_fonts()
    font = mrz_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    canvas.setTitle("Guichet — fiche d'entraînement (démonstration)")
    for number, holder in enumerate(holders, start=1):
        _page(canvas, holder, number, len(holders), font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _page(canvas: Canvas, holder: TrainingHolder, number: int, total: int, font: str) -> None:
    y = PAGE_HEIGHT - MARGIN
    canvas.setFont(BOLD, 15)
    canvas.drawString(MARGIN, y - 12, "FICHE D'ENTRAÎNEMENT — DÉMONSTRATION")
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y - 12, f"titulaire {number} / {total}")
    canvas.drawString(
        MARGIN,
        y - 26,
        "Documents fictifs, sans aucune valeur : pour le guichet de démonstration (make run).",
    )
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN, y - 44, holder.name)
    canvas.setFont(REGULAR, 10)
    dues = f"à payer : {euros(holder.fee_cents)}" if holder.fee_cents else "rien à payer"
    old = "ancienne carte à reprendre" if holder.old_card else "pas d'ancienne carte"
    canvas.drawString(MARGIN, y - 58, f"{dues} ; {old}. Scannez dans cet ordre :")
    y -= 66
    sections: list[tuple[str, str, str]] = [
        ("Référence du SMS (téléphone du titulaire)", "reference", holder.reference),
        ("Pièce d'identité du titulaire (passeport), bande MRZ", "mrz", holder.passport),
    ]
    if holder.stamp:
        sections.append(
            (
                f"Timbre fiscal électronique — montant {euros(holder.fee_cents)}",
                "stamp",
                holder.stamp,
            )
        )
    if holder.old_card:
        sections.append(
            ("Ancienne carte rendue par le titulaire, bande MRZ", "mrz", holder.old_card)
        )
    sections.append(("Carte du titre, sortie du casier, bande MRZ", "mrz", holder.card))
    for step, (title, kind, value) in enumerate(sections, start=1):
        _section(canvas, y, f"{step}. {title}", kind, value, font)
        y -= SECTION_HEIGHT


def _section(canvas: Canvas, top: float, title: str, kind: str, value: str, font: str) -> None:
    canvas.setStrokeGray(0.7)
    canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, top - 14, title)
    body_top = top - 20
    if kind == "mrz":
        _qr(canvas, value, MARGIN, body_top - QR_SIZE)
        canvas.setFont(font, MRZ_SIZE)
        for i, line in enumerate(mrz_lines(value)):
            canvas.drawString(MARGIN + QR_SIZE + 8 * mm, body_top - 14 - i * 15, line)
        return
    barcode = Code128(value, barWidth=0.38 * mm, barHeight=16 * mm, humanReadable=False)
    barcode.drawOn(canvas, MARGIN, body_top - 20 * mm)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(MARGIN, body_top - 26 * mm, value)
    if kind == "reference":
        _qr(canvas, value, PAGE_WIDTH - MARGIN - QR_SIZE, body_top - QR_SIZE)


def _qr(canvas: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    width, height = right - left, top - bottom
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / width, 0, 0, QR_SIZE / height, 0, 0])
    drawing.add(widget)
    drawing.drawOn(canvas, x, y)
