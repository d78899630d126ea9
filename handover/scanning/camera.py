"""Webcam access behind a small interface, a fake for tests, and frames with codes in them.

OpenCV is imported when a camera is opened or a frame is rendered, not at import time.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final, Literal, Protocol

import numpy as np

from handover.errors import HandoverError
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame

CameraProblem = Literal["absent", "busy", "unknown"]

_MESSAGES: Final[dict[CameraProblem, str]] = {
    "absent": (
        "Aucune caméra détectée. Branchez la webcam puis relancez la lecture, "
        "ou saisissez le code au clavier."
    ),
    "busy": (
        "La caméra est occupée par une autre application (visioconférence, autre "
        "logiciel de scan). Fermez cette application puis relancez la lecture."
    ),
    "unknown": (
        "La caméra ne répond pas : elle est absente ou occupée par une autre application. "
        "Vérifiez qu'elle est branchée et qu'aucun autre logiciel ne l'utilise, puis "
        "relancez la lecture."
    ),
}


class CameraUnavailable(HandoverError):
    """The camera cannot be opened or stopped giving frames."""

    def __init__(self, problem: CameraProblem) -> None:
        super().__init__(_MESSAGES[problem])
        self.problem = problem


class Camera(Protocol):
    """A source of frames: BGR ``uint8`` arrays as OpenCV gives them."""

    def open(self) -> None: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


def _linux_device_exists(index: int) -> bool | None:
    """Whether the V4L2 device node exists; None where the platform cannot tell."""
    if not sys.platform.startswith("linux"):
        return None
    return Path(f"/dev/video{index}").exists()


class OpenCvCamera:
    """A webcam through ``cv2.VideoCapture``.

    OpenCV only says "not opened", whatever the cause. On Linux the device node tells
    an absent camera from a busy one; elsewhere the message names both causes.
    """

    def __init__(
        self,
        index: int = 0,
        width: int = 1280,
        height: int = 720,
        *,
        capture_factory: Callable[[int], Any] | None = None,
        device_exists: Callable[[int], bool | None] = _linux_device_exists,
    ) -> None:
        self.index = index
        self.width = width
        self.height = height
        self._capture_factory = capture_factory
        self._device_exists = device_exists
        self._capture: Any = None

    def _problem(self) -> CameraProblem:
        exists = self._device_exists(self.index)
        if exists is None:
            return "unknown"
        return "busy" if exists else "absent"

    def open(self) -> None:
        """Open the device; raise :class:`CameraUnavailable` when it gives no frame."""
        if self._device_exists(self.index) is False:
            # Skip OpenCV altogether: it would only log its own English warning.
            raise CameraUnavailable("absent")
        factory = self._capture_factory
        if factory is None:
            import cv2

            factory = cv2.VideoCapture
            capture = factory(self.index)
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            # Keep one frame in the driver's queue: while a frame is decoded the newer ones
            # replace each other instead of queueing, so the next read is the latest view.
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        else:
            capture = factory(self.index)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(self._problem())
        # V4L2 opens a device that another program holds and fails on the first grab.
        ok, _ = capture.read()
        if not ok:
            capture.release()
            raise CameraUnavailable(self._problem())
        self._capture = capture

    def read(self) -> Frame | None:
        """The next frame, or None when the camera gave none (unplugged meanwhile)."""
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok:
            return None
        result: Frame = frame
        return result

    def close(self) -> None:
        """Release the device so that another program can use it."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FakeCamera:
    """Plays given frames once, then reads None, like a camera that was unplugged.

    ``unavailable`` makes ``open()`` fail the way a real camera would.
    """

    def __init__(
        self, frames: Iterable[Frame], *, unavailable: CameraProblem | None = None
    ) -> None:
        self._frames = list(frames)
        self._unavailable = unavailable
        self._position = 0
        self.is_open = False
        self.frames_read = 0

    def open(self) -> None:
        """Start from the first frame."""
        if self._unavailable is not None:
            raise CameraUnavailable(self._unavailable)
        self._position = 0
        self.is_open = True

    def read(self) -> Frame | None:
        """The next frame, or None once every frame was played."""
        if not self.is_open or self._position >= len(self._frames):
            return None
        frame = self._frames[self._position]
        self._position += 1
        self.frames_read += 1
        return frame

    def close(self) -> None:
        """Stop playing."""
        self.is_open = False


