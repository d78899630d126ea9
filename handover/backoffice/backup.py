"""Backups: an online, consistent copy of a SQLite database; checked restores.

The copy uses SQLite's backup API in a single step, which reads one snapshot while other
processes keep writing (the database runs in WAL mode). PostgreSQL is backed up with its
own tools; ``pg_dump_instructions`` says how.

A restore never goes back in time silently: the replaced database is kept as a timestamped
safety copy (never overwritten), the handovers made after the backup are found from the
receipt sidecars and replayed (``handover.backoffice.replay``), and a line in the
checkpoints file records that history after the backup's head was replaced.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from handover import audit, checkpoints
from handover.backoffice.replay import LaterHandovers, ReplayReport, later_handovers, replay
from handover.errors import HandoverError
from handover.persistence.db import SchemaStatus, schema_status
from handover.persistence.engine import make_engine, sqlite_path
from handover.persistence.models import Handover
from handover.persistence.uow import UnitOfWork
from handover.receipts.sidecar import read_sidecars


class BackupError(HandoverError):
    """A backup or a restore could not be done; the configured database is untouched."""


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    integrity: str  # "ok" or SQLite's first complaint
    schema: SchemaStatus | None
    chain: audit.ChainReport | None
    handovers: int

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.schema is not None
            and self.schema.up_to_date
            and self.chain is not None
            and self.chain.ok
        )

    def problems(self) -> list[str]:
        out = []
        if self.integrity != "ok":
            out.append(f"contrôle d'intégrité SQLite : {self.integrity}")
        if self.schema is not None and not self.schema.up_to_date:
            out.append(
                f"schéma en version {self.schema.current or 'inconnue'}, attendu {self.schema.head}"
            )
        if self.chain is not None and not self.chain.ok:
            out.append(f"chaîne d'audit rompue à l'entrée n° {self.chain.broken_at}")
        return out


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    check: BackupCheck


@dataclass(frozen=True)
class RestorePlan:
    """What a restore would do, shown to the administrator before anything changes."""

    src: Path
    target: Path
    check: BackupCheck
    later: LaterHandovers  # handovers of the archive that the backup does not know
    unreadable: tuple[Path, ...] = ()  # sidecars that could not be read

    @property
    def blocking(self) -> list[str]:
        """Why replaying cannot restore the whole history (then ``force`` is needed)."""
        out = [
            f"remise {sc.handover_number} (titre n° {sc.permit_id}) : titre absent de la sauvegarde"
            for sc in self.later.unknown_permit
        ]
        out += [f"remise {sc.handover_number} : {why}" for sc, why in self.later.conflicting]
        out += [f"fiche illisible : {path}" for path in self.unreadable]
        return out


@dataclass(frozen=True)
class RestoreResult:
    target: Path
    previous: Path | None  # the replaced database, kept as a timestamped safety copy
    check: BackupCheck
    replayed: ReplayReport | None = None
    checkpoint: checkpoints.CheckpointLine | None = None
    not_replayed: tuple[str, ...] = field(default=())


def pg_dump_instructions(url: str) -> str:
    u = make_url(url)
    target = f"--host={u.host or 'localhost'} --port={u.port or 5432} "
    target += f"--username={u.username or 'postgres'} --dbname={u.database}"
    return (
        "La base est sur PostgreSQL : sauvegardez-la avec les outils de PostgreSQL, sur le "
        "serveur ou un poste qui y accède :\n"
        f"  pg_dump --format=custom --file=guichet-AAAAMMJJ.dump {target}\n"
        "Le mot de passe est demandé (ou lu dans ~/.pgpass). Pour restaurer dans une base "
        "vide :\n"
        f"  pg_restore --clean --if-exists --no-owner {target} guichet-AAAAMMJJ.dump\n"
        "puis vérifiez avec « handover audit verify »."
    )


def _sqlite_file(url: str, what: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        if make_url(url).get_backend_name() == "postgresql":
            raise BackupError(pg_dump_instructions(url))
        raise BackupError(f"{what} : seule une base SQLite dans un fichier peut être copiée ici.")
    return path


def check_backup(path: Path) -> BackupCheck:
    """Integrity, schema version and audit chain of a database file (not modified)."""
    if not path.is_file():
        raise BackupError(f"Le fichier {path} n'existe pas.")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return BackupCheck(path, f"fichier illisible ({exc})", None, None, 0)
    integrity = "ok" if rows == [("ok",)] else str(rows[0][0])
    if integrity != "ok":
        return BackupCheck(path, integrity, None, None, 0)
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", poolclass=NullPool)
    try:
        schema = schema_status(engine)
        if not schema.up_to_date:
            return BackupCheck(path, integrity, schema, None, 0)
        with UnitOfWork(engine, read_only=True) as uow:
            chain = audit.verify(uow.session)
            count = uow.session.execute(select(func.count()).select_from(Handover)).scalar_one()
    finally:
        engine.dispose()
    return BackupCheck(path, integrity, schema, chain, count)


def _copy(src: Path, dest: Path) -> None:
    """One-step online copy (a single consistent snapshot); the copy is one plain file."""
    with (
        closing(sqlite3.connect(src, timeout=30)) as source,
        closing(sqlite3.connect(dest)) as target,
    ):
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """Copy the SQLite file about to be migrated from ``revision``; the copy's path.

    Named ``<base>-sauvegarde-avant-migration-<revision>-<heure UTC>.sqlite3`` beside the
    base, where ``handover purge --backups`` lists it; checked for integrity only (its schema
    is the old one, by design).
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.stem}-sauvegarde-avant-migration-{revision}-{stamp}.sqlite3")
    with _written_whole(dest, f"Impossible de copier {path} avant la migration") as part:
        _copy(path, part)
        with closing(sqlite3.connect(f"file:{part}?mode=ro", uri=True)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            raise BackupError(
                f"La copie de {path} avant migration n'est pas intègre ({rows[0][0]}) : la base "
                "n'a pas été migrée. Lancez « handover db check »."
            )
    return dest


@contextmanager
def _written_whole(dest: Path, failure: str) -> Iterator[Path]:
    """A temporary name beside ``dest``, renamed to ``dest`` only when the block succeeds.

    A copy that failed halfway is removed, never taken for a backup; a file-system or
    SQLite failure becomes ``BackupError`` (``failure`` says what could not be done).
    """
    part = dest.with_name(dest.name + ".part")
    try:
        yield part
        os.replace(part, dest)
    except (OSError, sqlite3.Error, subprocess.TimeoutExpired) as exc:
        raise BackupError(
            f"{failure} ({exc}) : la base n'a pas été migrée. Libérez de la place ou vérifiez "
            "les droits du dossier, puis recommencez."
        ) from exc
    finally:
        part.unlink(missing_ok=True)


def find_pg_dump() -> Path | None:
    """``pg_dump`` on the PATH, else the newest of Debian's ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which("pg_dump")
    if found:
        return Path(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    return Path(candidates[0]) if candidates else None


def pg_dump_before_upgrade(url: str, revision: str, folder: Path, timeout: float = 3600) -> Path:
    """``pg_dump`` of the PostgreSQL database about to be migrated from ``revision``.

    A custom-format dump (``pg_restore`` reads it) named
    ``guichet-avant-migration-<revision>-<heure UTC>.dump`` in ``folder``; written under a
    temporary name, so a dump that failed halfway is never taken for a backup. The password
    goes through the environment, never on a command line that ``ps`` shows. ``BackupError``
    (the database is then not migrated) when pg_dump is missing or fails.
    """
    u = make_url(url)
    pg_dump = find_pg_dump()
    if pg_dump is None:
        raise BackupError(
            "pg_dump est introuvable sur ce poste : la base n'a pas été migrée. Installez le "
            "client PostgreSQL (paquet postgresql-client, de la version du serveur ou plus "
            "récente), ou sauvegardez la base vous-même et relancez avec "
            "« handover db upgrade --no-backup ».\n" + pg_dump_instructions(url)
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = folder / f"guichet-avant-migration-{revision}-{stamp}.dump"
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    command = [str(pg_dump), "--format=custom", "--no-password"]
    command += [f"--host={u.host or 'localhost'}", f"--port={u.port or 5432}"]
    if u.username:
        command.append(f"--username={u.username}")
    command.append(f"--dbname={u.database}")
    with _written_whole(dest, f"Impossible d'écrire la sauvegarde dans {folder}") as part:
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [*command, f"--file={part}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            problem = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
            raise BackupError(
                f"pg_dump a échoué (code {done.returncode} : {problem}) : la base n'a pas été "
                "migrée. Vérifiez l'accès au serveur et la version de pg_dump (celle du "
                "serveur ou plus récente), puis recommencez.\n" + pg_dump_instructions(url)
            )
    return dest


def backup(url: str, dest: Path) -> BackupResult:
    """Copy the SQLite database at ``url`` to ``dest`` while desks may keep working."""
    src = _sqlite_file(url, "Sauvegarde")
    if not src.is_file():
        raise BackupError(f"La base {src} n'existe pas : rien à sauvegarder.")
    if dest.is_dir():
        dest = dest / f"{src.stem}-sauvegarde.sqlite3"
    if dest.exists():
        raise BackupError(f"{dest} existe déjà : choisissez un autre nom, rien n'a été écrasé.")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    try:
        _copy(src, part)
        check = check_backup(part)
        if not check.ok:
            raise BackupError(
                "La copie ne passe pas le contrôle : " + " ; ".join(check.problems()) + "."
            )
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)
    return BackupResult(dest, dest.stat().st_size, replace(check, path=dest))


def plan_restore(src: Path, target_url: str, archive_dir: Path | None) -> RestorePlan:
    """Check the backup and list the handovers made after it (from the receipt sidecars)."""
    target = _sqlite_file(target_url, "Restauration")
    check = check_backup(src)
    if not check.ok:
        raise BackupError(
            f"{src} ne peut pas être restauré : " + " ; ".join(check.problems()) + ". La base "
            "actuelle n'a pas été modifiée."
        )
    scan = read_sidecars(archive_dir) if archive_dir is not None else None
    engine = create_engine(f"sqlite:///file:{src}?mode=ro&uri=true", poolclass=NullPool)
    try:
        with UnitOfWork(engine, read_only=True) as uow:
            later = later_handovers(uow.session, scan.sidecars if scan else ())
    finally:
        engine.dispose()
    return RestorePlan(src, target, check, later, scan.unreadable if scan else ())


def _safety_copy_name(target: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = target.with_name(f"{target.name}.avant-restauration-{stamp}")
    counter = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.avant-restauration-{stamp}-{counter}")
        counter += 1
    return candidate


def restore(
    src: Path,
    target_url: str,
    *,
    archive_dir: Path | None = None,
    checkpoints_path: Path | None = None,
    desk: str = "admin",
    force: bool = False,
    agent: str,
) -> RestoreResult:
    """Replace the database at ``target_url`` by a checked copy of ``src``, then replay.

    The replaced database is kept beside it as ``<name>.avant-restauration-<UTC time>``;
    no earlier safety copy is ever overwritten. The handovers of the archive that the
    backup does not know are replayed; those that cannot be (their permit is not in the
    backup) make the restore refuse unless ``force``. Refused while another program uses
    the target database.
    """
    plan = plan_restore(src, target_url, archive_dir)
    if plan.blocking and not force:
        raise BackupError(
            "Restauration refusée : des remises faites après la sauvegarde ne peuvent pas "
            "être rejouées (" + " ; ".join(plan.blocking[:5]) + "). Rien n'a été modifié. "
            "Forcer (--force) les laisserait absentes de la base."
        )
    if checkpoints_path is not None:
        checkpoints.ensure_writable(checkpoints_path)  # before anything changes
    target = plan.target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".restore")
    part.unlink(missing_ok=True)
    previous: Path | None = None
    try:
        _copy(src, part)
        if target.exists():
            _quiesce(target)
            previous = _safety_copy_name(target)
            os.replace(target, previous)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{target}", check_path=False)
    try:
        report = replay(engine, plan.later.replayable, desk=desk, agent=agent)
        line = None
        if checkpoints_path is not None:
            assert plan.check.chain is not None
            line = checkpoints.checkpoint(
                engine,
                checkpoints_path,
                desk=desk,
                agent=agent,
                event="restore",
                base_seq=plan.check.chain.head_id,
                note=f"sauvegarde {src.name} restaurée, {len(report.replayed)} remise(s) "
                "postérieure(s) rejouée(s)",
            )
    finally:
        engine.dispose()
    return RestoreResult(
        target, previous, replace(plan.check, path=target), report, line, tuple(plan.blocking)
    )


def _quiesce(target: Path) -> None:
    """Fold the WAL into the file and make sure nobody else has the database open."""
    busy = BackupError(
        f"La base {target} est ouverte par un autre programme (guichet, commande). Fermez-les "
        "puis recommencez : rien n'a été modifié."
    )
    try:
        with closing(sqlite3.connect(target, timeout=1, isolation_level=None)) as conn:
            result = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if result is not None and result[0] != 0:
                raise busy
            # Leaving WAL mode needs the only connection: this is the "nobody else" test.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            if mode is None or str(mode[0]).lower() != "delete":
                raise busy
    except sqlite3.OperationalError as exc:
        raise busy from exc
    except sqlite3.DatabaseError:
        pass  # a damaged database (often why one restores): nothing to fold, nobody can use it
