"""Scan codes, bursts told from typing, readings chosen, MRZ lines joined: no Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from handover.scanning.input import (
    _US_SET1,
    GS,
    BurstTracker,
    KeyStroke,
    MrzAssembler,
    MrzProgress,
    Reading,
    ScanInput,
    ScannerLayout,
    WedgeSettings,
    choose_reading,
    classify,
    decode_alt_numpad,
    default_scancode_offset,
    layout_character,
    rebuild,
    us_character,
)
from handover.scanning.payloads import parse_scan

from .test_input_layouts import TD1, TD3  # ICAO 9303 specimens


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


def keys(text: str, start: float, gap: float) -> list[KeyStroke]:
    return [KeyStroke(c, start + i * gap) for i, c in enumerate(text)]


def us_keys(intended: str, typed: str, start: float, gap: float) -> list[KeyStroke]:
    """A US-set scanner's keys: their set-1 codes, and what the PC's layout typed."""
    codes = {u: (code, False) for code, (u, _s) in _US_SET1.items() if code < 0x37}
    codes.update({s: (code, True) for code, (_u, s) in _US_SET1.items() if code < 0x37})
    return [
        KeyStroke(t, start + i * gap, code=codes[c][0], shift=codes[c][1])
        for i, (c, t) in enumerate(zip(intended, typed, strict=True))
    ]


def meaning(text: str) -> object | None:
    result = parse_scan(text)
    return result.value if result.valid else None


def test_fast_keys_then_an_end_key_are_a_burst() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("1234", 0, 10):
        tracker.add(key)
    assert tracker.finish(40, "1234") == ScanInput("1234", "burst")


def test_slow_keys_are_typing() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("1234", 0, 150):
        tracker.add(key)
    assert tracker.finish(700, "1234") == ScanInput("1234", "typed")


def test_a_pause_inside_a_burst_never_cuts_the_reading() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("0013", 0, 3) + keys("748911", 250, 3):
        tracker.add(key)
    assert tracker.finish(270, "0013748911") == ScanInput("0013748911", "burst")


def test_whatever_was_typed_before_a_scan_is_submitted_with_it() -> None:
    tracker = BurstTracker(WedgeSettings(max_gap_ms=50, min_length=4))
    for key in keys("99", 0, 200) + keys("1234", 1000, 5):
        tracker.add(key)
    finished = tracker.finish(1025, "991234")
    assert finished is not None
    assert finished.text == "991234"


@pytest.mark.parametrize(
    ("gaps", "source"),
    [
        ([3] * 9, "burst"),
        ([3] * 4 + [300] + [3] * 4, "burst"),  # one USB-hub hiccup
        ([3, 3, 400, 3, 3, 400, 3, 3, 3], "burst"),  # two of them
        ([120] * 9, "typed"),
        ([30, 120, 40, 110, 35, 130, 90, 25, 140], "typed"),  # a fast typist
    ],
)
def test_timing_only_decides_scanned_or_typed(gaps: list[float], source: str) -> None:
    times = [0.0]
    for gap in gaps:
        times.append(times[-1] + gap)
    strokes = [KeyStroke("1", t) for t in times[:-1]]
    assert classify(strokes, times[-1], WedgeSettings()) == source


def test_the_delivered_text_is_the_reading_when_it_parses() -> None:
    # A French-set scanner on a French PC: digits typed with Shift; a US rebuild of the
    # same keys would give "!!!..." -- it is never tried.
    strokes = [
        KeyStroke(c, i * 3.0, code=0x02 + int(c) % 10, shift=True)
        for i, c in enumerate("0013748911")
    ]
    tracker = BurstTracker(WedgeSettings())
    for key in strokes:
        tracker.add(key)
    assert tracker.finish(40, "0013748911", meaning) == ScanInput("0013748911", "burst")


def test_caps_lock_on_a_french_pc_is_rebuilt_from_the_scan_codes() -> None:
    # A US-set scanner, Caps Lock on: X capitalises é into É, which no table re-maps.
    tracker = BurstTracker(WedgeSettings())
    for key in us_keys("0013748911", "ÀÀ&\"È'_Ç&&", 0, 3):
        tracker.add(key)
    finished = tracker.finish(40, "ÀÀ&\"È'_Ç&&", meaning)
    assert finished is not None
    assert (finished.text, finished.from_scancodes) == ("0013748911", True)
    assert finished.delivered == "ÀÀ&\"È'_Ç&&"
    assert finished.repair is not None and "clavier US" in finished.repair
    assert "\n" not in finished.repair


def test_typing_is_never_rebuilt() -> None:
    tracker = BurstTracker(WedgeSettings())
    for key in us_keys("0013748911", "ÀÀ&\"È'_Ç&&", 0, 200):
        tracker.add(key)
    finished = tracker.finish(2500, "ÀÀ&\"È'_Ç&&", meaning)
    assert finished == ScanInput("ÀÀ&\"È'_Ç&&", "typed")


def test_an_edited_field_is_not_rebuilt() -> None:
    tracker = BurstTracker(WedgeSettings())
    for key in us_keys("0013748911", "ÀÀ&\"È'_Ç&&", 0, 3):
        tracker.add(key)
    tracker.break_burst()
    finished = tracker.finish(40, "ÀÀ&\"È'_Ç&&", meaning)
    assert finished is not None
    assert not finished.from_scancodes


def test_escape_on_the_empty_field_before_a_scan_does_not_stop_its_rebuild() -> None:
    # Agents press Escape (back to the scan field) between two scans.
    tracker = BurstTracker(WedgeSettings())
    tracker.break_burst()
    for key in us_keys("0013748911", "ÀÀ&\"È'_Ç&&", 0, 3):
        tracker.add(key)
    finished = tracker.finish(40, "ÀÀ&\"È'_Ç&&", meaning)
    assert finished is not None
    assert (finished.text, finished.from_scancodes) == ("0013748911", True)


def test_two_rebuilds_with_two_meanings_keep_the_delivered_text() -> None:
    def anything(text: str) -> object | None:
        return None if text == "delivered" else text

    strokes = [KeyStroke("x", 0, code=0x02, shift=False)]
    reading = choose_reading("delivered", strokes, "burst", anything)
    assert reading == Reading("delivered")  # US "1", French "&": no way to choose


def test_a_key_without_scan_code_allows_no_rebuild() -> None:
    strokes = [KeyStroke("x", 0, code=0)]
    assert rebuild(strokes, ScannerLayout.US) is None


@pytest.mark.parametrize(
    ("layout", "shift", "expected"),
    [
        (ScannerLayout.US, False, "1"),
        (ScannerLayout.FRENCH, True, "1"),
        (ScannerLayout.BELGIAN, False, "&"),
    ],
)
def test_each_scanner_layout_has_its_digit_row(
    layout: ScannerLayout, shift: bool, expected: str
) -> None:
    assert layout_character(0x02, shift=shift, layout=layout) == expected


# -- multi-line MRZ ----------------------------------------------------------------------


@pytest.mark.parametrize("lines", [TD1, TD3], ids=["td1", "td3"])
def test_mrz_lines_are_assembled(lines: tuple[str, ...]) -> None:
    assembler = MrzAssembler()
    progress = [assembler.offer(line) for line in lines]
    assert all(p.waiting for p in progress[:-1])
    assert progress[-1].complete == "\n".join(lines)
    assert parse_scan(progress[-1].complete).valid
    assert not assembler.pending


def test_a_missing_mrz_line_gives_a_clear_message() -> None:
    assembler = MrzAssembler()
    assembler.offer(TD1[0])
    assembler.offer(TD1[1])
    assert "lecture en cours" in assembler.status().lower()
    message = assembler.give_up()
    assert message is not None
    assert "2 lignes reçues sur 3" in message
    assert not assembler.pending


def test_something_else_after_a_first_mrz_line_abandons_it_and_is_read() -> None:
    assembler = MrzAssembler()
    assembler.offer(TD3[0])
    progress = assembler.offer("K3P97QXAM")
    assert progress.abandoned is not None and "1 ligne reçue sur 2" in progress.abandoned
    assert progress.complete is None and not progress.waiting


def test_a_whole_mrz_or_a_reference_does_not_wait() -> None:
    assembler = MrzAssembler()
    assert assembler.offer("\n".join(TD3)) == MrzProgress()
    assert assembler.offer("K3P97QXAM") == MrzProgress()
    assert assembler.offer(TD3[1]) == MrzProgress()  # a second line alone starts nothing


# -- Alt + numpad (Windows) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("65", "A"),
        ("0065", "A"),
        ("130", "é"),  # OEM 850
        ("0233", "é"),  # Windows-1252
        ("029", "\x1d"),  # GS in the ANSI form
        ("0128", "€"),
        ("321", "A"),  # wraps modulo 256
        ("29", None),  # an OEM glyph, not GS
        ("", None),
        ("6a", None),
    ],
)
def test_alt_numpad_codes(digits: str, expected: str | None) -> None:
    assert decode_alt_numpad(digits) == expected


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
