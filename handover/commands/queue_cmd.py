"""``handover queue``: the day's queue for support and tests (status, call, simulate)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from handover.commands._common import config, print_json
from handover.commands.ticket_cmd import queue_service, ticket_json
from handover.config import Config
from handover.errors import HandoverError
from handover.queue.service import COMMAND_LINE
from handover.queue.simulate import Result, Scenario, run
from handover.queue.values import QueueStatus


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "queue",
        help="file d'attente du jour : état, appel d'un ticket, simulation d'une matinée",
        description="La file d'attente à la porte (tickets liés aux titres).",
    )
    sub = parser.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    status = sub.add_parser("status", help="tickets émis, en attente, servis ; capacité")
    status.add_argument("--json", action="store_true", help="sortie JSON")
    status.set_defaults(func=_status)
    call = sub.add_parser("call", help="appeler le ticket suivant à un guichet")
    call.add_argument("--desk", required=True, metavar="GUICHET", help="ex. « Guichet 2 »")
    call.add_argument("--json", action="store_true", help="sortie JSON")
    call.set_defaults(func=_call)
    sim = sub.add_parser(
        "simulate",
        help="rejouer une matinée avec et sans tri à la porte",
        description="Simule une matinée : arrivées régulières, part de titres pas prêts, "
        "part de dossiers incomplets, guichets et durées de remise. Affiche les personnes "
        "reçues, celles reparties avec leur titre, celles renvoyées après avoir attendu, et "
        "l'attente (médiane, 90e centile), sans puis avec le tri à la porte.",
    )
    d = Scenario()
    sim.add_argument("--arrivals", type=int, default=d.arrivals, help="personnes (défaut 400)")
    sim.add_argument(
        "--from",
        dest="arrive_from",
        default="07:00",
        metavar="HH:MM",
        help="première arrivée (défaut 07:00)",
    )
    sim.add_argument(
        "--over",
        type=int,
        default=d.arrive_minutes,
        metavar="MIN",
        help="durée des arrivées en minutes (défaut 150)",
    )
    sim.add_argument("--opens", default="09:00", metavar="HH:MM", help="ouverture (défaut 09:00)")
    sim.add_argument("--closes", default="11:00", metavar="HH:MM", help="fermeture (défaut 11:00)")
    sim.add_argument("--desks", type=int, default=d.desks, help="guichets (défaut 3)")
    sim.add_argument(
        "--service-s",
        type=float,
        default=None,
        metavar="S",
        help="durée médiane d'une remise ; défaut : l'historique de la base, "
        "sinon [queue] default_service_s",
    )
    for flag, dest, default, what in (
        ("--not-ready", "not_ready", d.not_ready_share, "part des titres pas prêts"),
        (
            "--incomplete",
            "incomplete",
            d.incomplete_share,
            "part des dossiers incomplets parmi les titres prêts",
        ),
        ("--fix", "fix", d.fix_share, "part des incomplets qui complètent pendant l'attente"),
    ):
        sim.add_argument(
            flag,
            dest=dest,
            type=float,
            default=default,
            metavar="PART",
            help=f"{what} (défaut {default})",
        )
    sim.add_argument("--seed", type=int, default=d.seed, help="graine du hasard (défaut 1)")
    sim.add_argument("--json", action="store_true", help="sortie JSON")
    sim.set_defaults(func=_simulate)


def status_json(status: QueueStatus) -> dict[str, Any]:
    data = asdict(status)
    data["day"] = status.day.isoformat() if status.day else None
    data["active_desks"] = list(status.active_desks)
    return data


def _status(args: argparse.Namespace) -> int:
    status = queue_service().status()
    if args.json:
        print_json(status_json(status))
        return 0
    if status.day is None:
        print("Pas d'ouverture aujourd'hui (ou la dernière plage est terminée) : aucun ticket.")
        return 0
    print(f"File du {status.day:%d/%m/%Y}")
    print(f"  Tickets émis      : {status.issued}")
    print(f"  En attente        : {status.waiting}")
    print(f"  Appelés           : {status.called}")
    print(f"  Servis            : {status.served}")
    print(f"  Absents à l'appel : {status.no_shows}")
    print(f"  Capacité restante : {status.capacity} ticket(s)")
    if status.limit_raised_by:
        print(f"  Limite relevée de : {status.limit_raised_by} (chef d'accueil)")
    if status.predicted_last_number is not None:
        print(f"  Dernier ticket servi prévu : {status.predicted_last_number:03d}")
    if status.estimated_wait_minutes is not None:
        print(f"  Attente estimée   : {status.estimated_wait_minutes} min")
    desks = ", ".join(status.active_desks) or "aucun (guichets prévus par la configuration)"
    print(f"  Guichets actifs   : {desks}")
    if status.cutoff_reached:
        print("  COMPLET : plus de ticket aujourd'hui.")
    return 0


def _call(args: argparse.Namespace) -> int:
    queue = queue_service()
    record = queue.call_next(args.desk, COMMAND_LINE)
    if record is None:
        if args.json:
            print_json({"called": False, "reason": "Personne n'attend."})
        else:
            print("Personne n'attend : aucun ticket appelé.")
        return 0
    permit = queue.counter.check_permit(record.ticket.permit_id, None).permit
    if permit is None:
        raise HandoverError("Le titre de ce ticket est introuvable.")
    if args.json:
        print_json(
            {
                "called": True,
                "call_id": record.call_id,
                "desk": record.desk_name,
                "number": record.ticket.number,
                "ticket": ticket_json(record.ticket),
                "permit": {
                    "permit_id": permit.permit_id,
                    "reference": permit.reference,
                    "storage_slot": permit.storage_slot,
                    "state": permit.state,
                    "fee_cents": permit.fee_cents,
                },
            }
        )
    else:
        print(
            f"Ticket {record.ticket.label} → {record.desk_name} : titre {permit.reference or '—'}"
            f", casier {permit.storage_slot or '?'}."
        )
    return 0


def _clock_time(text: str, option: str) -> datetime:
    try:
        hours, minutes = (int(x) for x in text.strip().split(":"))
        return datetime(2026, 1, 5, hours, minutes)
    except ValueError:
        raise HandoverError(
            f"{option} « {text} » est illisible : écrivez une heure HH:MM, par exemple 09:00."
        ) from None


def _history_service_s(cfg: Config) -> float:
    """The site's median service time over the history, else the configured default."""
    from handover.domain.clock import SystemClock
    from handover.persistence.uow import UnitOfWork
    from handover.queue.capacity import HISTORY_DAYS, median_or_none, service_times

    queue = queue_service(cfg)
    now = SystemClock().now()
    with UnitOfWork(queue.engine, read_only=True) as uow:
        times = service_times(uow.session, queue.site_id, now - timedelta(days=HISTORY_DAYS), now)
    found = median_or_none(d for ds in times.values() for d in ds)
    return found if found is not None else float(cfg.queue.default_service_s)


