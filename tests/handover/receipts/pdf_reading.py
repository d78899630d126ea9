"""Read receipts back as a person or a scanner would: text, pictures, barcodes."""

from __future__ import annotations

import io

import numpy as np
import pypdf
import pypdfium2
import zxingcpp
from PIL import Image

POINTS_PER_MM = 72 / 25.4


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [
        (float(page.mediabox.width) / POINTS_PER_MM, float(page.mediabox.height) / POINTS_PER_MM)
        for page in reader.pages
    ]


def image_sizes(pdf: bytes, page: int = 0) -> list[tuple[int, int]]:
    """Pixel sizes of the image XObjects drawn on one page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    sizes = []
    for found in reader.pages[page].images:
        assert found.image is not None
        sizes.append(found.image.size)
    return sizes


def render(pdf: bytes, dpi: int, page: int = 0) -> Image.Image:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image: Image.Image = document[page].render(scale=dpi / 72).to_pil().convert("L")
        return image
    finally:
        document.close()


def barcodes(pdf: bytes, dpi: int = 300, page: int = 0) -> list[tuple[str, str]]:
    found = zxingcpp.read_barcodes(render(pdf, dpi, page))
    return [(result.format.name, result.text) for result in found]


def ink_box_mm(
    image: Image.Image, dpi: int, threshold: int = 250
) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of everything not white, in mm from the top-left corner."""
    pixels = np.asarray(image)
    rows = np.where((pixels < threshold).any(axis=1))[0]
    columns = np.where((pixels < threshold).any(axis=0))[0]
    to_mm = 25.4 / dpi
    return (
        columns[0] * to_mm,
        rows[0] * to_mm,
        (columns[-1] + 1) * to_mm,
        (rows[-1] + 1) * to_mm,
    )
