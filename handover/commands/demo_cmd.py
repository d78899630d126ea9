"""``handover demo``: fill a database with realistic demo permits and accounts."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from handover.commands._common import config, engine
from handover.services.demo import DEMO_SEEDED, database_kind, seed_demo


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("demo", help="remplir la base avec des données de démonstration")
    p.add_argument("--permits", type=int, default=300, help="nombre de titres (défaut 300)")
    p.add_argument("--seed", type=int, default=1, help="graine : même graine, mêmes données")
    p.set_defaults(func=_demo)


def _progress(done: int, total: int) -> None:
    if total >= 50000:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} titres")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _demo(args: argparse.Namespace) -> int:
    if not 1 <= args.permits <= 5_000_000:
        print("Erreur : --permits doit être entre 1 et 5 000 000.", file=sys.stderr)
        return 2
    cfg = config()
    eng = engine(cfg)
    start = time.perf_counter()
    passwords = seed_demo(eng, cfg, permits=args.permits, seed=args.seed, progress=_progress)
    print(f"{args.permits} titres de démonstration créés en {time.perf_counter() - start:.1f} s.")
    print(f"Type de base : {database_kind(eng)} (marque {DEMO_SEEDED} au journal d'audit).")
    print("Comptes de démonstration (à supprimer en production) :")
    for user, password in passwords.items():
        print(f"  {user:8} mot de passe : {password}")
    return 0
