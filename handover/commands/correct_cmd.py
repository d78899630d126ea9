"""``handover correct REMISE --amount … | --document-type … --reason … --as CHEF``."""

from __future__ import annotations

import argparse
from typing import Any

from handover.backoffice.imports import parse_amount_cents
from handover.commands._common import account_option, acting, config, engine
from handover.commands.receipt_cmd import parse_handover_id
from handover.domain.text import printable
from handover.domain.values import IDENTITY_DOCUMENT_LABELS
from handover.errors import HandoverError
from handover.persistence.uow import UnitOfWork
from handover.services import corrections
from handover.services.receipts import correction_sentence


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "correct",
        help="rectifier une remise enregistrée : montant d'un timbre ou type de pièce (chef "
        "d'accueil ; la remise d'origine est conservée, le duplicata porte « RECTIFIÉ »)",
    )
    p.add_argument("handover", metavar="REMISE", help="numéro de remise (R2026-0000123)")
    p.add_argument("--amount", metavar="MONTANT", help="montant exact du timbre (25 ou 25,00)")
    p.add_argument(
        "--stamp",
        metavar="CHIFFRES",
        help="les 4 derniers chiffres du timbre à rectifier (si la remise en a plusieurs)",
    )
    p.add_argument(
        "--document-type",
        metavar="TYPE",
        help="type de pièce d'identité, par son nom : "
        + ", ".join(f"« {label} »" for label in IDENTITY_DOCUMENT_LABELS.values()),
    )
    p.add_argument("--reason", required=True, metavar="MOTIF", help="motif (obligatoire)")
    p.set_defaults(func=_correct)
    account_option(p)


def _correct(args: argparse.Namespace) -> int:
    cfg = config()
    handover_id = parse_handover_id(args.handover)
    amount = None
    if args.amount is not None:
        try:
            amount = parse_amount_cents(args.amount)
        except ValueError as exc:
            raise HandoverError(f"--amount : {exc}. Rien n'a été rectifié.") from None
    kind = corrections.document_kind(args.document_type) if args.document_type else None
    eng = engine(cfg)
    history = corrections.correct_handover(
        UnitOfWork(eng),
        handover_id,
        by=acting(args, eng, cfg),
        reason=args.reason,
        desk_name=cfg.desk.name,
        amount_cents=amount,
        stamp_last4=args.stamp,
        document_type=kind,
    )
    print(f"Remise {args.handover.strip()} rectifiée (la remise d'origine reste enregistrée) :")
    for c in history:
        print(printable(f"  {correction_sentence(c, cfg.schedule.timezone)}"))
    print(f"Duplicata rectifié : handover receipt {args.handover.strip()} --out FICHIER.pdf")
    return 0
