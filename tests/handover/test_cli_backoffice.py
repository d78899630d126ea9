"""The back-office commands, run as an administrator would: through ``handover.cli.main``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from handover.cli import main
from handover.resources import get_resource_path
from tests.handover.backoffice.delivery import row, write
from tests.support.accounts import run_as

SAMPLE = str(get_resource_path("samples", "livraison-exemple.csv"))


@pytest.fixture
def db(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    assert run_as(engine, tmp_path, monkeypatch) == AS  # its password in a private file
    return db_url


AS = ["--as", "admin-test"]  # what every command that changes the database needs


def test_import_sms_unclaimed_report_purge(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", SAMPLE, *AS]) == 0
    out, err = capsys.readouterr()
    assert "à importer / importés : 4" in out and "Import enregistré" in out
    assert "enregistrement" in err and "100 %" in err  # the progress bar
    assert main(["import", SAMPLE, *AS]) == 0
    assert "déjà importés (ignorés) : 4" in capsys.readouterr().out

    bad = write(tmp_path / "bad.csv", [row(50), row(51, numero_anef="123")])
    assert main(["import", str(bad), *AS]) == 1
    out = capsys.readouterr().out
    assert "ligne 3 : Un numéro de demande ANEF compte 19 chiffres ; 3 reçus" in out
    assert "Fichier REFUSÉ" in out
    assert main(["import", str(bad), "--valid-only", *AS]) == 0
    assert "à importer / importés : 1" in capsys.readouterr().out

    template = tmp_path / "modele.txt"
    template.write_text("Bonjour {nom}, réf. {reference}", encoding="utf-8")
    assert main(["sms", "export", str(tmp_path / "x.csv"), "--template", str(template), *AS]) == 2
    assert "le repère {nom}, qui n'existe pas" in capsys.readouterr().err
    template.write_text("Titre prêt, réf. {reference}, {jours} {horaires}.\n", encoding="utf-8")
    sent = tmp_path / "sms.csv"
    assert main(["sms", "export", str(sent), "--template", str(template), "--limit", "3", *AS]) == 0
    out = capsys.readouterr().out
    assert "3 SMS écrits" in out and "UCS-2" in out  # « ê » is not in the GSM alphabet
    lines = list(csv.DictReader(io.StringIO(sent.read_text(encoding="utf-8")), delimiter=";"))
    assert lines[0]["message"].startswith("Titre prêt, réf. " + lines[0]["reference"])
    assert main(["sms", "confirm", str(sent), *AS]) == 0
    assert "3 titre(s) marqué(s) « prévenu »" in capsys.readouterr().out

    assert main(["unclaimed", "list", "--days", "0"]) == 0
    assert "3 titre(s) prévenu(s)" in capsys.readouterr().out
    assert main(["unclaimed", "remind", str(tmp_path / "rappel.csv"), "--days", "0", *AS]) == 0
    assert "3 SMS de rappel" in capsys.readouterr().out
    assert main(["unclaimed", "return", "--days", "0", "--dry-run", *AS]) == 2
    assert "--days 0 : un titre ne peut être retourné que 30 jours" in capsys.readouterr().err
    assert main(["unclaimed", "return", "--days", "0", "--dry-run", "--force", *AS]) == 0
    assert "3 titre(s) seraient marqués" in capsys.readouterr().out

    export = tmp_path / "stats.csv"
    assert (
        main(
            ["report", "stats", "--from", "01/01/2026", "--to", "2026-12-31", "--csv", str(export)]
        )
        == 0
    )
    assert "Remises : 0" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == ["rubrique", "code", "libellé", "valeur"]
    assert ["remises", "total", "total", "0"] in rows
    assert main(["report", "stats", "--from", "02/01/2026", "--to", "01/01/2026"]) == 2
    capsys.readouterr()

    assert main(["purge", "--dry-run", *AS]) == 0
    assert "Essai à blanc" in capsys.readouterr().out
    assert main(["purge", *AS]) == 0
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0


def test_backup_and_restore_commands(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", SAMPLE, *AS]) == 0
    capsys.readouterr()
    dest = tmp_path / "copie.sqlite3"
    code = main(["backup", str(dest)])
    out, err = capsys.readouterr()
    if db.startswith("postgresql"):
        assert code == 1 and "pg_dump --format=custom" in out and "Aucune copie" in err
        return
    assert code == 0 and "Sauvegarde écrite" in out and dest.exists()
    target = tmp_path / "autre.sqlite3"
    assert main(["restore", str(dest), "--to", f"sqlite:///{target}", *AS]) == 0
    assert "Base restaurée" in capsys.readouterr().out
    missing = tmp_path / "absente.sqlite3"
    assert main(["restore", str(missing), "--to", f"sqlite:///{target}", *AS]) == 2
    assert "n'existe pas" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["unclaimed", "return", "--days", "-5", *AS], "--days -5 : entre 0 et 36500 attendu"),
        (["unclaimed", "return", "--days", "deux", *AS], "--days « deux » : un nombre entier"),
        (["unclaimed", "return", "--days", "29", *AS], "que 30 jours au moins après le SMS"),
        (["unclaimed", "list", "--days", "1e9"], "--days « 1e9 » : un nombre entier"),
        (["unclaimed", "list", "--days", "99999999"], "entre 0 et 36500 attendu"),
        (["sms", "export", "x.csv", "--limit", "0", *AS], "--limit 0 : entre 1 et"),
        (["sms", "export", "x.csv", "--limit", "\x1b[2J", *AS], "--limit « \\x1b[2J »"),
    ],
)
def test_numeric_arguments_are_checked_in_french(
    db: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", SAMPLE, *AS]) == 0
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "\x1b[" not in err


def test_block_and_unblock_a_permit(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", SAMPLE, *AS]) == 0
    capsys.readouterr()
    reason = "Alerte fraude transmise par M. Durand, service titres"
    assert main(["permit", "block", "IR123456780", "--reason", reason, *AS]) == 0
    assert "carte IR123456780) bloqué" in capsys.readouterr().out
    assert main(["check", "IR123456780"]) in (0, 2)
    capsys.readouterr()
    assert main(["permit", "block", "IR123456780", "--reason", reason, *AS]) == 2
    assert "Titre « bloqué » : impossible de le bloquer" in capsys.readouterr().err
    assert main(["permit", "unblock", "IR123456780", "--reason", "court", *AS]) == 2
    assert "Motif obligatoire" in capsys.readouterr().err
    assert (
        main(["permit", "unblock", "IR123456780", "--reason", "Levée de l'alerte ce jour", *AS])
        == 0
    )
    assert "débloqué : « arrivé »" in capsys.readouterr().out
    assert main(["permit", "block", "XX999", "--reason", reason, *AS]) == 2
    assert "Aucun titre ne correspond" in capsys.readouterr().err
    assert main(["permit", "block", "IR12\x003", "--reason", reason, *AS]) == 2  # NUL: not sent
    assert "Titre illisible" in capsys.readouterr().err
    assert main(["audit", "tail", "-n", "5"]) == 0
    assert "Durand" not in capsys.readouterr().out  # the reason stays out of the audit
    assert main(["audit", "verify"]) == 0
