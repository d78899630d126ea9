"""``handover window``: is the counter open now (or at a given instant), and until when."""

from __future__ import annotations

import argparse
import importlib
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handover.domain.clock import Clock, SystemClock
from handover.domain.opening_window import (
    WEEKDAY_NAMES_FR,
    OpeningWindow,
    Schedule,
    WindowStatus,
    format_next_opening,
)
from handover.errors import HandoverError

# Tests replace it with a FakeClock.
_clock: Clock = SystemClock()


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "window",
        help="dire si le guichet est ouvert, jusqu'à quand, et quand il rouvre",
        description="Dit si le guichet est ouvert selon les horaires configurés.",
    )
    parser.add_argument(
        "--at",
        metavar="DATE_HEURE",
        help="instant à examiner au format ISO 8601 (ex. 2026-03-30T09:30 ; sans fuseau : "
        "heure locale du guichet ; 2026-03-30T07:30Z : heure UTC). Par défaut : maintenant.",
    )
    parser.add_argument("--json", action="store_true", help="réponse en JSON")
    parser.set_defaults(func=run)


def _load_schedule() -> Schedule:
    # TEMPORARY until handover.config exists: fall back to the default schedule.
    try:
        config = importlib.import_module("handover.config")
    except ModuleNotFoundError as exc:
        if exc.name != "handover.config":
            raise
        return Schedule()
    if not hasattr(config, "load_config"):
        return Schedule()
    schedule = getattr(config.load_config(), "schedule", Schedule())
    if not isinstance(schedule, Schedule):
        raise TypeError("load_config().schedule is not a Schedule")
    return schedule


def _parse_at(text: str, zone: ZoneInfo) -> datetime:
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise HandoverError(
            f"La date --at « {text} » est illisible : écrivez-la au format ISO 8601, "
            "par exemple 2026-03-30T09:30 (heure locale du guichet) ou 2026-03-30T07:30Z (UTC)."
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at.astimezone(UTC)


def _local_text(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{WEEKDAY_NAMES_FR[local.weekday()]} {local:%d/%m/%Y} à {local.hour} h {local:%M}"


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _text(status: WindowStatus, at: datetime, zone: ZoneInfo) -> str:
    lines = [f"Le {_local_text(at, zone)} ({zone.key}) :"]
    if status.is_open:
        holiday = f" (jour férié : {status.holiday_name})" if status.holiday_name else ""
        lines.append(f"Guichet {format_next_opening(status, zone)}{holiday}.")
    else:
        lines.append(f"{status.reason}.")
        following = format_next_opening(status, zone)
        lines.append(f"{following[0].upper()}{following[1:]}.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    schedule = _load_schedule()
    zone = ZoneInfo(schedule.timezone)
    at = _clock.now() if args.at is None else _parse_at(args.at, zone)
    status = OpeningWindow(schedule).status(at)
    if args.json:
        answer = {
            "at": _iso(at),
            "timezone": schedule.timezone,
            "is_open": status.is_open,
            "closes_at": _iso(status.closes_at),
            "next_opening": _iso(status.next_opening),
            "next_closing": _iso(status.next_closing),
            "reason": status.reason,
            "holiday_name": status.holiday_name,
        }
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        print(_text(status, at, zone))
    return 0
