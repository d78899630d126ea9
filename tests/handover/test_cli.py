"""Every ``handover`` command, run as an administrator would, against a real database."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from handover.cli import build_parser, main
from handover.persistence.engine import make_engine
from handover.persistence.models import AuditEntry
from handover.persistence.uow import UnitOfWork
from tests.support.accounts import run_as, staff


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    return db_url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in (
        "config",
        "db",
        "demo",
        "agent",
        "parse-scan",
        "window",
        "check",
        "audit",
        "receipt",
    ):
        assert f"    {name}" in out


def test_config_show_masks_secrets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[desk]\nname = "Guichet 7"\n[printer]\nkind = "pdf"\n', encoding="utf-8")
    monkeypatch.setenv("HANDOVER_CONFIG", str(cfg))
    monkeypatch.setenv("HANDOVER_DB_URL", "postgresql+psycopg://guichet:s3cret@db.local/handover")
    monkeypatch.setenv("HANDOVER_SECURITY_INACTIVITY_LOCK_MINUTES", "7")
    code, out, _ = _run(capsys, "config", "show")
    assert code == 0
    assert 'name = "Guichet 7"' in out
    assert "inactivity_lock_minutes = 7" in out
    assert "s3cret" not in out and "guichet:***@db.local" in out
    code, out, _ = _run(capsys, "config", "show", "--json")
    assert json.loads(out)["desk"]["name"] == "Guichet 7"
    code, out, _ = _run(capsys, "config", "path")
    assert out.splitlines()[0] == str(cfg)


def test_bad_config_value_names_key_and_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[printer]\nkind = "laser"\n', encoding="utf-8")
    monkeypatch.setenv("HANDOVER_CONFIG", str(cfg))
    code, _, err = _run(capsys, "config", "show")
    assert code == 2
    assert "printer.kind" in err and str(cfg) in err and "Traceback" not in err


def test_bad_environment_value_is_reported_under_the_variable_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[printer]\nkind = "pdf"\n', encoding="utf-8")
    monkeypatch.setenv("HANDOVER_CONFIG", str(cfg))
    monkeypatch.setenv("HANDOVER_SECURITY_INACTIVITY_LOCK_MINUTES", "cinq")
    code, _, err = _run(capsys, "config", "show")
    assert code == 2
    assert "HANDOVER_SECURITY_INACTIVITY_LOCK_MINUTES" in err and "'cinq'" in err
    assert str(cfg) not in err  # the file is right: naming it would send the reader there


def test_a_configuration_file_named_but_absent_is_an_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "confg.toml"  # a typo in HANDOVER_CONFIG
    monkeypatch.setenv("HANDOVER_CONFIG", str(missing))
    code, _, err = _run(capsys, "config", "show")
    assert code == 2
    assert f"{missing} (nommé par HANDOVER_CONFIG) n'existe pas" in err


def test_db_upgrade_check_info(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "db", "check")
    assert code == 0 and "À jour" in out
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and "déjà à jour" in out
    code, out, _ = _run(capsys, "db", "info")
    assert code == 0 and ("SQLite" in out or "PostgreSQL" in out)


def test_only_db_upgrade_creates_a_missing_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "new.sqlite3"
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    code, _, err = _run(capsys, "db", "check")
    assert code == 2 and str(path) in err and "handover db upgrade" in err
    assert not path.exists()
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and f"Nouvelle base créée : {path}" in out
    assert _run(capsys, "db", "check")[0] == 0


def test_demo_agent_check_audit_receipt(
    db: str,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    code, out, _ = _run(capsys, "demo", "--permits", "80", "--seed", "4")
    assert code == 0 and "agent1" in out and "mot de passe" in out
    # An administrator exists (the demo's): accounts are managed in an administrator's name.
    monkeypatch.setattr("sys.stdin", io.StringIO("une phrase de passe solide\n"))
    code, _, err = _run(capsys, "agent", "add", "lucie", "--role", "supervisor")
    assert code == 2 and "Un administrateur existe" in err and "--as" in err
    admin = run_as(engine, tmp_path, monkeypatch)
    # agent add reads the new password from stdin, never from the command line
    monkeypatch.setattr("sys.stdin", io.StringIO("une phrase de passe solide\n"))
    code, out, _ = _run(capsys, "agent", "add", "lucie", "--role", "supervisor", *admin)
    assert code == 0 and "lucie" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("azerty\n"))
    code, _, err = _run(capsys, "agent", "add", "marc", *admin)
    assert code == 2 and "trop court" in err
    code, out, _ = _run(capsys, "agent", "list")
    assert "lucie" in out and "chef d'accueil" in out and "marc" not in out
    assert _run(capsys, "agent", "disable", "lucie", *admin)[0] == 0
    assert "lucie            chef d'accueil   " in _run(capsys, "agent", "list")[1]
    assert _run(capsys, "agent", "enable", "lucie", *admin)[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("une autre phrase de passe\n"))
    assert _run(capsys, "agent", "password", "lucie", *admin)[0] == 0
    code, _, err = _run(capsys, "agent", "disable", "personne", *admin)
    assert code == 2 and "Aucun compte" in err
    with UnitOfWork(engine, read_only=True) as uow:
        authors = set(
            uow.session.execute(
                select(AuditEntry.agent).where(AuditEntry.action.like("account.%"))
            ).scalars()
        )
    assert staff(engine).pseudonym in authors  # the changes are audited under the admin

    code, out, _ = _run(capsys, "check", "0000000001")
    assert code == 0 and "INCONNU" in out
    code, out, _ = _run(capsys, "check", "n'importe quoi", "--json")
    assert code == 2 and json.loads(out)["kind"] == "invalid_scan"

    code, out, _ = _run(capsys, "audit", "verify")
    assert code == 0 and "intègre" in out
    assert "account.create" in _run(capsys, "audit", "tail", "-n", "500")[1]
    pdf = tmp_path / "dup.pdf"
    code, out, _ = _run(capsys, "receipt", "1", "--out", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    code, _, err = _run(capsys, "receipt", "R2026-9999999", "--out", str(pdf))
    assert code == 2 and "Aucune remise" in err
    tail = _run(capsys, "audit", "tail", "-n", "3")[1]
    assert "receipt.reprint" in tail

    # Tampering with one entry is reported, with the entry's number, and exit code 1.
    engine = make_engine(db)
    with UnitOfWork(engine) as uow:
        uow.session.execute(update(AuditEntry).where(AuditEntry.id == 3).values(desk="X"))
        uow.commit()
    engine.dispose()
    code, out, _ = _run(capsys, "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["broken_at"] == 3


def test_every_command_in_help_has_a_test() -> None:
    """Keeps this file honest: a new command must be added to the tests above."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    tested = Path(__file__).read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parent.rglob("test_cli*.py")
    )
    for name in sub.choices:  # type: ignore[union-attr]
        assert f'"{name}"' in tested, f"command {name} has no CLI test"


def test_unusable_database_path_is_explained(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", "sqlite:////proc/no-such-dir/handover.sqlite3")
    code, _, err = _run(capsys, "db", "upgrade")
    assert code == 2 and "Impossible de créer le dossier" in err and "Traceback" not in err
