"""``handover restore``: what a restore will do, the operator's confirmation, then the work."""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from handover import audit, checkpoints
from handover import formatting as fmt
from handover.backoffice import backup as backups
from handover.backoffice.replay import later_handovers, replay
from handover.commands._common import acting, acting_in_copy
from handover.config import Config
from handover.persistence.uow import UnitOfWork
from handover.receipts.sidecar import ReceiptSidecar, read_sidecars
from handover.services.accounts import ADMINS, check_account


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print(f"{question} Relancez avec --yes pour confirmer sans terminal.")
        return False
    answer = input(f"{question} [o/N] ").strip().lower()
    return answer in ("o", "oui", "y", "yes")


def _list(title: str, sidecars: tuple[ReceiptSidecar, ...], timezone: str) -> None:
    print(f"{title} : {len(sidecars)}")
    for sc in sidecars:
        stamps = ", ".join(number for number, _c in sc.stamps) or "aucun timbre"
        print(
            f"  {sc.handover_number}  titre n° {sc.permit_id}  "
            f"{fmt.moment(sc.handed_over_at, timezone)}  {sc.desk}  ({stamps})"
        )


def restore(cfg: Config, src: Path, url: str, yes: bool, force: bool, args: Namespace) -> int:
    plan = backups.plan_restore(src, url, cfg.archive_dir)
    print(f"Sauvegarde {src} vérifiée : {plan.check.handovers} remises.")
    # The database being replaced may be the damaged one: the administrator is checked in the
    # backup, which becomes the database (read only here; the restore's entries name them).
    copy = create_engine(f"sqlite:///file:{src}?mode=ro&uri=true", poolclass=NullPool)
    try:
        who = acting_in_copy(args, copy, doing="restaurer une sauvegarde")
    finally:
        copy.dispose()
    _list(
        "Remises faites après la sauvegarde, à rejouer",
        plan.later.replayable,
        cfg.schedule.timezone,
    )
    for problem in plan.blocking:
        print(f"  IMPOSSIBLE À REJOUER : {problem}")
    if plan.blocking and not force:
        print("Restauration refusée (--force pour passer outre) : rien n'a été modifié.")
        return 1
    if plan.later.replayable and not _confirm(
        f"Remplacer {plan.target} par la sauvegarde et rejouer "
        f"{len(plan.later.replayable)} remise(s) ?",
        yes,
    ):
        print("Rien n'a été modifié.")
        return 1
    result = backups.restore(
        src,
        url,
        archive_dir=cfg.archive_dir,
        checkpoints_path=cfg.checkpoints_path,
        desk=cfg.desk.name,
        force=force,
        agent=who.pseudonym,
    )
    print(
        f"Base restaurée dans {result.target} ({result.check.handovers} remises, intégrité, "
        "schéma et chaîne d'audit vérifiés)."
    )
    if result.replayed is not None:
        print(
            f"{len(result.replayed.replayed)} remise(s) rejouée(s) comme « remise antérieure à "
            "la restauration »."
        )
        for number in result.replayed.stamps_already_used:
            print(f"  timbre {number} déjà consommé dans la sauvegarde : non rejoué")
    if result.previous is not None:
        print(f"L'ancienne base est conservée sous {result.previous}.")
    if result.checkpoint is not None:
        print(f"Ligne ajoutée aux points de contrôle : {cfg.checkpoints_path}")
    return 0


def reconcile(cfg: Config, engine: Engine, *, yes: bool, args: Namespace) -> int:
    """After a ``pg_restore``: check the chain, then replay what the archive knows more."""
    who = check_account(
        UnitOfWork(engine), acting(args, engine, cfg), ADMINS, doing="rejouer des remises"
    )
    scan = read_sidecars(cfg.archive_dir)
    with UnitOfWork(engine, read_only=True) as uow:
        chain = audit.verify(uow.session)
        later = later_handovers(uow.session, scan.sidecars)
    if not chain.ok:
        print(f"CHAÎNE D'AUDIT ROMPUE à l'entrée n° {chain.broken_at} : {chain.problem}")
        return 1
    _list(
        "Remises de l'archive absentes de la base, à rejouer",
        later.replayable,
        cfg.schedule.timezone,
    )
    problems = [f"remise {sc.handover_number} : titre absent" for sc in later.unknown_permit]
    problems += [f"remise {sc.handover_number} : {why}" for sc, why in later.conflicting]
    problems += [f"fiche illisible : {path}" for path in scan.unreadable]
    for problem in problems:
        print(f"  IMPOSSIBLE À REJOUER : {problem}")
    if not later.replayable:
        print("Rien à rejouer.")
        return 1 if problems else 0
    if not _confirm(f"Rejouer {len(later.replayable)} remise(s) ?", yes):
        print("Rien n'a été modifié.")
        return 1
    checkpoints.ensure_writable(cfg.checkpoints_path)
    report = replay(engine, later.replayable, desk=cfg.desk.name, agent=who.pseudonym)
    checkpoints.checkpoint(
        engine,
        cfg.checkpoints_path,
        desk=cfg.desk.name,
        agent=who.pseudonym,
        event="restore",
        base_seq=chain.head_id,
        note=f"rapprochement après pg_restore, {len(report.replayed)} remise(s) rejouée(s)",
    )
    print(
        f"{len(report.replayed)} remise(s) rejouée(s). Points de contrôle : {cfg.checkpoints_path}"
    )
    return 1 if problems else 0
