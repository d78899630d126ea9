"""Receipt-only formats (masked stamps, hashes); the French formats are ``handover.formatting``."""

from __future__ import annotations

from handover.formatting import day, day_and_time, euros, local_time, number

__all__ = [
    "BULLET",
    "day",
    "day_and_time",
    "euros",
    "grouped_hex",
    "local_time",
    "masked_stamp",
    "number",
]

BULLET = "\u2022"


def masked_stamp(last4: str, *, mask: str = BULLET) -> str:
    """A 16-digit tax stamp shown by its last four digits only: ``•••• •••• •••• 1234``."""
    hidden = mask * 4
    return f"{hidden} {hidden} {hidden} {last4}"


def grouped_hex(value: str, size: int = 4) -> str:
    """A hash made easier to read aloud: ``3fa9 c2e1 b7d0``."""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))
