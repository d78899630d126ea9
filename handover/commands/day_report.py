"""``handover report day``: the daily closing sheet (PDF) with the audit chain head."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from handover import checkpoints
from handover.commands._common import config, engine, system_user
from handover.errors import HandoverError
from handover.receipts.render import render_day_sheet
from handover.services.receipts import day_sheet_data


def register_day(sub: Any) -> None:
    d = sub.add_parser("day", help="état de clôture d'une journée (PDF), avec la tête de chaîne")
    d.add_argument(
        "--date", dest="day", metavar="JOUR", help="jour (AAAA-MM-JJ ; défaut : aujourd'hui)"
    )
    d.add_argument(
        "--out", type=Path, required=True, metavar="FICHIER.pdf", help="fichier PDF à écrire"
    )
    d.set_defaults(func=_day_report)


def _day_report(args: argparse.Namespace) -> int:
    cfg = config()
    if args.day:
        try:
            day = date.fromisoformat(args.day)
        except ValueError:
            raise HandoverError(f"Date illisible : « {args.day} » (attendu AAAA-MM-JJ).") from None
    else:
        day = datetime.now(ZoneInfo(cfg.schedule.timezone)).date()
    data = day_sheet_data(engine(cfg), cfg, day)
    pdf = render_day_sheet(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(
        f"État du {day:%d/%m/%Y} écrit dans {args.out} : {data.total_handovers} remise(s), "
        f"{len(data.overrides)} dérogation(s), {len(data.reprints)} duplicata(s)."
    )
    if data.audit_problem:
        print(f"CHAÎNE D'AUDIT ROMPUE, aucune tête attestée : {data.audit_problem}")
        return 1
    line = checkpoints.checkpoint(
        engine(cfg),
        cfg.checkpoints_path,
        desk=cfg.desk.name,
        agent=system_user().pseudonym,
        event="day_report",
        note=f"état du {day.isoformat()}",
    )
    print(f"Tête de la chaîne d'audit : {data.audit_head_hash}")
    print(f"Point de contrôle : entrée n° {line.seq}, tête {line.head}.")
    print(cfg.checkpoints_path)
    return 0
