"""Retention: erase personal data and old audit entries once their keeping time is over.

After ``retention.personal_data_days`` from the handover (or the return) of a permit, every
field that describes the holder (``PURGED_FIELDS``) is replaced by a placeholder (the card
number by a unique one), the signature image is deleted (its SHA-256 stays, so the record
still proves which image was signed), the identity document's digits, the police report
number and the supervisors' free-text reasons about the permit are erased, and the receipt
PDFs of its handover are deleted from the archive. Counts per day and desk stay as they
were: handovers, stamps, scan events and overrides (kind, time, desk) are kept. Audit
entries older than ``retention.audit_days`` are deleted from the start of the chain, and
the chain's anchor moves to the last deleted entry, so ``audit verify`` still checks every
entry kept; the purge writes a line in the checkpoints file saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    String,
    cast,
    delete,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from handover import audit, checkpoints
from handover.config import Config, data_dir
from handover.domain.values import AgentIdentity, handover_number
from handover.persistence.engine import server_now, sqlite_path
from handover.persistence.models import (
    AuditEntry,
    AuditHead,
    Handover,
    HandoverCorrection,
    IdentityCheck,
    Override,
    Permit,
    PermitState,
    PreviousCard,
    Signature,
)
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import ADMINS, acting_account

PURGED_NAME = "—"
PURGED_BIRTH_DATE = date(1900, 1, 1)
PURGED_CARD_PREFIX = "PURGE-"  # + the permit id: the column is unique
CLOSED_STATES = (PermitState.HANDED_OVER, PermitState.RETURNED)
#: Columns of ``permits`` that the purge overwrites (the README lists them for the DPO).
PURGED_FIELDS = (
    "surname",
    "given_names",
    "name_key",
    "birth_date",
    "nationality",
    "sex",
    "category",
    "phone",
    "numero_etranger",
    "anef_request_number",
    "card_number",
    "handover_reference",
    "storage_slot",
    "state_reason",
)
_RECEIPT_NUMBER = re.compile(r"R\d{4}-\d{7}")


@dataclass(frozen=True)
class RetentionStatus:
    personal_cutoff: datetime
    audit_cutoff: datetime
    permits: int  # permits whose holder's data is past its keeping time
    signatures: int
    audit_entries: int
    backups: tuple[Path, ...] = ()  # safety copies and backups older than the keeping time

    @property
    def total(self) -> int:
        return self.permits + self.signatures + self.audit_entries


@dataclass(frozen=True)
class PurgeReport:
    status: RetentionStatus
    done: bool  # False on a dry run or when nothing was due
    anchor_id: int
    receipts_deleted: tuple[Path, ...] = ()
    backups_deleted: tuple[Path, ...] = ()
    checkpoint: checkpoints.CheckpointLine | None = None


def _permits_due(cutoff: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        Permit.state.in_(CLOSED_STATES),
        Permit.closed_at < cutoff,
        Permit.personal_data_purged_at.is_(None),
    )


def _old_handovers(cutoff: datetime) -> Any:
    return select(Handover.id).where(Handover.handed_over_at < cutoff)


def _audit_prefix_end(s: Session, anchor_id: int, cutoff: datetime) -> int:
    """The id of the last entry to delete: every entry before the first one kept."""
    first_kept = s.execute(
        select(func.min(AuditEntry.id)).where(AuditEntry.id > anchor_id, AuditEntry.at >= cutoff)
    ).scalar()
    if first_kept is not None:
        return int(first_kept) - 1
    last = s.execute(select(func.max(AuditEntry.id))).scalar()
    return anchor_id if last is None else int(last)


def _status(s: Session, config: Config, at: datetime) -> tuple[RetentionStatus, int]:
    r = config.retention
    personal_cutoff = at - timedelta(days=r.personal_data_days)
    audit_cutoff = at - timedelta(days=r.audit_days)
    permits = s.execute(
        select(func.count()).select_from(Permit).where(*_permits_due(personal_cutoff))
    ).scalar_one()
    signatures = s.execute(
        select(func.count())
        .select_from(Signature)
        .where(
            Signature.png.is_not(None),
            Signature.handover_id.in_(_old_handovers(personal_cutoff)),
        )
    ).scalar_one()
    head = s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    end = _audit_prefix_end(s, head.anchor_id, audit_cutoff)
    status = RetentionStatus(
        personal_cutoff,
        audit_cutoff,
        permits,
        signatures,
        max(0, end - head.anchor_id),
        old_backups(config, personal_cutoff),
    )
    return status, end


def backup_folders(config: Config) -> tuple[Path, ...]:
    """Where safety copies (restore) and backups (``handover backup`` into a folder) land."""
    folders = [data_dir() / "sauvegardes"]
    db = sqlite_path(config.database_url)
    if db is not None:
        folders.insert(0, db.parent)
    return tuple(folders)


def _is_backup(path: Path) -> bool:
    return path.is_file() and ("-sauvegarde" in path.name or ".avant-restauration-" in path.name)


def old_backups(config: Config, cutoff: datetime) -> tuple[Path, ...]:
    """Safety copies and backups written before ``cutoff``: they hold purged data."""
    found: list[Path] = []
    for folder in backup_folders(config):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            if _is_backup(path):
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                if written < cutoff:
                    found.append(path)
    return tuple(found)


def purge_receipt_archive(engine: Engine, folder: Path) -> tuple[Path, ...]:
    """Delete the receipt PDFs of every handover whose holder's data was purged.

    Idempotent: a desk whose archive was offline during the purge catches up on the next
    run. The JSON sidecars stay: they hold no personal data and let a restore find the
    handovers made after a backup.
    """
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(Handover.id, Handover.handed_over_at)
            .join(Permit, Permit.id == Handover.permit_id)
            .where(Permit.personal_data_purged_at.is_not(None))
        ).all()
    numbers = {handover_number(hid, at) for hid, at in rows}
    deleted: list[Path] = []
    if not numbers or not folder.is_dir():
        return ()
    for path in sorted(folder.glob("*.pdf")):
        if any(m in numbers for m in _RECEIPT_NUMBER.findall(path.name)):
            path.unlink(missing_ok=True)
            deleted.append(path)
    return tuple(deleted)


def retention_status(
    engine: Engine, config: Config, *, now: datetime | None = None
) -> RetentionStatus:
    with UnitOfWork(engine, read_only=True) as uow:
        return _status(uow.session, config, now or server_now(uow.session))[0]


def retention_due(engine: Engine, config: Config, *, now: datetime | None = None) -> int:
    """How many records (permits, signature images, audit entries) are past retention."""
    return retention_status(engine, config, now=now).total


def _erase_personal_data(s: Session, cutoff: datetime, at: datetime) -> None:
    due = list(s.execute(select(Permit.id).where(*_permits_due(cutoff))).scalars())
    old = _old_handovers(cutoff)
    of_due = select(Handover.id).where(Handover.permit_id.in_(due))
    quiet = {"synchronize_session": False}
    s.execute(
        update(Signature)
        .where(Signature.png.is_not(None), Signature.handover_id.in_(old))
        .values(png=None, purged_at=at)
        .execution_options(**quiet)
    )
    s.execute(
        update(PreviousCard)
        .where(PreviousCard.handover_id.in_(old.union(of_due)))
        .values(police_report_number=None, card_number_last4=None)
        .execution_options(**quiet)
    )
    s.execute(
        update(IdentityCheck)
        .where(IdentityCheck.handover_id.in_(old.union(of_due)))
        .values(number_last4="")
        .execution_options(**quiet)
    )
    # Free-text reasons may name people: they go with the rest (the audit has a digest).
    s.execute(
        update(Override)
        .where(
            (Override.created_at < cutoff) | Override.permit_id.in_(due),
            Override.reason != PURGED_NAME,
        )
        .values(reason=PURGED_NAME)
        .execution_options(**quiet)
    )
    s.execute(
        update(HandoverCorrection)
        .where(
            HandoverCorrection.handover_id.in_(old.union(of_due)),
            HandoverCorrection.reason != PURGED_NAME,
        )
        .values(reason=PURGED_NAME)
        .execution_options(**quiet)
    )
    s.execute(
        update(Permit)
        .where(Permit.id.in_(due))
        .values(
            surname=PURGED_NAME,
            given_names=PURGED_NAME,
            name_key="",
            birth_date=PURGED_BIRTH_DATE,
            nationality="XXX",
            sex="X",
            category=PURGED_NAME,
            phone=None,
            numero_etranger=None,
            anef_request_number=None,
            card_number=literal(PURGED_CARD_PREFIX).concat(cast(Permit.id, String)),
            handover_reference=None,
            storage_slot=None,
            state_reason=None,
            personal_data_purged_at=at,
            updated_at=at,
        )
        .execution_options(**quiet)
    )


def purge(
    engine: Engine,
    config: Config,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    actor: AgentIdentity,
    backups: bool = False,
) -> PurgeReport:
    """Erase what is past its keeping time, in one transaction, and log it in the audit.

    Then delete the purged handovers' receipt PDFs, the old backups when ``backups`` is
    set, and append a line to the checkpoints file (the anchor moved on purpose).
    """
    if not dry_run:
        checkpoints.ensure_writable(config.checkpoints_path)  # before anything changes
    with UnitOfWork(engine) as uow:
        s = uow.session
        agent = acting_account(s, actor, ADMINS, doing="purger les données").pseudonym
        at = now or server_now(s)
        # Lock the chain head first: no desk may extend the chain while its start moves.
        head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
        status, audit_end = _status(s, config, at)
        nothing = status.total == 0 and not (backups and status.backups)
        if dry_run or nothing:
            return PurgeReport(status, False, head.anchor_id)
        _erase_personal_data(s, status.personal_cutoff, at)
        if audit_end > head.anchor_id:
            last_hash = s.execute(
                select(AuditEntry.hash).where(AuditEntry.id == audit_end)
            ).scalar_one()
            s.execute(delete(AuditEntry).where(AuditEntry.id <= audit_end))
            head.anchor_id = audit_end
            head.anchor_hash = last_hash
            s.flush()
        audit.append(
            s,
            at=at,
            desk=config.desk.name,
            agent=agent,
            action="retention_purge",
            subject=f"purge:{at:%Y%m%dT%H%M%S}",
            details={
                "permits": status.permits,
                "signatures": status.signatures,
                "audit_entries": status.audit_entries,
                "backups": len(status.backups) if backups else 0,
                "personal_cutoff": status.personal_cutoff.isoformat(),
                "audit_cutoff": status.audit_cutoff.isoformat(),
            },
        )
        anchor = head.anchor_id
        line = checkpoints.checkpoint(
            uow,
            config.checkpoints_path,
            desk=config.desk.name,
            agent=agent,
            event="purge",
            note=f"début du journal : entrée n° {anchor + 1}",
            at=at,
        )
    receipts = purge_receipt_archive(engine, config.archive_dir)
    removed: list[Path] = []
    if backups:
        for path in status.backups:
            path.unlink(missing_ok=True)
            removed.append(path)
    return PurgeReport(status, True, anchor, receipts, tuple(removed), line)


def startup_notice(engine: Engine, config: Config, *, now: datetime | None = None) -> str | None:
    """The start-up check: a French reminder when data is past retention, else None."""
    due = retention_due(engine, config, now=now)
    if due == 0:
        return None
    return (
        f"{due} enregistrement(s) ont dépassé la durée de conservation (signatures, données "
        "des usagers, journal). Un administrateur doit lancer « handover purge »."
    )
