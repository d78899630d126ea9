from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from handover.receipts.data import DaySheetData, ReceiptData, ReprintLine, StampLine
from handover.receipts.errors import ReceiptRenderError
from handover.receipts.render import render_day_sheet, render_receipt
from tests.handover.receipts.pdf_reading import (
    barcodes,
    image_sizes,
    ink_box_mm,
    page_sizes_mm,
    page_texts,
    render,
)
from tests.handover.receipts.samples import SIGNATURE_SIZE, make_receipt

REFERENCE = Path(__file__).parent / "reference"

EXPECTED_ON_EVERY_RECEIPT = [
    "Préfecture de l'Isère",
    "Grenoble — accueil remise des titres",
    "Récépissé de remise de titre de séjour",
    "R-2026-000123",
    "27/11/2026 à 10:15",
    "Guichet 2",
    "AG-7K3Q",
    "N'Guessan-Müller",
    "Éléonore",
    "03/07/1990",
    "Titre délivré",
    "Carte de séjour temporaire — salarié",
    "IR0123456789",
    "du 20/11/2026 au 19/11/2027",
    "Carte précédente n° …4321 restituée",
    "•••• •••• •••• 1234",
    "200,00 €",
    "•••• •••• •••• 9876",
    "25,00 €",
    "225,00 €",
    "3fa9c2e1b7d0",
]


@pytest.mark.parametrize("layout", ["a4", "a5", "roll80"])
def test_every_field_reads_back_with_its_accents(receipt: ReceiptData, layout: str) -> None:
    text = page_texts(render_receipt(receipt, layout))[0]  # type: ignore[arg-type]

    # Narrow layouts wrap long values: compare with line breaks as spaces.
    flat = " ".join(text.split())
    missing = [expected for expected in EXPECTED_ON_EVERY_RECEIPT if expected not in flat]
    assert missing == []
    assert "DUPLICATA" not in text


def test_time_is_shown_in_paris_summer_time() -> None:
    # 07:30 UTC on 6 July is 09:30 in Paris (UTC+2).
    summer = make_receipt(handed_over_at=datetime(2026, 7, 6, 7, 30, tzinfo=UTC))

    assert "06/07/2026 à 09:30" in page_texts(render_receipt(summer, "a4"))[0]


def test_receipt_without_stamps_or_signature_says_so() -> None:
    bare = make_receipt(stamps=(), stamps_total_cents=0, signature_png=None)
    pdf = render_receipt(bare, "a4")

    text = page_texts(pdf)[0]
    assert "Aucun timbre fiscal" in text
    assert "0,00 €" in text
    assert "Signature non recueillie" in text
    assert image_sizes(pdf) == []


def test_large_amounts_are_grouped_by_thousands() -> None:
    costly = make_receipt(stamps=(StampLine("5555", 122500),), stamps_total_cents=122500)

    assert "1 225,00 €" in page_texts(render_receipt(costly, "a4"))[0]


@pytest.mark.parametrize("layout", ["a4", "a5", "roll80"])
def test_barcode_decodes_to_the_handover_number_at_300_dpi(
    receipt: ReceiptData, layout: str
) -> None:
    pdf = render_receipt(receipt, layout)  # type: ignore[arg-type]

    assert ("Code128", "R-2026-000123") in barcodes(pdf, dpi=300)


def test_long_handover_number_still_fits_and_decodes_on_the_roll() -> None:
    number = "R-2026-ISERE-GRENOBLE-000123"
    pdf = render_receipt(make_receipt(handover_number=number), "roll80")

    assert ("Code128", number) in barcodes(pdf, dpi=300)
    left, _, right, _ = ink_box_mm(render(pdf, 300), 300)
    # The allowance is anti-aliasing: about one pixel at 300 dpi.
    assert left >= 4.0 - 0.15
    assert right <= 76.0 + 0.15
    assert number in "".join(page_texts(pdf)[0].split())


@pytest.mark.parametrize("layout", ["a4", "a5", "roll80"])
def test_signature_is_embedded_as_an_image(receipt: ReceiptData, layout: str) -> None:
    pdf = render_receipt(receipt, layout)  # type: ignore[arg-type]

    assert image_sizes(pdf) == [SIGNATURE_SIZE]


def test_unreadable_signature_is_refused_in_french() -> None:
    broken = make_receipt(signature_png=b"\x89PNG not really")

    with pytest.raises(ReceiptRenderError, match="signature est illisible"):
        render_receipt(broken, "a4")


def test_roll_is_80_mm_wide_and_ink_stays_within_72_mm(receipt: ReceiptData) -> None:
    dpi = 200
    pdf = render_receipt(receipt, "roll80")
    [(width, height)] = page_sizes_mm(pdf)

    left, top, right, bottom = ink_box_mm(render(pdf, dpi), dpi)

    assert width == pytest.approx(80.0, abs=0.01)
    # 4 mm margins each side: the printable 72 mm of an 80 mm roll (allowing anti-aliasing).
    assert left >= 4.0 - 0.15
    assert right <= 76.0 + 0.15
    # The page is cut to its content: no long blank tail of paper.
    assert top <= 8.0
    assert height - bottom <= 8.0


def test_roll_grows_with_its_content(receipt: ReceiptData) -> None:
    many = make_receipt(stamps=tuple(StampLine(f"{i:04d}", 2500) for i in range(9)))

    [(_, short)] = page_sizes_mm(render_receipt(receipt, "roll80"))
    [(_, long)] = page_sizes_mm(render_receipt(many, "roll80"))

    assert long > short + 7 * 3  # at least ~3 mm per extra stamp line


