"""Read rate and time per frame of the camera back ends, at 640×480 and 1280×720.

The frames are the counter frame set of ``handover/scanning/webcam_frames.py`` (tax stamp,
2D-Doc and Code 128 ticket, on paper and on a phone screen; generated, see that module),
plus frames of a desk with no code (the idle cost while the camera is on). Back ends:
``zxing`` as the counter uses it (extra passes on small frames), ``zxing, one pass`` (the
same library without them: what the extra passes bring), ``pyzbar`` (no DataMatrix), and
OpenCV's ``cv2.QRCodeDetector`` as the peer baseline on the QR frames.
Run: ``python -m bench.camera_decode [--frames N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import cv2

from handover.scanning.camera import blank_frame
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame, PyzbarDecoder, ZxingDecoder
from handover.scanning.webcam_frames import COUNTER_SCENARIOS, Scenario, scenario_frames

SIZES = ((640, 480), (1280, 720))
NONE = "none"  # a desk with no code in view

Reader = Callable[[Frame], list[str]]


@dataclass(frozen=True)
class Row:
    back_end: str
    size: str
    symbology: str  # the scenario's name (kept as "symbology" for bench.run)
    frames: int
    median_ms: float
    p99_ms: float
    read_share: float


def opencv_qr_reader() -> Reader:
    detector = cv2.QRCodeDetector()

    def read(frame: Frame) -> list[str]:
        text, _points, _ = detector.detectAndDecode(frame)
        return [text] if text else []

    return read


def back_ends() -> dict[str, tuple[Reader, tuple[str, ...]]]:
    zxing, one_pass = ZxingDecoder(), ZxingDecoder(extra_passes=False)
    pyzbar = PyzbarDecoder()
    return {
        "zxing": (lambda f: [c.text for c in zxing.decode(f)], (QR, CODE128, DATAMATRIX)),
        "zxing, one pass": (
            lambda f: [c.text for c in one_pass.decode(f)],
            (QR, CODE128, DATAMATRIX),
        ),
        "pyzbar": (lambda f: [c.text for c in pyzbar.decode(f)], (QR, CODE128)),
        "opencv-qr (baseline)": (opencv_qr_reader(), (QR,)),
    }


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(reader: Reader, frames: list[Frame], expected: str) -> tuple[list[float], int]:
    reader(frames[0])  # warm-up: first-call allocations
    times, read = [], 0
    for frame in frames:
        start = time.perf_counter()
        texts = reader(frame)
        times.append((time.perf_counter() - start) * 1000.0)
        read += expected in texts if expected else bool(texts)
    return times, read


def _frames(scenario: Scenario | None, size: tuple[int, int], count: int, seed: int) -> list[Frame]:
    if scenario is None:
        return [blank_frame(size, noise=6.0, seed=seed + i) for i in range(count)]
    return scenario_frames(scenario, size, count, seed=seed)


def run(count: int) -> list[Row]:
    readers = back_ends()
    rows = []
    for size in SIZES:
        for index, scenario in enumerate((*COUNTER_SCENARIOS, None)):
            frames = _frames(scenario, size, count, seed=1000 + index)
            for name, (reader, supported) in readers.items():
                if scenario is not None and scenario.symbology not in supported:
                    continue
                times, read = measure(reader, frames, scenario.text if scenario else "")
                rows.append(
                    Row(
                        back_end=name,
                        size=f"{size[0]}x{size[1]}",
                        symbology=scenario.name if scenario else NONE,
                        frames=len(frames),
                        median_ms=round(statistics.median(times), 2),
                        p99_ms=round(p99(times), 2),
                        read_share=round(read / len(frames), 3),
                    )
                )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100, help="frames per code and size")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    rows = run(args.frames)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=2))
        return
    print(
        f"{'back end':<22}{'size':<11}{'code':<36}{'frames':>7}{'median ms':>11}"
        f"{'p99 ms':>9}{'read':>7}"
    )
    for row in rows:
        print(
            f"{row.back_end:<22}{row.size:<11}{row.symbology:<36}{row.frames:>7}"
            f"{row.median_ms:>11.2f}{row.p99_ms:>9.2f}{row.read_share:>7.0%}"
        )
    print("read: share of frames where the expected text was read; for 'none', anything.")
    print("pyzbar cannot read DataMatrix; OpenCV's detector is QR only. Frames: generated,")
    print("see handover/scanning/webcam_frames.py (module sizes, blur, glare, MJPEG).")


if __name__ == "__main__":
    main()
