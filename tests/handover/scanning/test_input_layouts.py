"""Scanner setting × PC layout, typed through the system's own xkb keymaps (the oracle).

The keys a scanner presses and the text the PC makes of them come from libxkbcommon
(``xkb_oracle``), never from the project's tables; the scan input logic must still read
the payload. ``SUPPORTED`` is the README's table for IT staff.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handover.scanning.input import (
    BurstTracker,
    KeyStroke,
    MrzAssembler,
    WedgeSettings,
    mrz_line_width,
)
from handover.scanning.payloads import ScanResult, parse_scan
from handover.scanning.reference import generate_reference

from .xkb_oracle import XkbLayout, available, scanner_types

pytestmark = pytest.mark.skipif(not available(), reason="libxkbcommon absent")

TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)

# (scanner setting, PC layout) pairs the issue requires, each with and without Caps Lock.
SUPPORTED = [("fr", "fr"), ("us", "fr"), ("us", "us"), ("be", "be"), ("us", "be")]
# Tried and documented in the README: the other pairs of the usual desk layouts. A
# Swiss-set scanner types Z and Y (and "<") on keys no other layout puts there.
LAYOUTS = ("fr", "be", "ch:fr", "us")
OTHERS = {
    (scanner, pc): not (scanner == "ch:fr" and pc != "ch:fr")
    for scanner in LAYOUTS
    for pc in LAYOUTS
    if (scanner, pc) not in SUPPORTED
}


def layout(name: str) -> XkbLayout:
    base, _, variant = name.partition(":")
    loaded = XkbLayout.load(base, variant)
    assert loaded is not None, name
    return loaded


def meaning(text: str) -> object | None:
    result = parse_scan(text)
    if result.valid:
        return result.value
    return text.upper() if mrz_line_width(text) is not None else None


def scan(payload: str, scanner: str, pc: str, *, caps_lock: bool = False) -> str | None:
    """Type ``payload`` as a scanner burst; the reading the scan input hands over."""
    typed = scanner_types(payload, layout(scanner), layout(pc), caps_lock=caps_lock)
    if typed is None:
        return None
    tracker = BurstTracker(WedgeSettings())
    field = ""
    for i, key in enumerate(typed):
        if not key.text:
            continue  # a dead key: the field gets nothing (or a combined character)
        tracker.add(KeyStroke(key.text, at_ms=i * 3.0, code=key.code, shift=key.shift))
        field += key.text
    submitted = tracker.finish(len(typed) * 3.0 + 3, field, meaning)
    return None if submitted is None else submitted.text


def read(payload: str, scanner: str, pc: str, *, caps_lock: bool = False) -> ScanResult | None:
    """The payload as the desk reads it, MRZ lines sent one by one and assembled."""
    lines = payload.split("\n")
    assembler = MrzAssembler()
    whole = None
    for line in lines:
        text = scan(line, scanner, pc, caps_lock=caps_lock)
        if text is None:
            return None
        if len(lines) == 1:
            whole = text
            break
        progress = assembler.offer(text)
        whole = progress.complete
    return None if whole is None else parse_scan(whole)


def reads_back(payload: str, scanner: str, pc: str, *, caps_lock: bool = False) -> bool:
    got = read(payload, scanner, pc, caps_lock=caps_lock)
    expected = parse_scan(payload)
    assert expected.valid, payload
    return got is not None and got.valid and got.value == expected.value


FIXED = {
    "reference": generate_reference(random.Random(7)).code,
    "numero_etranger": "0013748911",
    "anef": "1234567890123456789",
    "tax_stamp": "1234567890123456",
    "td1": "\n".join(TD1),
    "td2": "\n".join(TD2),
    "td3": "\n".join(TD3),
    "td3_one_line": "".join(TD3),
}


@pytest.mark.parametrize("caps_lock", [False, True], ids=["", "caps_lock"])
@pytest.mark.parametrize(("scanner", "pc"), SUPPORTED, ids=[f"{s}-on-{p}" for s, p in SUPPORTED])
@pytest.mark.parametrize("kind", FIXED)
def test_every_payload_reads_in_every_required_pair(
    kind: str, scanner: str, pc: str, caps_lock: bool
) -> None:
    assert reads_back(FIXED[kind], scanner, pc, caps_lock=caps_lock)


@pytest.mark.parametrize("caps_lock", [False, True], ids=["", "caps_lock"])
@pytest.mark.parametrize(("scanner", "pc"), list(OTHERS), ids=[f"{s}-on-{p}" for s, p in OTHERS])
def test_the_other_pairs_are_as_documented(scanner: str, pc: str, caps_lock: bool) -> None:
    works = all(reads_back(p, scanner, pc, caps_lock=caps_lock) for p in FIXED.values())
    assert works is OTHERS[scanner, pc]


def test_a_french_scanner_on_a_french_pc_is_read_as_delivered() -> None:
    typed = scanner_types("0013748911", layout("fr"), layout("fr"))
    assert typed is not None
    assert "".join(k.text for k in typed) == "0013748911"
    assert scan("0013748911", "fr", "fr") == "0013748911"


def test_the_oracle_mangles_a_us_scanner_on_a_french_pc_as_seen_in_the_field() -> None:
    typed = scanner_types("0013748911", layout("us"), layout("be"))
    assert typed is not None
    assert "".join(k.text for k in typed) == "àà&\"è'!ç&&"  # DOMAIN.md §6


references = st.integers(min_value=0, max_value=2**32).map(
    lambda seed: generate_reference(random.Random(seed)).code
)
numbers = st.sampled_from([9, 10, 16, 19]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@settings(max_examples=60, deadline=None)
@given(
    payload=st.one_of(references, numbers),
    pair=st.sampled_from(SUPPORTED),
    caps_lock=st.booleans(),
)
def test_any_reference_or_number_reads_back(
    payload: str, pair: tuple[str, str], caps_lock: bool
) -> None:
    scanner, pc = pair
    assert reads_back(payload, scanner, pc, caps_lock=caps_lock)
