"""Handovers made after a backup, put back after a restore from their receipt sidecars.

A restored database has forgotten the handovers made since its backup: without them the
same permit could be handed over a second time, its stamps consumed again and its receipt
number given to someone else. Each sidecar of the archive that the database does not know
is replayed as a "remise antérieure à la restauration": the permit becomes handed over,
the stamps consumed, the handover keeps its number (its id), and the audit says so. No
holder data comes back (the sidecar has none); the signature image is not there either,
only its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.values import Role
from handover.persistence.engine import server_now
from handover.persistence.models import (
    Agent,
    Desk,
    Handover,
    IdentityCheck,
    Permit,
    PermitState,
    PreviousCard,
    Signature,
    Site,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.receipts.sidecar import ReceiptSidecar

REPLAYED = "handover.replayed"
LABEL = "remise antérieure à la restauration"


@dataclass(frozen=True)
class LaterHandovers:
    """What the archive knows and the database does not."""

    replayable: tuple[ReceiptSidecar, ...]
    unknown_permit: tuple[ReceiptSidecar, ...]  # the permit is not in the database at all
    conflicting: tuple[tuple[ReceiptSidecar, str], ...]  # the database says otherwise


def later_handovers(session: Session, sidecars: tuple[ReceiptSidecar, ...]) -> LaterHandovers:
    known = {int(h): int(p) for h, p in session.execute(select(Handover.id, Handover.permit_id))}
    by_permit = {permit: hid for hid, permit in known.items()}
    permits = set(session.execute(select(Permit.id)).scalars())
    replayable: list[ReceiptSidecar] = []
    unknown: list[ReceiptSidecar] = []
    conflicting: list[tuple[ReceiptSidecar, str]] = []
    for sc in sidecars:
        if sc.handover_id in known:
            if known[sc.handover_id] != sc.permit_id:
                conflicting.append((sc, f"le n° {sc.handover_number} désigne ici un autre titre"))
            continue
        if sc.permit_id not in permits:
            unknown.append(sc)
        elif sc.permit_id in by_permit:
            conflicting.append((sc, f"titre déjà remis (remise n° {by_permit[sc.permit_id]})"))
        else:
            replayable.append(sc)
    return LaterHandovers(tuple(replayable), tuple(unknown), tuple(conflicting))


def _desk_id(s: Session, name: str) -> int:
    desk = s.execute(select(Desk.id).where(Desk.name == name).limit(1)).scalar()
    if desk is not None:
        return int(desk)
    site = s.execute(select(Site.id).order_by(Site.id).limit(1)).scalar_one()
    row = Desk(site_id=site, name=name)
    s.add(row)
    s.flush()
    return row.id


def _agent_id(s: Session, pseudonym: str, at: datetime) -> int:
    agent = s.execute(select(Agent.id).where(Agent.pseudonym == pseudonym)).scalar()
    if agent is not None:
        return int(agent)
    # The agent's account was created after the backup: an inactive stand-in that cannot
    # log in keeps the pseudonym that the receipt and the audit show.
    row = Agent(
        username=f"restauration-{pseudonym}".lower(),
        display_name=f"Agent {pseudonym} (restauration)",
        pseudonym=pseudonym,
        role=Role.AGENT,
        password_hash="!",
        active=False,
        failed_logins=0,
        created_at=at,
    )
    s.add(row)
    s.flush()
    return row.id


@dataclass(frozen=True)
class ReplayReport:
    replayed: tuple[ReceiptSidecar, ...]
    stamps_already_used: tuple[str, ...]


def replay(
    engine: Engine, sidecars: tuple[ReceiptSidecar, ...], *, desk: str, agent: str
) -> ReplayReport:
    """Put the handovers back, all in one transaction, each audited; numbering resumes above."""
    stamps_used: list[str] = []
    with UnitOfWork(engine) as uow:
        s = uow.session
        now = server_now(s)
        for sc in sidecars:
            s.add(
                Handover(
                    id=sc.handover_id,
                    permit_id=sc.permit_id,
                    desk_id=_desk_id(s, sc.desk),
                    agent_id=_agent_id(s, sc.agent, now),
                    handed_over_at=sc.handed_over_at,
                    override_id=None,
                    stamps_total_cents=sc.stamps_total_cents,
                    scan_started_at=None,
                    audit_hash="",
                    replayed_at=now,
                )
            )
            s.flush()
            permit = s.get(Permit, sc.permit_id)
            assert permit is not None
            permit.state = PermitState.HANDED_OVER
            permit.state_reason = LABEL
            permit.closed_at = sc.handed_over_at
            permit.updated_at = now
            s.add(
                IdentityCheck(
                    handover_id=sc.handover_id,
                    document_type=sc.identity,
                    issuing_country="",
                    number_last4="",
                    from_scan=False,
                )
            )
            for number, cents in sc.stamps:
                if s.execute(select(TaxStamp.id).where(TaxStamp.stamp_number == number)).first():
                    stamps_used.append(number)
                    continue
                s.add(TaxStamp(stamp_number=number, handover_id=sc.handover_id, amount_cents=cents))
            s.add(PreviousCard(handover_id=sc.handover_id, outcome=sc.previous_card))
            s.add(Signature(handover_id=sc.handover_id, png=None, sha256=sc.signature_sha256))
            s.flush()
            entry = audit.append(
                s,
                at=now,
                desk=desk,
                agent=agent,
                action=REPLAYED,
                subject=f"permit:{sc.permit_id}",
                details={
                    "handover": sc.handover_number,
                    "handed_over_at": sc.handed_over_at.isoformat(),
                    "stamps": len(sc.stamps),
                    "stamps_total_cents": sc.stamps_total_cents,
                    "original_audit_hash": sc.audit_hash,
                },
            )
            s.get(Handover, sc.handover_id).audit_hash = entry.hash  # type: ignore[union-attr]
        s.flush()
        if engine.dialect.name == "postgresql":
            # Explicit ids do not move the sequence: the next handover must number above.
            top = s.execute(select(func.max(Handover.id))).scalar()
            if top is not None:
                s.execute(
                    text("select setval(pg_get_serial_sequence('handovers', 'id'), :top)"),
                    {"top": int(top)},
                )
        uow.commit()
    return ReplayReport(tuple(sidecars), tuple(stamps_used))
