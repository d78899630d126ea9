"""Figure 4: desks in parallel on one PostgreSQL database (fsync on, loopback).

16 worker processes, one desk each, run full handovers (``CounterService.hand_over``) of
distinct permits: handovers per second beside one desk alone in the same run. Then a
contention run: every desk tries to hand over the same permits, each in its own order; the
database must end with exactly one handover per permit (zero duplicates).

Run: ``python -m bench.desks_parallel [--quick] [--json]``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench.common import (
    QUICK_PERMITS,
    Row,
    bench_config,
    bench_main,
    log,
    png_of_size,
    postgres_missing,
    skipped,
    stats_ms,
)
from bench.handover_commit import SIGNATURE_BYTES, make_request, notified_permits

if TYPE_CHECKING:
    from handover.services.demo import DemoHolder as Candidate

FIGURE = "4"
PG_PERMITS = 20_000


@dataclass(frozen=True)
class Job:
    url: str
    desk: str
    candidates: list[Candidate]  # the first one is the warm-up, handed over before the start
    first_index: int  # for unique stamp and identity numbers across workers


@dataclass
class Outcome:
    desk: str
    latencies_ns: list[int] = field(default_factory=list)
    done: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    finished_at_ns: int = 0


def desk_worker(job: Job, barrier: Any, results: Any) -> None:
    """One desk: log in, wait for the others, hand over every candidate, report."""
    from dataclasses import replace

    from handover.config import DeskConfig
    from handover.domain.clock import FakeClock
    from handover.persistence.engine import make_engine
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from handover.services.handovers import HandoverRefused
    from tests.handover.services.helpers import OPEN_AT

    engine = make_engine(job.url)
    config = replace(bench_config(), desk=DeskConfig(name=job.desk))
    counter = CounterService(engine, config, clock=FakeClock(OPEN_AT))
    agent = counter.login("agent1", DEMO_ACCOUNTS["agent1"][2])
    signature = png_of_size(SIGNATURE_BYTES)
    requests = [
        make_request(c, job.first_index + i, signature) for i, c in enumerate(job.candidates)
    ]
    counter.hand_over(requests.pop(0), agent)  # warm-up: connection, statement caches
    out = Outcome(job.desk)
    barrier.wait()
    clock = time.monotonic_ns
    for request in requests:
        start = clock()
        try:
            counter.hand_over(request, agent)
            out.done += 1
        except HandoverRefused:
            out.refused += 1
        except Exception as exc:  # a bench reports every failure rather than stopping
            out.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        out.latencies_ns.append(clock() - start)
    out.finished_at_ns = clock()
    engine.dispose()
    results.put(out)


def run_desks(url: str, jobs: list[Job]) -> tuple[float, list[Outcome]]:
    """Start one process per job; seconds from the common start to the last desk's end."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(jobs) + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=desk_worker, args=(job, barrier, results)) for job in jobs]
    for p in procs:
        p.start()
    barrier.wait(timeout=300)
    started = time.monotonic_ns()
    outcomes = [results.get(timeout=600) for _ in jobs]
    for p in procs:
        p.join(timeout=60)
    wall = (max(o.finished_at_ns for o in outcomes) - started) / 1e9
    return wall, outcomes


def duplicates(engine: Any) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT permit_id FROM handovers GROUP BY permit_id "
                    "HAVING count(*) > 1) AS d"
                )
            ).scalar_one()
        )


