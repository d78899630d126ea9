"""The holder-facing marker keeps both languages and registers the English half."""

from __future__ import annotations

import pytest

from handover.holder_text import HOLDER_ENGLISH, holder_text


def test_holder_text_joins_french_first_and_registers_english() -> None:
    text = holder_text("Signez dans le cadre", "Sign inside the frame")
    assert str(text) == "Signez dans le cadre / Sign inside the frame"
    assert text.lines() == "Signez dans le cadre\nSign inside the frame"
    assert "Sign inside the frame" in HOLDER_ENGLISH


def test_holder_text_needs_both_languages() -> None:
    with pytest.raises(ValueError, match="both"):
        holder_text("Signez ici", " ")