def _share(value: float, option: str) -> float:
    if not 0.0 <= value <= 1.0:
        raise HandoverError(f"{option} vaut {value} : attendu une part entre 0 et 1 (ex. 0.35).")
    return value


def _simulate(args: argparse.Namespace) -> int:
    if args.arrivals <= 0 or args.desks <= 0 or args.over <= 0:
        raise HandoverError("--arrivals, --desks et --over doivent être supérieurs à zéro.")
    opens = _clock_time(args.opens, "--opens")
    closes = _clock_time(args.closes, "--closes")
    if closes <= opens:
        raise HandoverError("--closes doit suivre --opens (ex. --opens 09:00 --closes 11:00).")
    service = args.service_s if args.service_s is not None else _history_service_s(config())
    if service <= 0:
        raise HandoverError("--service-s doit être supérieur à zéro.")
    scenario = Scenario(
        arrivals=args.arrivals,
        arrive_from=_clock_time(args.arrive_from, "--from"),
        arrive_minutes=args.over,
        opens=opens,
        closes=closes,
        desks=args.desks,
        service_s=service,
        not_ready_share=_share(args.not_ready, "--not-ready"),
        incomplete_share=_share(args.incomplete, "--incomplete"),
        fix_share=_share(args.fix, "--fix"),
        seed=args.seed,
    )
    results = [run(scenario, triage=False), run(scenario, triage=True)]
    if args.json:
        print_json({"service_s": service, "results": [asdict(r) for r in results]})
        return 0
    print(
        f"{scenario.arrivals} personnes de {args.arrive_from} sur {args.over} min ; ouverture "
        f"{args.opens}-{args.closes}, {scenario.desks} guichet(s), remise médiane "
        f"{service:.0f} s ; {scenario.not_ready_share:.0%} de titres pas prêts, "
        f"{scenario.incomplete_share:.0%} de dossiers incomplets."
    )
    for r in results:
        print(_result_line(r))
    return 0


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} min"


def _result_line(r: Result) -> str:
    title = "Avec tri à la porte" if r.triage else "Sans tri"
    return (
        f"{title:20} reçues {r.received:4}  avec leur titre {r.complete:4}  renvoyées après "
        f"attente {r.turned_away_after_waiting:4}  renseignées à la porte "
        f"{r.turned_away_at_door:4}  attente médiane {_minutes(r.wait_median_min)}, "
        f"90e centile {_minutes(r.wait_p90_min)}"
    )
