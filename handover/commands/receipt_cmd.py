"""``handover receipt HANDOVER --out FILE.pdf``: reprint a receipt (a DUPLICATA, audited)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from handover.commands._common import config, engine, system_user
from handover.errors import HandoverError
from handover.services.counter import CounterService


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("receipt", help="réimprimer un récépissé (DUPLICATA) en PDF")
    p.add_argument(
        "handover", metavar="REMISE", help="numéro de remise (R2026-0000123) ou identifiant"
    )
    p.add_argument(
        "--out", required=True, type=Path, metavar="FICHIER.pdf", help="fichier PDF à écrire"
    )
    p.add_argument(
        "--layout",
        choices=["A4", "A5", "roll80"],
        help="format du papier (défaut : celui de la configuration)",
    )
    p.set_defaults(func=_receipt)


def parse_handover_id(text: str) -> int:
    m = re.fullmatch(r"\s*(?:R\d{4}-)?0*(\d+)\s*", text, flags=re.IGNORECASE)
    if not m:
        raise HandoverError(f"Numéro de remise illisible : « {text} » (attendu R2026-0000123).")
    return int(m.group(1))


def _receipt(args: argparse.Namespace) -> int:
    cfg = config()
    counter = CounterService(engine(cfg), cfg)
    pdf = counter.receipt_pdf(
        parse_handover_id(args.handover), duplicate=True, agent=system_user(), layout=args.layout
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(f"Duplicata écrit dans {args.out} ({len(pdf)} octets).")
    return 0
