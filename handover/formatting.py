"""French formats for every text a person reads: numbers, percentages, money, dates, times.

One place for them, used by the receipts, the reports, the CLI and the back office. Times
are shown in the schedule's time zone (``[schedule] timezone``), never in UTC: the
database stores aware UTC moments and a naive one is refused here, as it would be a guess.
Machine outputs (JSON, the code column of a CSV) keep ISO formats instead.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

# French typography groups thousands with a narrow no-break space; a plain no-break space
# is used instead (every font of the screens and PDFs has it). ``euros`` keeps ordinary
# spaces: the thermal printers' code pages have no no-break space.
GROUP = "\u00a0"


def number(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (decimal comma, thousands grouped)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", GROUP).replace(".", ",")


def percent(share: float, decimals: int = 1) -> str:
    """A share of 0..1 as a French percentage: ``1.0`` → ``"100,0 %"``."""
    return f"{number(share * 100, decimals)}{GROUP}%"


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
        raise ValueError("naive datetime: an aware UTC moment is needed")
    return moment.astimezone(_zone(timezone))


def day_and_time(moment: datetime, timezone: str) -> tuple[str, str]:
    """``("27/11/2026", "10:15")`` in ``timezone``."""
    local = local_time(moment, timezone)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def moment(value: datetime, timezone: str, *, seconds: bool = False) -> str:
    """``"27/11/2026 10:15"`` in ``timezone`` (with ``:SS`` when ``seconds``)."""
    local = local_time(value, timezone)
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def duration(seconds: float | None) -> str:
    """``1 min 05 s``, ``45 s``; a dash when nothing was timed."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
