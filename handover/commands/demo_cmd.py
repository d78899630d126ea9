"""``handover demo``: fill a database with realistic demo permits and accounts."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from handover.commands._common import config, engine
from handover.receipts.format import euros
from handover.services.demo import (
    DEMO_SEEDED,
    TrainingHolder,
    database_kind,
    demo_counts,
    demo_holders,
    remove_demo,
    seed_demo,
)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("demo", help="remplir la base avec des données de démonstration")
    p.add_argument(
        "--permits", type=int, default=300, metavar="NOMBRE", help="nombre de titres (défaut 300)"
    )
    p.add_argument(
        "--seed", type=int, default=1, metavar="GRAINE", help="graine : même graine, mêmes données"
    )
    p.add_argument(
        "--remove",
        action="store_true",
        help="avant la mise en service : supprimer les titres, remises et comptes de démonstration",
    )
    p.add_argument("--yes", action="store_true", help="avec --remove : confirmer la suppression")
    p.add_argument(
        "--sheet",
        metavar="FICHIER.pdf",
        type=Path,
        help="écrire la fiche d'entraînement (codes-barres des titulaires à servir) ; sur une "
        "base de démonstration existante, sans rien ajouter",
    )
    p.set_defaults(func=_demo)


def _progress(done: int, total: int) -> None:
    if total >= 50000:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} titres")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _remove(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    if not args.yes:
        if database_kind(eng) != "démonstration":
            print("Cette base n'est pas une base de démonstration : rien à supprimer.")
            return 2
        counts = demo_counts(eng)
        print("Seraient supprimés : " + ", ".join(f"{n} {t}" for t, n in counts.items()) + ".")
        print("Relancez avec --yes pour supprimer. Le journal d'audit est conservé.")
        return 2
    counts = remove_demo(eng, cfg)
    print(
        f"Données de démonstration supprimées : {counts['permits']} titres, "
        f"{counts['handovers']} remises, {counts['agents']} comptes de démonstration."
    )
    print(f"Type de base : {database_kind(eng)}.")
    return 0


def _demo(args: argparse.Namespace) -> int:
    if args.remove:
        return _remove(args)
    if not 1 <= args.permits <= 5_000_000:
        print("Erreur : --permits doit être entre 1 et 5 000 000.", file=sys.stderr)
        return 2
    cfg = config()
    eng = engine(cfg)
    if args.sheet is not None and database_kind(eng) == "démonstration":
        return _sheet(args.sheet, demo_holders(eng))  # the demonstration is there already
    start = time.perf_counter()
    passwords = seed_demo(eng, cfg, permits=args.permits, seed=args.seed, progress=_progress)
    print(f"{args.permits} titres de démonstration créés en {time.perf_counter() - start:.1f} s.")
    print(f"Type de base : {database_kind(eng)} (marque {DEMO_SEEDED} au journal d'audit).")
    print("Comptes de démonstration (à supprimer en production) :")
    for user, password in passwords.items():
        print(f"  {user:8} mot de passe : {password}")
    print()
    print("Titulaires à servir (collez chaque ligne dans le champ de scan, puis Entrée) :")
    for holder in demo_holders(eng):
        extras = [f"timbres : {euros(holder.fee_cents)}"] if holder.fee_cents else []
        if holder.previous_card_expected:
            extras.append("ancienne carte à reprendre")
        print(f"  {holder.name}" + (f" ({', '.join(extras)})" if extras else ""))
        print(f"    référence SMS    : {holder.reference}")
        print(f"    pièce d'identité : {holder.passport}")
        if holder.stamp:
            print(f"    timbre fiscal    : {holder.stamp} (montant : {euros(holder.fee_cents)})")
        if holder.old_card:
            print(f"    ancienne carte   : {holder.old_card}")
        print(f"    carte du casier  : {holder.card}")
    print()
    if args.sheet is not None:
        return _sheet(args.sheet, demo_holders(eng))
    print("Les mêmes en codes-barres, à imprimer : handover demo --sheet demo.pdf")
    return 0


def _sheet(path: Path, holders: list[TrainingHolder]) -> int:
    """Write the training sheet; nothing is left half-written when the file cannot be."""
    from handover.services.training_sheet import render_training_sheet

    if not holders:
        print("Aucun titulaire à servir dans cette démonstration : pas de fiche.", file=sys.stderr)
        return 1
    pdf = render_training_sheet(holders)
    try:
        path.write_bytes(pdf)
    except OSError as error:
        print(
            f"Erreur : impossible d'écrire la fiche « {path} » ({error.strerror}). "
            "Choisissez un autre dossier ou un autre nom.",
            file=sys.stderr,
        )
        return 2
    names = ", ".join(h.name for h in holders)
    print(f"Fiche d'entraînement écrite dans {path} ({len(holders)} titulaires : {names}).")
    return 0
