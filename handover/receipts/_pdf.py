"""The reportlab side of the receipts: loaded only when a document is drawn.

A tiny block layout instead of platypus: each block knows its height before it is drawn,
so the 80 mm roll can be cut to the content's height, and a receipt costs a few
milliseconds instead of the tens that paragraph parsing takes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Protocol

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from handover.receipts import format as fmt
from handover.receipts.data import DaySheetData, ReceiptData, ReceiptLayout
from handover.receipts.errors import ReceiptRenderError
from handover.resources import get_resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

Align = Literal["left", "right", "center"]


@cache
def register_fonts() -> None:
    """Parse the TTF files once per process: it is the slowest step of a first receipt."""
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, str(get_resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(
            TTFont(BOLD, str(get_resource_path("fonts", "DejaVuSans-Bold.ttf")))
        )
    except (OSError, TTFError) as exc:  # reportlab reports a missing file as TTFError
        raise ReceiptRenderError(
            "La police des récépissés (DejaVu Sans) est introuvable dans le dossier "
            "resources/fonts. Réinstallez l'application ou prévenez l'administrateur."
        ) from exc


@dataclass(frozen=True)
class Geometry:
    """Sizes of one layout, in points."""

    page_width: float
    page_height: float | None  # None: fitted to the content (roll paper)
    margin_x: float
    margin_y: float
    font_size: float
    title_size: float
    label_width: float
    bar_width: float
    bar_height: float
    signature_height: float
    watermark: bool

    @property
    def content_width(self) -> float:
        return self.page_width - 2 * self.margin_x

    @property
    def leading(self) -> float:
        return self.font_size * 1.3


GEOMETRIES: dict[ReceiptLayout, Geometry] = {
    "a4": Geometry(
        page_width=210 * mm,
        page_height=297 * mm,
        margin_x=20 * mm,
        margin_y=18 * mm,
        font_size=10,
        title_size=15,
        label_width=48 * mm,
        bar_width=0.36 * mm,
        bar_height=14 * mm,
        signature_height=28 * mm,
        watermark=True,
    ),
    "a5": Geometry(
        page_width=148 * mm,
        page_height=210 * mm,
        margin_x=12 * mm,
        margin_y=10 * mm,
        font_size=8.5,
        title_size=12,
        label_width=36 * mm,
        bar_width=0.33 * mm,
        bar_height=11 * mm,
        signature_height=20 * mm,
        watermark=True,
    ),
    # 80 mm paper, 72 mm printable: 4 mm each side.
    "roll80": Geometry(
        page_width=80 * mm,
        page_height=None,
        margin_x=4 * mm,
        margin_y=4 * mm,
        font_size=8,
        title_size=10.5,
        label_width=22 * mm,
        bar_width=0.3 * mm,
        bar_height=12 * mm,
        signature_height=18 * mm,
        watermark=False,
    ),
}

DAY_SHEET = GEOMETRIES["a4"]


class Block(Protocol):
    height: float

    def draw(self, canvas: Any, x: float, top: float) -> None: ...


class Spacer:
    def __init__(self, height: float) -> None:
        self.height = height

    def draw(self, canvas: Any, x: float, top: float) -> None:
        return None


@dataclass(frozen=True)
class Cell:
    text: str
    width: float
    align: Align = "left"
    bold: bool = False


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines no wider than ``width``; a word longer than a line is cut (long numbers)."""
    lines: list[str] = []
    for line in simpleSplit(text, font, size, width) or [""]:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines


class Row:
    """Cells side by side; each wraps inside its own width."""

    def __init__(self, cells: Sequence[Cell], size: float, leading: float | None = None) -> None:
        self.size = size
        self.leading = leading if leading is not None else size * 1.3
        self.cells = [
            (cell, wrap(cell.text, BOLD if cell.bold else REGULAR, size, cell.width))
            for cell in cells
        ]
        self.height = max(len(lines) for _, lines in self.cells) * self.leading

    def draw(self, canvas: Any, x: float, top: float) -> None:
        left = x
        for cell, lines in self.cells:
            canvas.setFont(BOLD if cell.bold else REGULAR, self.size)
            # Baseline about 80 % of the way down the first line box.
            y = top - self.size
            for line in lines:
                if cell.align == "right":
                    canvas.drawRightString(left + cell.width, y, line)
                elif cell.align == "center":
                    canvas.drawCentredString(left + cell.width / 2, y, line)
                else:
                    canvas.drawString(left, y, line)
                y -= self.leading
            left += cell.width


