"""The counter frame set: what it renders, and that the decoder reads it at 640×480.

The frames are generated (there is no webcam here) and seeded, so the read counts below are
deterministic for a given zxing-cpp and OpenCV; bench/camera_decode.py measures the same set
with more frames per scenario.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from handover.scanning.decoders import ZxingDecoder
from handover.scanning.webcam_frames import COUNTER_SCENARIOS, Scenario, scenario_frames

FRAMES = 20
BY_NAME = {s.name: s for s in COUNTER_SCENARIOS}


@pytest.fixture(scope="module")
def decoder() -> ZxingDecoder:
    return ZxingDecoder()


def _reads(
    decoder: ZxingDecoder, scenario: Scenario, size: tuple[int, int], seed: int, count: int = FRAMES
) -> int:
    frames = scenario_frames(scenario, size, count, seed=seed)
    return sum(scenario.text in [c.text for c in decoder.decode(f)] for f in frames)


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_each_code_is_read_in_at_least_95_percent_of_640x480_frames(
    name: str, decoder: ZxingDecoder
) -> None:
    assert _reads(decoder, BY_NAME[name], (640, 480), seed=7) >= FRAMES * 0.95


def test_the_extra_passes_are_what_reads_small_2d_doc_modules() -> None:
    small = replace(BY_NAME["2D-Doc, papier"], module_px=(2.2, 2.35))
    with_passes = _reads(ZxingDecoder(), small, (640, 480), seed=3, count=12)
    single_pass = _reads(ZxingDecoder(extra_passes=False), small, (640, 480), seed=3, count=12)
    assert with_passes >= single_pass + 3
    assert with_passes >= 10


def test_an_outline_found_on_the_upscaled_frame_is_in_frame_pixels() -> None:
    small = replace(BY_NAME["2D-Doc, papier"], module_px=(2.2, 2.4), rotation_deg=0, tilt_deg=0)
    single = ZxingDecoder(extra_passes=False)
    for frame in scenario_frames(small, (640, 480), 30, seed=5):
        if single.decode(frame):
            continue
        found = ZxingDecoder().decode(frame)
        if not found:
            continue
        corners = np.array(found[0].corners, dtype=float)
        # A 64-module code at 2.2–2.4 px per module: 140–155 px a side, in the frame.
        sides = np.linalg.norm(corners - np.roll(corners, 1, axis=0), axis=1)
        assert sides == pytest.approx([148.0] * 4, rel=0.1)
        gray = frame[:, :, 0].astype(float)
        x0, y0 = corners.min(axis=0).astype(int)
        x1, y1 = corners.max(axis=0).astype(int)
        inside = gray[y0:y1, x0:x1]
        assert inside.std() > 2 * gray[:40, :40].std()  # the modules are where it says
        return
    pytest.fail("no frame needed the upscaled pass")


def test_frames_have_the_asked_size_and_differ() -> None:
    scenario = BY_NAME["timbre fiscal, écran de téléphone"]
    first, second = scenario_frames(scenario, (1280, 720), 2, seed=1)
    assert first.shape == (720, 1280, 3)
    assert first.dtype == np.uint8
    assert not np.array_equal(first, second)
    again = scenario_frames(scenario, (1280, 720), 1, seed=1)[0]
    assert np.array_equal(first, again)  # seeded: the same set every run
