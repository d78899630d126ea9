"""Scan codes to US characters, and bursts told from typing, without Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from handover.scanning.input import (
    GS,
    BurstTracker,
    KeyStroke,
    ScanInput,
    WedgeSettings,
    default_scancode_offset,
    us_character,
)


@pytest.mark.parametrize(("platform", "offset"), [("linux", 8), ("win32", 0), ("darwin", None)])
def test_the_scan_code_offset_depends_on_the_platform(platform: str, offset: int | None) -> None:
    assert default_scancode_offset(platform) == offset


@pytest.mark.parametrize(
    ("native", "shift", "offset", "expected"),
    [
        (0x02 + 8, False, 8, "1"),  # X11 key code of the "1" key
        (0x02, False, 0, "1"),  # Windows set-1 scan code of the same key
        (0x10 + 8, True, 8, "Q"),  # the AZERTY "A" key is the US "Q" key
        (0x32 + 8, False, 8, "m"),  # the AZERTY "," key is the US "m" key
        (0x4F + 8, False, 8, "1"),  # keypad 1
        (0x01 + 8, False, 8, None),  # Escape: no character
        (0, False, 8, None),  # no scan code from the platform
        (0x02, False, None, None),  # macOS: no usable scan code
    ],
)
def test_a_scan_code_gives_the_us_character(
    native: int, shift: bool, offset: int | None, expected: str | None
) -> None:
    assert us_character(native, shift=shift, offset=offset) == expected


def test_ctrl_with_the_bracket_key_is_a_group_separator() -> None:
    assert us_character(0x1B + 8, shift=False, ctrl=True) == GS


def keys(text: str, start: float, gap: float, us: bool = True) -> list[KeyStroke]:
    return [KeyStroke(c, c if us else None, start + i * gap) for i, c in enumerate(text)]


def test_fast_keys_then_an_end_key_are_a_burst() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("1234", 0, 10):
        tracker.add(key)
    assert tracker.finish(40, "&é\"'") == ScanInput("1234", "burst", True)


def test_a_late_end_key_makes_it_typing() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("1234", 0, 10):
        tracker.add(key)
    assert tracker.finish(500, "&é\"'") == ScanInput("&é\"'", "typed", False)


def test_a_pause_inside_the_keys_starts_a_new_burst() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("99", 0, 200) + keys("1234", 1000, 5):
        tracker.add(key)
    finished = tracker.finish(1025, "99&é\"'")
    assert finished is not None
    assert finished.text == "1234"


def test_one_key_without_scan_code_falls_back_to_the_layout_text() -> None:
    tracker = BurstTracker(WedgeSettings())
    for key in [*keys("12", 0, 5), KeyStroke("x", None, 10), *keys("4", 15, 5)]:
        tracker.add(key)
    assert tracker.finish(20, "") == ScanInput("12x4", "burst", False)


def test_the_core_imports_no_heavy_library_until_a_decoder_is_built() -> None:
    code = (
        "import sys, handover.scanning.decoders, handover.scanning.camera, "
        "handover.scanning.input\n"
        "print(sorted(m for m in ('cv2', 'zxingcpp', 'pyzbar', 'PySide6') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
