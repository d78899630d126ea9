"""Figure 8: ``handover demo --permits 1000000`` beside a raw ``executemany`` of the same rows.

The demo import is ``seed_demo`` on a new SQLite file (schema migrated, accounts, permits,
a few handovers), as the ``demo`` command runs it. The baseline inserts the very rows
``permit_rows`` gives (same seeds, same batches) with one ``sqlite3`` ``executemany`` in one
transaction, into the same migrated schema (same indexes). Generating the rows in Python is
timed on its own: it is part of the demo's time, not of the baseline's.

Then a delivery import of 5 rows (``handover import``) into a copy of that database: its
whole time, and how long it holds the write lock (from its ``BEGIN IMMEDIATE`` to the end of
its commit), which is how long a desk's handover may wait behind it. Everything else (the
file, every row, the look-up of the cards already in the database by their index) is done
before. The baseline is a raw ``sqlite3`` transaction inserting 5 rows into the same copy.

The database built here is kept in ``bench/.cache/`` for the other figures when none is
cached yet. Run: ``python -m bench.import_scale [--quick] [--json]``.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import (
    DEMO_SEED,
    FULL_PERMITS,
    QUICK_PERMITS,
    Row,
    bench_config,
    bench_main,
    build_demo_database,
    cached_demo_path,
    log,
    store_in_cache,
    work_folder,
)

FIGURE = "8"
TARGET_SECONDS = 60.0
SMALL_ROWS = 5
SMALL_ROUNDS = 7
SMALL_TARGET_MS = 100.0
BATCH = 20_000  # what seed_demo uses, so the baseline gets the same rows


def _sql_value(value: object) -> object:
    if isinstance(value, datetime):  # stored as naive UTC, as the ORM type does
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def raw_rows(count: int, seed: int) -> tuple[list[str], list[tuple[object, ...]], float]:
    """The demo's permit rows as tuples; the seconds ``permit_rows`` took to make them."""
    from handover.services.demo import permit_rows

    now = datetime.now(UTC).replace(microsecond=0)
    used: set[str] = set()
    columns: list[str] = []
    out: list[tuple[object, ...]] = []
    generating = 0.0
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        start = time.perf_counter()
        rows = permit_rows(n, seed + done, now, 1 + done, used)
        generating += time.perf_counter() - start
        if not columns:
            columns = list(rows[0])
        out.extend(tuple(_sql_value(r[c]) for c in columns) for r in rows)
        done += n
    return columns, out, generating


def raw_import(path: Path, columns: list[str], rows: list[tuple[object, ...]]) -> float:
    """Seconds for one ``executemany`` transaction of ``rows`` into a migrated schema."""
    from handover.persistence.db import open_database

    open_database(f"sqlite:///{path}", create=True).dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    sql = f"INSERT INTO permits ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    (loaded,) = conn.execute("SELECT count(*) FROM permits").fetchone()
    conn.close()
    if loaded != len(rows):
        raise RuntimeError(f"raw import loaded {loaded} rows of {len(rows)}")
    return seconds


