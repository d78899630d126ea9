"""``--as COMPTE``: commands that change the database run as a stored account, checked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from handover import audit
from handover.cli import main
from handover.domain.values import Role, handover_number
from handover.persistence.models import AuditEntry, HandoverCorrection, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from tests.handover.receipts.pdf_reading import page_texts
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for
from tests.support.accounts import password_file, staff

REASON = "Alerte fraude transmise par le service titres"


@pytest.fixture
def db(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.delenv("HANDOVER_PASSWORD_FILE", raising=False)
    return engine


def actions(engine: Engine) -> list[tuple[str, str]]:
    with UnitOfWork(engine, read_only=True) as uow:
        return [
            (a, who)
            for a, who in uow.session.execute(
                select(AuditEntry.action, AuditEntry.agent).order_by(AuditEntry.id)
            ).all()
        ]


def state_of(engine: Engine, permit_id: int) -> PermitState:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(select(Permit.state).where(Permit.id == permit_id)).scalar_one()


def test_a_wrong_password_or_an_open_file_changes_nothing(
    db: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_counter(db, permits=20)
    chef = staff(db, Role.SUPERVISOR)
    permit = permit_in_state(db, PermitState.NOTIFIED)
    block = ["permit", "block", permit.card_number, "--reason", REASON, "--as", chef.username]
    before = actions(db)

    # A script without a password file: nobody to ask.
    assert main(block) == 2
    assert "Pas de terminal pour demander le mot de passe" in capsys.readouterr().err
    # A password file others may read: refused before any login is tried.
    shared = password_file(tmp_path)
    shared.chmod(0o640)
    assert main([*block, "--password-file", str(shared)]) == 2
    err = capsys.readouterr().err
    assert "lisible par d'autres comptes (droits 0640)" in err and "chmod 600" in err
    assert actions(db) == before

    wrong = password_file(tmp_path, "pas-le-bon-mot-de-passe")
    assert main([*block, "--password-file", str(wrong)]) == 2
    assert "Identifiant ou mot de passe incorrect" in capsys.readouterr().err
    assert state_of(db, permit.id) == PermitState.NOTIFIED
    assert actions(db) == [*before, ("login.failure", chef.pseudonym)]  # audited, nothing else

    right = password_file(tmp_path)
    assert main([*block, "--password-file", str(right)]) == 0
    assert state_of(db, permit.id) == PermitState.BLOCKED
    assert actions(db)[-2:] == [("login.success", chef.pseudonym), ("permit.block", chef.pseudonym)]


def test_an_agents_account_is_refused_by_the_core(
    db: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_counter(db, permits=20)
    agent = staff(db, Role.AGENT)
    monkeypatch.setenv("HANDOVER_PASSWORD_FILE", str(password_file(tmp_path)))
    permit = permit_in_state(db, PermitState.NOTIFIED)
    assert (
        main(["permit", "block", str(permit.id), "--reason", REASON, "--as", agent.username]) == 2
    )
    assert "(agent) ne peut pas bloquer un titre" in capsys.readouterr().err
    assert main(["purge", "--dry-run", "--as", staff(db, Role.SUPERVISOR).username]) == 2
    assert "il faut un compte administrateur" in capsys.readouterr().err
    assert state_of(db, permit.id) == PermitState.NOTIFIED


def test_correct_then_reprint_says_rectifie(
    db: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    counter, pw = make_counter(db, permits=20)
    permit = permit_in_state(db, PermitState.NOTIFIED)
    record = counter.hand_over(request_for(permit), login(counter, pw))
    number = handover_number(record.handover_id, record.at)
    chef = staff(db, Role.SUPERVISOR)
    monkeypatch.setenv("HANDOVER_PASSWORD_FILE", str(password_file(tmp_path)))
    correct = [
        "correct",
        number,
        "--reason",
        "Pièce mal choisie à la saisie",
        "--as",
        chef.username,
    ]

    assert main([*correct, "--document-type", "carte"]) == 2
    assert "Type de pièce inconnu « carte »" in capsys.readouterr().err
    assert main([*correct, "--amount", "vingt"]) == 2
    assert "--amount : montant « vingt » illisible" in capsys.readouterr().err
    assert main([*correct, "--document-type", "id_card"]) == 0
    out = capsys.readouterr().out
    assert f"Remise {number} rectifiée" in out and "« Carte d'identité »" in out

    pdf = tmp_path / "duplicata.pdf"
    assert main(["receipt", number, "--out", str(pdf)]) == 0
    text = " ".join(page_texts(pdf.read_bytes())[0].split())
    assert "RECTIFIÉ" in text and "« Passeport » → « Carte d'identité »" in text
    with UnitOfWork(db, read_only=True) as uow:
        assert uow.session.execute(select(func.count(HandoverCorrection.id))).scalar_one() == 1
    # A reprint needs no account: audited under a keyed pseudonym of the system user.
    reprint = actions(db)[-1]
    assert reprint[0] == "receipt.reprint" and reprint[1].startswith("OS-")
    assert reprint[1] != "OS-" + audit.keyed_digest("os-user", "quelqu'un-d'autre")[:12]
    assert chef.username not in reprint[1]
