"""Both decoding back ends on webcam-like frames."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from handover.errors import HandoverError
from handover.scanning.decoders import (
    CODE128,
    DATAMATRIX,
    QR,
    PyzbarDecoder,
    ZxingDecoder,
    make_decoder,
)
from handover.scanning.input import GS, US
from tests.handover.scanning.frames import CODES, code_frame, empty_frame

SIZES = [(1280, 720), (640, 480)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("symbology", [QR, CODE128, DATAMATRIX])
def test_zxing_reads_each_code_in_a_noisy_tilted_frame(
    symbology: str, size: tuple[int, int]
) -> None:
    found = make_decoder("zxing").decode(code_frame(symbology, size))
    assert [(c.text, c.symbology) for c in found] == [(CODES[symbology], symbology)]


@pytest.mark.parametrize(
    ("symbology", "size"),
    [
        (QR, (1280, 720)),
        (QR, (640, 480)),
        # At 640x480 the bars are 2 px wide and zbar loses most of them in the noise:
        # see bench/camera_decode.py.
        (CODE128, (1280, 720)),
    ],
)
def test_pyzbar_reads_qr_and_code128_in_a_noisy_tilted_frame(
    symbology: str, size: tuple[int, int]
) -> None:
    found = make_decoder("pyzbar").decode(code_frame(symbology, size))
    assert [(c.text, c.symbology) for c in found] == [(CODES[symbology], symbology)]


def test_zxing_keeps_the_2d_doc_separators() -> None:
    (code,) = ZxingDecoder().decode(code_frame(DATAMATRIX))
    assert GS in code.text
    assert US in code.text
    assert "<GS>" not in code.text


def test_pyzbar_cannot_read_datamatrix_and_says_so() -> None:
    assert PyzbarDecoder().decode(code_frame(DATAMATRIX)) == []
    with pytest.raises(HandoverError, match="DataMatrix"):
        PyzbarDecoder(symbologies=(QR, DATAMATRIX))


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_a_frame_without_code_gives_nothing(name: str) -> None:
    assert make_decoder(name).decode(empty_frame()) == []


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_grayscale_frames_are_read_too(name: str) -> None:
    gray = cv2.cvtColor(code_frame(QR), cv2.COLOR_BGR2GRAY)
    assert [c.text for c in make_decoder(name).decode(gray)] == [CODES[QR]]


@pytest.mark.parametrize("name", ["zxing", "pyzbar"])
def test_the_outline_surrounds_the_code_where_it_is(name: str) -> None:
    frame = code_frame(QR, center=(0.3, 0.6))
    (code,) = make_decoder(name).decode(frame)
    # The code's own extent, measured on the frame: its dark modules.
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    dark = np.argwhere(cv2.GaussianBlur(gray, (0, 0), 2) < 110)[:, ::-1].astype(np.float32)
    (cx, cy), (w, h), _ = cv2.minAreaRect(dark)
    corners = np.array(code.corners, dtype=float)
    assert corners.mean(axis=0) == pytest.approx((cx, cy), abs=6)
    sides = np.linalg.norm(corners - np.roll(corners, 1, axis=0), axis=1)
    assert sides == pytest.approx([(w + h) / 2] * 4, rel=0.06)


def test_zxing_corners_follow_the_code_rotation() -> None:
    (code,) = ZxingDecoder().decode(code_frame(DATAMATRIX))
    (x0, y0), (x1, y1) = code.corners[0], code.corners[1]
    # Rotated 6 degrees counter-clockwise: the top edge rises to the right.
    assert np.degrees(np.arctan2(y0 - y1, x1 - x0)) == pytest.approx(6.0, abs=1.5)


def test_an_unknown_decoder_name_is_refused_in_french() -> None:
    with pytest.raises(HandoverError, match="Lecteur de codes inconnu : « zbar2 »"):
        make_decoder("zbar2")
