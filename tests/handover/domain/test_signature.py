"""Signature images are checked before they are stored: they decode, have a sane size, ink."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from handover.domain.signature import SignatureRejected, check_signature
from handover.services.demo import demo_signature_png


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scribble(size: tuple[int, int] = (300, 90), mode: str = "L") -> Image.Image:
    image = Image.new(mode, size, "white" if mode != "RGBA" else (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 60), (80, 20), (150, 70), (280, 25)], fill="black", width=3)
    return image


def header_only(width: int, height: int) -> bytes:
    """A small PNG whose header announces another size (the pixels never match it)."""
    data = bytearray(png(Image.new("L", (10, 10), "white")))
    at = data.index(b"IHDR")
    data[at + 4 : at + 12] = struct.pack(">II", width, height)
    data[at + 17 : at + 21] = struct.pack(">I", zlib.crc32(bytes(data[at : at + 17])))
    return bytes(data)


def test_real_signatures_pass() -> None:
    check_signature(demo_signature_png(3))
    check_signature(png(scribble()))
    check_signature(png(scribble(mode="RGBA")))  # black ink on a transparent background
    check_signature(png(scribble(mode="1")))


def _truncated() -> bytes:
    data = png(scribble())
    return data[: len(data) // 2]


def _bad_crc() -> bytes:
    data = bytearray(png(scribble()))
    at = data.index(b"IDAT") + 20
    data[at] ^= 0xFF
    return bytes(data)


def _blank_transparent() -> bytes:
    return png(Image.new("RGBA", (300, 90), (0, 0, 0, 0)))


def _dot() -> bytes:
    image = Image.new("L", (300, 90), "white")
    ImageDraw.Draw(image).ellipse((140, 40, 144, 44), fill="black")
    return png(image)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "La signature de l'usager manque"),
        (png(scribble().convert("RGB")).replace(b"PNG", b"JPG", 1), "manque"),
        (b"\x89PNG\r\n\x1a\n" + b"pas une image" * 10, "illisible"),
        (_truncated(), "illisible"),
        (_bad_crc(), "illisible"),
        (header_only(100_000, 40), "100000 × 40 pixels"),
        (header_only(3, 40), "3 × 40 pixels"),
        (header_only(4000, 4000), "trop grande"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 2_000_001, "trop grande"),
        (png(Image.new("L", (300, 90), "white")), "vide ou presque"),
        (_blank_transparent(), "vide ou presque"),
        (_dot(), "vide ou presque"),
    ],
    ids=[
        "empty",
        "not-png",
        "garbage",
        "truncated",
        "bad-crc",
        "too-wide",
        "too-narrow",
        "too-many-pixels",
        "too-many-bytes",
        "blank",
        "transparent",
        "dot",
    ],
)
def test_bad_signatures_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SignatureRejected) as caught:
        check_signature(data)
    assert message in caught.value.message
