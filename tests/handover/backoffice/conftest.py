"""Shared fixtures of the back-office tests: a configuration and a database snapshot."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from handover.persistence.models import AuditEntry, AuditHead, Permit
from handover.persistence.uow import UnitOfWork


def snapshot(engine: Engine) -> tuple[object, ...]:
    """What must not change when an operation is refused: permits, audit entries, head."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        permits = s.execute(
            select(
                Permit.card_number,
                Permit.state,
                Permit.surname,
                Permit.handover_reference,
                Permit.notified_at,
            ).order_by(Permit.card_number)
        ).all()
        entries = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        head = s.execute(select(AuditHead.last_hash)).scalar_one()
    return (tuple(tuple(p) for p in permits), entries, head)
