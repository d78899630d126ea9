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

from handover import formatting as fmt
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
    s.add_argument(
        "--from", dest="start", type=_day, required=True, metavar="DATE", help="premier jour"
    )
    s.add_argument(
        "--to", dest="end", type=_day, required=True, metavar="DATE", help="dernier jour (inclus)"
    )
    s.add_argument("--csv", type=Path, metavar="FICHIER", help="exporter aussi en CSV")
    s.set_defaults(func=_stats)


def format_stats(st: stats.PeriodStats) -> str:
    """The statistics as the back office reads them: French labels, numbers and local times."""
    lines = [
        f"Statistiques du {fmt.day(st.start)} au {fmt.day(st.end)} (heures de {st.timezone})",
        f"Remises : {fmt.number(st.handovers)}",
    ]
    for d in st.per_day:
        lines.append(f"  {fmt.day(d.day)} : {fmt.number(d.count)}")
    lines.append("Par guichet :")
    for k in st.per_desk:
        lines.append(f"  {k.desk} : {fmt.number(k.count)}")
    lines.append(
        f"Durée médiane du scan à la remise : {fmt.duration(st.median_scan_to_handover_s)}"
        f" (sur {fmt.number(st.timed_handovers)} remises mesurées)"
    )
    lines.append(f"Verdicts : {fmt.number(st.scans)}")
    for v in st.verdicts:
        lines.append(f"  {v.label} : {fmt.number(v.count)} ({fmt.percent(v.share)})")
    lines.append(
        f"Titres prévenus en attente de retrait au {fmt.moment(st.waiting_at, st.timezone)} :"
    )
    for b in st.waiting:
        lines.append(f"  {b.label} : {fmt.number(b.count)}")
    lines.append(f"Dérogations : {fmt.number(st.overrides)}")
    for kind, n in st.overrides_by_kind:
        lines.append(f"  {stats.override_label(kind)} : {fmt.number(n)}")
    return "\n".join(lines)


def _stats(args: argparse.Namespace) -> int:
    cfg = config()
    if args.end < args.start:
        raise HandoverError(
            "--to doit être le même jour que --from ou après : donnez la date de fin après "
            "celle du début."
        )
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
