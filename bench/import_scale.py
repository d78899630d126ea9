"""Figure 8: ``handover demo --permits 1000000`` beside a raw ``executemany`` of the same rows.

The demo import is ``seed_demo`` on a new SQLite file (schema migrated, accounts, permits,
a few handovers), as the ``demo`` command runs it. The baseline inserts the very rows
``permit_rows`` gives (same seeds, same batches) with one ``sqlite3`` ``executemany`` in one
transaction, into the same migrated schema (same indexes). Generating the rows in Python is
timed on its own: it is part of the demo's time, not of the baseline's.

The database built here is kept in ``bench/.cache/`` for the other figures when none is
cached yet. Run: ``python -m bench.import_scale [--quick] [--json]``.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.common import (
    DEMO_SEED,
    FULL_PERMITS,
    QUICK_PERMITS,
    Row,
    bench_main,
    build_demo_database,
    cached_demo_path,
    log,
    store_in_cache,
    work_folder,
)

FIGURE = "8"
TARGET_SECONDS = 60.0
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


def run(quick: bool) -> list[Row]:
    permits = QUICK_PERMITS if quick else FULL_PERMITS
    with work_folder() as folder:
        log(f"  handover demo --permits {permits:,}")
        demo_path = folder / "demo.sqlite3"
        demo_seconds = build_demo_database(demo_path, permits, DEMO_SEED)
        if not cached_demo_path(permits, DEMO_SEED).exists():
            store_in_cache(demo_path, permits, DEMO_SEED)
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
    ]


if __name__ == "__main__":
    bench_main(run, __doc__)
