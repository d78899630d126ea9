"""After a purge, a purged holder is nowhere: no column, no archived file; counts unchanged."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, update

from handover import audit, checkpoints, sitekey
from handover.backoffice.retention import PURGED_CARD_PREFIX, PURGED_FIELDS, purge
from handover.backoffice.stats import compute_stats
from handover.config import Config
from handover.domain.clock import FakeClock
from handover.persistence.models import Base, Handover, Override, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.receipts.printers import PdfArchivePrinter
from handover.receipts.sidecar import read_sidecars
from handover.services.demo import demo_signature_png
from tests.handover.backoffice.handovers import hand_over
from tests.handover.backoffice.test_retention import open_instant
from tests.handover.services.helpers import (
    add_supervisor,
    make_counter,
    permit_in_state,
    request_for,
)
from tests.support.accounts import staff

BIRTH = date(1911, 11, 11)


def _mark_next_notified(engine: Engine, k: int) -> tuple[str, str]:
    """Give the next permit to be handed over a holder that nobody else shares."""
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    surname, card = f"Zorglubian{k}", f"ZZCARD{k:04d}"
    with UnitOfWork(engine) as uow:
        uow.session.execute(
            update(Permit)
            .where(Permit.id == permit.id)
            .values(
                surname=surname,
                given_names=f"Ysolde{k}",
                birth_date=BIRTH,
                card_number=card,
                phone="+33699999999",
                sex="F",
                storage_slot="Z-99",
                state_reason="Motif libre : vu avec Mme Zorglubian",
            )
        )
        uow.commit()
    return surname, card


def _every_value(engine: Engine) -> list[object]:
    values: list[object] = []
    with UnitOfWork(engine, read_only=True) as uow:
        for table in Base.metadata.sorted_tables:
            for row in uow.session.execute(select(table)):
                values.extend(row)
    return values


def test_purge_leaves_no_trace_of_a_purged_holder(engine: Engine) -> None:
    real_now = datetime.now(UTC)
    old = open_instant(real_now + timedelta(days=1))
    recent = open_instant(real_now + timedelta(days=200))
    purge_now = real_now + timedelta(days=400)
    config = Config()
    audit.ensure_site_key(engine, config)

    service, passwords = make_counter(engine, at=old)
    archive = PdfArchivePrinter(config.archive_dir)
    secrets: list[str] = []
    purged_numbers: list[str] = []
    signatures = [demo_signature_png(40 + k) for k in range(2)]
    for k in range(2):
        secrets += _mark_next_notified(engine, k)
        assert isinstance(service.clock, FakeClock)
        service.clock.set(old + timedelta(minutes=k))
        permit = permit_in_state(engine, PermitState.NOTIFIED)
        request = request_for(permit, stamps=(f"{8100000000000000 + k:016d}",))
        service.hand_over(
            replace(request, signature_png=signatures[k]),
            service.login("agent1", passwords["agent1"]),
        )
        handover_id = _handover_of(engine, permit.id)
        record = service.handover_record(handover_id)
        purged_numbers.append(record.handover_number)
        archive.print_pdf(
            service.receipt_pdf(handover_id, duplicate=False, agent=None),
            job_name=record.handover_number,
        )
    supervisor = add_supervisor(engine)
    service.grant_override(
        "chef2",
        supervisor,
        kind="window",
        reason="File d'attente, Mme Zorglubian0 présente",
        minutes=30,
        permit_id=None,
        agent=service.login("agent1", passwords["agent1"]),
    )
    kept_id = _handover_of(engine, hand_over(service, passwords, recent))
    kept_number = service.handover_record(kept_id).handover_number
    archive.print_pdf(
        service.receipt_pdf(kept_id, duplicate=False, agent=None), job_name=kept_number
    )
    checkpoints.checkpoint(engine, config.checkpoints_path, desk="Guichet 1", agent="admin-cli")
    period = ((real_now - timedelta(days=200)).date(), (real_now + timedelta(days=300)).date())
    stats_before = compute_stats(engine, config, *period, now=purge_now)
    old_backup = config.archive_dir.parent / "sauvegardes" / "guichet-sauvegarde.sqlite3"
    old_backup.parent.mkdir(parents=True)
    old_backup.write_bytes(b"copie")
    ancient = (real_now - timedelta(days=30)).timestamp()
    os.utime(old_backup, (ancient, ancient))

    with UnitOfWork(engine, read_only=True) as uow:
        purged_before = {
            p.id: {f: getattr(p, f) for f in PURGED_FIELDS}
            for p in uow.session.execute(
                select(Permit).where(Permit.surname.like("Zorglubian%"))
            ).scalars()
        }
    assert len(purged_before) == 2
    listed = purge(engine, config, dry_run=True, now=purge_now, actor=staff(engine))
    assert listed.status.backups == (old_backup,) and old_backup.exists()
    report = purge(engine, config, now=purge_now, backups=True, actor=staff(engine))
    assert report.done and report.backups_deleted == (old_backup,)
    assert not old_backup.exists()

    # No column holds the purged holders' names, card numbers, birth date or signature.
    assert signatures[0] != signatures[1] != demo_signature_png(1)
    for value in _every_value(engine):
        assert value != BIRTH and value not in signatures
        if isinstance(value, str):
            assert not any(s in value for s in secrets), value
            assert "Zorglubian" not in value, value
    with UnitOfWork(engine, read_only=True) as uow:
        cards = uow.session.execute(
            select(Permit.card_number).where(Permit.personal_data_purged_at.is_not(None))
        ).scalars()
        assert all(c.startswith(PURGED_CARD_PREFIX) for c in cards)
        for permit_id, fields in purged_before.items():
            after = uow.session.get(Permit, permit_id)
            assert after is not None
            for name, value in fields.items():
                now_value = getattr(after, name)
                assert now_value is None or now_value != value, (name, value)
        reasons = uow.session.execute(select(Override.reason)).scalars().all()
        assert reasons == ["—"]
    # No file of the archive either; the receipts of the purged handovers are gone.
    names = sorted(p.name for p in config.archive_dir.iterdir())
    assert not [n for n in names if n.endswith(".pdf") and n[:13] in purged_numbers]
    assert any(n.startswith(kept_number) and n.endswith(".pdf") for n in names)
    assert len(report.receipts_deleted) == 2
    for path in config.archive_dir.iterdir():
        data = path.read_bytes()
        assert not any(s.encode() in data for s in secrets), path
    # The sidecars stay (a restore needs them): they never held the holder.
    assert {s.handover_number for s in read_sidecars(config.archive_dir).sidecars} >= set(
        purged_numbers
    )

    assert compute_stats(engine, config, *period, now=purge_now) == stats_before
    with UnitOfWork(engine, read_only=True) as uow:
        key = sitekey.configured_key()
        result = checkpoints.verify(uow.session, config.checkpoints_path, key=key)
    assert result.code == 0, result.problem
    lines = checkpoints.read(config.checkpoints_path)
    assert [x.event for x in lines] == ["checkpoint", "purge"]


def _handover_of(engine: Engine, permit_id: int) -> int:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(
            select(Handover.id).where(Handover.permit_id == permit_id)
        ).scalar_one()


def test_override_reason_is_a_keyed_digest_in_the_audit(engine: Engine) -> None:
    config = Config()
    audit.ensure_site_key(engine, config)
    service, passwords = make_counter(engine)
    supervisor = add_supervisor(engine)
    reason = "Usager reçu avec Mme Zorglubian, file à 11 h"
    agent = service.login("agent1", passwords["agent1"])
    service.grant_override(
        "chef2", supervisor, kind="window", reason=reason, minutes=30, permit_id=None, agent=agent
    )
    with UnitOfWork(engine, read_only=True) as uow:
        from handover.persistence.models import AuditEntry

        details = uow.session.execute(
            select(AuditEntry.details).where(AuditEntry.action == "override.window")
        ).scalar_one()
    assert "Zorglubian" not in details
    assert audit.text_digest(reason) in details
    key = sitekey.configured_key()
    assert key is not None
    assert audit.pseudonymous("scan", "0123456789") != (
        "scan:" + __import__("hashlib").sha256(b"handover:scan:0123456789").hexdigest()[:16]
    )


def test_archive_of_unused_path_is_harmless(tmp_path: Path, engine: Engine) -> None:
    from handover.backoffice.retention import purge_receipt_archive

    assert purge_receipt_archive(engine, tmp_path / "absent") == ()
