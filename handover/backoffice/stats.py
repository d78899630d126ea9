"""Anonymous statistics of a period: handovers per day and desk, speed, verdicts, backlog.

Days are local days of the schedule's time zone; a period runs from the first day's
midnight to the midnight after the last day. Nothing here reads a holder's personal data,
so a retention purge leaves every figure unchanged.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, or_, select

from handover import formatting as fmt
from handover.config import Config
from handover.domain.values import OverrideKind, VerdictKind
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import Desk, Handover, Override, Permit, PermitState, ScanEvent
from handover.persistence.uow import UnitOfWork


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class DeskCount:
    desk: str
    count: int


@dataclass(frozen=True)
class DayDeskCount:
    day: date
    desk: str
    count: int


@dataclass(frozen=True)
class VerdictShare:
    verdict: str
    count: int
    share: float  # 0..1 of all verdicts in the period

    @property
    def label(self) -> str:
        return verdict_label(self.verdict)


def verdict_label(code: str) -> str:
    """A verdict as the agent says it; a code unknown to this version stays as it is."""
    try:
        return VerdictKind(code).label
    except ValueError:
        return code


def override_label(code: str) -> str:
    """An override kind as the agent says it; a code unknown to this version stays."""
    try:
        return OverrideKind(code).label
    except ValueError:
        return code


@dataclass(frozen=True)
class AgeBucket:
    """Permits waiting for their holder since ``min_days`` to ``max_days`` (excluded) days."""

    min_days: int
    max_days: int | None
    count: int

    @property
    def code(self) -> str:
        """``jours_0_6``, ``jours_30_plus``: the bucket in the CSV's code column."""
        top = "plus" if self.max_days is None else str(self.max_days - 1)
        return f"jours_{self.min_days}_{top}"

    @property
    def label(self) -> str:
        if self.max_days is None:
            return f"{self.min_days} j et plus"
        return f"{self.min_days} à {self.max_days - 1} j"


@dataclass(frozen=True)
class PeriodStats:
    start: date
    end: date
    timezone: str
    handovers: int
    per_day: tuple[DayCount, ...]
    per_desk: tuple[DeskCount, ...]
    per_day_desk: tuple[DayDeskCount, ...]
    median_scan_to_handover_s: float | None
    timed_handovers: int
    scans: int
    verdicts: tuple[VerdictShare, ...]
    waiting_at: datetime
    waiting: tuple[AgeBucket, ...]
    overrides: int
    overrides_by_kind: tuple[tuple[str, int], ...]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """``(section, code, label, value)`` rows of the CSV export.

        ``section`` and ``code`` are for machines (ISO dates, verdict and override codes);
        ``label`` and ``value`` for people (French dates, labels and decimal commas).
        """
        tz = self.timezone
        out: list[tuple[str, str, str, str]] = [
            ("periode", "du", "du", fmt.day(self.start)),
            ("periode", "au", "au", fmt.day(self.end)),
            ("periode", "fuseau", "fuseau horaire", tz),
            ("remises", "total", "total", str(self.handovers)),
        ]
        out += [
            ("remises_par_jour", d.day.isoformat(), fmt.day(d.day), str(d.count))
            for d in self.per_day
        ]
        out += [("remises_par_guichet", d.desk, d.desk, str(d.count)) for d in self.per_desk]
        out += [
            (
                "remises_par_jour_et_guichet",
                f"{d.day.isoformat()} {d.desk}",
                f"{fmt.day(d.day)} {d.desk}",
                str(d.count),
            )
            for d in self.per_day_desk
        ]
        median = self.median_scan_to_handover_s
        out.append(
            (
                "duree_scan_remise",
                "mediane_s",
                "médiane (secondes)",
                "" if median is None else fmt.number(median, 1),
            )
        )
        out.append(
            ("duree_scan_remise", "remises_mesurees", "remises mesurées", str(self.timed_handovers))
        )
        out.append(("verdicts", "total", "total", str(self.scans)))
        out += [("verdicts", v.verdict, v.label, str(v.count)) for v in self.verdicts]
        out += [
            ("verdicts_pourcentage", v.verdict, v.label, fmt.number(v.share * 100, 1))
            for v in self.verdicts
        ]
        out.append(
            (
                "titres_en_attente",
                "au",
                "au",
                fmt.moment(self.waiting_at, tz),
            )
        )
        out += [
            (
                "titres_en_attente",
                b.code,
                b.label,
                str(b.count),
            )
            for b in self.waiting
        ]
        out.append(("derogations", "total", "total", str(self.overrides)))
        out += [
            ("derogations", kind, override_label(kind), str(n))
            for kind, n in self.overrides_by_kind
        ]
        return out


