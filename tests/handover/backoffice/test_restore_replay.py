"""Restoring an older backup does not let a permit be handed over twice, nor a stamp reused."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from handover import audit, checkpoints, sitekey
from handover.backoffice.backup import BackupError, backup, restore
from handover.backoffice.replay import REPLAYED
from handover.cli import main
from handover.config import Config
from handover.domain.clock import FakeClock
from handover.persistence.engine import make_engine
from handover.persistence.models import Agent, AuditEntry, Handover, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.receipts.sidecar import read_sidecars
from handover.services.counter import CounterService
from handover.services.handovers import HandoverRefused, StampAlreadyUsed
from tests.handover.services.helpers import OPEN_AT, make_counter, permit_in_state, request_for
from tests.support.accounts import password_file

DEMO_ADMIN = "demo-gestion-prefecture"  # the demo's administrator, printed by `demo`
AS_ADMIN = ["--as", "admin"]


def _hand_over(service: CounterService, passwords: dict[str, str], stamp: str) -> tuple[int, int]:
    """The next notified permit handed over with ``stamp``; (permit id, handover id)."""
    assert isinstance(service.clock, FakeClock)
    service.clock.set(service.clock.now() + timedelta(minutes=1))
    permit = permit_in_state(service.engine, PermitState.NOTIFIED)
    record = service.hand_over(
        request_for(permit, stamps=(stamp,)), service.login("agent1", passwords["agent1"])
    )
    return permit.id, record.handover_id


def test_restore_replays_later_handovers_and_refuses_them_again(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", sqlite_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.setenv("HANDOVER_PASSWORD_FILE", str(password_file(tmp_path, DEMO_ADMIN)))
    config = Config()
    engine = make_engine(sqlite_url)
    audit.ensure_site_key(engine, config)
    service, passwords = make_counter(engine)
    _hand_over(service, passwords, "7100000000000001")
    checkpoints.checkpoint(engine, config.checkpoints_path, desk="Guichet 1", agent="admin-cli")
    saved = backup(sqlite_url, tmp_path / "sauvegarde.sqlite3").path

    late_permit, late_handover = _hand_over(service, passwords, "7100000000000002")
    late_stamp = "7100000000000002"
    checkpoints.checkpoint(engine, config.checkpoints_path, desk="Guichet 1", agent="admin-cli")
    assert late_handover in {s.handover_id for s in read_sidecars(config.archive_dir).sidecars}
    engine.dispose()

    result = restore(
        saved,
        sqlite_url,
        archive_dir=config.archive_dir,
        checkpoints_path=config.checkpoints_path,
        desk="Guichet 1",
        agent="AG-TEST1",
    )
    assert result.replayed is not None
    assert [s.handover_id for s in result.replayed.replayed] == [late_handover]
    assert result.previous is not None and result.previous.exists()

    engine = make_engine(sqlite_url)
    service = CounterService(engine, service.config, clock=FakeClock(OPEN_AT + timedelta(hours=1)))
    agent = service.login("agent1", passwords["agent1"])
    with UnitOfWork(engine, read_only=True) as uow:
        permit = uow.session.get(Permit, late_permit)
        assert permit is not None and permit.state == PermitState.HANDED_OVER
        replayed = uow.session.get(Handover, late_handover)
        assert replayed is not None and replayed.replayed_at is not None
        assert uow.session.execute(select(AuditEntry.id).where(AuditEntry.action == REPLAYED)).all()
    # The same permit again: refused.
    with pytest.raises(HandoverRefused):
        service.hand_over(request_for(permit), agent)
    # Its stamp on another permit: refused.
    other = permit_in_state(engine, PermitState.NOTIFIED)
    with pytest.raises(StampAlreadyUsed):
        service.hand_over(request_for(other, stamps=(late_stamp,)), agent)
    # Numbering resumes above the highest number ever given.
    fresh = service.hand_over(request_for(other, stamps=("7100000000000003",)), agent)
    assert fresh.handover_id > late_handover
    # The honest restore reads as such against the checkpoints.
    with UnitOfWork(engine, read_only=True) as uow:
        outcome = checkpoints.verify(
            uow.session, config.checkpoints_path, key=sitekey.configured_key()
        )
    assert outcome.code == 0, outcome.problem
    assert [x.event for x in checkpoints.read(config.checkpoints_path)][-1] == "restore"
    engine.dispose()
    assert main(["audit", "verify", "--checkpoints"]) == 0


def test_restore_refuses_what_it_cannot_replay(sqlite_url: str, tmp_path: Path) -> None:
    config = Config()
    engine = make_engine(sqlite_url)
    service, passwords = make_counter(engine)
    saved = backup(sqlite_url, tmp_path / "sauvegarde.sqlite3").path
    _permit, handover_id = _hand_over(service, passwords, "7200000000000001")
    engine.dispose()
    sidecar = next(
        p for p in config.archive_dir.glob("*.remise.json") if f"{handover_id:07d}" in p.name
    )
    sidecar.write_text(sidecar.read_text().replace('"permit_id": ', '"permit_id": 9999'))
    before = Path(sqlite_url.removeprefix("sqlite:///")).read_bytes()
    with pytest.raises(BackupError, match="titre absent de la sauvegarde"):
        restore(saved, sqlite_url, archive_dir=config.archive_dir, agent="AG-TEST1")
    assert Path(sqlite_url.removeprefix("sqlite:///")).read_bytes() == before
    forced = restore(
        saved, sqlite_url, archive_dir=config.archive_dir, force=True, agent="AG-TEST1"
    )
    assert forced.not_replayed and forced.replayed is not None
    assert not forced.replayed.replayed


def test_sidecar_has_no_holder_data(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    service, passwords = make_counter(engine)
    permit_id, handover_id = _hand_over(service, passwords, "7300000000000001")
    with UnitOfWork(engine, read_only=True) as uow:
        permit = uow.session.get(Permit, permit_id)
        assert permit is not None
    (sidecar,) = read_sidecars(Config().archive_dir).sidecars
    assert sidecar.handover_id == handover_id and sidecar.permit_id == permit_id
    assert sidecar.stamps == (("7300000000000001", 22500),)
    text = next(Config().archive_dir.glob("*.remise.json")).read_text()
    for personal in (permit.surname, permit.given_names, permit.card_number):
        assert personal not in text
    assert permit.birth_date.isoformat() not in text
    engine.dispose()


def test_replayed_permit_is_known_to_cli_restore(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", sqlite_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.setenv("HANDOVER_PASSWORD_FILE", str(password_file(tmp_path, DEMO_ADMIN)))
    engine = make_engine(sqlite_url)
    service, passwords = make_counter(engine)
    saved = backup(sqlite_url, tmp_path / "sauvegarde.sqlite3").path
    _permit, handover_id = _hand_over(service, passwords, "7400000000000001")
    engine.dispose()
    capsys.readouterr()
    assert main(["restore", str(saved), *AS_ADMIN]) == 1  # no terminal, no --yes: nothing done
    out = capsys.readouterr().out
    assert "à rejouer : 1" in out and "Rien n'a été modifié" in out
    (tmp_path / "autre").mkdir()
    wrong = password_file(tmp_path / "autre", "pas-le-bon-mot-de-passe")
    assert main(["restore", str(saved), "--yes", *AS_ADMIN, "--password-file", str(wrong)]) == 2
    assert "mot de passe incorrect" in capsys.readouterr().err
    (tmp_path / "chef").mkdir()
    chef = [
        "--as",
        "chef",
        "--password-file",
        str(password_file(tmp_path / "chef", passwords["chef"])),
    ]
    assert main(["restore", str(saved), "--yes", *chef]) == 2  # checked in the backup
    assert "il faut un compte administrateur" in capsys.readouterr().err
    assert main(["restore", str(saved), "--yes", *AS_ADMIN]) == 0
    out = capsys.readouterr().out
    assert "1 remise(s) rejouée(s)" in out and "avant-restauration" in out
    engine = make_engine(sqlite_url)
    with UnitOfWork(engine, read_only=True) as uow:
        admin = uow.session.execute(select(Agent.pseudonym).where(Agent.username == "admin"))
        replayed = uow.session.execute(
            select(AuditEntry.agent).where(AuditEntry.action == REPLAYED)
        ).scalars()
        assert set(replayed) == {admin.scalar_one()}  # the restore names its administrator
    engine.dispose()
    assert main(["restore", "--reconcile", "--yes", *AS_ADMIN]) == 0
    assert "à rejouer : 0" in capsys.readouterr().out
    assert handover_id > 0


def test_reconcile_after_an_older_dump_replays_and_numbers_above(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL's path: ``pg_restore`` of an older dump, then ``restore --reconcile``."""
    from sqlalchemy import delete, func, text, update

    from handover.persistence.models import IdentityCheck, PreviousCard, Signature, TaxStamp

    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.setenv("HANDOVER_PASSWORD_FILE", str(password_file(tmp_path, DEMO_ADMIN)))
    engine = make_engine(db_url)
    service, passwords = make_counter(engine)
    permit_id, handover_id = _hand_over(service, passwords, "7500000000000001")
    # What the older dump lacks: this handover (the sequence goes back with it).
    with UnitOfWork(engine) as uow:
        s = uow.session
        for model in (TaxStamp, IdentityCheck, PreviousCard, Signature):
            s.execute(delete(model).where(model.handover_id == handover_id))
        s.execute(delete(Handover).where(Handover.id == handover_id))
        s.execute(update(Permit).where(Permit.id == permit_id).values(state=PermitState.NOTIFIED))
        if engine.dialect.name == "postgresql":
            top = s.execute(select(func.max(Handover.id))).scalar_one()
            s.execute(
                text("select setval(pg_get_serial_sequence('handovers', 'id'), :v)"), {"v": top}
            )
        uow.commit()
    capsys.readouterr()
    assert main(["restore", "--reconcile", "--yes", *AS_ADMIN]) == 0
    assert "1 remise(s) rejouée(s)" in capsys.readouterr().out
    agent = service.login("agent1", passwords["agent1"])
    with UnitOfWork(engine, read_only=True) as uow:
        permit = uow.session.get(Permit, permit_id)
    assert permit is not None and permit.state == PermitState.HANDED_OVER
    with pytest.raises(HandoverRefused):
        service.hand_over(request_for(permit), agent)
    other = permit_in_state(engine, PermitState.NOTIFIED)
    with pytest.raises(StampAlreadyUsed):
        service.hand_over(request_for(other, stamps=("7500000000000001",)), agent)
    fresh = service.hand_over(request_for(other, stamps=("7500000000000002",)), agent)
    assert fresh.handover_id > handover_id
    engine.dispose()