def prepare_decoding_thread() -> None:
    """Make the calling thread, which decodes camera frames, yield to the counter's work.

    Decoding a frame takes tens of milliseconds of processor; a scan typed meanwhile must
    not wait behind it. OpenCV is told to use one thread (it is only used for the camera),
    and on Linux the thread's own nice value is raised (on Windows and macOS the Qt thread
    is started with a low priority instead). Measured by ``bench/camera_load.py``.
    """
    import cv2

    cv2.setNumThreads(1)
    if sys.platform.startswith("linux"):
        # Not allowed (a container, a policy): the decode still works, at normal priority.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class DuplicateSuppressor:
    """Lets a code through once while it stays in front of the camera.

    A code counts as gone once it has not been seen for ``hold_seconds``; missing it in
    a frame or two (blur, a hand) does not read it again.
    """

    def __init__(
        self, hold_seconds: float = 2.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.hold_seconds = hold_seconds
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def admit(self, texts: Iterable[str]) -> list[str]:
        """The texts of one frame that were not in front of the camera just before."""
        now = self._clock()
        fresh: list[str] = []
        for text in texts:
            last = self._last_seen.get(text)
            if (last is None or now - last > self.hold_seconds) and text not in fresh:
                fresh.append(text)
            self._last_seen[text] = now
        self._last_seen = {
            t: seen for t, seen in self._last_seen.items() if now - seen <= self.hold_seconds
        }
        return fresh

    def reset(self) -> None:
        """Forget every code, so that the next sight of any code reads it again."""
        self._last_seen.clear()


_BACKGROUND: Final = 200


def code_image(text: str, symbology: str) -> Frame:
    """The code as black on white modules, one pixel per module, with its quiet zone."""
    import zxingcpp

    formats = {
        QR: zxingcpp.BarcodeFormat.QRCode,
        CODE128: zxingcpp.BarcodeFormat.Code128,
        DATAMATRIX: zxingcpp.BarcodeFormat.DataMatrix,
    }
    if symbology not in formats:
        raise HandoverError(f"Type de code inconnu : {symbology}.")
    barcode = zxingcpp.create_barcode(text, formats[symbology])
    image: Frame = np.array(zxingcpp.write_barcode_to_image(barcode, scale=1), dtype=np.uint8)
    if symbology == CODE128:
        # zxing draws one row for a linear code; give it the height of a printed one.
        image = np.repeat(image[:1, :], max(12, image.shape[1] // 6), axis=0)
    return image


def render_code_frame(
    text: str,
    symbology: str,
    size: tuple[int, int] = (1280, 720),
    *,
    noise: float = 6.0,
    blur: float = 0.8,
    rotation_deg: float = 3.0,
    code_fraction: float = 0.4,
    center: tuple[float, float] = (0.5, 0.5),
    seed: int = 0,
) -> Frame:
    """A BGR frame of ``size`` (width, height) showing one code as a webcam would.

    ``code_fraction`` is the code's width over the frame's width (its height for 2D
    codes in a landscape frame); ``noise`` the standard deviation of Gaussian sensor
    noise in grey levels; ``blur`` the sigma of the Gaussian blur in pixels.
    """
    import cv2

    width, height = size
    modules = code_image(text, symbology)
    if symbology == CODE128:
        target_w = int(width * code_fraction)
        scale = max(1, target_w // modules.shape[1])
    else:
        target = int(min(width, height) * code_fraction)
        scale = max(1, target // max(modules.shape))
    code = cv2.resize(
        modules,
        (modules.shape[1] * scale, modules.shape[0] * scale),
        interpolation=cv2.INTER_NEAREST,
    )
    # Grey paper and grey ink, as a camera sees them.
    code = (40 + code.astype(np.float32) * (_BACKGROUND - 40 + 30) / 255.0).clip(0, 255)
    frame = np.full((height, width), _BACKGROUND, dtype=np.float32)
    cx, cy = int(width * center[0]), int(height * center[1])
    h, w = code.shape
    top, left = cy - h // 2, cx - w // 2
    if top < 0 or left < 0 or top + h > height or left + w > width:
        raise ValueError("the code does not fit in the frame")
    frame[top : top + h, left : left + w] = code
    if rotation_deg:
        matrix = cv2.getRotationMatrix2D((float(cx), float(cy)), rotation_deg, 1.0)
        rotated = cv2.warpAffine(
            frame,
            matrix,
            (width, height),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=float(_BACKGROUND),
        )
        frame = np.asarray(rotated, dtype=np.float32)
    if blur > 0:
        frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), blur), dtype=np.float32)
    if noise > 0:
        rng = np.random.default_rng(seed)
        frame = frame + rng.normal(0.0, noise, frame.shape).astype(np.float32)
    gray = frame.clip(0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


def blank_frame(size: tuple[int, int] = (1280, 720), *, noise: float = 6.0, seed: int = 0) -> Frame:
    """A BGR frame with nothing but noisy background: a camera looking at the desk."""
    width, height = size
    rng = np.random.default_rng(seed)
    gray = (_BACKGROUND + rng.normal(0.0, noise, (height, width))).clip(0, 255).astype(np.uint8)
    return np.repeat(gray[:, :, None], 3, axis=2)
