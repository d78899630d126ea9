"""``handover check PAYLOAD``: the verdict for a scan, read-only, for support staff."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from handover import verdict_text
from handover.commands._common import config, engine, print_json
from handover.domain.text import printable
from handover.domain.values import VerdictKind
from handover.persistence.uow import UnitOfWork
from handover.scanning.payloads import parse_scan, unescape_controls
from handover.services import verdicts
from handover.services.counter import CounterService


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("check", help="verdict d'un scan sur la base (lecture seule)")
    p.add_argument(
        "payload", metavar="CODE", help="le texte scanné (\\x1d ou <GS> pour les séparateurs)"
    )
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    counter = CounterService(eng, cfg)
    raw = unescape_controls(args.payload)
    result = parse_scan(raw, trust=counter.trust)
    with UnitOfWork(eng, read_only=True) as uow:
        from handover.persistence.engine import server_now

        status = counter.window.status(server_now(uow.session))
        if result.valid and result.value is not None:
            verdict = verdicts.verdict_for(
                uow.session,
                result.value,
                window=status,
                timezone=counter.tz,
                repaired=result.repaired,
            )
        else:
            verdict = verdicts.invalid_scan(result, raw, window=status)
    code = 2 if verdict.kind == VerdictKind.INVALID_SCAN else 0
    if args.json:
        data = dataclasses.asdict(verdict)
        data["kind"] = verdict.kind.value
        data["headline"] = verdict_text.headline(verdict)
        data["details"] = list(verdict_text.details(verdict))
        print_json(data)
        return code
    # Names come from delivery files: whatever they hold is shown, never executed.
    print(printable(verdict_text.headline(verdict)))
    if verdict.repaired:
        print(printable(f"  ({verdict.repaired})"))
    for line in verdict_text.details(verdict):
        print(printable(f"  {line}"))
    for c in verdict.candidates:
        print(
            printable(
                f"  - {c.surname} {c.given_names}, né(e) le {c.birth_date:%d/%m/%Y}, "
                f"carte {c.card_number}, état {c.state}"
            )
        )
    return code
