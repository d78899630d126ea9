"""``handover db upgrade|check|info``: the database schema, brought to head by Alembic.

``db upgrade`` is the one command that creates a database ("setup defined once"); every
other command, and the counter, refuse a missing SQLite file and name this command.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from handover import audit
from handover.backoffice.backup import backup_before_upgrade, pg_dump_before_upgrade
from handover.commands._common import config
from handover.config import data_dir
from handover.persistence.db import (
    integrity_check,
    open_configured,
    schema_status,
    upgrade,
)
from handover.persistence.engine import describe_engine, make_engine, sqlite_path
from handover.persistence.faults import DatabaseCorrupted, DatabaseMissing, classify, short
from handover.services.demo import database_kind

KIND_NOTES = {
    "vide": " (ni titre ni compte).",
    "démonstration": " (guichet de démonstration seulement ; « handover demo --remove » avant "
    "la mise en service).",
    "production": " (le guichet de démonstration la refuse).",
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("db", help="schéma de la base : création, mise à jour, vérification")
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = sub.add_parser(
        "upgrade",
        help="créer la base si elle n'existe pas, la mettre au dernier schéma (copie de la "
        "base d'abord : fichier SQLite copié, PostgreSQL sauvegardé par pg_dump)",
    )
    up.add_argument(
        "--no-backup",
        action="store_true",
        help="PostgreSQL seulement : ne pas lancer pg_dump (la base a été sauvegardée autrement)",
    )
    up.set_defaults(func=_upgrade)
    sub.add_parser(
        "check",
        help="vérifier l'intégrité du fichier (SQLite) et le schéma : code 0 si tout va bien, "
        "1 sinon",
    ).set_defaults(func=_check)
    sub.add_parser("info", help="moteur, version et réglages de la base").set_defaults(func=_info)


@contextmanager
def _opened(*, migrate: bool, create: bool = False) -> Iterator[Engine]:
    eng = open_configured(config(), backoffice=True, migrate=migrate, create=create)
    try:
        yield eng
    finally:
        eng.dispose()


def _upgrade(args: argparse.Namespace) -> int:
    cfg = config()
    path = sqlite_path(cfg.database_url)
    new = path is not None and not (path.exists() and path.stat().st_size > 0)
    saved: Path | None = None
    with _opened(migrate=False, create=True) as eng:
        before = schema_status(eng)
        if not new and before.current and not before.up_to_date:  # no copy, no migration
            if path is not None:
                saved = backup_before_upgrade(path, before.current)
            elif eng.dialect.name == "postgresql" and not args.no_backup:
                folder = data_dir() / "sauvegardes"
                saved = pg_dump_before_upgrade(cfg.database_url, before.current, folder)
        upgrade(eng)
        after = schema_status(eng)
        key_message = audit.ensure_site_key(eng, cfg)
    if new:
        print(f"Nouvelle base créée : {path} (révision {after.current}).")
    elif before.current == after.current:
        print(f"La base est déjà à jour (révision {after.current}).")
    else:
        print(f"Base mise à jour : {before.current or 'vide'} → {after.current}.")
    if saved is not None:
        print(f"Copie de la base d'avant la migration : {saved}.")
        if path is None:
            print(
                "Pour revenir en arrière : pg_restore --clean --if-exists --no-owner (voir README)."
            )
    elif path is None and not before.up_to_date and before.current:
        print("PostgreSQL : pas de sauvegarde par cette commande (--no-backup).")
    print(key_message)
    return 0


def _check(args: argparse.Namespace) -> int:
    del args
    cfg = config()
    path = sqlite_path(cfg.database_url)
    if path is not None:
        if not path.exists():
            raise DatabaseMissing(path)
        problems = _sqlite_problems(cfg.database_url, cfg.database.busy_timeout_ms)
        if problems:
            print(f"Base endommagée : {path}")
            print("SQLite (PRAGMA integrity_check) signale :")
            for line in problems:
                print(f"  - {line}")
            print(
                "Ne travaillez plus sur cette base : restaurez la dernière sauvegarde "
                "(handover restore FICHIER), puis relancez « handover db check »."
            )
            return 1
    with _opened(migrate=False) as eng:
        status = schema_status(eng)
        kind = database_kind(eng) if status.up_to_date else None
    integrity = "fichier intègre (integrity_check), " if path is not None else ""
    if status.up_to_date:
        print(f"À jour : {integrity}révision {status.current}.")
        print(f"Type de base : {kind}{KIND_NOTES[kind or 'vide']}")
        return 0
    print(
        f"Pas à jour : {integrity}révision {status.current or 'aucune (base vide)'}, attendue "
        f"{status.head}. Lancez « handover db upgrade »."
    )
    return 1


def _sqlite_problems(url: str, busy_timeout_ms: int) -> tuple[str, ...]:
    """What ``integrity_check`` finds wrong in the SQLite file (empty: nothing)."""
    eng = make_engine(url, busy_timeout_ms=busy_timeout_ms, create=False)
    try:
        return integrity_check(eng).problems
    except DBAPIError as exc:
        fault = classify(exc, where=str(sqlite_path(url)))
        if isinstance(fault, DatabaseCorrupted) or fault is None:
            return (short(exc),)
        raise fault from exc  # not damage: unreadable, locked…
    finally:
        eng.dispose()


def _info(args: argparse.Namespace) -> int:
    del args
    with _opened(migrate=False) as eng:
        print(describe_engine(eng))
        kind = database_kind(eng)
        print(f"Type de base : {kind}{KIND_NOTES[kind]}")
    return 0
