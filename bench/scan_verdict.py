"""Figure 1: scan → verdict at 1,000,000 permits, beside raw sqlite3 prepared queries.

Three scan kinds (handover reference, numéro étranger, passport MRZ → name + birth date),
each measured four ways on the same database in the same run:

- ``check``: ``CounterService.check`` as the counter calls it (parse, look-up read as Core
  rows, verdict, audit entry and scan_events row, committed without a sync of its own:
  WAL with ``synchronous=NORMAL`` for that transaction);
- ``read-only``: parse + ``verdicts.verdict_for`` in a read-only unit of work (no writes);
- ``raw``: the hand-written query a programmer would write, through ``sqlite3`` (the
  baseline of the ratio);
- ``raw + writes``: the same query plus the same writes (audit entry with its SHA-256,
  chain head, scan row) committed the same way, through ``sqlite3``: what the audit costs
  when written by hand.

Run: ``python -m bench.scan_verdict [--quick] [--json]``.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bench.common import (
    FULL_PERMITS,
    QUICK_PERMITS,
    Row,
    bench_config,
    bench_main,
    demo_database,
    log,
    stats_ms,
    td3_mrz,
    time_each,
    work_copy,
)

TARGET_RATIO = 5.0
TARGET_P99_MS = 2.0
FIGURE = "1"

PERMIT_COLUMNS = (
    "id, handover_reference, numero_etranger, anef_request_number, card_number, surname, "
    "given_names, name_key, birth_date, nationality, sex, category, valid_from, valid_until, "
    "storage_slot, fee_cents, previous_card_expected, phone, state, state_reason, received_at, "
    "notified_at, reminded_at, closed_at, personal_data_purged_at, import_batch, created_at, "
    "updated_at"
)
RAW_QUERIES = {
    "reference": f"SELECT {PERMIT_COLUMNS} FROM permits WHERE handover_reference = ?",
    "numéro étranger": f"SELECT {PERMIT_COLUMNS} FROM permits WHERE numero_etranger = ?",
    "MRZ name+birth": (
        f"SELECT {PERMIT_COLUMNS} FROM permits WHERE birth_date = ? AND name_key = ?"
    ),
}


@dataclass(frozen=True)
class Holder:
    reference: str
    numero_etranger: str
    surname: str
    given_names: str
    name_key: str
    birth_date: date


def sample_holders(path: Path, count: int, seed: int = 7) -> list[Holder]:
    """``count`` random permits that have a handover reference (every state but expected)."""
    with sqlite3.connect(path) as conn:
        top = int(conn.execute("SELECT max(id) FROM permits").fetchone()[0])
        rng = random.Random(seed)
        found: list[Holder] = []
        while len(found) < count:
            ids = rng.sample(range(1, top + 1), min(top, 2 * count))
            marks = ",".join("?" * len(ids))
            rows = conn.execute(
                "SELECT handover_reference, numero_etranger, surname, given_names, name_key, "
                f"birth_date FROM permits WHERE handover_reference IS NOT NULL AND id IN ({marks})",
                ids,
            ).fetchall()
            found.extend(
                Holder(r[0], r[1], r[2], r[3], r[4], date.fromisoformat(r[5])) for r in rows
            )
    conn.close()
    return found[:count]


def scans(holders: list[Holder]) -> dict[str, list[str]]:
    """What the scanner sends for each holder, per kind."""
    return {
        "reference": [h.reference for h in holders],
        "numéro étranger": [h.numero_etranger for h in holders],
        "MRZ name+birth": [
            td3_mrz(h.surname, h.given_names, h.birth_date, number=f"P{i:07d}")
            for i, h in enumerate(holders)
        ],
    }


def raw_params(holders: list[Holder]) -> dict[str, list[tuple[str, ...]]]:
    return {
        "reference": [(h.reference,) for h in holders],
        "numéro étranger": [(h.numero_etranger,) for h in holders],
        "MRZ name+birth": [(h.birth_date.isoformat(), h.name_key) for h in holders],
    }


def raw_audited_lookup(
    conn: sqlite3.Connection, query: str, args: tuple[str, ...], desk_id: int
) -> object:
    """The raw query plus the writes ``check`` makes, in one transaction (WAL, NORMAL)."""
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(query, args).fetchall()
    last_id, last_hash = conn.execute(
        "SELECT last_id, last_hash FROM audit_head WHERE id = 1"
    ).fetchone()
    at = "2026-11-24 08:30:00.000000"
    new_id = last_id + 1
    digest = hashlib.sha256(f"{last_hash}{new_id}{at}scan.verdict".encode()).hexdigest()
    conn.execute(
        "INSERT INTO audit_entries (id, at, desk, agent, action, subject, details, prev_hash, "
        "hash) VALUES (?, ?, 'Guichet 1', 'a1', 'scan.verdict', 'permit:1', '{}', ?, ?)",
        (new_id, at, last_hash, digest),
    )
    conn.execute("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", (new_id, digest))
    conn.execute(
        "INSERT INTO scan_events (at, desk_id, verdict) VALUES (?, ?, 'ready')", (at, desk_id)
    )
    conn.execute("COMMIT")
    return rows


def run(quick: bool) -> list[Row]:
    from handover.domain.clock import FakeClock
    from handover.domain.values import VerdictKind
    from handover.persistence.engine import make_engine
    from handover.persistence.uow import UnitOfWork
    from handover.services import verdicts
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from tests.handover.services.helpers import OPEN_AT

    permits = QUICK_PERMITS if quick else FULL_PERMITS
    count, warmup = (30, 10) if quick else (2000, 200)
    source = demo_database(permits)
    rows: list[Row] = []
    with work_copy(source) as path:
        holders = sample_holders(path, count + warmup)
        payloads = scans(holders)
        params = raw_params(holders)
        engine = make_engine(f"sqlite:///{path}")
        counter = CounterService(engine, bench_config(), clock=FakeClock(OPEN_AT))
        agent = counter.login("agent1", DEMO_ACCOUNTS["agent1"][2])
        status = counter.window_status()
        assert status.is_open, "OPEN_AT must be inside the opening window"

        raw = sqlite3.connect(path, isolation_level=None)
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA foreign_keys = ON")

        def read_only(text: str) -> object:
            result = counter.parse(text)
            with UnitOfWork(engine, read_only=True) as uow:
                return verdicts.verdict_for(
                    uow.session, result.value, window=status, timezone=counter.tz
                )

        found: dict[str, int] = {}
        for kind, texts in payloads.items():
            log(f"  scan → verdict: {kind} ×{count}")
            query = RAW_QUERIES[kind]
            args = params[kind]

            def raw_lookup(i: int, q: str = query, a: list[tuple[str, ...]] = args) -> object:
                return raw.execute(q, a[i]).fetchall()

            def raw_writes(i: int, q: str = query, a: list[tuple[str, ...]] = args) -> object:
                return raw_audited_lookup(raw, q, a[i], counter.desk.desk_id)

            def use_ro(i: int, t: list[str] = texts) -> object:
                return read_only(t[i])

            unknown = 0

            def use_check(i: int, t: list[str] = texts) -> object:
                nonlocal unknown
                verdict = counter.check(t[i], agent)
                unknown += verdict.kind in (VerdictKind.UNKNOWN, VerdictKind.INVALID_SCAN)
                return verdict

            measured: dict[str, list[int]] = {}
            work: dict[str, Callable[[int], object]] = {
                "raw": raw_lookup,
                "raw + writes": raw_writes,
                "read-only": use_ro,
                "check": use_check,
            }
            for name, fn in work.items():
                measured[name] = time_each(fn, count, warmup=warmup)
            found[kind] = count + warmup - unknown
            base = stats_ms(measured["raw"])
            for name, label, note in (
                ("check", "CounterService.check", "parse, look-up, verdict, audit + scan row"),
                ("read-only", "read-only verdict_for", "parse + look-up + verdict, no write"),
                ("raw + writes", "raw sqlite3 + same writes", "query + audit + scan row"),
            ):
                s = stats_ms(measured[name])
                met = s.median_ms <= TARGET_RATIO * base.median_ms and s.p99_ms < TARGET_P99_MS
                rows.append(
                    Row(
                        FIGURE,
                        f"scan→verdict {kind}: {label}",
                        "ms",
                        s.median_ms,
                        s.p99_ms,
                        base.median_ms,
                        target=f"≤{TARGET_RATIO:g}× raw, p99<{TARGET_P99_MS:g}",
                        met=met if name == "check" else None,
                        note=note if kind == "reference" else "",
                        samples=s.count,
                    )
                )
            rows.append(
                Row(
                    FIGURE,
                    f"scan→verdict {kind}: raw sqlite3 (baseline)",
                    "ms",
                    base.median_ms,
                    base.p99_ms,
                    samples=base.count,
                )
            )
            if unknown:
                rows[-1] = replace(
                    rows[-1], note=f"{unknown} scans found no permit: check the generated scans"
                )
        raw.close()
        engine.dispose()
    return rows


if __name__ == "__main__":
    bench_main(run, __doc__)
