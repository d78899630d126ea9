"""How many more tickets the desks will still serve today (the README states the formula).

    slots    = ⌊ Σ over counted desks d of  time_left / median_service(d) ⌋
    capacity = slots + limit_extra − outstanding

``time_left`` is what remains of today's opening periods after now; the counted desks are
those whose heartbeat is younger than ``heartbeat_timeout_s`` (when none is, before or
during the window, ``expected_desks`` desks of the site's median); ``median_service(d)`` is
the median of ``scan_started_at`` (or the ticket's call) → handover recorded at desk d
today, else over the last ``HISTORY_DAYS`` days, else the site's, else
``default_service_s``; ``outstanding`` counts the day's tickets waiting, called or at a
desk. One more ticket would pass the prediction when ``capacity ≤ 0``: the cut-off.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handover.persistence.models import Desk, DeskHeartbeat, Handover, QueueTicket
from handover.queue.served import LIVE
from handover.queue.values import TicketStatus

if TYPE_CHECKING:
    from handover.queue.service import DoorDay, QueueService

HISTORY_DAYS = 60
MAX_SERVICE_S = 3600  # a longer "service" is a permit opened and left aside: not counted
OUTSTANDING = (TicketStatus.WAITING.value, *LIVE)


@dataclass(frozen=True)
class Prediction:
    slots: int  # tickets the counted desks can still serve before closing
    outstanding: int  # tickets already waiting, called or at a desk
    capacity: int  # slots + limit_extra − outstanding (may be negative)
    last_number: int | None  # the number of the last ticket predicted served
    wait_s: int | None  # for a ticket issued now
    desks: tuple[str, ...]  # the desks counted (heartbeat fresh)

    @property
    def cutoff_reached(self) -> bool:
        return self.capacity <= 0

    @property
    def wait_minutes(self) -> int | None:
        return None if self.wait_s is None else math.ceil(self.wait_s / 60)


def median_or_none(durations: Iterable[float]) -> float | None:
    kept = [d for d in durations if 0 < d <= MAX_SERVICE_S]
    return statistics.median(kept) if kept else None


def service_times(
    session: Session, site_id: int, since: datetime, until: datetime
) -> dict[str, list[float]]:
    """Seconds from scan (or call) to handover recorded, per desk name, in [since, until)."""
    rows = session.execute(
        select(Desk.name, Handover.handed_over_at, Handover.scan_started_at)
        .join(Desk, Desk.id == Handover.desk_id)
        .where(
            Desk.site_id == site_id,
            Handover.scan_started_at.is_not(None),
            Handover.handed_over_at >= since,
            Handover.handed_over_at < until,
        )
    ).all()
    out: dict[str, list[float]] = {}
    for name, done, started in rows:
        if started is not None:
            out.setdefault(name, []).append((done - started).total_seconds())
    return out


def desk_medians(
    session: Session, site_id: int, day_start: datetime, at: datetime, default_s: float
) -> tuple[dict[str, float], float]:
    """Each desk's median service time (today, else history) and the site's."""
    today = service_times(session, site_id, day_start, at)
    history = service_times(session, site_id, day_start - timedelta(days=HISTORY_DAYS), day_start)
    medians: dict[str, float] = {}
    for name in {*today, *history}:
        m = median_or_none(today.get(name, ())) or median_or_none(history.get(name, ()))
        if m is not None:
            medians[name] = m
    site = (
        median_or_none(d for ds in today.values() for d in ds)
        or median_or_none(d for ds in history.values() for d in ds)
        or default_s
    )
    return medians, site


def predict(
    session: Session, service: QueueService, at: datetime, day: DoorDay, *, limit_extra: int
) -> Prediction:
    q = service.config.queue
    site_id = service.site_id
    fresh = at - timedelta(seconds=q.heartbeat_timeout_s)
    desks = tuple(
        sorted(
            session.execute(
                select(Desk.name)
                .join(DeskHeartbeat, DeskHeartbeat.desk_id == Desk.id)
                .where(Desk.site_id == site_id, DeskHeartbeat.seen_at >= fresh)
            ).scalars()
        )
    )
    midnight = datetime.combine(day.day, time(0), ZoneInfo(service.tz))
    medians, site_median = desk_medians(session, site_id, midnight, at, float(q.default_service_s))
    per_desk = (
        [medians.get(name, site_median) for name in desks]
        if desks
        else [site_median] * q.expected_desks
    )
    time_left = sum(max(0.0, (end - max(at, start)).total_seconds()) for start, end in day.periods)
    slots = math.floor(sum(time_left / m for m in per_desk))
    outstanding_numbers = list(
        session.execute(
            select(QueueTicket.number)
            .where(
                QueueTicket.site_id == site_id,
                QueueTicket.day == day.day,
                QueueTicket.status.in_(OUTSTANDING),
            )
            .order_by(QueueTicket.number)
        ).scalars()
    )
    last_issued = session.execute(
        select(func.max(QueueTicket.number)).where(
            QueueTicket.site_id == site_id, QueueTicket.day == day.day
        )
    ).scalar_one_or_none()
    outstanding = len(outstanding_numbers)
    room = slots + limit_extra
    if room >= outstanding:
        last_number: int | None = (last_issued or 0) + room - outstanding
    else:
        last_number = outstanding_numbers[room - 1] if room > 0 else None
    rate = sum(1 / m for m in per_desk)  # tickets per second, all desks together
    wait_s = int(outstanding / rate + max(0.0, (day.opens - at).total_seconds())) if rate else None
    return Prediction(slots, outstanding, room - outstanding, last_number, wait_s, desks)
