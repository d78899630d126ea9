"""Replay a morning at the door, with and without triage (``handover queue simulate``).

A deliberately small model, stated in the README: people arrive evenly from ``arrive_from``
over ``arrive_minutes``; a share has a permit that is not ready; of the others, a share
lacks the stamps or the old card. Desks serve in ticket (arrival) order during the window.

Without triage everyone queues; someone whose permit is not ready learns it at the desk
(``refusal_s``), someone incomplete leaves without the permit after ``refusal_s`` too;
those still queued at closing are turned away after waiting.

With triage the door judges each permit on arrival: not ready → told at once, no wait; the
ticket lists what to bring, and ``fix_share`` of the incomplete get it while waiting (stamps
bought online); the door stops issuing tickets when the capacity prediction
(``handover.queue.capacity``'s formula) says one more would not be served.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Scenario:
    arrivals: int = 400
    arrive_from: datetime = datetime(2026, 1, 5, 7, 0)  # local wall-clock times
    arrive_minutes: int = 150
    opens: datetime = datetime(2026, 1, 5, 9, 0)
    closes: datetime = datetime(2026, 1, 5, 11, 0)
    desks: int = 3
    service_s: float = 240.0  # median of a complete handover
    refusal_s: float = 90.0  # telling someone at the desk that it cannot be done today
    not_ready_share: float = 0.25
    incomplete_share: float = 0.3  # of the people whose permit is ready
    fix_share: float = 0.5  # of the incomplete, with the ticket's list, while waiting
    seed: int = 1


@dataclass(frozen=True)
class Result:
    triage: bool
    queued: int  # people who arrived
    received: int  # people seen at a desk
    complete: int  # people who left with their permit
    turned_away_after_waiting: int
    turned_away_at_door: int  # told at once (not ready, or beyond the cut-off): no wait
    wait_median_min: float | None  # arrival → desk, people received
    wait_p90_min: float | None


@dataclass
class _Person:
    arrival: float  # seconds after the opening (negative: before)
    ready: bool
    complete: bool


def _people(sc: Scenario) -> list[_Person]:
    rng = random.Random(sc.seed)
    start = (sc.arrive_from - sc.opens).total_seconds()
    span = sc.arrive_minutes * 60
    people = []
    for i in range(sc.arrivals):
        arrival = start + span * (i + rng.random()) / sc.arrivals
        ready = rng.random() >= sc.not_ready_share
        complete = ready and rng.random() >= sc.incomplete_share
        people.append(_Person(arrival, ready, complete))
    return people


def _service(rng: random.Random, median: float) -> float:
    return median * math.exp(rng.gauss(0.0, 0.35))  # log-normal around the median


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def run(sc: Scenario, *, triage: bool) -> Result:
    rng = random.Random(sc.seed + (1 if triage else 0))
    window = (sc.closes - sc.opens).total_seconds()
    free = [0.0] * sc.desks  # when each desk is next free (seconds after opening)
    starts: list[float] = []  # service starts of the ticket holders so far
    received = complete = after_wait = at_door = 0
    waits: list[float] = []
    for person in _people(sc):
        is_complete = person.complete
        if triage:
            if not person.ready:
                at_door += 1
                continue
            now = person.arrival
            ahead = sum(1 for s in starts if s > now)
            left = window - max(now, 0.0)
            if math.floor(sc.desks * left / sc.service_s) - ahead <= 0:
                at_door += 1  # the cut-off: told the next opening, without waiting
                continue
            if not is_complete and rng.random() < sc.fix_share:
                is_complete = True
        desk = min(range(sc.desks), key=free.__getitem__)
        start = max(free[desk], person.arrival, 0.0)
        if start >= window:
            after_wait += 1
            starts.append(math.inf)
            continue
        starts.append(start)
        received += 1
        waits.append((start - person.arrival) / 60)
        served_whole = person.ready and is_complete
        complete += served_whole
        free[desk] = start + (
            _service(rng, sc.service_s) if served_whole else _service(rng, sc.refusal_s)
        )
    return Result(
        triage=triage,
        queued=sc.arrivals,
        received=received,
        complete=complete,
        turned_away_after_waiting=after_wait,
        turned_away_at_door=at_door,
        wait_median_min=statistics.median(waits) if waits else None,
        wait_p90_min=_p90(waits),
    )
