"""Retention: erase personal data and old audit entries once their keeping time is over.

After ``retention.personal_data_days`` from the handover (or the return) of a permit, the
holder's names, birth date, phone and numbers are replaced by placeholders, and the
signature image is deleted (its SHA-256 stays, so the record still proves which image was
signed). Counts per day and desk stay as they were: handovers, scan events and overrides
are kept. Audit entries older than ``retention.audit_days`` are deleted from the start of
the chain, and the chain's anchor moves to the last deleted entry, so ``audit verify``
still checks every entry kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, delete, func, select, update
from sqlalchemy.orm import Session

from handover import audit
from handover.backoffice import BACKOFFICE_AGENT
from handover.config import Config
from handover.persistence.engine import server_now
from handover.persistence.models import (
    AuditEntry,
    AuditHead,
    Handover,
    Permit,
    PermitState,
    PreviousCard,
    Signature,
)
from handover.persistence.uow import UnitOfWork

PURGED_NAME = "—"
PURGED_BIRTH_DATE = date(1900, 1, 1)
CLOSED_STATES = (PermitState.HANDED_OVER, PermitState.RETURNED)


@dataclass(frozen=True)
class RetentionStatus:
    personal_cutoff: datetime
    audit_cutoff: datetime
    permits: int  # permits whose holder's data is past its keeping time
    signatures: int
    audit_entries: int

    @property
    def total(self) -> int:
        return self.permits + self.signatures + self.audit_entries


@dataclass(frozen=True)
class PurgeReport:
    status: RetentionStatus
    done: bool  # False on a dry run or when nothing was due
    anchor_id: int


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
        personal_cutoff, audit_cutoff, permits, signatures, max(0, end - head.anchor_id)
    )
    return status, end


def retention_status(
    engine: Engine, config: Config, *, now: datetime | None = None
) -> RetentionStatus:
    with UnitOfWork(engine, read_only=True) as uow:
        return _status(uow.session, config, now or server_now(uow.session))[0]


def retention_due(engine: Engine, config: Config, *, now: datetime | None = None) -> int:
    """How many records (permits, signature images, audit entries) are past retention."""
    return retention_status(engine, config, now=now).total


def purge(
    engine: Engine,
    config: Config,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    agent: str = BACKOFFICE_AGENT,
) -> PurgeReport:
    """Erase what is past its keeping time, in one transaction, and log it in the audit."""
    with UnitOfWork(engine) as uow:
        s = uow.session
        at = now or server_now(s)
        # Lock the chain head first: no desk may extend the chain while its start moves.
        head = s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
        status, audit_end = _status(s, config, at)
        if dry_run or status.total == 0:
            return PurgeReport(status, False, head.anchor_id)
        cutoff = status.personal_cutoff
        old = _old_handovers(cutoff)
        s.execute(
            update(Signature)
            .where(Signature.png.is_not(None), Signature.handover_id.in_(old))
            .values(png=None, purged_at=at)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(PreviousCard)
            .where(
                PreviousCard.police_report_number.is_not(None), PreviousCard.handover_id.in_(old)
            )
            .values(police_report_number=None)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(Permit)
            .where(*_permits_due(cutoff))
            .values(
                surname=PURGED_NAME,
                given_names=PURGED_NAME,
                name_key="",
                birth_date=PURGED_BIRTH_DATE,
                phone=None,
                numero_etranger=None,
                anef_request_number=None,
                personal_data_purged_at=at,
                updated_at=at,
            )
            .execution_options(synchronize_session=False)
        )
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
                "personal_cutoff": status.personal_cutoff.isoformat(),
                "audit_cutoff": status.audit_cutoff.isoformat(),
            },
        )
        anchor = head.anchor_id
        uow.commit()
    return PurgeReport(status, True, anchor)


def startup_notice(engine: Engine, config: Config, *, now: datetime | None = None) -> str | None:
    """The start-up check: a French reminder when data is past retention, else None."""
    due = retention_due(engine, config, now=now)
    if due == 0:
        return None
    return (
        f"{due} enregistrement(s) ont dépassé la durée de conservation (signatures, données "
        "des usagers, journal). Un administrateur doit lancer « handover purge »."
    )