def run(quick: bool) -> list[Row]:
    missing = postgres_missing()
    if missing:
        return [skipped(FIGURE, "desks in parallel", missing)]
    from sqlalchemy import text

    from handover.persistence.db import open_database
    from handover.persistence.uow import UnitOfWork
    from handover.services.demo import seed_demo
    from handover.services.desks import ensure_desk
    from tests.support.pgcluster import PgCluster

    desks, per_desk, shared = (2, 2, 3) if quick else (16, 50, 60)
    cluster = PgCluster(fsync=True, max_connections=200).start()
    try:
        url = cluster.create_database("bench")
        engine = open_database(url, create=True)
        log("  seeding PostgreSQL …")
        seed_demo(engine, bench_config(), permits=QUICK_PERMITS if quick else PG_PERMITS, seed=1)
        names = [f"Guichet {k + 1}" for k in range(desks)]
        for name in names:  # created here, so that desks starting together do not race for it
            from dataclasses import replace

            from handover.config import DeskConfig

            ensure_desk(UnitOfWork(engine), replace(bench_config(), desk=DeskConfig(name=name)))
        pool = notified_permits(engine, per_desk * (desks + 1) + shared + 3 * desks)
        alone = pool[:per_desk]
        distinct = pool[per_desk : per_desk * (desks + 1)]
        common = pool[per_desk * (desks + 1) : per_desk * (desks + 1) + shared]
        spare = iter(pool[per_desk * (desks + 1) + shared :])

        log(f"  1 desk × {per_desk} handovers")
        wall1, (solo,) = run_desks(url, [Job(url, names[0], [next(spare), *alone], 0)])
        log(f"  {desks} desks × {per_desk} distinct handovers")
        jobs = [
            Job(
                url,
                names[k],
                [next(spare), *distinct[k * per_desk : (k + 1) * per_desk]],
                (k + 1) * (per_desk + 1),
            )
            for k in range(desks)
        ]
        wall_n, many = run_desks(url, jobs)
        log(f"  {desks} desks × the same {shared} permits")
        contention_jobs = []
        base = (per_desk + 1) * (desks + 1)
        for k in range(desks):
            order = list(common)
            random.Random(k).shuffle(order)
            # Stamp numbers must differ between desks too, or the stamp (not the permit) would
            # be what refuses the second handover.
            job = Job(url, names[k], [next(spare), *order], base + k * (shared + 1))
            contention_jobs.append(job)
        wall_c, fought = run_desks(url, contention_jobs)
        dups = duplicates(engine)
        with engine.connect() as conn:
            shared_done = int(
                conn.execute(
                    text("SELECT count(*) FROM handovers WHERE permit_id = ANY(:ids)"),
                    {"ids": [c.permit_id for c in common]},
                ).scalar_one()
            )
        engine.dispose()
    finally:
        cluster.stop()

    errors = [e for o in (solo, *many, *fought) for e in o.errors]
    solo_rate = solo.done / wall1
    many_done = sum(o.done for o in many)
    many_rate = many_done / wall_n
    lat1 = stats_ms(solo.latencies_ns)
    lat_n = stats_ms([x for o in many for x in o.latencies_ns])
    lat_c = stats_ms([x for o in fought for x in o.latencies_ns])
    won = sum(o.done for o in fought)
    refused = sum(o.refused for o in fought)
    exactly_once = dups == 0 and won == len(common) and shared_done == len(common)
    note_err = f"; {len(errors)} errors, first: {errors[0]}" if errors else ""
    return [
        Row(
            FIGURE,
            f"{desks} desks, distinct permits: throughput",
            "handovers/s",
            many_rate,
            baseline=solo_rate,
            note=f"{many_done} handovers in {wall_n:.2f} s; baseline: 1 desk alone; the desk "
            f"processes and the server share {os.cpu_count()} CPUs{note_err}",
            samples=many_done,
        ),
        Row(
            FIGURE,
            f"{desks} desks, distinct permits: latency per handover",
            "ms",
            lat_n.median_ms,
            lat_n.p99_ms,
            lat1.median_ms,
            samples=lat_n.count,
        ),
        Row(
            FIGURE,
            f"{desks} desks × same {len(common)} permits: latency per attempt",
            "ms",
            lat_c.median_ms,
            lat_c.p99_ms,
            target="0 duplicates",
            met=exactly_once,
            note=(
                f"{won} handed over, {refused} refused, {dups} duplicates, "
                f"{len(common) / wall_c:.0f} permits/s settled"
            ),
            samples=lat_c.count,
        ),
    ]


if __name__ == "__main__":
    bench_main(run, __doc__)
