"""The scan field as the agent and the scanner use it: bursts, typing, suffixes."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from handover.scanning.input import GS, RS, ScanInput, WedgeSettings
from handover.scanning.payloads import parse_scan
from tests.ui.keyboard import AZERTY, US_KEYS, Keyboard
from ui.widgets.scan_field import ScanField

REFERENCE = "K3P97QAKP"  # a valid reference (check character P)
FOREIGNER_NUMBER = "0013748911"


def meaning(text: str) -> object:
    result = parse_scan(text)
    assert result.valid, text
    return result.value


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
def test_a_burst_and_slow_typing_mean_the_same_once_each(qtbot: QtBot, intended: str) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)

    keyboard.scanner_burst(intended)
    # What the AZERTY layout made of the US-set scanner's keys is not what was meant.
    mangled = field.text()
    assert mangled != intended
    keyboard.enter()
    keyboard.now_ms += 2_000
    keyboard.azerty_typing(intended)
    assert field.text() == intended
    keyboard.enter(gap_ms=400)

    # The delivered text is the reading; the parser's AZERTY re-map reads it.
    assert submitted == [
        ScanInput(text=mangled, source="burst"),
        ScanInput(text=intended, source="typed"),
    ]
    assert parse_scan(mangled).value == parse_scan(intended).value
    assert parse_scan(mangled).repaired
    assert field.text() == ""


def test_a_burst_the_character_map_cannot_read_is_rebuilt_from_scan_codes(
    qtbot: QtBot,
) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    # Caps Lock on the PC: X capitalises é, è, ç, à; no character map undoes that.
    capitalised = {"&": "&", "é": "É", '"': '"', "'": "'", "è": "È", "_": "_", "ç": "Ç", "à": "À"}
    for char in FOREIGNER_NUMBER:
        scan, shift = US_KEYS[char]
        keyboard.raw(capitalised[AZERTY[scan, shift]], scan, shift=shift)
    keyboard.enter()
    assert [(s.text, s.from_scancodes) for s in submitted] == [(FOREIGNER_NUMBER, True)]
    assert submitted[0].delivered == "ÀÀ&\"È'_Ç&&"
    assert submitted[0].repair and "clavier US" in submitted[0].repair


def test_a_pause_inside_a_burst_submits_the_whole_field(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.scanner_burst(REFERENCE[:4])
    keyboard.now_ms += 200  # a USB hub or a busy PC
    keyboard.scanner_burst(REFERENCE[4:])
    keyboard.enter()
    assert [meaning(s.text) for s in submitted] == [meaning(REFERENCE)]
    assert submitted[0].source == "burst"


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
    assert submitted == [ScanInput(text="àà&\"è'_ç&&", source="burst")]


def test_a_scanner_tab_suffix_submits_and_keeps_the_focus(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.scanner_burst(REFERENCE)
    keyboard.tab()
    assert [meaning(s.text) for s in submitted] == [meaning(REFERENCE)]
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
    assert [meaning(s.text) for s in submitted] == [meaning(FOREIGNER_NUMBER)] * 2


def test_the_configured_prefix_is_stripped(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(prefix="]Q"))
    submitted = collect(field)
    keyboard.raw("$", 0x1B)  # the AZERTY key where a US keyboard has "]"
    keyboard.scanner_burst("Q" + REFERENCE)
    keyboard.enter()
    # The US-set scanner's prefix arrives as "$A" on this PC: stripped after the rebuild.
    assert [s.text for s in submitted] == [REFERENCE]


def test_group_separators_sent_with_ctrl_are_kept(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.scanner_burst("12")
    keyboard.raw(GS, 0x1B, ctrl=True)  # Ctrl+]
    keyboard.scanner_burst("34")
    keyboard.raw(RS, 0x07, ctrl=True, shift=True)  # Ctrl+^
    keyboard.enter()
    assert [s.text for s in submitted] == ["&é\x1d\"'\x1e"]  # as the PC typed them


def test_a_control_character_shows_as_its_picture_while_typing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    keyboard.scanner_burst("12")
    keyboard.raw(GS, 0x1B, ctrl=True)
    assert field.text() == "&é\u241d"


def test_configured_substitutes_become_control_characters(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(substitutes=(("-", GS),)))
    submitted = collect(field)
    keyboard.azerty_typing("12-34", gap_ms=3)  # a French-set scanner
    keyboard.enter()
    assert [s.text for s in submitted] == [f"12{GS}34"]


def test_a_short_burst_is_typing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(min_length=4))
    submitted = collect(field)
    keyboard.scanner_burst("123")
    keyboard.enter()
    assert submitted == [ScanInput(text='&é"', source="typed")]


def test_typing_then_a_scan_submits_the_whole_field(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.azerty_typing("99")
    keyboard.now_ms += 1_000
    keyboard.scanner_burst(FOREIGNER_NUMBER)
    keyboard.enter()
    assert [s.text for s in submitted] == ["99àà&\"è'_ç&&"]  # nothing is cut off


def test_enter_on_an_empty_field_submits_nothing(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    keyboard.enter(gap_ms=500)
    assert submitted == []


TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


@pytest.mark.parametrize("separator", ["enter", "line_feed", "tab", "enter+line_feed"])
def test_an_mrz_sent_line_by_line_is_one_scan(qtbot: QtBot, separator: str) -> None:
    field, keyboard = make_field(qtbot)
    submitted = collect(field)
    statuses: list[str] = []
    field.reading_changed.connect(statuses.append)
    for line in TD3:
        for char in line:
            keyboard.raw(char)  # a French-set reader: the text as the PC delivers it
        for key in separator.split("+"):
            getattr(keyboard, key)()
        if line == TD3[0]:
            assert submitted == []
            assert "Lecture en cours" in field.placeholderText()
    assert [s.text for s in submitted] == ["\n".join(TD3)]
    assert submitted[0].source == "burst"
    assert parse_scan(submitted[0].text).valid
    assert statuses[0].startswith("Lecture en cours") and statuses[-1] == ""
    assert "Lecture en cours" not in field.placeholderText()


def test_an_mrz_line_that_never_comes_gives_a_clear_message(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(mrz_wait_ms=50))
    submitted = collect(field)
    for char in TD3[0]:
        keyboard.raw(char)
    keyboard.enter()
    with qtbot.waitSignal(field.scan_incomplete, timeout=2_000) as incomplete:
        pass
    assert "Bande MRZ incomplète : 1 ligne reçue sur 2" in incomplete.args[0]
    assert submitted == []
    assert "Lecture en cours" not in field.placeholderText()


def test_with_a_tab_terminator_a_typed_tab_submits(qtbot: QtBot) -> None:
    field, keyboard = make_field(qtbot, WedgeSettings(terminator="tab"))
    submitted = collect(field)
    keyboard.azerty_typing(FOREIGNER_NUMBER)
    keyboard.tab(gap_ms=300)
    assert [s.text for s in submitted] == [FOREIGNER_NUMBER]
