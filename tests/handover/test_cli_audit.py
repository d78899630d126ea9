"""``db upgrade`` creates the site key; ``report day`` pins the head, or refuses to print it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import update

from handover import sitekey
from handover.cli import main
from handover.config import Config
from handover.persistence.engine import make_engine
from handover.persistence.models import AuditEntry
from handover.persistence.uow import UnitOfWork
from tests.handover.receipts.pdf_reading import page_texts


def test_setup_key_then_closing_sheet_and_a_broken_chain(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    assert main(["db", "upgrade"]) == 0
    assert "Clé de site créée" in capsys.readouterr().out
    key = Config().audit_key_path
    assert key.stat().st_mode & 0o777 == 0o600
    assert main(["db", "upgrade"]) == 0  # the second time: the same key, nothing new
    assert "signé par la clé de site" in capsys.readouterr().out
    assert main(["demo", "--permits", "20", "--seed", "3"]) == 0
    capsys.readouterr()

    sheet = tmp_path / "etat.pdf"
    assert main(["report", "day", "--out", str(sheet)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == str(Config().checkpoints_path)
    assert any(line.startswith("Tête de la chaîne d'audit : ") for line in out)

    engine = make_engine(db_url)
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(AuditEntry).where(AuditEntry.id == 4).values(desk="X"))
        uow.commit()
    engine.dispose()
    assert main(["report", "day", "--out", str(sheet)]) == 1
    out = capsys.readouterr().out
    assert "CHAÎNE D'AUDIT ROMPUE" in out and "entrée n° 4" in out and "Tête de la" not in out
    text = page_texts(sheet.read_bytes())[-1]
    assert "CHAÎNE D'AUDIT ROMPUE" in text and "Tête de chaîne" not in text
    assert main(["audit", "verify", "--checkpoints"]) == 1
    assert "à l'entrée n° 4 " in capsys.readouterr().out

    key.unlink()
    sitekey._KEYRING.clear()  # what a new process knows
    assert main(["audit", "verify"]) == 2
    assert main(["audit", "checkpoint"]) == 2
