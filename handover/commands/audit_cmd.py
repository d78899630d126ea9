"""``handover audit verify|tail``: check the hash chain, show the last entries."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select

from handover import audit
from handover.commands._common import engine, print_json
from handover.persistence.models import AuditEntry
from handover.persistence.uow import UnitOfWork, make_durable


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("audit", help="journal d'audit : vérifier la chaîne, consulter")
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = sub.add_parser("verify", help="vérifier toute la chaîne (code 1 si elle est rompue)")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=_verify)
    t = sub.add_parser("tail", help="afficher les dernières entrées")
    t.add_argument("-n", type=int, default=20)
    t.set_defaults(func=_tail)


def _verify(args: argparse.Namespace) -> int:
    eng = engine()
    make_durable(eng)  # the head printed below must survive a power cut
    with UnitOfWork(eng, read_only=True) as uow:
        report = audit.verify(uow.session)
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "verified": report.verified,
                "head_hash": report.head_hash,
                "head_id": report.head_id,
                "broken_at": report.broken_at,
                "problem": report.problem,
            }
        )
    elif report.ok:
        print(f"Chaîne d'audit intègre : {report.verified} entrées vérifiées.")
        print(f"Tête de chaîne (n° {report.head_id}) : {report.head_hash}")
    else:
        print(f"CHAÎNE D'AUDIT ROMPUE à l'entrée n° {report.broken_at} : {report.problem}.")
        print(f"{report.verified} entrées vérifiées avant la rupture.")
    return 0 if report.ok else 1


def _tail(args: argparse.Namespace) -> int:
    with UnitOfWork(engine(), read_only=True) as uow:
        rows = (
            uow.session.execute(
                select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, args.n))
            )
            .scalars()
            .all()
        )
        for e in reversed(rows):
            print(
                f"{e.id:7} {e.at:%Y-%m-%d %H:%M:%S} UTC {e.desk:12} {e.agent:9} "
                f"{e.action:18} {e.subject} {e.details}"
            )
    return 0
