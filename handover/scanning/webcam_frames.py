"""Webcam frames of the codes a holder shows, degraded as a counter webcam sees them.

There is no webcam on the machines this project is built on, so the read-rate figures rest
on generated frames; this module says exactly what they are. Each frame renders one code,
supersampled then area-averaged to the camera's pixels (so module edges fall between
pixels, as with a lens), and applies, in this order: the holder's hand (rotation, tilt in
perspective, position), the medium (paper under uneven light, or a phone screen with its
backlight, pixel grid and a reflection of the ceiling light), the optics (defocus blur,
motion blur), the sensor (shot and read noise) and the camera's MJPEG compression.

The size of a code in the frame is given in camera pixels per module, the quantity a
decoder depends on. For a webcam with a 60° horizontal field of view, pixels per module
= module size (mm) × frame width (px) / (1.155 × distance (mm)); at 640×480 a 0.4 mm module
is 2.2 px at 10 cm, 1.5 px at 15 cm.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from handover.scanning.camera import code_image
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame
from handover.scanning.reference import format_reference, generate_reference

Medium = Literal["paper", "screen"]
_SUPERSAMPLE: Final = 3
_FloatImage = npt.NDArray[np.float32]

# The codes of the frame set. The tax stamp's 2D code type is not confirmed (domain notes):
# a QR code carrying the 16-digit stamp number is assumed. The 2D-Doc is the specification's
# published type-13 example (392 characters, a 64×64 DataMatrix); the ticket is a receipt
# number as the receipts print it in Code 128.
TAX_STAMP_TEXT: Final = "4107220001234567"
TWODDOC_TEXT: Final = (
    "DC04FR0000011CE91D231301FR6J26K92012020040123591236L010420206PAUTORISE A TRAVAILLER"
    "\x1d6Q750312052162SPECIMEN\x1d63BERTHIER SPECIMEN\x1d60NATACHA/CORINNE\x1d68F6912071"
    "9736ABUENOS AIRES\x1d6CAR67AR6U145 AVENUE DES SPECIMENS\x1d6W750006XPARIS\x1d6MENFAN"
    "T ENTRE PAR REGROUPEMENT FAMILIAL\x1d6N010520206O300620206YFR\x1fPJIX6XX3TPFYJTMI6IEI"
    "PDU5C5D2X4VBHZEEIC24WPW4I3XETZOGETCMU2J2DKLEGSJDDKYJXBTVBKKY5MPAKEOL2A4RZNIUFTHW44A"
)
TICKET_TEXT: Final = "R2026-0001234"
# The queue ticket printed at the door: a Code 128 of the holder's SMS reference, as the
# ticket prints it (grouped), on the same 80 mm thermal roll and bar width as receipts.
DOOR_TICKET_TEXT: Final = format_reference(str(generate_reference(random.Random(2026))))


@dataclass(frozen=True)
class Scenario:
    """One way a code is shown to the camera; ranges are drawn uniformly per frame."""

    name: str
    text: str
    symbology: str
    medium: Medium
    module_px: tuple[float, float]  # camera pixels per module
    rotation_deg: float = 15.0  # in-plane, ±
    tilt_deg: float = 20.0  # out of plane (perspective), ±, around a random axis
    defocus_px: tuple[float, float] = (0.4, 1.1)  # Gaussian sigma
    motion_px: tuple[float, float] = (0.0, 1.5)  # straight motion blur: a hand holding still
    noise: tuple[float, float] = (2.0, 6.0)  # read noise, grey levels
    jpeg_quality: tuple[int, int] = (70, 92)
    glare: tuple[float, float] = (0.0, 0.0)  # added light at the reflection's centre
    light: tuple[float, float] = (0.55, 1.0)  # darkest / brightest corner of the lighting


# The frame set of the benchmark and the tests (see the README's performance section).
COUNTER_SCENARIOS: Final[tuple[Scenario, ...]] = (
    Scenario("timbre fiscal, papier", TAX_STAMP_TEXT, QR, "paper", (2.5, 6.0)),
    Scenario(
        "timbre fiscal, écran de téléphone",
        TAX_STAMP_TEXT,
        QR,
        "screen",
        (3.0, 7.0),
        glare=(40.0, 150.0),
    ),
    Scenario("2D-Doc, papier", TWODDOC_TEXT, DATAMATRIX, "paper", (2.2, 4.0)),
    Scenario(
        "2D-Doc, écran de téléphone",
        TWODDOC_TEXT,
        DATAMATRIX,
        "screen",
        (2.4, 4.5),
        glare=(40.0, 150.0),
    ),
    Scenario(
        "ticket Code 128, papier",
        TICKET_TEXT,
        CODE128,
        "paper",
        (1.8, 3.5),
        rotation_deg=12.0,
        tilt_deg=15.0,
    ),
    Scenario(
        "ticket de la porte (référence SMS), papier",
        DOOR_TICKET_TEXT,
        CODE128,
        "paper",
        (1.8, 3.5),
        rotation_deg=12.0,
        tilt_deg=15.0,
    ),
)


def scenario_frames(
    scenario: Scenario, size: tuple[int, int], count: int, *, seed: int = 0
) -> list[Frame]:
    """``count`` BGR frames of ``size`` (width, height) drawn from ``scenario``.

    For a frame size other than 640×480 the module size scales with the frame width: the
    same scene seen by the same lens at a higher resolution.
    """
    scale = size[0] / 640.0
    scaled = replace(
        scenario,
        module_px=(scenario.module_px[0] * scale, scenario.module_px[1] * scale),
    )
    rng = np.random.default_rng(seed)
    return [_frame(scaled, size, rng) for _ in range(count)]


def _u(rng: np.random.Generator, bounds: Sequence[float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def _modules(text: str, symbology: str) -> _FloatImage:
    """The code as 0 (ink) / 1 (paper), one pixel per module, quiet zone included."""
    image = np.asarray(code_image(text, symbology), dtype=np.float32) / 255.0
    if symbology == CODE128:
        # As the receipts print it: 11 mm high for 0.33 mm modules, a fifth of its length.
        image = np.repeat(image[:1, :], round(image.shape[1] * 0.2), axis=0)
    return image


def _frame(s: Scenario, size: tuple[int, int], rng: np.random.Generator) -> Frame:
    import cv2

    width, height = size
    ss = _SUPERSAMPLE
    modules = _modules(s.text, s.symbology)
    mh, mw = modules.shape
    # At most 85 % of the frame: a code bigger than that is not in view.
    module = min(_u(rng, s.module_px), 0.85 * size[0] / mw, 0.85 * size[1] / mh) * ss
    # The code's corners in the supersampled frame: scaled, rotated, tilted, placed.
    half_w, half_h = mw * module / 2, mh * module / 2
    corners = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]])
    angle = math.radians(_u(rng, (-s.rotation_deg, s.rotation_deg)))
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    corners = corners @ rotation.T
    tilt = math.radians(_u(rng, (-s.tilt_deg, s.tilt_deg)))
    axis = _u(rng, (0.0, math.pi))
    # Perspective: points on one side of the tilt axis come closer to the lens.
    depth = (corners @ np.array([math.cos(axis), math.sin(axis)])) * math.sin(tilt)
    distance = max(half_w, half_h) * 4.0
    corners = corners * (distance / (distance - depth))[:, None]
    extent = corners.max(axis=0) - corners.min(axis=0)
    room_x = max(0.0, (width * ss - extent[0]) / 2 - ss)
    room_y = max(0.0, (height * ss - extent[1]) / 2 - ss)
    centre = np.array(
        [
            width * ss / 2 + _u(rng, (-room_x, room_x)) * 0.8,
            height * ss / 2 + _u(rng, (-room_y, room_y)) * 0.8,
        ]
    )
    corners = corners + centre
    source = np.array([[0, 0], [mw, 0], [mw, mh], [0, mh]], dtype=np.float32)
    homography = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
    big = (width * ss, height * ss)
    code = cv2.warpPerspective(modules, homography, big, flags=cv2.INTER_NEAREST, borderValue=-1.0)
    inside = code >= 0.0
    if s.medium == "paper":
        # White paper (a margin around the code) on a grey desk; ink is not quite black.
        sheet = _sheet_mask(corners, big, margin=module * 6)
        scene = np.where(sheet, 0.86, 0.35).astype(np.float32)
        scene = np.where(inside, 0.12 + code * 0.74, scene).astype(np.float32)
    else:
        # A lit screen: the phone's glass around it is dark; the screen glows.
        sheet = _sheet_mask(corners, big, margin=module * 8)
        glow = _u(rng, (0.8, 1.0))
        scene = np.where(sheet, glow, 0.08).astype(np.float32)
        scene = np.where(inside, (0.05 + code * 0.95) * glow, scene).astype(np.float32)
        scene = _pixel_grid(scene, module / ss, rng)
    scene = scene * _lighting(big, rng, s.light)
    grey = np.asarray(cv2.resize(scene, size, interpolation=cv2.INTER_AREA), np.float32) * 235.0
    if s.glare[1] > 0:
        grey = grey + _glare(size, (corners / ss), rng, s.glare)
    grey = _optics(grey, s, rng)
    grey = grey + rng.normal(0.0, 1.0, grey.shape).astype(np.float32) * (
        _u(rng, s.noise) + np.sqrt(np.clip(grey, 0, 255)) * 0.15
    )
    image = np.clip(grey, 0, 255).astype(np.uint8)
    bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    quality = int(rng.integers(s.jpeg_quality[0], s.jpeg_quality[1] + 1))
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    decoded: Frame = np.asarray(cv2.imdecode(encoded, cv2.IMREAD_COLOR), dtype=np.uint8)
    return decoded


def _sheet_mask(corners: npt.NDArray[np.float64], size: tuple[int, int], margin: float) -> Any:
    import cv2

    centre = corners.mean(axis=0)
    grown = centre + (corners - centre) * (
        1 + margin / max(1.0, float(np.linalg.norm(corners[0] - centre)))
    )
    mask = np.zeros((size[1], size[0]), dtype=np.uint8)
    cv2.fillConvexPoly(mask, grown.astype(np.int32), 1)
    return mask.astype(bool)


def _lighting(
    size: tuple[int, int], rng: np.random.Generator, light: tuple[float, float]
) -> _FloatImage:
    """A smooth light gradient across the frame (a window on one side, a shadow)."""
    width, height = size
    angle = _u(rng, (0, 2 * math.pi))
    xs = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / math.sqrt(2) * 0.5 + 0.5
    low = _u(rng, (light[0], light[1]))
    return np.asarray(low + (1.0 - low) * ramp, dtype=np.float32)


def _pixel_grid(
    scene: _FloatImage, module_camera_px: float, rng: np.random.Generator
) -> _FloatImage:
    """The screen's own pixel grid: dark lines between sub-pixels, which alias into moiré."""
    height, width = scene.shape
    pitch = _u(rng, (1.1, 1.9)) * _SUPERSAMPLE * max(0.35, module_camera_px / 6)
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    grid = 0.9 + 0.1 * np.cos(2 * math.pi * xs / pitch) * np.cos(2 * math.pi * ys / pitch)
    return np.asarray(scene * grid, dtype=np.float32)


