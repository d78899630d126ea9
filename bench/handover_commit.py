"""Figure 3: one handover commit, beside a raw transaction writing the same rows.

The use case is ``CounterService.hand_over`` (every row, a 20 KB signature, the audit entry)
on SQLite with ``synchronous=FULL`` and on PostgreSQL over loopback with fsync on. The
baseline is the hand-written transaction a programmer would write with ``sqlite3`` or
``psycopg``: the same conditional update, the same inserts, the same audit chain step.
Use case and baseline alternate commit by commit, so both see the same disk.

Run: ``python -m bench.handover_commit [--quick] [--json]``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bench.common import (
    FULL_PERMITS,
    QUICK_PERMITS,
    Row,
    bench_config,
    bench_main,
    demo_database,
    log,
    png_of_size,
    postgres_missing,
    stats_ms,
    work_copy,
)

if TYPE_CHECKING:
    from handover.services.demo import DemoHolder as Candidate

FIGURE = "3"
TARGET_RATIO = 2.0
SIGNATURE_BYTES = 20_000
PG_PERMITS = 20_000


def stamp_number(i: int) -> str:
    # A prefix no demo stamp uses in practice: demo stamps are random 16-digit numbers.
    return f"99{i:014d}"


def make_request(c: Candidate, i: int, signature: bytes) -> Any:
    """The request a desk sends: the holder's passport and cards, as scanned."""
    from handover.services.demo import demo_request

    return demo_request(
        c, stamp=stamp_number(i), signature_png=signature, passport_number=f"AB{i:07d}"
    )


def notified_permits(engine: Any, count: int) -> list[Candidate]:
    from sqlalchemy import select

    from handover.persistence.models import Permit, PermitState
    from handover.persistence.uow import UnitOfWork
    from handover.services.demo import DEMO_HOLDER_COLUMNS, DemoHolder

    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(*DEMO_HOLDER_COLUMNS)
            .where(Permit.state == PermitState.NOTIFIED)
            .order_by(Permit.id)
            .limit(count)
        ).all()
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} notified permits, {count} needed")
    return [DemoHolder(*r) for r in rows]


class RawHandover:
    """The same rows as ``record_handover``, written by hand in one transaction.

    ``?`` placeholders; PostgreSQL gets ``%s`` and a row lock on the audit head.
    """

    def __init__(self, conn: Any, *, postgres: bool, desk_id: int, desk_name: str) -> None:
        self.conn = conn
        self.postgres = postgres
        self.desk_id = desk_id
        self.desk_name = desk_name

    def sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.postgres else text

    def when(self, at: datetime) -> object:
        naive = at.astimezone(UTC).replace(tzinfo=None)
        return naive if self.postgres else naive.isoformat(sep=" ", timespec="microseconds")

    def insert_id(self, cur: Any, text: str, args: tuple[object, ...]) -> int:
        if self.postgres:
            cur.execute(self.sql(text + " RETURNING id"), args)
            return int(cur.fetchone()[0])
        cur.execute(text, args)
        return int(cur.lastrowid)

    def hand_over(self, c: Candidate, i: int, signature: bytes, agent: Any, at: datetime) -> None:
        from handover import audit
        from handover.domain.values import handover_number

        conn = self.conn
        cur = conn.cursor()
        x = self.sql
        if not self.postgres:
            cur.execute("BEGIN IMMEDIATE")
        try:
            now = self.when(at)
            cur.execute(
                x(
                    "UPDATE permits SET state = 'handed_over', closed_at = ?, updated_at = ? "
                    "WHERE id = ? AND state IN ('notified', 'received')"
                ),
                (now, now, c.permit_id),
            )
            if cur.rowcount != 1:
                raise RuntimeError(f"permit {c.permit_id} not available")
            stamps = 1 if c.fee_cents else 0
            hid = self.insert_id(
                cur,
                "INSERT INTO handovers (permit_id, desk_id, agent_id, handed_over_at, "
                "stamps_total_cents, audit_hash) VALUES (?, ?, ?, ?, ?, '')",
                (c.permit_id, self.desk_id, agent.agent_id, now, c.fee_cents),
            )
            cur.execute(
                x(
                    "INSERT INTO identity_checks (handover_id, document_type, issuing_country, "
                    "number_last4, from_scan) VALUES (?, 'passport', 'SEN', ?, ?)"
                ),
                (hid, f"{i:07d}"[-4:], False),
            )
            if stamps:
                cur.execute(
                    x(
                        "INSERT INTO tax_stamps (stamp_number, handover_id, amount_cents) "
                        "VALUES (?, ?, ?)"
                    ),
                    (stamp_number(i), hid, c.fee_cents),
                )
            cur.execute(
                x(
                    "INSERT INTO previous_cards (handover_id, outcome, card_number_last4) "
                    "VALUES (?, ?, ?)"
                ),
                (
                    hid,
                    "taken_back" if c.previous_card_expected else "none",
                    f"{c.permit_id:09d}"[-4:] if c.previous_card_expected else None,
                ),
            )
            cur.execute(
                x("INSERT INTO signatures (handover_id, png, sha256) VALUES (?, ?, ?)"),
                (hid, signature, hashlib.sha256(signature).hexdigest()),
            )
            lock = " FOR UPDATE" if self.postgres else ""
            cur.execute(f"SELECT last_id, last_hash FROM audit_head WHERE id = 1{lock}")
            last_id, last_hash = cur.fetchone()
            entry_id = int(last_id) + 1
            details = audit.details_json(
                {"handover": handover_number(hid, at), "stamps": stamps, "raw": True}
            )
            subject = f"permit:{c.permit_id}"
            digest = audit.chain_hash(
                last_hash,
                audit.canonical(
                    entry_id, at, self.desk_name, agent.pseudonym, "handover", subject, details
                ),
            )
            cur.execute(
                x(
                    "INSERT INTO audit_entries (id, at, desk, agent, action, subject, details, "
                    "prev_hash, hash) VALUES (?, ?, ?, ?, 'handover', ?, ?, ?, ?)"
                ),
                (
                    entry_id,
                    now,
                    self.desk_name,
                    agent.pseudonym,
                    subject,
                    details,
                    last_hash,
                    digest,
                ),
            )
            cur.execute(
                x("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"),
                (entry_id, digest),
            )
            cur.execute(x("UPDATE handovers SET audit_hash = ? WHERE id = ?"), (digest, hid))
        except BaseException:
            conn.rollback() if self.postgres else cur.execute("ROLLBACK")
            raise
        if self.postgres:
            conn.commit()
        else:
            cur.execute("COMMIT")


