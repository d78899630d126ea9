"""``handover check``: the words the counter's panel shows, from the same formatter."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from handover import verdict_text
from handover.cli import main
from handover.config import load_config
from handover.persistence.engine import make_engine
from handover.persistence.models import Permit, PermitState
from handover.scanning.reference import format_reference
from handover.services.counter import CounterService


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    return db_url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def _reference(db_url: str, state: PermitState) -> str:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            reference = connection.execute(
                select(Permit.handover_reference)
                .where(Permit.state == state, Permit.handover_reference.is_not(None))
                .order_by(Permit.id)
                .limit(1)
            ).scalar_one()
    finally:
        engine.dispose()
    return format_reference(reference)


def test_check_prints_what_the_counter_shows(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "demo", "--permits", "40", "--seed", "5")[0] == 0
    engine = make_engine(db)
    counter = CounterService(engine, load_config())
    try:
        for state in (PermitState.NOTIFIED, PermitState.BLOCKED, PermitState.RETURNED):
            reference = _reference(db, state)
            code, out = _run(capsys, "check", reference)
            verdict = counter.check(reference, None)
            assert code == 0
            assert out.splitlines() == [
                verdict_text.headline(verdict),
                *(f"  {line}" for line in verdict_text.details(verdict)),
            ]
    finally:
        engine.dispose()


def test_check_echoes_an_invalid_or_unknown_scan(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "demo", "--permits", "20", "--seed", "5")[0] == 0
    reference = _reference(db, PermitState.NOTIFIED)
    typo = reference[:-1] + ("0" if reference[-1] != "0" else "1")

    code, out = _run(capsys, "check", typo)
    assert code == 2
    assert out.splitlines()[0] == "RÉFÉRENCE DE REMISE (SMS) INVALIDE"
    assert f"  Lu : « {typo} »" in out.splitlines()

    code, out = _run(capsys, "check", "rien de lisible")
    assert code == 2 and out.startswith("CODE ILLISIBLE")
    assert "  Lu : « rien de lisible »" in out.splitlines()

    code, out = _run(capsys, "check", "0099000001")
    assert code == 0 and out.startswith("INCONNU")
    assert "« 0099000001 » : aucun titre." in out

    code, out = _run(capsys, "check", typo, "--json")
    data = json.loads(out)
    assert code == 2
    assert data["kind"] == "invalid_scan" and data["scan_problem"] == "invalid"
    assert data["read"] == typo and data["headline"] == "RÉFÉRENCE DE REMISE (SMS) INVALIDE"
