"""Webcam-like frames with one code each, built once per test session."""

from __future__ import annotations

from functools import cache

from handover.scanning.camera import blank_frame, render_code_frame
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame
from handover.scanning.input import GS, US

# A 2D-Doc as a wedge scanner or a camera reads it: header, fields ended by GS, US
# before the signature.
TWO_D_DOC = (
    f"DC04FR0000011CE91CE9130AFR6K1234567890123456789{GS}6Q0013748911{GS}{US}SIGNATUREBASE32"
)

CODES: dict[str, str] = {
    QR: "K3P97QXAM",
    CODE128: "0013748911",
    DATAMATRIX: TWO_D_DOC,
}

# A slightly tilted code, as held in front of the webcam.
ROTATIONS: dict[str, float] = {QR: 4.0, CODE128: -3.0, DATAMATRIX: 6.0}


@cache
def code_frame(
    symbology: str,
    size: tuple[int, int] = (1280, 720),
    center: tuple[float, float] = (0.5, 0.5),
    seed: int = 1,
) -> Frame:
    """The code of ``symbology`` from CODES in a noisy, blurred, rotated frame."""
    frame = render_code_frame(
        CODES[symbology],
        symbology,
        size,
        noise=8.0,
        blur=1.2,
        rotation_deg=ROTATIONS[symbology],
        center=center,
        seed=seed,
    )
    frame.flags.writeable = False  # shared between tests
    return frame


@cache
def empty_frame(size: tuple[int, int] = (1280, 720)) -> Frame:
    """Noise and nothing else."""
    frame = blank_frame(size, noise=8.0, seed=3)
    frame.flags.writeable = False
    return frame
