"""The scan field as the agent and the scanner use it: bursts, typing, suffixes."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from handover.scanning.input import GS, RS, ScanInput, WedgeSettings
from tests.ui.keyboard import Keyboard
from ui.widgets.scan_field import ScanField

REFERENCE = "K3P97QXAM"
FOREIGNER_NUMBER = "0013748911"


def make_field(qtbot: QtBot, settings: WedgeSettings | None = None) -> tuple[ScanField, Keyboard]:
    keyboard: Keyboard
    field = ScanField(settings, clock=lambda: keyboard.clock(), scancode_offset=8)
    keyboard = Keyboard(field)
    qtbot.addWidget(field)
    field.show()
    return field, keyboard


def collect(field: ScanField) -> list[ScanInput]:
    submitted: list[ScanInput] = []
    field.scan_submitted.connect(submitted.append)
    return submitted


@pytest.mark.parametrize("intended", [REFERENCE, FOREIGNER_NUMBER])
def test_a_burst_and_slow_typing_give_the_same_text_once_each(qtbot: QtBot, intended: str) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)

    keyboard.scanner_burst(intended)
    # What the AZERTY layout made of the scanner's keys is not what was meant.
    assert field.text() != intended
    keyboard.enter()
    keyboard.now_ms += 2_000
    keyboard.azerty_typing(intended)
    assert field.text() == intended
    keyboard.enter(gap_ms=400)

    assert submitted == [
        ScanInput(text=intended, source="burst", from_scancodes=True),
        ScanInput(text=intended, source="typed", from_scancodes=False),
    ]
    assert field.text() == ""


def test_the_azerty_text_of_a_burst_is_what_the_scanner_keys_produced(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    keyboard.scanner_burst(FOREIGNER_NUMBER)
    assert field.text() == "àà&\"è'_ç&&"


def test_without_scan_codes_the_burst_falls_back_to_the_typed_text(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    for char in "àà&\"è'_ç&&":
        keyboard.raw(char, 0)
    keyboard.enter()
    assert submitted == [ScanInput(text="àà&\"è'_ç&&", source="burst", from_scancodes=False)]


def test_a_scanner_tab_suffix_submits_and_keeps_the_focus(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.scanner_burst(REFERENCE)
    keyboard.tab()
    assert [s.text for s in submitted] == [REFERENCE]
    assert field.text() == ""


def test_a_person_pressing_tab_does_not_submit(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.azerty_typing("1234")
    keyboard.tab(gap_ms=300)
    assert submitted == []
    assert field.text() == "1234"


@pytest.mark.parametrize(
    "suffix", ["enter", "line_feed", "enter+line_feed", "enter+tab", "line_feed+enter"]
)
def test_each_scan_is_submitted_once_whatever_the_suffix(qtbot: QtBot, suffix: str) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    for _ in range(2):
        keyboard.scanner_burst(FOREIGNER_NUMBER)
        for key in suffix.split("+"):
            getattr(keyboard, key)()
        keyboard.now_ms += 1_000
    assert [s.text for s in submitted] == [FOREIGNER_NUMBER, FOREIGNER_NUMBER]


def test_the_configured_prefix_is_stripped(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(prefix="]Q"))
    submitted = collect(field)
    keyboard.raw("$", 0x1B)  # the AZERTY key where a US keyboard has "]"
    keyboard.scanner_burst("Q" + REFERENCE)
    keyboard.enter()
    assert [s.text for s in submitted] == [REFERENCE]


def test_group_separators_sent_with_ctrl_are_kept(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.scanner_burst("12")
    keyboard.raw(GS, 0x1B, ctrl=True)  # Ctrl+]
    keyboard.scanner_burst("34")
    keyboard.raw(RS, 0x07, ctrl=True, shift=True)  # Ctrl+^
    keyboard.enter()
    assert [s.text for s in submitted] == [f"12{GS}34{RS}"]
    assert submitted[0].from_scancodes


def test_a_control_character_shows_as_its_picture_while_typing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    keyboard.scanner_burst("12")
    keyboard.raw(GS, 0x1B, ctrl=True)
    assert field.text() == "&é\u241d"


def test_configured_substitutes_become_control_characters(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(substitutes=(("-", GS),)))
    submitted = collect(field)
    keyboard.scanner_burst("12-34")
    keyboard.enter()
    assert [s.text for s in submitted] == [f"12{GS}34"]


def test_a_short_burst_is_typing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(min_length=4))
    submitted = collect(field)
    keyboard.scanner_burst("123")
    keyboard.enter()
    assert submitted == [ScanInput(text='&é"', source="typed", from_scancodes=False)]


def test_typing_then_a_scan_submits_only_the_scan(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.azerty_typing("99")
    keyboard.now_ms += 1_000
    keyboard.scanner_burst(FOREIGNER_NUMBER)
    keyboard.enter()
    assert [s.text for s in submitted] == [FOREIGNER_NUMBER]


def test_enter_on_an_empty_field_submits_nothing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.enter(gap_ms=500)
    assert submitted == []
