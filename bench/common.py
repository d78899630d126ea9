"""What every benchmark shares: timing, the result row, the cached demo database, printing.

Each benchmark module has ``run(quick: bool) -> list[Row]`` and a ``main`` taking
``--json`` and ``--quick``; ``bench.run`` collects them into one table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from handover.config import Config, DeskConfig
from handover.scanning.mrz import check_digit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE = BENCH_DIR / ".cache"
FULL_PERMITS = 1_000_000
QUICK_PERMITS = 3_000
DEMO_SEED = 1

# The files whose change makes a cached demo database stale.
_SCHEMA_SOURCES = (
    ROOT / "handover" / "services" / "demo.py",
    ROOT / "handover" / "persistence" / "models.py",
    *sorted((ROOT / "handover" / "persistence" / "migrations" / "versions").glob("*.py")),
)


@dataclass(frozen=True)
class Row:
    """One line of the table. Times in ``unit``; ``baseline`` is measured in the same run."""

    figure: str
    label: str
    unit: str
    median: float | None
    p99: float | None = None
    baseline: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    samples: int = 0

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.baseline:
            return None
        return self.median / self.baseline

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        return data


def skipped(figure: str, label: str, reason: str) -> Row:
    return Row(figure, label, "", None, note=f"SKIPPED: {reason}")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


@dataclass(frozen=True)
class Stats:
    median_ms: float
    p99_ms: float
    count: int


def stats_ms(nanoseconds: Sequence[int]) -> Stats:
    ms = [n / 1e6 for n in nanoseconds]
    return Stats(statistics.median(ms), percentile(ms, 99), len(ms))


def time_each(work: Callable[[int], object], count: int, *, warmup: int = 0) -> list[int]:
    """Call ``work(i)`` for i in range(warmup + count); the durations of the last ``count``."""
    clock = time.perf_counter_ns
    for i in range(warmup):
        work(i)
    out: list[int] = []
    for i in range(warmup, warmup + count):
        start = clock()
        work(i)
        out.append(clock() - start)
    return out


def bench_config(desk: str = "Guichet 1") -> Config:
    """The default configuration, whatever config file the machine has, for one desk."""
    config = Config()
    return replace(config, desk=DeskConfig(name=desk))


def png_of_size(size: int, seed: int = 0) -> bytes:
    """A valid grey PNG of about ``size`` bytes (incompressible pixels): a heavy signature."""
    import random

    rng = random.Random(seed)
    width = 200
    height = max(1, -(-size // (width + 1)))
    raw = b"".join(b"\x00" + rng.randbytes(width) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


# -- MRZ ------------------------------------------------------------------------------------
_MRZ_SPELLING = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Ł": "L", "Ø": "OE"})


def mrz_name(text: str) -> str:
    """A name as an MRZ writes it: ICAO transliteration, ``<`` for spaces and hyphens."""
    upper = text.upper().translate(_MRZ_SPELLING)
    plain = "".join(c for c in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(c))
    out = []
    for c in plain:
        if "A" <= c <= "Z":
            out.append(c)
        elif c in " -":
            out.append("<")
    return "".join(out)


def td3_mrz(
    surname: str,
    given_names: str,
    birth: date,
    *,
    number: str = "P1234567",
    nationality: str = "DZA",
    sex: str = "M",
    expiry: date = date(2031, 5, 4),
) -> str:
    """A valid two-line passport MRZ (TD3) for this holder, lines joined by a line feed."""
    names = f"{mrz_name(surname)}<<{mrz_name(given_names)}"
    line1 = f"P<{nationality}{names}".ljust(44, "<")[:44]
    doc = number.ljust(9, "<")[:9]
    born = birth.strftime("%y%m%d")
    expires = expiry.strftime("%y%m%d")
    personal = "<" * 14
    body = (
        f"{doc}{check_digit(doc)}{nationality}{born}{check_digit(born)}{sex}"
        f"{expires}{check_digit(expires)}{personal}<"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"


# -- the demo database ----------------------------------------------------------------------
def _cache_key(permits: int, seed: int) -> str:
    digest = hashlib.sha256()
    for path in _SCHEMA_SOURCES:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"demo-{permits}-{seed}-{digest.hexdigest()[:12]}"


def cached_demo_path(permits: int = FULL_PERMITS, seed: int = DEMO_SEED) -> Path:
    return CACHE / f"{_cache_key(permits, seed)}.sqlite3"


def build_demo_database(path: Path, permits: int, seed: int = DEMO_SEED) -> float:
    """``handover demo --permits N`` into a new SQLite file; the seconds it took."""
    from handover.persistence.db import open_database
    from handover.services.demo import seed_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    engine = open_database(f"sqlite:///{path}", create=True)
    seed_demo(engine, bench_config(), permits=permits, seed=seed)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return time.perf_counter() - start


def store_in_cache(built: Path, permits: int, seed: int = DEMO_SEED) -> Path:
    """Keep a freshly built demo database as the cache (for the next figures and runs)."""
    target = cached_demo_path(permits, seed)
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(f"demo-{permits}-{seed}-*.sqlite3"):
        if old != target:
            old.unlink()
    tmp = target.with_suffix(".tmp")
    shutil.copyfile(built, tmp)
    os.replace(tmp, target)
    return target


def demo_database(permits: int = FULL_PERMITS, seed: int = DEMO_SEED) -> Path:
    """The cached demo database with ``permits`` permits, built (and logged) when missing."""
    target = cached_demo_path(permits, seed)
    if target.exists():
        return target
    tmp = target.with_name(target.name + ".building")
    log(f"building a {permits:,}-permit demo database in {target.parent} (once) …")
    seconds = build_demo_database(tmp, permits, seed)
    log(f"  built in {seconds:.1f} s")
    tmp.replace(target)
    return target


@contextmanager
def work_copy(source: Path) -> Iterator[Path]:
    """A private copy of a database on the same disk (not /tmp: fsync must cost what it costs)."""
    folder = Path(tempfile.mkdtemp(prefix="work-", dir=_work_root()))
    target = folder / source.name
    try:
        shutil.copyfile(source, target)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def work_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="work-", dir=_work_root()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _work_root() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE


# -- PostgreSQL -----------------------------------------------------------------------------
def postgres_missing() -> str | None:
    """Why a PostgreSQL figure cannot run here, or None when it can."""
    from tests.support.pgcluster import find_pg_bin

    if find_pg_bin() is None:
        return "PostgreSQL absent (initdb/pg_ctl not found): apt-get install postgresql"
    return None


# -- output ---------------------------------------------------------------------------------
def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def format_table(rows: Sequence[Row]) -> str:
    head = ("figure", "median", "p99", "baseline", "ratio", "unit", "target", "met")
    lines = []
    body = []
    for r in rows:
        if r.median is None:
            body.append((f"{r.figure} {r.label}", "", "", "", "", "", "", r.note))
            continue
        met = "—" if r.met is None else ("yes" if r.met else "NO")
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        body.append(
            (
                f"{r.figure} {r.label}",
                _fmt(r.median),
                _fmt(r.p99),
                _fmt(r.baseline),
                ratio,
                r.unit,
                r.target,
                met,
            )
        )
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head) - 1)]
    for cells in (head, *body):
        first = cells[0].ljust(widths[0])
        rest = [
            str(c).rjust(w) if i < 4 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells[1:-1], widths[1:], strict=True))
        ]
        lines.append("  ".join([first, *rest, cells[-1]]).rstrip())
    notes = [f"- {r.figure} {r.label}: {r.note}" for r in rows if r.note and r.median is not None]
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines)


def emit(rows: Sequence[Row], as_json: bool) -> None:
    if as_json:
        print(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
    else:
        print(format_table(rows))


def bench_main(run: Callable[[bool], list[Row]], doc: str | None) -> None:
    """The command line every benchmark module shares."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    args = parser.parse_args()
    emit(run(args.quick), args.json)