def period_bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    if end < start:
        raise HandoverError(
            f"Période vide : le {end:%d/%m/%Y} précède le {start:%d/%m/%Y}. Donnez --from "
            "avant --to."
        )
    zone = ZoneInfo(timezone)
    low = datetime.combine(start, time(), zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    return low, high


def age_limits(config: Config) -> tuple[int, ...]:
    r = config.retention
    return tuple(sorted({7, r.reminder_after_days, r.return_after_days} - {0}))


def compute_stats(
    engine: Engine, config: Config, start: date, end: date, *, now: datetime | None = None
) -> PeriodStats:
    """The figures of the local days ``start`` to ``end`` included."""
    tz = config.schedule.timezone
    zone = ZoneInfo(tz)
    low, high = period_bounds(start, end, tz)
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        at = now or server_now(s)
        rows = s.execute(
            select(Handover.handed_over_at, Handover.scan_started_at, Desk.name)
            .join(Desk, Desk.id == Handover.desk_id)
            .where(Handover.handed_over_at >= low, Handover.handed_over_at < high)
        ).all()
        verdict_rows = s.execute(
            select(ScanEvent.verdict, func.count())
            .where(ScanEvent.at >= low, ScanEvent.at < high)
            .group_by(ScanEvent.verdict)
        ).all()
        override_rows = s.execute(
            select(Override.kind, func.count())
            .where(Override.created_at >= low, Override.created_at < high)
            .group_by(Override.kind)
        ).all()
        waiting_at = min(at, high)
        notified = s.execute(
            select(Permit.notified_at).where(
                Permit.notified_at <= waiting_at,
                Permit.state != PermitState.BLOCKED,
                or_(Permit.closed_at.is_(None), Permit.closed_at > waiting_at),
            )
        ).scalars()
        ages = [(waiting_at - n).days for n in notified if n is not None]
    per_day: Counter[date] = Counter()
    per_desk: Counter[str] = Counter()
    per_day_desk: Counter[tuple[date, str]] = Counter()
    durations: list[float] = []
    for handed_at, scan_at, desk in rows:
        day = handed_at.astimezone(zone).date()
        per_day[day] += 1
        per_desk[desk] += 1
        per_day_desk[(day, desk)] += 1
        if scan_at is not None and scan_at <= handed_at:
            durations.append((handed_at - scan_at).total_seconds())
    scans = sum(n for _v, n in verdict_rows)
    limits = (0, *age_limits(config))
    buckets = []
    for i, low_days in enumerate(limits):
        high_days = limits[i + 1] if i + 1 < len(limits) else None
        count = sum(1 for a in ages if a >= low_days and (high_days is None or a < high_days))
        buckets.append(AgeBucket(low_days, high_days, count))
    return PeriodStats(
        start=start,
        end=end,
        timezone=tz,
        handovers=len(rows),
        per_day=tuple(DayCount(d, n) for d, n in sorted(per_day.items())),
        per_desk=tuple(DeskCount(d, n) for d, n in sorted(per_desk.items())),
        per_day_desk=tuple(DayDeskCount(d, k, n) for (d, k), n in sorted(per_day_desk.items())),
        median_scan_to_handover_s=statistics.median(durations) if durations else None,
        timed_handovers=len(durations),
        scans=scans,
        verdicts=tuple(
            VerdictShare(v, n, n / scans)
            for v, n in sorted(verdict_rows, key=lambda r: (-r[1], r[0]))
        ),
        waiting_at=waiting_at,
        waiting=tuple(buckets),
        overrides=sum(n for _k, n in override_rows),
        overrides_by_kind=tuple(sorted((k, n) for k, n in override_rows)),
    )


CSV_HEADER = ("rubrique", "code", "libellé", "valeur")


def write_csv(stats: PeriodStats, path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(stats.rows())
    # BOM: spreadsheet software in French offices reads UTF-8 CSV correctly only with it.
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
