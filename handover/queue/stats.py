"""The queue's anonymous statistics: tickets, calls, waits, and how good the prediction was.

Per opening day and per desk: tickets issued, served, no-shows, reprints, the door's
refusals (``door_events``), the waits ticket → call and call → handover (medians, minutes),
and the prediction's quality: the median gap between the wait announced when the ticket
was issued and the wait the holder had until the call. No personal data is read.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from handover.backoffice.stats import period_bounds
from handover.config import Config
from handover.persistence.models import Desk, DoorEvent, QueueCall, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.queue.values import TicketStatus


@dataclass(frozen=True)
class QueueDayStats:
    day: date
    issued: int
    served: int
    no_shows: int
    reprints: int
    door_refusals: int  # not ready, unknown, closed, cut-off…
    wait_to_call_min: float | None  # median, tickets called
    call_to_handover_min: float | None  # median, tickets served
    prediction_error_min: float | None  # median |announced wait − real wait|


@dataclass(frozen=True)
class QueueDeskStats:
    desk: str
    calls: int
    served: int
    no_shows: int
    call_to_handover_min: float | None


@dataclass(frozen=True)
class QueueStats:
    days: tuple[QueueDayStats, ...]
    desks: tuple[QueueDeskStats, ...]

    def rows(self) -> list[tuple[str, str, str]]:
        """``(section, key, value)`` rows, the shape of ``report stats``'s CSV."""
        out: list[tuple[str, str, str]] = []
        for d in self.days:
            key = d.day.isoformat()
            for name, value in (
                ("tickets_emis", d.issued),
                ("tickets_servis", d.served),
                ("absents_a_l_appel", d.no_shows),
                ("reimpressions", d.reprints),
                ("refus_a_la_porte", d.door_refusals),
                ("attente_ticket_appel_min", _num(d.wait_to_call_min)),
                ("duree_appel_remise_min", _num(d.call_to_handover_min)),
                ("ecart_prevision_attente_min", _num(d.prediction_error_min)),
            ):
                out.append((f"file_{name}", key, str(value)))
        for k in self.desks:
            out.append(("file_appels_par_guichet", k.desk, str(k.calls)))
            out.append(("file_servis_par_guichet", k.desk, str(k.served)))
            out.append(("file_absents_par_guichet", k.desk, str(k.no_shows)))
            out.append(("file_duree_appel_remise_min", k.desk, _num(k.call_to_handover_min)))
        return out


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def _median_min(seconds: Iterable[float]) -> float | None:
    kept = [s / 60 for s in seconds if s >= 0]
    return statistics.median(kept) if kept else None


def _gap(a: datetime | None, b: datetime | None) -> float | None:
    return None if a is None or b is None else (b - a).total_seconds()


def compute_queue_stats(engine: Engine, config: Config, start: date, end: date) -> QueueStats:
    since, until = period_bounds(start, end, config.schedule.timezone)
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        tickets = s.execute(
            select(
                QueueTicket.id,
                QueueTicket.day,
                QueueTicket.status,
                QueueTicket.reprints,
                QueueTicket.issued_at,
                QueueTicket.predicted_wait_s,
                QueueTicket.served_at,
            ).where(QueueTicket.day >= start, QueueTicket.day <= end)
        ).all()
        calls = s.execute(
            select(QueueCall.ticket_id, QueueCall.called_at, QueueCall.outcome, Desk.name)
            .join(Desk, Desk.id == QueueCall.desk_id)
            .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
            .where(QueueTicket.day >= start, QueueTicket.day <= end)
            .order_by(QueueCall.id)
        ).all()
        refusals = s.execute(
            select(DoorEvent.at, func.count())
            .where(
                DoorEvent.at >= since,
                DoorEvent.at < until,
                DoorEvent.outcome.in_(("refused", "cutoff")),
            )
            .group_by(DoorEvent.at)
        ).all()
    zone = ZoneInfo(config.schedule.timezone)
    refused_by_day: Counter[date] = Counter()
    for at, n in refusals:
        refused_by_day[at.astimezone(zone).date()] += int(n)
    first_call: dict[int, datetime] = {}
    served_call: dict[int, tuple[datetime, str]] = {}
    per_desk: dict[str, Counter[str]] = defaultdict(Counter)
    desk_service: dict[str, list[float]] = defaultdict(list)
    for ticket_id, called_at, outcome, desk in calls:
        first_call.setdefault(ticket_id, called_at)
        per_desk[desk]["calls"] += 1
        if outcome == "served":
            served_call[ticket_id] = (called_at, desk)
            per_desk[desk]["served"] += 1
        elif outcome == "no_show":
            per_desk[desk]["no_shows"] += 1
    for t in tickets:
        if t.id in served_call and t.served_at is not None:
            at, desk = served_call[t.id]
            gap = _gap(at, t.served_at)
            if gap is not None:
                desk_service[desk].append(gap)
    days = []
    for day in sorted({*(t.day for t in tickets), *refused_by_day}):
        rows = [t for t in tickets if t.day == day]
        waits = [g for t in rows if (g := _gap(t.issued_at, first_call.get(t.id))) is not None]
        services = [
            g
            for t in rows
            if t.id in served_call and (g := _gap(served_call[t.id][0], t.served_at)) is not None
        ]
        errors = [
            abs(w - t.predicted_wait_s)
            for t in rows
            if t.predicted_wait_s is not None
            and (w := _gap(t.issued_at, first_call.get(t.id))) is not None
        ]
        days.append(
            QueueDayStats(
                day=day,
                issued=len(rows),
                served=sum(t.status == TicketStatus.SERVED.value for t in rows),
                no_shows=sum(t.status == TicketStatus.NO_SHOW.value for t in rows),
                reprints=sum(t.reprints for t in rows),
                door_refusals=refused_by_day.get(day, 0),
                wait_to_call_min=_median_min(waits),
                call_to_handover_min=_median_min(services),
                prediction_error_min=_median_min(errors),
            )
        )
    desks = tuple(
        QueueDeskStats(
            desk=name,
            calls=c["calls"],
            served=c["served"],
            no_shows=c["no_shows"],
            call_to_handover_min=_median_min(desk_service.get(name, [])),
        )
        for name, c in sorted(per_desk.items())
    )
    return QueueStats(tuple(days), desks)


def append_csv(stats: QueueStats, path: Path) -> None:
    """Add the queue's rows to ``report stats``'s CSV (same columns, same separator)."""
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(stats.rows())
