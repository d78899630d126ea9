"""Retention purge: personal data and old audit entries go, statistics and the chain stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from handover import audit
from handover.backoffice.retention import PURGED_NAME, purge, retention_due, startup_notice
from handover.backoffice.stats import compute_stats
from handover.config import Config
from handover.domain.opening_window import OpeningWindow, Schedule
from handover.persistence.models import (
    AuditEntry,
    AuditHead,
    Handover,
    Permit,
    PermitState,
    Signature,
)
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.handovers import hand_over
from tests.handover.services.helpers import make_counter
from tests.support.accounts import staff


def open_instant(after: datetime) -> datetime:
    """Ten minutes into an opening period after ``after``: room for a few handovers."""
    window = OpeningWindow(Schedule())
    status = window.status(after)
    if status.is_open:  # maybe a minute before closing: take the next period instead
        assert status.closes_at is not None
        status = window.status(status.closes_at)
    assert status.next_opening is not None
    return status.next_opening + timedelta(minutes=10)


def test_purge_erases_old_personal_data_and_keeps_statistics(engine: Engine) -> None:
    # The demo data is dated from the real clock, so every instant here is relative to it.
    real_now = datetime.now(UTC)
    old = open_instant(real_now + timedelta(days=1))
    recent = open_instant(real_now + timedelta(days=200))
    purge_now = real_now + timedelta(days=400)
    cutoff = purge_now - timedelta(days=Config().retention.personal_data_days)
    assert old < cutoff < recent

    service, passwords = make_counter(engine, at=old)
    old_ids = [hand_over(service, passwords, old + timedelta(minutes=k)) for k in range(2)]
    new_ids = [hand_over(service, passwords, recent + timedelta(minutes=k)) for k in range(2)]
    config = Config()
    period = ((real_now - timedelta(days=200)).date(), (real_now + timedelta(days=300)).date())
    stats_before = compute_stats(engine, config, *period, now=purge_now)
    assert retention_due(engine, config, now=purge_now) > 0
    assert "handover purge" in (startup_notice(engine, config, now=purge_now) or "")

    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    dry = purge(engine, config, dry_run=True, now=purge_now, actor=staff(engine))
    assert not dry.done and dry.status.signatures >= 4 and dry.status.audit_entries > 0
    assert snapshot(engine) == before

    report = purge(engine, config, now=purge_now, actor=staff(engine))
    assert report.done and report.anchor_id > 0

    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        signatures = s.execute(
            select(
                Handover.permit_id, Handover.handed_over_at, Signature.png, Signature.sha256
            ).join(Signature, Signature.handover_id == Handover.id)
        ).all()
        permits = {p.id: p for p in s.execute(select(Permit)).scalars()}
        chain = audit.verify(s)
        head = s.execute(select(AuditHead)).scalar_one()
        oldest_entry = s.execute(
            select(AuditEntry.at).order_by(AuditEntry.id).limit(1)
        ).scalar_one()
        purge_entry = s.execute(
            select(AuditEntry).where(AuditEntry.action == "retention_purge")
        ).scalar_one()
    for permit_id, at, png, digest in signatures:
        assert len(digest) == 64  # the proof of which image was signed stays
        assert (png is None) == (at < cutoff), (permit_id, at)
    assert {p for p, at, png, _d in signatures if png is not None} == set(new_ids)
    for p in permits.values():
        closed_old = (
            p.state in (PermitState.HANDED_OVER, PermitState.RETURNED)
            and p.closed_at is not None
            and p.closed_at < cutoff
        )
        if closed_old:
            assert (p.surname, p.given_names, p.name_key, p.phone) == (
                PURGED_NAME,
                PURGED_NAME,
                "",
                None,
            )
            assert p.numero_etranger is None and p.personal_data_purged_at == purge_now
        else:
            assert p.surname != PURGED_NAME and p.personal_data_purged_at is None
    assert all(permits[i].surname == PURGED_NAME for i in old_ids)
    assert all(permits[i].surname != PURGED_NAME for i in new_ids)

    assert compute_stats(engine, config, *period, now=purge_now) == stats_before
    assert chain.ok, chain.problem
    assert head.anchor_id == report.anchor_id
    assert oldest_entry >= purge_now - timedelta(days=config.retention.audit_days)
    assert "Diallo" not in purge_entry.details and "permits" in purge_entry.details
    assert retention_due(engine, config, now=purge_now) == 0
    assert startup_notice(engine, config, now=purge_now) is None
    # A second purge finds nothing to do and leaves the chain intact.
    assert not purge(engine, config, now=purge_now, actor=staff(engine)).done