def _glare(
    size: tuple[int, int],
    corners: npt.NDArray[np.float64],
    rng: np.random.Generator,
    strength: tuple[float, float],
) -> _FloatImage:
    """A reflection of the ceiling light on the glass: added light, somewhere on the code."""
    width, height = size
    span = float(np.linalg.norm(corners[2] - corners[0]))
    a, b = rng.uniform(0, 1, 2)
    centre = corners[0] + (corners[1] - corners[0]) * a + (corners[3] - corners[0]) * b
    radius = span * _u(rng, (0.08, 0.22))
    xs = np.arange(width, dtype=np.float32)[None, :] - centre[0]
    ys = np.arange(height, dtype=np.float32)[:, None] - centre[1]
    blob = np.exp(-(xs**2 + ys**2) / (2 * radius**2))
    return np.asarray(blob * _u(rng, strength), dtype=np.float32)


def _optics(grey: _FloatImage, s: Scenario, rng: np.random.Generator) -> _FloatImage:
    import cv2

    sigma = _u(rng, s.defocus_px)
    if sigma > 0:
        grey = np.asarray(cv2.GaussianBlur(grey, (0, 0), sigma), dtype=np.float32)
    length = _u(rng, s.motion_px)
    if length >= 1.0:
        k = math.ceil(length) * 2 + 1
        kernel = np.zeros((k, k), dtype=np.float32)
        angle = _u(rng, (0, math.pi))
        c = k // 2
        dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
        cv2.line(
            kernel,
            (round(c - dx), round(c - dy)),
            (round(c + dx), round(c + dy)),
            1.0,
            1,
            lineType=cv2.LINE_AA,
        )
        kernel /= kernel.sum()
        grey = np.asarray(cv2.filter2D(grey, -1, kernel), dtype=np.float32)
    return grey
