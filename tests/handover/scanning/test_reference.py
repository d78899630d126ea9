import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handover.scanning.errors import ScanParseError
from handover.scanning.reference import (
    ALPHABET,
    format_reference,
    generate_reference,
    normalize_reference,
    parse_reference,
)

seeds = st.integers(min_value=0, max_value=2**32)


def _reference(seed: int) -> str:
    return generate_reference(random.Random(seed)).code


@given(seeds)
def test_generated_reference_round_trips_through_display_form(seed: int) -> None:
    reference = generate_reference(random.Random(seed))
    shown = format_reference(reference.code)
    assert shown[4] == "-"
    assert shown[9] == "-"
    assert len(shown) == 11
    assert parse_reference(shown) == reference
    assert parse_reference(shown.lower().replace("-", " ")) == reference


@given(seeds)
def test_lookalike_letters_read_as_digits(seed: int) -> None:
    code = _reference(seed)
    typed = code.replace("0", "O").replace("1", "l")
    assert parse_reference(typed).code == code


@given(seeds, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=31))
def test_every_single_substitution_is_caught(seed: int, position: int, shift: int) -> None:
    code = _reference(seed)
    wrong = ALPHABET[(ALPHABET.index(code[position]) + shift) % 32]
    typo = code[:position] + wrong + code[position + 1 :]
    with pytest.raises(ScanParseError):
        parse_reference(typo)


@given(seeds, st.integers(min_value=0, max_value=7))
def test_every_adjacent_transposition_is_caught(seed: int, position: int) -> None:
    code = _reference(seed)
    if code[position] == code[position + 1]:
        return  # swapping equal characters changes nothing
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(ScanParseError):
        parse_reference(swapped)


def test_generated_references_are_never_all_digits() -> None:
    rng = random.Random(7)
    assert not any(generate_reference(rng).code.isdigit() for _ in range(20_000))


def test_generation_is_reproducible_from_the_seed() -> None:
    first = [generate_reference(random.Random(3)) for _ in range(3)]
    assert first[0] == first[1] == first[2]


@pytest.mark.parametrize("text", ["", "K3P9", "K3P9-7QXA-MM", "K3P9-7QXA-U", "K3P9*7QXA"])
def test_malformed_references_raise_scan_parse_error(text: str) -> None:
    with pytest.raises(ScanParseError):
        parse_reference(text)


def test_normalize_removes_separators_and_maps_lookalikes() -> None:
    assert normalize_reference(" k3p9-7qxa o ") == "K3P97QXA0"
    assert normalize_reference("IL") == "11"
