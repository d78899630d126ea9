"""``handover report …``: reports over the database.

Each report is a sub-command of ``report``; add one by writing ``_register_<name>(sub)``
and listing it in ``REPORTS`` (``report day`` belongs there too).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from handover.backoffice import stats
from handover.backoffice.imports import parse_date
from handover.commands._common import config, engine
from handover.commands.day_report import register_day
from handover.errors import HandoverError
from handover.queue import stats as queue_stats


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("report", help="rapports : statistiques, état de clôture du jour")
    sub = p.add_subparsers(dest="report_command", metavar="RAPPORT", required=True)
    for add in REPORTS:
        add(sub)


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (JJ/MM/AAAA ou AAAA-MM-JJ)") from None


# -- report stats -----------------------------------------------------------------------------


def _register_stats(sub: Any) -> None:
    s = sub.add_parser("stats", help="remises par jour et par guichet, durées, verdicts, attente")
    s.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    s.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
    s.add_argument("--csv", type=Path, metavar="FICHIER", help="exporter aussi en CSV")
    s.set_defaults(func=_stats)


def format_stats(st: stats.PeriodStats) -> str:
    lines = [
        f"Statistiques du {st.start:%d/%m/%Y} au {st.end:%d/%m/%Y} ({st.timezone})",
        f"Remises : {st.handovers}",
    ]
    for d in st.per_day:
        lines.append(f"  {d.day:%d/%m/%Y} : {d.count}")
    lines.append("Par guichet :")
    for k in st.per_desk:
        lines.append(f"  {k.desk} : {k.count}")
    median = st.median_scan_to_handover_s
    lines.append(
        "Durée médiane du scan à la remise : "
        + ("—" if median is None else f"{median:.0f} s")
        + f" (sur {st.timed_handovers} remises mesurées)"
    )
    lines.append(f"Verdicts : {st.scans}")
    for v in st.verdicts:
        lines.append(f"  {v.verdict} : {v.count} ({v.share * 100:.1f} %)")
    lines.append(f"Titres prévenus en attente de retrait au {st.waiting_at:%d/%m/%Y %H:%M} UTC :")
    for b in st.waiting:
        lines.append(f"  {b.label} : {b.count}")
    lines.append(f"Dérogations : {st.overrides}")
    for kind, n in st.overrides_by_kind:
        lines.append(f"  {kind} : {n}")
    return "\n".join(lines)


def _stats(args: argparse.Namespace) -> int:
    cfg = config()
    if args.end < args.start:
        raise HandoverError("--to doit être le même jour que --from ou après.")
    st = stats.compute_stats(engine(cfg), cfg, args.start, args.end)
    print(format_stats(st))
    if args.csv is not None:
        stats.write_csv(st, args.csv)
        queue_stats.append_csv(  # the queue at the door (issue #16)
            queue_stats.compute_queue_stats(engine(cfg), cfg, args.start, args.end), args.csv
        )
        print(f"Export CSV : {args.csv}")
    return 0


# -- the reports of the ``report`` group (the lead adds ``report day`` here) -----------------

REPORTS: list[Callable[[Any], None]] = [_register_stats, register_day]
