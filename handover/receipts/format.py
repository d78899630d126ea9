"""French formatting shared by the PDF and the thermal-printer receipts."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

BULLET = "\u2022"


def euros(cents: int) -> str:
    """``22500`` → ``"225,00 €"``; thousands grouped with a space (``"1 225,00 €"``)."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{rest:02d} €"


def day(value: date) -> str:
    """``dd/mm/yyyy``."""
    return value.strftime("%d/%m/%Y")


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(moment: datetime, timezone: str) -> datetime:
    """An aware moment seen in ``timezone`` (a naive one is refused: it would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: receipts need an aware UTC moment")
    return moment.astimezone(_zone(timezone))


def day_and_time(moment: datetime, timezone: str) -> tuple[str, str]:
    """``("27/11/2026", "10:15")`` in ``timezone``."""
    local = local_time(moment, timezone)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def masked_stamp(last4: str, *, mask: str = BULLET) -> str:
    """A 16-digit tax stamp shown by its last four digits only: ``•••• •••• •••• 1234``."""
    hidden = mask * 4
    return f"{hidden} {hidden} {hidden} {last4}"


def grouped_hex(value: str, size: int = 4) -> str:
    """A hash made easier to read aloud: ``3fa9 c2e1 b7d0``."""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))