def alternate(
    use_case: Callable[[int], object], baseline: Callable[[int], object], count: int, warmup: int
) -> tuple[list[int], list[int]]:
    """Time both, one call each in turn, so a slow moment of the disk hits both alike."""
    clock = time.perf_counter_ns
    a: list[int] = []
    b: list[int] = []
    for i in range(warmup + count):
        start = clock()
        use_case(i)
        mid = clock()
        baseline(i)
        end = clock()
        if i >= warmup:
            a.append(mid - start)
            b.append(end - mid)
    return a, b


def measure(engine: Any, raw_conn: Any, *, postgres: bool, count: int, warmup: int) -> tuple:
    from handover.domain.clock import FakeClock
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from tests.handover.services.helpers import OPEN_AT

    counter = CounterService(engine, bench_config(), clock=FakeClock(OPEN_AT))
    agent = counter.login("agent1", DEMO_ACCOUNTS["agent1"][2])
    total = count + warmup
    candidates = notified_permits(engine, 2 * total)
    ours, theirs = candidates[0::2], candidates[1::2]
    signature = png_of_size(SIGNATURE_BYTES)
    assert len(signature) >= SIGNATURE_BYTES
    raw = RawHandover(
        raw_conn, postgres=postgres, desk_id=counter.desk.desk_id, desk_name=counter.desk.desk_name
    )
    requests = [make_request(c, i, signature) for i, c in enumerate(ours)]
    at = OPEN_AT + timedelta(seconds=1)

    def use_case(i: int) -> object:
        return counter.hand_over(requests[i], agent)

    def baseline(i: int) -> None:
        raw.hand_over(theirs[i], total + i, signature, agent, at)

    return alternate(use_case, baseline, count, warmup)


def rows_for(backend: str, ours: list[int], theirs: list[int]) -> list[Row]:
    a, b = stats_ms(ours), stats_ms(theirs)
    return [
        Row(
            FIGURE,
            f"handover commit {backend}: CounterService.hand_over",
            "ms",
            a.median_ms,
            a.p99_ms,
            b.median_ms,
            target=f"≤{TARGET_RATIO:g}× raw",
            met=a.median_ms <= TARGET_RATIO * b.median_ms,
            samples=a.count,
        ),
        Row(
            FIGURE,
            f"handover commit {backend}: raw transaction (baseline)",
            "ms",
            b.median_ms,
            b.p99_ms,
            samples=b.count,
        ),
    ]


def run_sqlite(quick: bool) -> list[Row]:
    from handover.persistence.engine import make_engine

    count, warmup = (10, 3) if quick else (300, 20)
    source = demo_database(QUICK_PERMITS if quick else FULL_PERMITS)
    with work_copy(source) as path:
        engine = make_engine(f"sqlite:///{path}")
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
            conn.execute(f"PRAGMA {pragma}")
        log(f"  handover commit SQLite ×{count}")
        ours, theirs = measure(engine, conn, postgres=False, count=count, warmup=warmup)
        conn.close()
        engine.dispose()
    return rows_for("SQLite (synchronous=FULL)", ours, theirs)


def run_postgres(quick: bool) -> list[Row]:
    import psycopg

    from handover.persistence.db import open_database
    from handover.services.demo import seed_demo
    from tests.support.pgcluster import PgCluster

    count, warmup = (10, 3) if quick else (300, 20)
    cluster = PgCluster(fsync=True).start()
    try:
        url = cluster.create_database("bench")
        engine = open_database(url, create=True)
        log("  seeding PostgreSQL …")
        seed_demo(engine, bench_config(), permits=QUICK_PERMITS if quick else PG_PERMITS, seed=1)
        conn = psycopg.connect(
            host="127.0.0.1", port=cluster.port, user=cluster.user, dbname="bench"
        )
        log(f"  handover commit PostgreSQL ×{count}")
        ours, theirs = measure(engine, conn, postgres=True, count=count, warmup=warmup)
        conn.close()
        engine.dispose()
    finally:
        cluster.stop()
    return rows_for("PostgreSQL (fsync on, loopback)", ours, theirs)


def run(quick: bool) -> list[Row]:
    from bench.common import skipped

    rows = run_sqlite(quick)
    missing = postgres_missing()
    if missing:
        return [*rows, skipped(FIGURE, "handover commit PostgreSQL", missing)]
    return rows + run_postgres(quick)


if __name__ == "__main__":
    bench_main(run, __doc__)