@pytest.mark.parametrize(("layout", "size"), [("a4", (210, 297)), ("a5", (148, 210))])
def test_page_layouts_have_their_paper_size(
    receipt: ReceiptData, layout: str, size: tuple[int, int]
) -> None:
    [(width, height)] = page_sizes_mm(render_receipt(receipt, layout))  # type: ignore[arg-type]

    assert (width, height) == pytest.approx(size, abs=0.01)


def test_archive_copy_is_a_second_page_for_the_prefecture(receipt: ReceiptData) -> None:
    pdf = render_receipt(receipt, "a4", archive_copy=True)

    first, second = page_texts(pdf)
    assert "Exemplaire de l'usager" in first
    assert "Exemplaire préfecture (archive)" in second
    assert "N'Guessan-Müller" in second
    assert ("Code128", "R-2026-000123") in barcodes(pdf, page=1)


@pytest.mark.parametrize("layout", ["a4", "a5", "roll80"])
def test_duplicate_says_duplicata(layout: str) -> None:
    pdf = render_receipt(make_receipt(duplicate=True), layout)  # type: ignore[arg-type]

    assert "DUPLICATA" in page_texts(pdf)[0]


def test_duplicate_watermark_marks_the_whole_a4_page(receipt: ReceiptData) -> None:
    original = np.asarray(render(render_receipt(receipt, "a4"), 50))
    duplicate = np.asarray(render(render_receipt(make_receipt(duplicate=True), "a4"), 50))

    # The grey diagonal covers a large part of the page, not just a banner line.
    changed_rows = (original != duplicate).any(axis=1).sum()
    assert changed_rows > original.shape[0] * 0.4


@pytest.mark.parametrize("layout", ["a4", "a5", "roll80"])
def test_same_data_gives_the_same_bytes(layout: str) -> None:
    first = render_receipt(make_receipt(), layout, archive_copy=True)  # type: ignore[arg-type]
    second = render_receipt(make_receipt(), layout, archive_copy=True)  # type: ignore[arg-type]

    assert first == second


def test_different_data_gives_different_bytes(receipt: ReceiptData) -> None:
    other = make_receipt(card_number="IR0123456780")

    assert render_receipt(receipt, "a4") != render_receipt(other, "a4")


def test_a4_receipt_matches_the_committed_reference(receipt: ReceiptData) -> None:
    """Regenerate after a deliberate layout change: ``UPDATE_REFERENCE=1 pytest <this file>``.

    Look at the new PDF before committing it. The comparison is on what is printed (text
    and pixels), not on bytes: compression and metadata change with library versions.
    """
    pdf = render_receipt(receipt, "a4", archive_copy=True)
    reference_path = REFERENCE / "receipt_a4.pdf"
    if os.environ.get("UPDATE_REFERENCE") == "1":
        reference_path.write_bytes(pdf)
    reference = reference_path.read_bytes()

    assert page_texts(pdf) == page_texts(reference)
    for page in range(2):
        drawn = np.asarray(render(pdf, 100, page), dtype=np.int16)
        expected = np.asarray(render(reference, 100, page), dtype=np.int16)
        assert drawn.shape == expected.shape
        assert np.abs(drawn - expected).max() <= 8


def test_day_sheet_reads_back(day_sheet: DaySheetData) -> None:
    pdf = render_day_sheet(day_sheet)

    text = " ".join(" ".join(page_texts(pdf)).split())
    assert page_sizes_mm(pdf)[0] == pytest.approx((210, 297), abs=0.01)
    for expected in [
        "État de clôture journalière du 27/11/2026",
        "Préfecture de l'Isère",
        "Guichet 1",
        "6 975,00 €",
        "6 300,00 €",
        "Total 59 13 275,00 €",  # 31 + 28 handovers, 6 975 + 6 300 €
        "11:02",  # 10:02 UTC in Paris
        "CH-2M8P",
        "prolongation de l'accueil",
        "R2026-0000118",
        "Remise hors horaires",
        "09:47",
        "R-2026-000118",
        day_sheet.audit_head_hash,
        "1 342",
    ]:
        assert expected in text, expected


def test_long_day_sheet_continues_on_numbered_pages(day_sheet: DaySheetData) -> None:
    reprints = tuple(
        ReprintLine(
            datetime(2026, 11, 27, 9, minute % 60, tzinfo=UTC), f"R-2026-{minute:06d}", "AG-7K3Q"
        )
        for minute in range(90)
    )
    busy = replace(day_sheet, reprints=reprints)

    texts = page_texts(render_day_sheet(busy))

    assert len(texts) >= 2
    assert "Page 2" in texts[1]
    everything = "\n".join(texts)
    assert all(f"R-2026-{minute:06d}" in everything for minute in range(90))
    assert busy.audit_head_hash in texts[-1]


def test_day_sheet_without_events_says_so(day_sheet: DaySheetData) -> None:
    quiet = replace(day_sheet, overrides=(), reprints=())

    text = page_texts(render_day_sheet(quiet))[0]
    assert "Aucune dérogation." in text
    assert "Aucune réimpression." in text


def test_importing_receipts_does_not_load_reportlab() -> None:
    code = (
        "import sys, handover.receipts, handover.receipts.render, handover.receipts.printers\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in {'reportlab', 'escpos', 'PIL'}]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[3])


def test_large_tablet_signature_is_downsampled_to_print_resolution() -> None:
    image = Image.new("LA", (3000, 1000), (255, 0))
    ImageDraw.Draw(image).line([(0, 900), (1500, 100), (2999, 900)], fill=(0, 255), width=20)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")

    pdf = render_receipt(make_receipt(signature_png=buffer.getvalue()), "roll80")

    [(width, height)] = image_sizes(pdf)
    # 18 mm high on the roll at 300 dpi is about 213 pixels.
    assert height <= 215
    assert width == pytest.approx(height * 3, abs=2)
