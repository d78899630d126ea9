"""Back-office commands: import, sms, unclaimed, purge, backup, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from handover.backoffice import backup as backups
from handover.backoffice import imports, retention, sms, unclaimed
from handover.commands import restore_cmd
from handover.commands._common import account_option, acting, config, engine, print_json
from handover.domain.text import printable, printable_lines
from handover.errors import HandoverError
from handover.persistence.uow import UnitOfWork
from handover.services import permits


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import",
        help="importer le fichier de livraison des titres arrivés en préfecture",
        description="Importe les titres arrivés (CSV). Colonnes : " + ";".join(imports.COLUMNS),
    )
    p.add_argument("file", type=Path, metavar="FICHIER", help="fichier CSV de livraison")
    p.add_argument(
        "--valid-only",
        action="store_true",
        help="importer les lignes valides même si d'autres sont refusées",
    )
    p.add_argument("--dry-run", action="store_true", help="vérifier seulement, ne rien écrire")
    p.set_defaults(func=_import)
    account_option(p)

    p = subparsers.add_parser("sms", help="SMS « votre titre est disponible » (passerelle)")
    sub = p.add_subparsers(dest="sms_command", metavar="ACTION", required=True)
    e = sub.add_parser("export", help="écrire le fichier d'envoi des titres arrivés non prévenus")
    e.add_argument("file", type=Path, metavar="FICHIER", help="fichier d'envoi à écrire")
    e.add_argument("--limit", metavar="N", help="au plus N messages")
    e.add_argument(
        "--template",
        type=Path,
        metavar="MODÈLE",
        help="fichier texte du message (repères : "
        + ", ".join("{" + x + "}" for x in sms.NOTIFICATION_PLACEHOLDERS)
        + ")",
    )
    e.set_defaults(func=_sms_export)
    account_option(e)
    c = sub.add_parser("confirm", help="marquer « prévenus » les titres d'un fichier envoyé")
    c.add_argument("file", type=Path, metavar="FICHIER", help="fichier d'envoi transmis")
    c.set_defaults(func=_sms_confirm)
    account_option(c)

    p = subparsers.add_parser("unclaimed", help="titres non retirés : liste, rappel, retour")
    sub = p.add_subparsers(dest="unclaimed_command", metavar="ACTION", required=True)
    u = sub.add_parser("list", help="titres prévenus et non retirés depuis N jours")
    u.add_argument("--days", metavar="N", help="défaut : délai de rappel de la configuration")
    u.add_argument("--json", action="store_true", help="liste en JSON")
    u.set_defaults(func=_unclaimed_list)
    r = sub.add_parser("remind", help="écrire le fichier de SMS de rappel")
    r.add_argument("file", type=Path, metavar="FICHIER", help="fichier de rappel à écrire")
    r.add_argument("--days", metavar="N", help="défaut : délai de rappel de la configuration")
    r.add_argument(
        "--template",
        type=Path,
        metavar="MODÈLE",
        help="fichier texte du rappel (repères : "
        + ", ".join("{" + x + "}" for x in sms.REMINDER_PLACEHOLDERS)
        + ")",
    )
    r.set_defaults(func=_unclaimed_remind)
    account_option(r)
    t = sub.add_parser("return", help="marquer « retournés » les titres non retirés après N jours")
    t.add_argument(
        "--days",
        metavar="N",
        help="défaut : délai de retour de la configuration ; au moins le délai de rappel",
    )
    t.add_argument("--dry-run", action="store_true", help="lister seulement, ne rien modifier")
    t.add_argument(
        "--force",
        action="store_true",
        help="accepter un délai plus court que le délai de rappel configuré",
    )
    t.set_defaults(func=_unclaimed_return)
    account_option(t)

    p = subparsers.add_parser("permit", help="bloquer ou débloquer un titre (chef d'accueil)")
    sub = p.add_subparsers(dest="permit_command", metavar="ACTION", required=True)
    for action, text in (
        ("block", "bloquer un titre arrivé ou prévenu (alerte fraude, carte défectueuse…)"),
        ("unblock", "débloquer un titre : il revient à l'état « prévenu » ou « arrivé »"),
    ):
        b = sub.add_parser(action, help=text)
        b.add_argument(
            "ref", metavar="TITRE", help="numéro de carte, référence du SMS ou n° interne"
        )
        b.add_argument("--reason", required=True, metavar="MOTIF", help="motif (obligatoire)")
        b.set_defaults(func=_permit_block if action == "block" else _permit_unblock)
        account_option(b)

    p = subparsers.add_parser(
        "purge", help="effacer les données personnelles et l'audit arrivés en fin de conservation"
    )
    p.add_argument("--dry-run", action="store_true", help="compter seulement")
    p.add_argument(
        "--backups",
        action="store_true",
        help="supprimer aussi les sauvegardes et copies de sécurité plus anciennes que la "
        "durée de conservation",
    )
    p.set_defaults(func=_purge)
    account_option(p)

    p = subparsers.add_parser("backup", help="copie de sauvegarde de la base (SQLite, à chaud)")
    p.add_argument("dest", type=Path, metavar="DESTINATION", help="fichier de sauvegarde à écrire")
    p.set_defaults(func=_backup)

    p = subparsers.add_parser(
        "restore", help="restaurer une sauvegarde vérifiée, puis rejouer les remises postérieures"
    )
    p.add_argument(
        "src",
        type=Path,
        metavar="SAUVEGARDE",
        nargs="?",
        help="fichier de sauvegarde (sans --reconcile)",
    )
    p.add_argument("--to", metavar="URL", help="base à remplacer (par défaut : la base configurée)")
    p.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
    p.add_argument(
        "--force",
        action="store_true",
        help="restaurer même si des remises ne peuvent être rejouées",
    )
    p.add_argument(
        "--reconcile",
        action="store_true",
        help="après un pg_restore : rejouer dans la base configurée les remises de l'archive "
        "qu'elle ne connaît pas",
    )
    p.set_defaults(func=_restore)
    account_option(p)


class _ProgressBar:
    """A one-line progress bar on stderr, redrawn only when the percentage changes."""

    def __init__(self) -> None:
        self._last: tuple[str, int] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if (phase, percent) == self._last:
            return
        self._last = (phase, percent)
        bar = "#" * (percent // 4)
        sys.stderr.write(f"\r{phase:15} [{bar:25}] {percent:3d} % ({done}/{total})")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _template(path: Path | None, placeholders: tuple[str, ...]) -> sms.SmsTemplate | None:
    return None if path is None else sms.SmsTemplate.from_file(path, placeholders)


def _import(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    try:
        report = imports.import_permits(
            eng,
            cfg,
            args.file,
            actor=acting(args, eng, cfg),
            valid_only=args.valid_only,
            dry_run=args.dry_run,
            progress=_ProgressBar(),
        )
    except imports.ImportFileError as error:
        if error.shown:  # the offending line: on the terminal, not in the error text
            print(f"  {error.shown}")
        raise

    print(printable_lines(report.summary()))
    return 1 if report.refused else 0


def _sms_export(args: argparse.Namespace) -> int:
    cfg = config()
    limit = None if args.limit is None else whole_number(args.limit, "--limit", minimum=1)
    eng = engine(cfg)
    result = sms.export_notifications(
        eng,
        cfg,
        args.file,
        actor=acting(args, eng, cfg),
        limit=limit,
        template=_template(args.template, sms.NOTIFICATION_PLACEHOLDERS),
    )
    print(f"{result.messages} SMS écrits dans {result.path}.")
    if result.longest is not None:
        print(
            f"Message le plus long : {result.longest.segments} segment(s) "
            f"({result.longest.encoding}, {result.longest.units} unités)."
        )
    if result.without_phone:
        print(f"{result.without_phone} titre(s) arrivé(s) sans numéro de téléphone : à prévenir.")
    if result.messages:
        print(f"Une fois le fichier envoyé : handover sms confirm {result.path}")
    return 0


def _sms_confirm(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    result = sms.confirm_notifications(eng, cfg, args.file, actor=acting(args, eng, cfg))
    print(f"{result.marked} titre(s) marqué(s) « prévenu ».")
    if result.already:
        print(f"{result.already} déjà marqué(s) auparavant.")
    for problem in result.problems:
        print(f"  - {printable(problem)}")
    if result.skipped:
        print(
            f"{len(result.skipped)} titre(s) changé(s) à un guichet pendant la confirmation : "
            "laissé(s) tel(s) quel(s) (voir ci-dessus)."
        )
    return 1 if result.problems else 0


def _unclaimed_list(args: argparse.Namespace) -> int:
    cfg = config()
    days = _days(args.days, cfg.retention.reminder_after_days, minimum=0)
    rows = unclaimed.list_unclaimed(engine(cfg), cfg, days=days)
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    zone = ZoneInfo(cfg.schedule.timezone)
    print(f"{len(rows)} titre(s) prévenu(s) depuis {days} jours ou plus et non retiré(s).")
    for r in rows:
        reminded = f", rappel le {r.reminded_at.astimezone(zone):%d/%m/%Y}" if r.reminded_at else ""
        print(
            printable(
                f"  casier {r.storage_slot or '?':8} carte {r.card_number:12} "
                f"{r.surname} {r.given_names} — SMS le "
                f"{r.notified_at.astimezone(zone):%d/%m/%Y} ({r.days_waiting} j){reminded}"
            )
        )
    return 0


def _unclaimed_remind(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    result = unclaimed.remind_unclaimed(
        eng,
        cfg,
        args.file,
        actor=acting(args, eng, cfg),
        days=_days(args.days, cfg.retention.reminder_after_days, minimum=0),
        template=_template(args.template, sms.REMINDER_PLACEHOLDERS),
    )
    print(f"{result.messages} SMS de rappel écrits dans {result.path}.")
    if result.without_phone:
        print(f"{result.without_phone} titre(s) sans téléphone : rappel impossible par SMS.")
    return 0


def _unclaimed_return(args: argparse.Namespace) -> int:
    cfg = config()
    days = _days(args.days, cfg.retention.return_after_days, minimum=0)
    floor = cfg.retention.reminder_after_days
    if days < floor and not args.force:
        raise HandoverError(
            f"--days {days} : un titre ne peut être retourné que {floor} jours au moins après "
            f"le SMS (délai de rappel configuré, [retention] reminder_after_days). Ajoutez "
            "--force pour un délai plus court."
        )
    eng = engine(cfg)
    who = acting(args, eng, cfg)
    result = unclaimed.return_unclaimed(eng, cfg, days=days, dry_run=args.dry_run, actor=who)
    verb = "seraient marqués" if args.dry_run else "marqués"
    print(f"{len(result.permits)} titre(s) {verb} « retourné » :")
    for r in result.permits:
        print(
            printable(
                f"  casier {r.storage_slot or '?':8} carte {r.card_number} ({r.days_waiting} j)"
            )
        )
    if result.skipped:
        print(
            f"{len(result.skipped)} titre(s) changé(s) à un guichet pendant le traitement, "
            "non renvoyé(s) :"
        )
        for x in result.skipped:
            print(f"  - {printable(str(x))}")
    if args.dry_run:
        print("Essai à blanc (--dry-run) : rien n'a été modifié.")
    return 1 if result.skipped else 0


def _permit_block(args: argparse.Namespace) -> int:
    return _permit_change(args, block=True)


def _permit_unblock(args: argparse.Namespace) -> int:
    return _permit_change(args, block=False)


def _permit_change(args: argparse.Namespace, *, block: bool) -> int:
    cfg = config()
    eng = engine(cfg)
    permit_id = permits.find_permit_id(UnitOfWork(eng, read_only=True), args.ref)
    change = permits.set_blocked(
        UnitOfWork(eng),
        permit_id,
        block,
        reason=args.reason,
        by=acting(args, eng, cfg),
        desk_name=cfg.desk.name,
    )
    print(
        printable(
            f"Titre n° {change.permit_id} (carte {change.card_number}) "
            + ("bloqué" if block else f"débloqué : « {permits.state_name(change.state)} »")
            + f" (entrée d'audit n° {change.audit_entry})."
        )
    )
    return 0


MAX_DAYS = 36_500


def whole_number(text: str, option: str, *, minimum: int, maximum: int = MAX_DAYS) -> int:
    """A whole number given on the command line, or a French message naming the option."""
    raw = text.strip()
    if not raw.lstrip("-").isdigit():
        raise HandoverError(f"{option} « {printable(raw)} » : un nombre entier est attendu.")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise HandoverError(f"{option} {value} : entre {minimum} et {maximum} attendu.")
    return value


def _days(text: str | None, default: int, *, minimum: int = 1) -> int:
    return default if text is None else whole_number(text, "--days", minimum=minimum)


def _purge(args: argparse.Namespace) -> int:
    cfg = config()
    eng = engine(cfg)
    who = acting(args, eng, cfg)
    report = retention.purge(eng, cfg, dry_run=args.dry_run, backups=args.backups, actor=who)
    st = report.status
    r = cfg.retention
    print(f"Données personnelles de plus de {r.personal_data_days} jours :")
    print(f"  titres à anonymiser : {st.permits}")
    print(f"  images de signature à effacer : {st.signatures}")
    print(f"Entrées d'audit de plus de {r.audit_days} jours à supprimer : {st.audit_entries}")
    print(f"Sauvegardes et copies de sécurité plus anciennes : {len(st.backups)}")
    for path in st.backups:
        print(f"  {path}")
    if args.dry_run:
        print("Essai à blanc (--dry-run) : rien n'a été modifié.")
    elif report.done:
        print(
            f"Purge faite. La chaîne d'audit part désormais de l'entrée n° "
            f"{report.anchor_id + 1}. Récépissés PDF supprimés de l'archive : "
            f"{len(report.receipts_deleted)}."
        )
        if report.backups_deleted:
            print(f"Sauvegardes supprimées : {len(report.backups_deleted)}.")
        if report.checkpoint is not None:
            print(f"Ligne ajoutée aux points de contrôle : {cfg.checkpoints_path}")
    else:
        print("Rien à purger.")
    if st.backups and not args.backups:
        print(
            "Ces sauvegardes contiennent des données arrivées en fin de conservation : "
            "supprimez-les avec « handover purge --backups » (et leurs copies hors du poste)."
        )
    return 0


def _backup(args: argparse.Namespace) -> int:
    cfg = config()
    url = cfg.database_url
    if not url.startswith("sqlite"):
        print(backups.pg_dump_instructions(url))
        print("Aucune copie n'a été faite par cette commande.", file=sys.stderr)
        return 1
    result = backups.backup(url, args.dest)
    print(
        f"Sauvegarde écrite : {result.path} ({result.bytes // 1024} Kio, "
        f"{result.check.handovers} remises, chaîne d'audit vérifiée)."
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    cfg = config()
    if args.reconcile:
        return restore_cmd.reconcile(cfg, engine(cfg), yes=args.yes, args=args)
    if args.src is None:
        print("Indiquez le fichier de sauvegarde à restaurer (ou --reconcile).", file=sys.stderr)
        return 2
    return restore_cmd.restore(
        cfg, args.src, args.to or cfg.database_url, args.yes, args.force, args
    )
