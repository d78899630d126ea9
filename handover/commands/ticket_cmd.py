"""``handover ticket``: issue (or reprint) the door's ticket for a scanned or typed code."""

from __future__ import annotations

import argparse
from typing import Any

from handover.commands._common import config, engine, print_json
from handover.config import Config
from handover.domain.clock import Clock
from handover.queue.service import COMMAND_LINE, QueueService
from handover.queue.values import Ticket, TicketOutcome

# Tests fix the time here; None: the database server's clock.
clock: Clock | None = None


def queue_service(cfg: Config | None = None) -> QueueService:
    cfg = cfg or config()
    return QueueService(engine(cfg), cfg, clock=clock)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ticket",
        help="émettre (ou réimprimer) le ticket de file d'attente d'un titre",
        description="Juge le titre comme la porte : référence du SMS, MRZ ou 2D-Doc du "
        "titulaire, ou numéro étranger saisi (avec --visual-check). Un titre prêt reçoit un "
        "ticket (le même numéro s'il en a déjà un aujourd'hui). Code de sortie 0 si un "
        "ticket est émis ou réimprimé, 2 sinon.",
    )
    parser.add_argument("payload", metavar="CODE", help="le texte scanné ou saisi")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument(
        "--visual-check",
        action="store_true",
        help="l'agent d'accueil a comparé la pièce d'identité au titulaire (numéro saisi)",
    )
    parser.add_argument(
        "--priority",
        metavar="MOTIF",
        help="motif de priorité configuré ([queue.priority_reasons], ex. handicap)",
    )
    parser.set_defaults(func=_ticket)


def ticket_json(ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    return {
        "ticket_id": ticket.ticket_id,
        "number": ticket.number,
        "label": ticket.label,
        "day": ticket.day.isoformat(),
        "permit_id": ticket.permit_id,
        "reference": ticket.reference,
        "status": ticket.status.value,
        "priority": ticket.priority,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "desk": ticket.desk_name,
        "fee_cents": ticket.fee_cents,
        "needs_previous_card": ticket.needs_previous_card,
        "reprints": ticket.reprints,
    }


def outcome_json(outcome: TicketOutcome) -> dict[str, Any]:
    return {
        "issued": outcome.issued,
        "number": outcome.number,
        "reprint": outcome.reprint,
        "reason": outcome.reason,
        "verdict_kind": outcome.verdict_kind.value if outcome.verdict_kind else None,
        "next_opening": outcome.next_opening.isoformat() if outcome.next_opening else None,
        "needs_visual_check": outcome.needs_visual_check,
        "ticket": ticket_json(outcome.ticket),
    }


def _ticket(args: argparse.Namespace) -> int:
    queue = queue_service()
    outcome = queue.issue(
        args.payload, COMMAND_LINE, visual_check=args.visual_check, priority=args.priority
    )
    if args.json:
        print_json(outcome_json(outcome))
    else:
        print(outcome.reason)
    return 0 if outcome.issued else 2
