"""Every benchmark, one table: ``make bench`` (``python -m bench.run [--json] [--quick]``).

Each benchmark runs in its own process (``python -m bench.<name> --json``) so that one's
memory, threads or Qt application cannot colour the next. The first run builds the
1,000,000-permit demo database (the import-scale figure builds it and keeps it in
``bench/.cache/``); later runs reuse it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import CACHE, ROOT, Row, format_table, log, skipped


@dataclass(frozen=True)
class Bench:
    name: str
    figure: str
    args: tuple[str, ...]  # full run
    quick_args: tuple[str, ...]
    convert: Callable[[Any], list[Row]] | None = None  # None: the module prints Row dicts


def _own_rows(data: Any) -> list[Row]:
    return [Row(**{k: v for k, v in d.items() if k != "ratio"}) for d in data]


def camera_rows(data: Any) -> list[Row]:
    """bench.camera_decode's rows: the configured back end, OpenCV's QR reader as baseline."""
    from handover.config import Config

    default = Config().camera.backend
    baseline = {
        (d["size"], d["symbology"]): d["median_ms"]
        for d in data
        if str(d["back_end"]).startswith("opencv")
    }
    rows = []
    for d in data:
        if d["back_end"] != default:
            continue
        rows.append(
            Row(
                "5",
                f"camera decode {d['back_end']} {d['size']} {d['symbology']}",
                "ms/frame",
                d["median_ms"],
                d["p99_ms"],
                baseline.get((d["size"], d["symbology"])),
                note=f"read {d['read_share']:.0%} of {d['frames']} frames"
                + ("; baseline: cv2.QRCodeDetector" if d["symbology"] == "qr" else ""),
                samples=int(d["frames"]),
            )
        )
    return rows


def receipt_rows(data: Any) -> list[Row]:
    results = data["results"]
    base = results.get("baseline_text_only", {}).get("median_ms")
    return [
        Row(
            "6",
            f"receipt PDF {name}",
            "ms",
            r["median_ms"],
            r["p99_ms"],
            None if name == "baseline_text_only" else base,
            note=f"first (cold) {r['cold_ms']:.0f} ms, {r['bytes']:,} bytes"
            + ("; baseline: same text, built-in font, no image" if name == "a4" else ""),
            samples=int(data.get("runs", 0)),
        )
        for name, r in results.items()
    ]


BENCHES = (
    # The import builds the cached database the later figures read: it goes first.
    Bench("import_scale", "8", (), ()),
    Bench("scan_verdict", "1", (), ()),
    Bench("handover_commit", "3", (), ()),
    Bench("desks_parallel", "4", (), ()),
    Bench("camera_decode", "5", ("--frames", "50"), ("--frames", "2"), camera_rows),
    Bench("camera_load", "5", (), ()),
    Bench("receipts", "6", ("--runs", "300"), ("--runs", "5"), receipt_rows),
    Bench("startup", "7", (), ()),
    Bench("verdict_paint", "2", (), ()),
    Bench("scan_during_import", "9", (), ()),
    Bench("queue_display", "10", (), ()),
    Bench("call_display", "10", (), ()),
)


def run_one(bench: Bench, quick: bool, timeout: float) -> list[Row]:
    args = ["--json", *(bench.quick_args if quick else bench.args)]
    if quick and bench.convert is None:
        args.append("--quick")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HANDOVER_CONFIG": os.environ.get(
            "HANDOVER_BENCH_CONFIG",
            os.devnull,  # empty configuration: the defaults
        ),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", f"bench.{bench.name}", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [skipped(bench.figure, bench.name, f"did not finish within {timeout:.0f} s")]
    if done.returncode != 0:
        return [skipped(bench.figure, bench.name, f"failed (exit {done.returncode}), see above")]
    try:
        data = json.loads(done.stdout)
        return (bench.convert or _own_rows)(data)
    except (ValueError, KeyError, TypeError) as exc:
        return [skipped(bench.figure, bench.name, f"unreadable output ({exc!r})")]


def machine() -> dict[str, object]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib: float | None = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": ram_gib,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated benchmark names: " + ",".join(b.name for b in BENCHES),
    )
    args = parser.parse_args(argv)
    wanted = {n.strip() for n in args.only.split(",") if n.strip()}
    unknown = wanted - {b.name for b in BENCHES}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    rows: list[Row] = []
    for bench in BENCHES:
        if wanted and bench.name not in wanted:
            continue
        log(f"[{time.perf_counter() - started:6.0f} s] figure {bench.figure}: {bench.name}")
        rows.extend(run_one(bench, args.quick, timeout=180 if args.quick else 900))
    rows.sort(key=lambda r: int(r.figure))
    info = {**machine(), "seconds": round(time.perf_counter() - started, 1), "quick": args.quick}
    report = {"machine": info, "rows": [r.as_dict() for r in rows]}
    if not args.quick:
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "last.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(
            f"{info['date']} — {info['nproc']} CPU ({info['cpu']}), {info['ram_gib']} GiB RAM, "
            f"Python {info['python']}, {info['system']}; {info['seconds']} s in all"
        )
        print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