def _delivery(path: Path, batch: int) -> Path:
    """A delivery file of ``SMALL_ROWS`` new permits (card numbers no demo permit has)."""
    lines = [
        "nom;prenoms;date_naissance;nationalite;numero_carte;categorie;valide_du;valide_au;"
        "casier;telephone"
    ]
    for i in range(SMALL_ROWS):
        lines.append(
            f"Benali-Müller;Hélène;0{1 + i}/03/1990;DZA;BENCH{batch:04d}{i:03d};"
            f"Carte de séjour temporaire;2026-01-15;15/01/2027;B-{i:02d};06 12 34 56 7{i}"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _supervisor(engine: Any) -> Any:
    """The benchmark's supervisor account, created once in the benchmark database."""
    from sqlalchemy import select

    from handover.domain.values import Role
    from handover.persistence.models import Agent
    from handover.persistence.uow import UnitOfWork
    from handover.services import accounts

    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.execute(select(Agent).where(Agent.username == "bench-chef")).scalar()
        if row is not None:
            return accounts.identity_of(row)
    return accounts.add_agent(
        UnitOfWork(engine), "bench-chef", "banc-de-mesure-2026", role=Role.SUPERVISOR,
        provisioning=True,
    )  # fmt: skip


def small_import(db: Path, folder: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds of each 5-row import, and of the write lock it held."""
    from sqlalchemy import Connection, event

    from handover.backoffice.imports import import_permits
    from handover.persistence.db import open_database
    from handover.persistence.engine import READ_ONLY

    engine = open_database(f"sqlite:///{db}")
    chef = _supervisor(engine)  # imports run as a stored supervisor's account
    writes: list[float] = []

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:  # after make_engine's listener has sent the BEGIN
        if not conn.get_execution_options().get(READ_ONLY, False):
            writes.append(time.perf_counter())

    totals: list[float] = []
    held: list[float] = []
    try:
        for k in range(rounds):
            path = _delivery(folder / f"livraison-{k}.csv", k)
            writes.clear()
            start = time.perf_counter()
            report = import_permits(engine, bench_config(), path, actor=chef)
            end = time.perf_counter()
            if report.imported != SMALL_ROWS or len(writes) != 1:
                raise RuntimeError(f"unexpected import: {report.summary()} ({len(writes)} writes)")
            totals.append(end - start)
            held.append(end - writes[0])
    finally:
        engine.dispose()
    return totals, held


def raw_small_insert(db: Path, rounds: int) -> list[float]:
    """Seconds of a raw transaction inserting 5 rows (same columns, same durability)."""
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    sql = (
        "INSERT INTO permits (card_number, surname, given_names, name_key, birth_date, "
        "nationality, sex, category, valid_from, valid_until, storage_slot, fee_cents, "
        "previous_card_expected, phone, state, received_at, created_at, updated_at) "
        "VALUES (?, 'Benali', 'Hélène', 'BENALI', '1990-03-01', 'DZA', 'X', 'Carte', "
        "'2026-01-15', '2027-01-15', 'B-01', 22500, 0, '+33612345678', 'received', ?, ?, ?)"
    )
    out = []
    for k in range(rounds):
        rows = [(f"RAW{k:04d}{i:03d}", now, now, now) for i in range(SMALL_ROWS)]
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        out.append(time.perf_counter() - start)
    conn.close()
    return out


def run(quick: bool) -> list[Row]:
    permits = QUICK_PERMITS if quick else FULL_PERMITS
    with work_folder() as folder:
        log(f"  handover demo --permits {permits:,}")
        demo_path = folder / "demo.sqlite3"
        demo_seconds = build_demo_database(demo_path, permits, DEMO_SEED)
        if not cached_demo_path(permits, DEMO_SEED).exists():
            store_in_cache(demo_path, permits, DEMO_SEED)
        log(f"  handover import of {SMALL_ROWS} rows into the {permits:,}-permit database")
        totals, held = small_import(demo_path, folder, SMALL_ROUNDS)
        raw_small = raw_small_insert(demo_path, SMALL_ROUNDS)
        demo_path.unlink()
        log(f"  raw executemany of {permits:,} rows")
        columns, rows, generating = raw_rows(permits, DEMO_SEED)
        raw_seconds = raw_import(folder / "raw.sqlite3", columns, rows)
    label = f"import {permits:,} permits"
    return [
        Row(
            FIGURE,
            f"{label}: handover demo (seed_demo)",
            "s",
            demo_seconds,
            baseline=raw_seconds,
            target=f"<{TARGET_SECONDS:g} s",
            met=demo_seconds < TARGET_SECONDS if not quick else None,
            note=f"of which {generating:.1f} s making the rows in Python (permit_rows)",
            samples=1,
        ),
        Row(FIGURE, f"{label}: raw executemany (baseline)", "s", raw_seconds, samples=1),
        Row(
            FIGURE,
            f"import {SMALL_ROWS} rows into {permits:,} permits: write lock held",
            "ms",
            1000 * statistics.median(held),
            p99=1000 * max(held),
            baseline=1000 * statistics.median(raw_small),
            target=f"<{SMALL_TARGET_MS:g} ms",
            met=1000 * statistics.median(held) < SMALL_TARGET_MS if not quick else None,
            note="what a desk's handover can wait behind; baseline: raw sqlite3 5-row insert",
            samples=len(held),
        ),
        Row(
            FIGURE,
            f"import {SMALL_ROWS} rows into {permits:,} permits: whole command",
            "ms",
            1000 * statistics.median(totals),
            p99=1000 * max(totals),
            note="read, checks and card look-ups by index (no lock), then the write",
            samples=len(totals),
        ),
    ]


if __name__ == "__main__":
    bench_main(run, __doc__)
