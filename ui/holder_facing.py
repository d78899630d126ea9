"""Marks a widget whose whole content is read by the holder (bilingual French/English).

The texts themselves come from ``handover.holder_text.holder_text(fr, en)``; this mark is
for a widget turned towards the holder as a whole (the waiting-room display, the signature
pad's prompt): the language test skips a marked widget and its children.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

HOLDER_FACING_PROPERTY = "holderFacing"


def mark_holder_facing(widget: QWidget) -> QWidget:
    """Mark ``widget`` (and so its children) as holder-facing; returns it for chaining."""
    widget.setProperty(HOLDER_FACING_PROPERTY, True)
    return widget


def is_holder_facing(widget: QWidget) -> bool:
    """True when ``widget`` or one of its parents is marked holder-facing."""
    current: QWidget | None = widget
    while current is not None:
        if current.property(HOLDER_FACING_PROPERTY):
            return True
        current = current.parentWidget()
    return False
