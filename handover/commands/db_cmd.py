"""``handover db upgrade|check|info``: the database schema, brought to head by Alembic."""

from __future__ import annotations

import argparse
from typing import Any

from handover import audit
from handover.commands._common import config, engine
from handover.persistence.db import schema_status, upgrade
from handover.persistence.engine import describe_engine


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("db", help="schéma de la base : mise à jour et vérification")
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    sub.add_parser("upgrade", help="mettre la base au dernier schéma").set_defaults(func=_upgrade)
    sub.add_parser(
        "check", help="dire si la base est à jour (code 0) ou non (code 1)"
    ).set_defaults(func=_check)
    sub.add_parser("info", help="moteur, version et réglages de la base").set_defaults(func=_info)


def _upgrade(args: argparse.Namespace) -> int:
    del args
    eng = engine(migrate=False)
    before = schema_status(eng)
    upgrade(eng)
    after = schema_status(eng)
    if before.current == after.current:
        print(f"La base est déjà à jour (révision {after.current}).")
    else:
        print(f"Base mise à jour : {before.current or 'vide'} → {after.current}.")
    print(audit.ensure_site_key(eng, config()))
    return 0


def _check(args: argparse.Namespace) -> int:
    del args
    status = schema_status(engine(migrate=False))
    if status.up_to_date:
        print(f"À jour : révision {status.current}.")
        return 0
    print(
        f"Pas à jour : révision {status.current or 'aucune (base vide)'}, attendue {status.head}. "
        "Lancez « handover db upgrade »."
    )
    return 1


def _info(args: argparse.Namespace) -> int:
    del args
    cfg = config()
    print(describe_engine(engine(cfg, migrate=False)))
    return 0