class Group:
    """Blocks kept on one page (the audit head beside the signatures that vouch for it)."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = list(blocks)
        self.height = sum(block.height for block in self.blocks)

    def draw(self, canvas: Any, x: float, top: float) -> None:
        for block in self.blocks:
            block.draw(canvas, x, top)
            top -= block.height


class Rule:
    def __init__(self, width: float, gap: float) -> None:
        self.width = width
        self.gap = gap
        self.height = 2 * gap

    def draw(self, canvas: Any, x: float, top: float) -> None:
        canvas.setLineWidth(0.6)
        canvas.line(x, top - self.gap, x + self.width, top - self.gap)


class Banner:
    """Framed bold text across the content width (DUPLICATA)."""

    def __init__(self, text: str, width: float, size: float) -> None:
        self.text = text
        self.width = width
        self.size = size
        self.height = size * 2.0

    def draw(self, canvas: Any, x: float, top: float) -> None:
        canvas.setLineWidth(1.5)
        canvas.rect(x, top - self.height, self.width, self.height, stroke=1, fill=0)
        canvas.setFont(BOLD, self.size)
        canvas.drawCentredString(x + self.width / 2, top - self.size * 1.35, self.text)


class Picture:
    def __init__(self, reader: Any, width: float, height: float, box_width: float) -> None:
        self.reader = reader
        self.width = width
        self.height = height
        self.box_width = box_width

    def draw(self, canvas: Any, x: float, top: float) -> None:
        left = x + (self.box_width - self.width) / 2
        canvas.drawImage(self.reader, left, top - self.height, self.width, self.height)


class Barcode:
    """A Code128 centred in the content width, shrunk if it would not fit."""

    def __init__(self, value: str, geometry: Geometry) -> None:
        bar_width = geometry.bar_width
        code = self._code(value, bar_width, geometry.bar_height)
        width = code.width
        if width > geometry.content_width:
            bar_width *= geometry.content_width / width
            code = self._code(value, bar_width, geometry.bar_height)
            width = code.width
        self.code = code
        self.code_width = width
        self.box_width = geometry.content_width
        self.height = geometry.bar_height

    @staticmethod
    def _code(value: str, bar_width: float, bar_height: float) -> Any:
        quiet = 10 * bar_width
        return Code128(value, barWidth=bar_width, barHeight=bar_height, lquiet=quiet, rquiet=quiet)

    def draw(self, canvas: Any, x: float, top: float) -> None:
        self.code.drawOn(canvas, x + (self.box_width - self.code_width) / 2, top - self.height)


#: Pixels per inch kept from a signature: sharp on a laser printer, small in the PDF.
SIGNATURE_DPI = 300


def _signature(png: bytes, geometry: Geometry) -> Picture:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as opened:
            picture = opened.convert("RGBA")
    except Exception as exc:  # PIL raises many kinds for a damaged image
        raise ReceiptRenderError(
            "L'image de la signature est illisible : le récépissé ne peut pas être produit. "
            "Faites signer le titulaire à nouveau."
        ) from exc
    height = geometry.signature_height
    width = picture.width * height / picture.height
    max_width = geometry.content_width * 0.8
    if width > max_width:
        height *= max_width / width
        width = max_width
    # Ink on white in one grey channel: a third of the RGB data and no alpha mask to
    # compress, which is most of a receipt's rendering time.
    white = Image.new("RGBA", picture.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(white, picture).convert("L")
    wanted_width = round(width / 72 * SIGNATURE_DPI)
    if grey.width > wanted_width:
        grey = grey.resize((wanted_width, max(1, round(grey.height * wanted_width / grey.width))))
    return Picture(ImageReader(grey), width, height, geometry.content_width)


def _local_time_label(timezone: str) -> str:
    return "heure de Paris" if timezone == "Europe/Paris" else timezone


class _Builder:
    """Collects the blocks of one document in reading order."""

    def __init__(self, geometry: Geometry) -> None:
        self.g = geometry
        self.blocks: list[Block] = []

    def centred(self, text: str, *, size: float | None = None, bold: bool = False) -> None:
        self.blocks.append(
            Row(
                [Cell(text, self.g.content_width, "center", bold)],
                size or self.g.font_size,
            )
        )

    def line(self, text: str, *, bold: bool = False, size: float | None = None) -> None:
        self.blocks.append(
            Row([Cell(text, self.g.content_width, "left", bold)], size or self.g.font_size)
        )

    def field(self, label: str, value: str) -> None:
        label_width = self.g.label_width
        self.blocks.append(
            Row(
                [
                    Cell(f"{label} :", label_width),
                    Cell(value, self.g.content_width - label_width, bold=True),
                ],
                self.g.font_size,
            )
        )

    def columns(
        self,
        texts: Sequence[str],
        shares: Sequence[float],
        aligns: Sequence[Align],
        *,
        bold: bool = False,
    ) -> None:
        widths = [self.g.content_width * share for share in shares]
        cells = [Cell(t, w, a, bold) for t, w, a in zip(texts, widths, aligns, strict=True)]
        self.blocks.append(Row(cells, self.g.font_size))

    def heading(self, text: str) -> None:
        self.space(0.6)
        self.blocks.append(Row([Cell(text, self.g.content_width, bold=True)], self.g.font_size + 1))
        self.blocks.append(Rule(self.g.content_width, self.g.font_size * 0.25))

    def space(self, lines: float = 1.0) -> None:
        self.blocks.append(Spacer(self.g.leading * lines))

    def add(self, block: Block) -> None:
        self.blocks.append(block)


def receipt_blocks(data: ReceiptData, geometry: Geometry, copy_label: str) -> list[Block]:
    """The receipt, top to bottom."""
    b = _Builder(geometry)
    b.centred(data.prefecture_name, bold=True, size=geometry.font_size + 2)
    b.centred(data.site_name)
    b.space(0.8)
    b.centred("Récépissé de remise de titre de séjour", bold=True, size=geometry.title_size)
    b.centred(copy_label)
    if data.duplicate:
        b.space(0.4)
        b.add(Banner("DUPLICATA", geometry.content_width, geometry.title_size))
        b.space(0.3)
        b.centred("Réimpression : l'original a déjà été remis.", size=geometry.font_size - 1)
    if data.corrections:
        b.space(0.4)
        b.add(Banner("RECTIFIÉ", geometry.content_width, geometry.title_size))
        b.space(0.3)
        for sentence in data.corrections:
            b.line(sentence, size=geometry.font_size - 1)

    day, time = fmt.day_and_time(data.handed_over_at, data.timezone)
    b.heading("Remise")
    b.field("N° de remise", data.handover_number)
    b.field("Remis le", f"{day} à {time} ({_local_time_label(data.timezone)})")
    b.field("Guichet", data.desk_name)
    b.field("Agent", data.agent_pseudonym)

    b.heading("Titulaire")
    b.field("Nom", data.holder_surname)
    b.field("Prénom(s)", data.holder_given_names)
    b.field("Né(e) le", fmt.day(data.holder_birth_date))

    b.heading("Titre délivré")
    b.field("Catégorie", data.permit_category)
    b.field("N° du titre", data.card_number)
    b.field("Validité", f"du {fmt.day(data.valid_from)} au {fmt.day(data.valid_until)}")
    b.line(data.previous_card)
    for sentence in data.overrides:
        b.line(sentence)

    b.heading("Timbres fiscaux")
    if data.stamps:
        for stamp in data.stamps:
            b.columns(
                [fmt.masked_stamp(stamp.number_last4), fmt.euros(stamp.amount_cents)],
                [0.7, 0.3],
                ["left", "right"],
            )
    else:
        b.line("Aucun timbre fiscal")
    b.columns(
        ["Total", fmt.euros(data.stamps_total_cents)], [0.7, 0.3], ["left", "right"], bold=True
    )

    b.heading("Signature du titulaire")
    if data.signature_png is not None:
        b.space(0.3)
        b.add(_signature(data.signature_png, geometry))
    else:
        b.line("Signature non recueillie")

    b.space(1.0)
    b.add(Barcode(data.handover_number, geometry))
    b.centred(data.handover_number, size=geometry.font_size)
    b.space(0.5)
    b.centred(
        f"Vérification : empreinte d'audit {data.audit_hash_prefix}", size=geometry.font_size - 1
    )
    b.centred(
        "Document à conserver. Il atteste la remise du titre ; il ne vaut pas titre de séjour.",
        size=geometry.font_size - 1.5,
    )
    return b.blocks


def day_sheet_blocks(data: DaySheetData) -> list[Block]:
    """The daily closing sheet, top to bottom."""
    g = DAY_SHEET
    b = _Builder(g)
    b.centred(data.prefecture_name, bold=True, size=g.font_size + 2)
    b.centred(data.site_name)
    b.space(0.8)
    b.centred(f"État de clôture journalière du {fmt.day(data.day)}", bold=True, size=g.title_size)

    b.heading("Remises par guichet")
    shares = [0.5, 0.2, 0.3]
    aligns: list[Align] = ["left", "right", "right"]
    b.columns(["Guichet", "Remises", "Timbres fiscaux"], shares, aligns, bold=True)
    for desk in data.desks:
        b.columns(
            [desk.desk_name, str(desk.handover_count), fmt.euros(desk.stamps_total_cents)],
            shares,
            aligns,
        )
    b.columns(
        ["Total", str(data.total_handovers), fmt.euros(data.total_stamps_cents)],
        shares,
        aligns,
        bold=True,
    )

    b.heading(f"Dérogations du chef d'accueil ({len(data.overrides)})")
    if data.overrides:
        shares = [0.08, 0.17, 0.24, 0.15, 0.36]
        aligns = ["left"] * 5
        b.columns(
            ["Heure", "Remise", "Dérogation", "Chef d'accueil", "Motif"], shares, aligns, bold=True
        )
        for item in data.overrides:
            _, time = fmt.day_and_time(item.at, data.timezone)
            b.columns(
                [
                    time,
                    item.handover_number or "non utilisée",
                    item.kind,
                    item.supervisor_pseudonym,
                    item.reason,
                ],
                shares,
                aligns,
            )
    else:
        b.line("Aucune dérogation.")

    b.heading(f"Réimpressions de récépissés ({len(data.reprints)})")
    if data.reprints:
        shares = [0.12, 0.44, 0.44]
        aligns = ["left", "left", "left"]
        b.columns(["Heure", "N° de remise", "Agent"], shares, aligns, bold=True)
        for reprint in data.reprints:
            _, time = fmt.day_and_time(reprint.at, data.timezone)
            b.columns([time, reprint.handover_number, reprint.agent_pseudonym], shares, aligns)
    else:
        b.line("Aucune réimpression.")

    kept_from = len(b.blocks)
    b.heading("Journal d'audit")
    if data.audit_problem:
        # No head on a broken chain: a printed head would vouch for what cannot be vouched for.
        b.line("CHAÎNE D'AUDIT ROMPUE : aucune tête de chaîne n'est attestée.", bold=True)
        b.line(data.audit_problem)
        b.line(f"{fmt.number(data.audit_verified_entries)} entrée(s) vérifiée(s) avant la rupture.")
    else:
        b.line("Tête de chaîne (empreinte SHA-256) :")
        b.line(data.audit_head_hash, bold=True, size=g.font_size - 1)
        b.field("Entrées vérifiées", fmt.number(data.audit_verified_entries))

    b.space(2)
    b.columns(["Établi par :", "Visa du chef d'accueil :"], [0.5, 0.5], ["left", "left"])
    b.space(4)
    b.blocks[kept_from:] = [Group(b.blocks[kept_from:])]
    return b.blocks


def _canvas(buffer: io.BytesIO, title: str, author: str, subject: str) -> Any:
    canvas = Canvas(buffer, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("Guichet")
    return canvas


def _watermark(canvas: Any, geometry: Geometry, page_height: float) -> None:
    canvas.saveState()
    canvas.setFillGray(0.85)
    canvas.setFont(BOLD, geometry.page_width * 0.12)
    canvas.translate(geometry.page_width / 2, page_height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, "DUPLICATA")
    canvas.restoreState()


def _flow(
    canvas: Any,
    blocks: Sequence[Block],
    geometry: Geometry,
    on_page: Callable[[float], None],
) -> None:
    """Draw ``blocks`` from the top of a new page; a fixed-size page breaks when full."""
    if geometry.page_height is None:
        height = sum(block.height for block in blocks) + 2 * geometry.margin_y
    else:
        height = geometry.page_height
    canvas.setPageSize((geometry.page_width, height))
    on_page(height)
    top = height - geometry.margin_y
    fitted = geometry.page_height is None
    for block in blocks:
        if (
            not fitted
            and top - block.height < geometry.margin_y
            and top < height - geometry.margin_y
        ):
            canvas.showPage()
            canvas.setPageSize((geometry.page_width, height))
            on_page(height)
            top = height - geometry.margin_y
        block.draw(canvas, geometry.margin_x, top)
        top -= block.height
    canvas.showPage()


def render_receipt(data: ReceiptData, layout: ReceiptLayout, archive_copy: bool) -> bytes:
    register_fonts()
    geometry = GEOMETRIES[layout]
    buffer = io.BytesIO()
    canvas = _canvas(
        buffer,
        "Récépissé de remise de titre de séjour",
        data.prefecture_name,
        f"Remise {data.handover_number}",
    )

    def on_page(page_height: float) -> None:
        if data.duplicate and geometry.watermark:
            _watermark(canvas, geometry, page_height)

    copies = ["Exemplaire de l'usager"]
    if archive_copy:
        copies.append("Exemplaire préfecture (archive)")
    for label in copies:
        _flow(canvas, receipt_blocks(data, geometry, label), geometry, on_page)
    canvas.save()
    return buffer.getvalue()


def render_day_sheet(data: DaySheetData) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = _canvas(
        buffer,
        f"État de clôture journalière du {fmt.day(data.day)}",
        data.prefecture_name,
        data.site_name,
    )
    page_number = 0

    def on_page(page_height: float) -> None:
        nonlocal page_number
        page_number += 1
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(
            DAY_SHEET.page_width - DAY_SHEET.margin_x,
            DAY_SHEET.margin_y / 2,
            f"Page {page_number}",
        )

    _flow(canvas, day_sheet_blocks(data), DAY_SHEET, on_page)
    canvas.save()
    return buffer.getvalue()
