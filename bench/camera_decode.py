"""Per-frame decode time and read rate of the camera back ends on webcam-like frames.

Every back end gets the same generated frames (noise, blur, tilt, code anywhere in the
frame) at 1280x720 and 640x480; OpenCV's own ``cv2.QRCodeDetector`` is the peer baseline
on the QR frames. Run: ``python -m bench.camera_decode [--frames N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import cv2
import numpy as np

from handover.scanning.camera import blank_frame, render_code_frame
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame, make_decoder

SIZES = ((1280, 720), (640, 480))
TEXTS = {
    QR: "K3P97QXAM",
    CODE128: "0013748911",
    DATAMATRIX: (
        "DC04FR0000011CE91CE9130AFR6K1234567890123456789\x1d6Q0013748911\x1d\x1fSIGNATUREBASE32"
    ),
}

# Most frames show no code at all: what a back end costs on those is the idle load.
NONE = "none"

Reader = Callable[[Frame], list[str]]


@dataclass(frozen=True)
class Row:
    back_end: str
    size: str
    symbology: str
    frames: int
    median_ms: float
    p99_ms: float
    read_share: float


def make_frames(size: tuple[int, int], symbology: str, count: int) -> list[Frame]:
    """``count`` frames of one code, each with its own noise, blur, tilt and place."""
    if symbology == NONE:
        return [blank_frame(size, noise=8.0, seed=seed) for seed in range(count)]
    rng = np.random.default_rng(1234 + size[0] + len(symbology))
    frames = []
    for seed in range(count):
        fraction = float(rng.uniform(0.3, 0.45))
        frames.append(
            render_code_frame(
                TEXTS[symbology],
                symbology,
                size,
                noise=float(rng.uniform(4.0, 10.0)),
                blur=float(rng.uniform(0.6, 1.6)),
                rotation_deg=float(rng.uniform(-10.0, 10.0)),
                code_fraction=fraction,
                center=(float(rng.uniform(0.35, 0.65)), float(rng.uniform(0.4, 0.6))),
                seed=seed,
            )
        )
    return frames


def opencv_qr_reader() -> Reader:
    detector = cv2.QRCodeDetector()

    def read(frame: Frame) -> list[str]:
        text, _points, _ = detector.detectAndDecode(frame)
        return [text] if text else []

    return read


def decoder_reader(name: str) -> Reader:
    decoder = make_decoder(name)
    return lambda frame: [code.text for code in decoder.decode(frame)]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(
    name: str, reader: Reader, frames: list[Frame], expected: str
) -> tuple[list[float], int]:
    reader(frames[0])  # warm-up: first-call allocations
    times, read = [], 0
    for frame in frames:
        start = time.perf_counter()
        texts = reader(frame)
        times.append((time.perf_counter() - start) * 1000.0)
        read += expected in texts if expected else bool(texts)
    return times, read


def run(count: int) -> list[Row]:
    back_ends: dict[str, tuple[Reader, tuple[str, ...]]] = {
        "zxing": (decoder_reader("zxing"), (QR, CODE128, DATAMATRIX)),
        "pyzbar": (decoder_reader("pyzbar"), (QR, CODE128)),
        "opencv-qr (baseline)": (opencv_qr_reader(), (QR,)),
    }
    rows = []
    for size in SIZES:
        for symbology in (QR, CODE128, DATAMATRIX, NONE):
            frames = make_frames(size, symbology, count)
            for name, (reader, supported) in back_ends.items():
                if symbology not in supported and symbology != NONE:
                    continue
                times, read = measure(name, reader, frames, TEXTS.get(symbology, ""))
                rows.append(
                    Row(
                        back_end=name,
                        size=f"{size[0]}x{size[1]}",
                        symbology=symbology,
                        frames=len(frames),
                        median_ms=round(statistics.median(times), 2),
                        p99_ms=round(p99(times), 2),
                        read_share=round(read / len(frames), 3),
                    )
                )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=50, help="frames per code and size")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = run(args.frames)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=2))
        return
    print(
        f"{'back end':<22}{'size':<11}{'code':<12}{'frames':>7}{'median ms':>11}"
        f"{'p99 ms':>9}{'read':>8}"
    )
    for row in rows:
        print(
            f"{row.back_end:<22}{row.size:<11}{row.symbology:<12}{row.frames:>7}"
            f"{row.median_ms:>11.2f}{row.p99_ms:>9.2f}{row.read_share:>8.0%}"
        )
    print("read: share of frames where the expected text was read; for 'none', anything.")
    print(
        "pyzbar cannot read DataMatrix (zbar has no reader for it); OpenCV's detector is QR only."
    )


if __name__ == "__main__":
    main()
