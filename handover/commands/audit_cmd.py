"""``handover audit verify|checkpoint|tail``: check the chain, pin its head outside, read it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import select

from handover import audit, checkpoints, sitekey
from handover import formatting as fmt
from handover.commands._common import config, engine, print_json, system_user
from handover.persistence.models import AuditEntry
from handover.persistence.uow import UnitOfWork, make_durable

INTACT, BROKEN, CANNOT_VERIFY = 0, 1, 2


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("audit", help="journal d'audit : vérifier la chaîne, consulter")
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = sub.add_parser(
        "verify",
        help="vérifier toute la chaîne (code 0 intacte, 1 rompue ou altérée, 2 invérifiable)",
    )
    v.add_argument(
        "--checkpoints",
        nargs="?",
        const="",
        type=str,
        metavar="FICHIER",
        help="comparer aussi aux points de contrôle de ce fichier (sans valeur : le fichier "
        "configuré)",
    )
    v.add_argument("--json", action="store_true", help="résultat en JSON")
    v.set_defaults(func=_verify)
    c = sub.add_parser(
        "checkpoint", help="enregistrer la tête de chaîne dans le fichier de points de contrôle"
    )
    c.add_argument("--note", default="", help="remarque ajoutée à la ligne")
    c.set_defaults(func=_checkpoint)
    t = sub.add_parser("tail", help="afficher les dernières entrées")
    t.add_argument("-n", type=int, default=20, metavar="N", help="nombre d'entrées (défaut : 20)")
    t.set_defaults(func=_tail)


def _verify(args: argparse.Namespace) -> int:
    cfg = config()
    key = sitekey.configured_key()
    path: Path | None = None
    if args.checkpoints is not None:
        path = Path(args.checkpoints) if args.checkpoints else cfg.checkpoints_path
    chain: audit.ChainReport | None
    eng = engine(cfg)
    make_durable(eng)  # the head printed below must survive a power cut
    with UnitOfWork(eng, read_only=True) as uow:
        if path is None:
            chain = audit.verify(uow.session, key=key)
            code = CANNOT_VERIFY if chain.unverifiable else INTACT if chain.ok else BROKEN
            problem, broken_at, lines = chain.problem, chain.broken_at, None
        else:
            outcome = checkpoints.verify(uow.session, path, key=key)
            code, problem, broken_at, lines = (
                outcome.code,
                outcome.problem,
                outcome.broken_at,
                outcome.lines,
            )
            chain = outcome.chain
    if args.json:
        print_json(
            {
                "code": code,
                "ok": code == INTACT,
                "verified": chain.verified if chain else 0,
                "head_hash": chain.head_hash if chain else None,
                "head_id": chain.head_id if chain else None,
                "broken_at": broken_at,
                "problem": problem,
                "checkpoints": str(path) if path else None,
                "checkpoint_lines": lines,
            }
        )
        return code
    problem = problem.rstrip(".")
    if code == CANNOT_VERIFY:
        print(f"VÉRIFICATION IMPOSSIBLE : {problem}.")
    elif code == BROKEN:
        where = f" à l'entrée n° {broken_at}" if broken_at is not None else ""
        print(f"CHAÎNE D'AUDIT ROMPUE OU ALTÉRÉE{where} : {problem}.")
        if chain is not None and not chain.ok:
            print(f"{chain.verified} entrées vérifiées avant la rupture.")
    else:
        assert chain is not None
        print(f"Chaîne d'audit intègre : {chain.verified} entrées vérifiées.")
        print(f"Tête de chaîne (n° {chain.head_id}) : {chain.head_hash}")
        if path is not None:
            print(f"Conforme aux {lines} point(s) de contrôle de {path}.")
        else:
            print(
                "Sans --checkpoints, seule la cohérence interne est vérifiée : une copie "
                "plus ancienne ou un journal réécrit avec la clé passeraient."
            )
        if key is None and chain.key_from is None:
            print(
                "ATTENTION : journal non signé (pas de clé de site). Lancez « handover db "
                "upgrade » pour créer la clé."
            )
    return code


def _checkpoint(args: argparse.Namespace) -> int:
    cfg = config()
    path = cfg.checkpoints_path
    with UnitOfWork(engine(cfg), read_only=True) as uow:
        before = checkpoints.verify(
            uow.session, path, key=sitekey.configured_key(), missing_ok=True
        )
    if before.code != INTACT:
        where = f" à l'entrée n° {before.broken_at}" if before.broken_at is not None else ""
        print(f"CHAÎNE D'AUDIT ROMPUE OU ALTÉRÉE{where} : {before.problem.rstrip('.')}.")
        print("Aucun point de contrôle n'a été enregistré.")
        return before.code
    line = checkpoints.checkpoint(
        engine(cfg), path, desk=cfg.desk.name, agent=system_user().pseudonym, note=args.note
    )
    print(f"Point de contrôle enregistré : entrée n° {line.seq}, tête {line.head}.")
    if not cfg.audit.checkpoints_file:
        print(
            "ATTENTION : le fichier est dans le dossier de données de ce poste. Indiquez dans "
            "[audit] checkpoints_file un partage ou un support amovible hors de la base."
        )
    print(path)
    return INTACT


def _tail(args: argparse.Namespace) -> int:
    timezone = config().schedule.timezone
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
                f"{e.id:7} {fmt.moment(e.at, timezone, seconds=True)} {e.desk:12} {e.agent:9} "
                f"{e.action:18} {e.subject} {e.details}"
            )
    return 0
