"""Find and read 2D and 1D codes in camera frames (numpy arrays as OpenCV gives them).

The heavy libraries (zxing-cpp, pyzbar, OpenCV) are imported when a decoder is built, so
importing this module costs nothing to a process that never opens a camera.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from handover.errors import HandoverError

Frame = npt.NDArray[np.uint8]
Point = tuple[int, int]
Corners = tuple[Point, Point, Point, Point]

QR: Final = "qr"
CODE128: Final = "code128"
DATAMATRIX: Final = "datamatrix"
SYMBOLOGIES: Final = (QR, CODE128, DATAMATRIX)


@dataclass(frozen=True)
class DecodedCode:
    """One code found in a frame: its text, its kind, its outline in frame pixels.

    ``corners`` run top-left, top-right, bottom-right, bottom-left as the code is printed,
    whatever its rotation in the frame. Control characters (GS, RS, US) are kept.
    """

    text: str
    symbology: str
    corners: Corners


class Decoder(Protocol):
    """Something that finds codes in one BGR or grayscale frame."""

    name: str
    symbologies: tuple[str, ...]

    def decode(self, frame: Frame) -> list[DecodedCode]: ...


def _gray(frame: Frame) -> Frame:
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 1:
        return frame[:, :, 0]
    import cv2

    code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return np.asarray(cv2.cvtColor(frame, code), dtype=np.uint8)


def _text_from_bytes(data: bytes) -> str:
    # zbar already transcodes QR text to UTF-8; Latin-1 keeps any other byte readable
    # one-to-one instead of failing on the binary 2D-Doc form.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class ZxingDecoder:
    """zxing-cpp: QR, Code 128 and DataMatrix, the only back end that reads 2D-Doc.

    A small frame (a 640×480 webcam) where the first pass reads nothing gets two more: 2D
    codes on the frame's most textured area upscaled 2× and sharpened (modules of 2–3 pixels
    are then located and sampled reliably), then Code 128 on the frame turned so that its
    bars stand upright and smoothed along them (rows averaged against noise and MJPEG
    artefacts). ``bench/camera_decode.py`` measures what each pass brings; a larger frame
    needs none of them.
    """

    name = "zxing"
    symbologies: tuple[str, ...] = SYMBOLOGIES
    #: Frames at most this wide get the extra passes.
    SMALL_FRAME_WIDTH: Final = 800

    def __init__(
        self, symbologies: Sequence[str] = SYMBOLOGIES, *, extra_passes: bool = True
    ) -> None:
        import cv2
        import zxingcpp

        self._zxing: Any = zxingcpp
        self._cv2: Any = cv2
        self.extra_passes = extra_passes
        by_name = {
            QR: zxingcpp.BarcodeFormat.QRCode,
            CODE128: zxingcpp.BarcodeFormat.Code128,
            DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
        }
        unknown = [s for s in symbologies if s not in by_name]
        if unknown:
            raise HandoverError(f"Type de code inconnu : {', '.join(unknown)}.")
        self.symbologies = tuple(symbologies)
        self._formats = tuple(by_name[s] for s in symbologies)
        self._two_d = tuple(by_name[s] for s in symbologies if s != CODE128)
        self._linear = tuple(by_name[s] for s in symbologies if s == CODE128)
        self._names = {fmt: name for name, fmt in by_name.items()}

    def decode(self, frame: Frame) -> list[DecodedCode]:
        """Every code of the configured kinds found in ``frame``."""
        found = self._read(frame, self._formats)
        if found or not self.extra_passes or frame.shape[1] > self.SMALL_FRAME_WIDTH:
            return found
        cv2 = self._cv2
        gray = _gray(frame)
        region = _busy_region(cv2, gray) if self._two_d else None
        if region is not None:
            left, top, right, bottom = region
            upscaled = cv2.resize(
                gray[top:bottom, left:right], None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC
            )
            # Unsharp mask: restores the module edges that lens blur and MJPEG soften.
            soft = cv2.GaussianBlur(upscaled, (0, 0), 2.0)
            upscaled = cv2.addWeighted(upscaled, 1.8, soft, -0.8, 0)
            # The first pass already looked at the original scale: no downscaled tries.
            found = self._read(upscaled, self._two_d, try_downscale=False)
            if found:
                back = np.array([[0.5, 0.0, float(left)], [0.0, 0.5, float(top)]])
                return [_moved(code, back) for code in found]
        if self._linear:
            upright, back = _bars_upright(cv2, gray)
            found = self._read(cv2.blur(upright, (1, 9)), self._linear)
            return [_moved(code, back) for code in found]
        return []

    def _read(self, image: Frame, formats: tuple[Any, ...], **options: Any) -> list[DecodedCode]:
        barcodes = self._zxing.read_barcodes(
            image,
            formats=formats,
            # Plain keeps GS/RS/US as the control characters themselves; the default
            # human-readable mode would turn them into "<GS>".
            text_mode=self._zxing.TextMode.Plain,
            **options,
        )
        found = []
        for barcode in barcodes:
            pos = barcode.position
            corners = tuple(
                (int(p.x), int(p.y))
                for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            )
            found.append(
                DecodedCode(
                    text=barcode.text,
                    symbology=self._names.get(barcode.format, str(barcode.format)),
                    corners=corners,  # type: ignore[arg-type]
                )
            )
        return found


def _busy_region(cv2: Any, gray: Frame) -> tuple[int, int, int, int] | None:
    """The frame's most textured area (left, top, right, bottom), with a margin, or None.

    Measured on a quarter-size copy: edge energy, smoothed, above a third of its maximum;
    the largest such area is where a code held up to the camera is. Upscaling that area
    instead of the whole frame costs a few milliseconds, and nothing on an empty desk.
    """
    height, width = gray.shape[:2]
    small = cv2.resize(gray, (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    energy = cv2.blur(
        np.abs(cv2.Sobel(small, cv2.CV_32F, 1, 0)) + np.abs(cv2.Sobel(small, cv2.CV_32F, 0, 1)),
        (9, 9),
    )
    threshold = max(float(energy.max()) * 0.35, _MIN_EDGE_ENERGY)
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(
        (energy > threshold).astype(np.uint8)
    )
    if count <= 1:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) * 4 for v in stats[largest, :4])
    margin = max(w, h) // 4 + 8
    return (
        max(0, x - margin),
        max(0, y - margin),
        min(width, x + w + margin),
        min(height, y + h + margin),
    )


# Below this smoothed edge energy (Sobel, quarter size) a frame holds no code worth a retry.
_MIN_EDGE_ENERGY: Final = 20.0


def _bars_upright(cv2: Any, gray: Frame) -> tuple[Frame, npt.NDArray[np.float64]]:
    """``gray`` turned so that the dominant edges are vertical, and the map back.

    The dominant gradient direction (structure tensor over the frame) is across the bars
    of a linear code when one fills a good part of the frame; elsewhere it is harmless.
    """
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    jxx, jyy, jxy = float((gx * gx).sum()), float((gy * gy).sum()), float((gx * gy).sum())
    angle = 0.5 * np.degrees(np.arctan2(2.0 * jxy, jxx - jyy))
    height, width = gray.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), float(angle), 1.0)
    upright = cv2.warpAffine(
        gray, turn, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(upright, dtype=np.uint8), np.asarray(cv2.invertAffineTransform(turn))


def _moved(code: DecodedCode, affine: npt.NDArray[np.float64]) -> DecodedCode:
    """``code`` with its corners mapped by a 2×3 affine matrix (back to frame pixels)."""
    points = np.array([[x, y, 1.0] for x, y in code.corners]) @ affine.T
    corners = tuple((round(float(x)), round(float(y))) for x, y in points)
    return DecodedCode(code.text, code.symbology, corners)  # type: ignore[arg-type]


class PyzbarDecoder:
    """zbar through pyzbar: QR and Code 128 only.

    zbar has no DataMatrix reader at all, so it cannot read a 2D-Doc; asking for one is
    an error rather than a silent blind spot. ``denoise_sigma`` smooths the frame before
    zbar sees it (0 turns it off).
    """

    name = "pyzbar"
    symbologies: tuple[str, ...] = (QR, CODE128)

    def __init__(
        self, symbologies: Sequence[str] = (QR, CODE128), *, denoise_sigma: float = 1.0
    ) -> None:
        import cv2
        from pyzbar import pyzbar

        if DATAMATRIX in symbologies:
            raise HandoverError(
                "Le lecteur « pyzbar » ne sait pas lire les codes DataMatrix (2D-Doc) : "
                "choisissez le lecteur « zxing »."
            )
        by_name = {QR: pyzbar.ZBarSymbol.QRCODE, CODE128: pyzbar.ZBarSymbol.CODE128}
        unknown = [s for s in symbologies if s not in by_name]
        if unknown:
            raise HandoverError(f"Type de code inconnu : {', '.join(unknown)}.")
        self._pyzbar: Any = pyzbar
        self._cv2: Any = cv2
        self.denoise_sigma = denoise_sigma
        self.symbologies = tuple(symbologies)
        self._symbols = [by_name[s] for s in symbologies]
        self._names = {"QRCODE": QR, "CODE128": CODE128}

    def decode(self, frame: Frame) -> list[DecodedCode]:
        """Every code of the configured kinds found in ``frame``."""
        gray = _gray(frame)
        if self.denoise_sigma > 0:
            # zbar reads a linear code edge by edge along single scan lines, so per-pixel
            # sensor noise makes false edges; a light blur averages it away.
            gray = self._cv2.GaussianBlur(gray, (0, 0), self.denoise_sigma)
        gray = np.ascontiguousarray(gray)
        found = []
        for symbol in self._pyzbar.decode(gray, symbols=self._symbols):
            found.append(
                DecodedCode(
                    text=_text_from_bytes(symbol.data),
                    symbology=self._names.get(symbol.type, symbol.type.lower()),
                    corners=_pyzbar_corners(symbol),
                )
            )
        return found


def _pyzbar_corners(symbol: Any) -> Corners:
    polygon = [(int(p.x), int(p.y)) for p in symbol.polygon]
    if len(polygon) == 4:
        # zbar lists the outline counter-clockwise from the top-left corner.
        tl, bl, br, tr = polygon
        return (tl, tr, br, bl)
    # A linear code's outline is one point per scan line that crossed it: keep the box.
    left, top, width, height = symbol.rect
    return ((left, top), (left + width, top), (left + width, top + height), (left, top + height))


DECODERS: Final = ("zxing", "pyzbar")


def make_decoder(name: str) -> Decoder:
    """The decoder called ``name`` in the configuration: ``"zxing"`` or ``"pyzbar"``."""
    if name == "zxing":
        return ZxingDecoder()
    if name == "pyzbar":
        return PyzbarDecoder()
    raise HandoverError(
        f"Lecteur de codes inconnu : « {name} ». "
        f"Indiquez l'un de ceux-ci dans la configuration : {', '.join(DECODERS)}."
    )
