"""Figure 9: a desk's scan → verdict while another process imports a large delivery.

The desk is ``CounterService.check`` on a copy of the demo database (it writes its scan
event and audit entry as at the counter). The import is ``handover import FICHIER`` in
its own process, on the same SQLite file, with a delivery of new permits (the CSV the
production centre sends). Samples are taken back to back while the import runs; the
baseline is the same scans on the same database in the same run, with no import.

Run: ``python -m bench.scan_during_import [--quick] [--json]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.common import (
    FULL_PERMITS,
    QUICK_PERMITS,
    ROOT,
    Row,
    bench_config,
    bench_main,
    demo_database,
    log,
    stats_ms,
    time_each,
    work_copy,
)

FIGURE = "9"


def run(quick: bool) -> list[Row]:
    from bench.scan_verdict import sample_holders
    from handover.domain.clock import FakeClock
    from handover.persistence.engine import make_engine
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from tests.handover.backoffice import delivery
    from tests.handover.services.helpers import OPEN_AT

    rows_in_file = 2_000 if quick else 50_000
    baseline_count = 30 if quick else 300
    source = demo_database(QUICK_PERMITS if quick else FULL_PERMITS)
    with work_copy(source) as path:
        holders = sample_holders(path, 4 * baseline_count + 2000, seed=21)
        refs = [h.reference for h in holders]
        engine = make_engine(f"sqlite:///{path}")
        desk = CounterService(engine, bench_config(), clock=FakeClock(OPEN_AT))
        agent = desk.login("agent1", DEMO_ACCOUNTS["agent1"][2])

        log(f"  scan → verdict, no import ×{baseline_count}")
        alone_ns = time_each(lambda i: desk.check(refs[i], agent), baseline_count, warmup=10)

        csv = delivery.write(
            path.parent / "delivery.csv",
            [delivery.row(9_000_000 + i) for i in range(rows_in_file)],
        )
        # The import runs as the demo's chef d'accueil, its password in a private file.
        secret = path.parent / "mot-de-passe-chef.txt"
        secret.write_text(DEMO_ACCOUNTS["chef"][2] + "\n", encoding="utf-8")
        secret.chmod(0o600)
        env = dict(os.environ, HANDOVER_DB_URL=f"sqlite:///{path}")
        env["HANDOVER_PASSWORD_FILE"] = str(secret)
        env.setdefault("HANDOVER_CONFIG", os.devnull)
        log(f"  scan → verdict while `handover import` loads {rows_in_file} rows")
        importer = subprocess.Popen(
            [sys.executable, "-m", "handover.cli", "import", str(csv), "--as", "chef"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        during_ns: list[int] = []
        i = baseline_count + 10
        started = time.perf_counter()
        while importer.poll() is None and i < len(refs):
            start = time.perf_counter_ns()
            desk.check(refs[i], agent)
            during_ns.append(time.perf_counter_ns() - start)
            i += 1
        _, errors = importer.communicate()
        import_s = time.perf_counter() - started
        engine.dispose()
    if importer.returncode != 0:
        raise RuntimeError(f"the import failed: {errors.decode(errors='replace')[-500:]}")
    if not during_ns:
        raise RuntimeError("the import ended before the first scan")
    during, alone = stats_ms(during_ns), stats_ms(alone_ns)
    return [
        Row(
            FIGURE,
            f"desk scan → verdict while a {rows_in_file}-row import runs",
            "ms",
            during.median_ms,
            during.p99_ms,
            alone.median_ms,
            note=f"import took {import_s:.1f} s in its own process; max "
            f"{max(during_ns) / 1e6:.0f} ms; baseline: the same scans without an import",
            samples=during.count,
        ),
        Row(
            FIGURE,
            "desk scan → verdict, no import (baseline)",
            "ms",
            alone.median_ms,
            alone.p99_ms,
            samples=alone.count,
        ),
    ]


if __name__ == "__main__":
    bench_main(run, __doc__)
