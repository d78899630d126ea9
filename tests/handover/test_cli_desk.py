"""Installing a desk: machine-wide folders, a commented configuration file, a copy before
each migration."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import text

from handover.cli import main
from handover.persistence.db import upgrade
from handover.persistence.engine import make_engine
from handover.services.demo import DEMO_ACCOUNTS
from tests.support.accounts import password_file


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_config_init_writes_a_commented_file_that_gives_the_defaults_and_can_be_edited(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "etc" / "config.toml"
    code, out, _ = _run(capsys, "config", "init", "--out", str(target))
    assert code == 0 and f"Configuration écrite : {target}" in out
    text = target.read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}  # everything commented: the defaults
    assert '# name = "Guichet 1"' in text and "# [schedule.weekly]" in text
    monkeypatch.setenv("HANDOVER_CONFIG", str(target))
    code, default, _ = _run(capsys, "config", "show")
    assert code == 0 and 'name = "Guichet 1"' in default

    # The administrator uncomments the desk's section and names it.
    edited = text.replace("# [desk]\n", "[desk]\n").replace('# name = "Guichet 1"', 'name = "G3"')
    target.write_text(edited, encoding="utf-8")
    code, shown, _ = _run(capsys, "config", "show")
    assert code == 0 and 'name = "G3"' in shown

    code, _, err = _run(capsys, "config", "init", "--out", str(target))
    assert code == 2 and "existe déjà" in err
    assert target.read_text(encoding="utf-8") == edited  # nothing overwritten


def test_db_upgrade_copies_the_database_before_migrating_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "guichet.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")  # a desk installed with an earlier version
    engine.dispose()
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    code, out, err = _run(capsys, "db", "upgrade")
    assert code == 0, err
    (copy,) = tmp_path.glob("guichet-sauvegarde-avant-migration-0001-*.sqlite3")
    assert f"Copie de la base d'avant la migration : {copy}" in out
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select version_num from alembic_version").fetchall() == [("0001",)]

    code, out, _ = _run(capsys, "db", "upgrade")  # up to date: nothing to copy
    assert code == 0 and "déjà à jour" in out
    assert len(list(tmp_path.glob("*-sauvegarde-*"))) == 1


def test_an_installed_desk_uses_machine_wide_folders_a_checkout_the_user_s(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from handover import config

    monkeypatch.delenv("HANDOVER_CONFIG")
    monkeypatch.delenv("HANDOVER_DATA_DIR")
    monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    assert not config.installed()  # this test runs from the checkout
    assert config.data_dir().is_relative_to(Path.home())

    monkeypatch.setattr(config, "installed", lambda: True)
    code, out, _ = _run(capsys, "config", "path")
    assert code == 0 and out.splitlines()[0] == "/etc/xdg/handover/config.toml"
    assert config.default_database_url() == "sqlite:////var/lib/handover/handover.sqlite3"
    assert config.log_dir() == Path("/var/log/handover")


def test_demo_marks_its_database_and_refuses_one_with_real_data(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    demo_db, real_db = tmp_path / "demo.sqlite3", tmp_path / "guichet.sqlite3"
    for path in (demo_db, real_db):
        monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
        assert _run(capsys, "db", "upgrade")[0] == 0

    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{demo_db}")
    assert "Type de base : vide" in _run(capsys, "db", "info")[1]
    code, out, err = _run(capsys, "demo", "--permits", "20")
    assert code == 0, err
    assert "Type de base : démonstration" in out
    code, out, err = _run(capsys, "demo", "--permits", "20")  # a demonstration takes more
    assert code == 0, err
    assert "Type de base : démonstration" in _run(capsys, "db", "info")[1]
    code, out, _ = _run(capsys, "audit", "verify")
    assert code == 0, out

    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{real_db}")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("remise-des-titres-2026\n"))
    assert _run(capsys, "agent", "add", "marie")[0] == 0
    assert "Type de base : production" in _run(capsys, "db", "info")[1]
    code, _, err = _run(capsys, "demo", "--permits", "20")
    assert code == 2 and "données réelles" in err
    with sqlite3.connect(real_db) as conn:
        assert conn.execute("select count(*) from permits").fetchone() == (0,)
        actions = [a for (a,) in conn.execute("select action from audit_entries")]
    assert "demo.seeded" not in actions


def test_demo_prints_holders_whose_documents_the_scanner_reads(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from handover.domain.names import icao_spelling as mrz_name
    from handover.scanning.mrz import parse_mrz
    from handover.scanning.reference import normalize_reference

    path = tmp_path / "demo.sqlite3"
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, err = _run(capsys, "demo", "--permits", "60")
    assert code == 0, err
    lines = out.splitlines()
    field = {
        k: [ln.split(" : ", 1)[1] for ln in lines if ln.strip().startswith(k)]
        for k in ("référence SMS", "pièce d'identité", "carte du casier")
    }
    assert len(field["référence SMS"]) == 3
    with sqlite3.connect(path) as conn:
        for reference, passport, card in zip(*field.values(), strict=True):
            surname, birth, number, state = conn.execute(
                "select surname, birth_date, card_number, state from permits "
                "where handover_reference = ?",
                (normalize_reference(reference),),
            ).fetchone()
            assert state == "notified"
            identity, drawer = parse_mrz(passport), parse_mrz(card)
            assert not identity.errors and not drawer.errors, (identity.errors, drawer.errors)
            assert identity.birth_date is not None and identity.birth_date.isoformat() == birth
            assert identity.surname == drawer.surname == mrz_name(surname).replace("<", " ").strip()
            assert drawer.document_number == number


def test_demo_remove_empties_a_demonstration_before_going_live_and_keeps_the_audit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    code, _, err = _run(capsys, "demo", "--remove", "--yes")
    assert code == 2 and "pas une base de démonstration" in err  # empty: nothing to remove
    assert _run(capsys, "demo", "--permits", "60")[0] == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("remise-des-titres-2026\n"))
    # The real first account, created in the name of the demonstration's administrator.
    secret = password_file(tmp_path, "demo-gestion-prefecture")
    as_admin = ["--as", "admin", "--password-file", str(secret)]
    assert _run(capsys, "agent", "add", "marie", *as_admin)[0] == 0

    code, out, _ = _run(capsys, "demo", "--remove")
    assert code == 2 and "--yes" in out and "60 permits" in out
    code, out, err = _run(capsys, "demo", "--remove", "--yes")
    assert code == 0, err
    assert "60 titres" in out and f"{len(DEMO_ACCOUNTS)} comptes" in out
    assert "Type de base : production" in out
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from permits")).scalar() == 0
        assert conn.execute(text("select count(*) from handovers")).scalar() == 0
        assert list(conn.execute(text("select username from agents")).scalars()) == ["marie"]
    engine.dispose()
    code, out, _ = _run(capsys, "audit", "verify")
    assert code == 0, out
    code, _, err = _run(capsys, "demo", "--permits", "5")
    assert code == 2 and "données réelles" in err  # live now: no demo on top


def test_demo_sheet_is_written_for_a_demonstration_and_never_for_real_data(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.handover.receipts.pdf_reading import barcodes, page_texts

    path, sheet = tmp_path / "demo.sqlite3", tmp_path / "fiche.pdf"
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    assert _run(capsys, "db", "upgrade")[0] == 0
    code, out, err = _run(capsys, "demo", "--permits", "40", "--sheet", str(sheet))
    assert code == 0, err
    assert "Fiche d'entraînement écrite" in out
    printed = [ln.split(" : ", 1)[1] for ln in out.splitlines() if "référence SMS" in ln]
    pdf = sheet.read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == 3 and all("DÉMONSTRATION" in t for t in texts)
    for page, reference in enumerate(printed):
        read = barcodes(pdf, dpi=150, page=page)
        assert ("Code128", reference) in read and ("QRCode", reference) in read, read

    # Again on the demonstration: the sheet only, not 40 more permits.
    code, out, err = _run(capsys, "demo", "--sheet", str(tmp_path / "encore.pdf"))
    assert code == 0, err
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from permits").fetchone() == (40,)
    code, out, err = _run(capsys, "demo", "--sheet", str(tmp_path / "absent" / "x.pdf"))
    assert code == 2 and "impossible d'écrire la fiche" in err

    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("remise-des-titres-2026\n"))
    assert _run(capsys, "demo", "--remove", "--yes")[0] == 0
    assert _run(capsys, "agent", "add", "marie")[0] == 0
    real = tmp_path / "reel.pdf"
    code, _, err = _run(capsys, "demo", "--sheet", str(real))
    assert code == 2 and "données réelles" in err and not real.exists()
