"""Each benchmark runs end to end in its tiny ``--quick`` form, so none of them rots.

They run through ``bench.run`` (the ``make bench`` entry), one subprocess per benchmark,
and must give real figures: no skip other than a missing PostgreSQL, no failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import BENCHES

ROOT = Path(__file__).resolve().parents[2]
NEEDS_POSTGRES = {"handover_commit", "desks_parallel"}


def run_quick(name: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--json", "--only", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["machine"]["quick"] is True
    return list(report["rows"])


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(b.name, marks=pytest.mark.postgres) if b.name in NEEDS_POSTGRES else b.name
        for b in BENCHES
    ],
)
def test_benchmark_gives_figures_in_quick_mode(name: str) -> None:
    from tests.support.pgcluster import find_pg_bin

    if name in NEEDS_POSTGRES and find_pg_bin() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL absent (initdb/pg_ctl introuvables)")
    rows = run_quick(name)
    assert rows, "no figure at all"
    for row in rows:
        assert row["median"] is not None, row["note"]
        assert float(row["median"]) > 0, row  # type: ignore[arg-type]
        assert "found no permit" not in str(row["note"]), row["note"]
        if row["baseline"] is not None:
            assert float(row["baseline"]) > 0, row  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.postgres
def test_parallel_desks_never_hand_a_permit_over_twice() -> None:
    from tests.support.pgcluster import find_pg_bin

    if find_pg_bin() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL absent (initdb/pg_ctl introuvables)")
    rows = run_quick("desks_parallel")
    contention = [r for r in rows if r["target"] == "0 duplicates"]
    assert len(contention) == 1
    assert contention[0]["met"] is True, contention[0]["note"]
    assert "0 duplicates" in str(contention[0]["note"])


def test_unknown_benchmark_name_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--only", "nonsense"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "nonsense" in done.stderr
