"""The command line and its log: unexpected errors, diagnostic, closed pipes, no personal data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from handover import logs
from handover.cli import main
from handover.persistence.db import head_revision
from handover.persistence.engine import make_engine
from handover.persistence.models import Permit
from tests.support.accounts import run_as

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    """A configured SQLite database with demo permits, and a log folder of its own."""
    values = {
        "HANDOVER_DB_URL": sqlite_url,
        "HANDOVER_CONFIG": os.devnull,
        "HANDOVER_LOG_DIR": str(tmp_path / "log"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    yield values
    logs.reset()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    for handler in logs.logging.getLogger().handlers:
        handler.flush()
    out, err = capsys.readouterr()
    return code, out, err


def a_permit(url: str) -> Permit:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                select(Permit).where(Permit.numero_etranger.is_not(None)).limit(1)
            ).one()
    finally:
        engine.dispose()


SAMPLE = ROOT / "resources" / "samples" / "livraison-exemple.csv"
# Personal values of the sample delivery file.
SAMPLE_PERSONAL = ("Guessan", "Éléonore", "7501234567", "IR123456780", "06 12 34 56 78", "Nguyen")


def log_text(env: dict[str, str]) -> str:
    return (Path(env["HANDOVER_LOG_DIR"]) / "cli.log").read_text(encoding="utf-8")


def test_unexpected_database_error_names_the_log_not_the_row(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A write refused by the database: its error text carries the row's SQL parameters."""
    assert run(capsys, "db", "upgrade")[0] == 0
    database = env["HANDOVER_DB_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON permits "
            "BEGIN SELECT RAISE(ABORT, 'ligne refusée par la base'); END"
        )

    engine = make_engine(env["HANDOVER_DB_URL"])
    admin = run_as(engine, tmp_path, monkeypatch)
    engine.dispose()
    code, out, err = run(capsys, "import", str(SAMPLE), *admin)

    log_file = Path(env["HANDOVER_LOG_DIR"]) / "cli.log"
    assert code == 3, err
    assert "\nErreur inattendue (IntegrityError : " in err  # after the progress bar
    assert "ligne refusée par la base" in err
    assert err.rstrip().endswith(f"Détail dans le journal : {log_file}")
    log = log_text(env)
    assert "handover import : erreur inattendue" in log and "Traceback" in log
    # The engine never puts the parameters in the error (hide_parameters); the log's
    # redaction of "[parameters: …]" stays as a second line of defence (tested in test_logs).
    assert "[SQL parameters hidden" in log
    for personal in SAMPLE_PERSONAL:
        assert personal not in out + err, personal
        assert personal not in log, personal


def test_unexpected_error_text_with_an_identifier_is_masked(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrupted row (a numéro étranger typed into the birth date) breaks the verdict."""
    assert run(capsys, "demo", "--permits", "20", "--seed", "3")[0] == 0
    permit = a_permit(env["HANDOVER_DB_URL"])
    database = env["HANDOVER_DB_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE permits SET birth_date = 'n° ' || numero_etranger WHERE id = ?", (permit.id,)
        )

    code, out, err = run(capsys, "check", permit.numero_etranger)

    assert code == 3, err
    assert err.startswith("Erreur inattendue (ValueError : ")
    assert "[numéro masqué]" in err
    log = log_text(env)
    assert "handover check : erreur inattendue" in log and "ValueError" in log
    for personal in (permit.numero_etranger, permit.card_number, permit.phone):
        if personal:
            assert personal not in out + err, personal
            assert personal not in log, personal


def test_config_path_says_where_the_logs_are(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "config", "path")
    folder = env["HANDOVER_LOG_DIR"]
    assert code == 0
    assert out.splitlines() == [
        env["HANDOVER_CONFIG"],
        f"Journal du guichet : {folder}/guichet.log (plantages : {folder}/guichet-crash.log)",
        f"Journal des commandes : {folder}/cli.log (plantages : {folder}/cli-crash.log)",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://guichet:s3cret@db.local/handover",
        "postgresql+psycopg://guichet@db.local/handover?password=s3cret&sslmode=require",
        "postgresql://db.local/handover?user=guichet&sslpassword=s3cret",
    ],
)
def test_config_show_masks_passwords(
    url: str, env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", url)
    code, out, _ = run(capsys, "config", "show")
    assert code == 0
    assert "s3cret" not in out
    assert "***" in out and "db.local/handover" in out


def test_diagnostic_reports_versions_schema_config_and_log(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(env["HANDOVER_LOG_DIR"])
    folder.mkdir()
    (folder / "guichet.log").write_text(
        "2026-12-02 08:00:00,000 INFO ui [MainThread] ancienne ligne 0013748911 06 12 34 56 78\n"
        "2026-12-02 08:00:01,000 INFO __main__ [MainThread] Écran de connexion affiché\n",
        encoding="utf-8",
    )
    (folder / "guichet-crash.log").write_text(
        "--- 2026-12-02 07:59:00 UTC : guichet 0.1.0 démarré (pid 12) ---\n"
        "Fatal Python error: Aborted\n\n"
        'File "/opt/guichet/ui/widgets/signature_pad.py", line 211 in _paint_strokes\n'
        "--- 2026-12-02 08:00:00 UTC : guichet 0.1.0 démarré (pid 13) ---\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "diagnostic", "-n", "5")
    assert code == 0
    assert "Guichet (handover) 0.1.0" in out
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in out
    assert "PySide6-Essentials 6." in out and "Bibliothèque SQLite 3." in out
    assert "SQLite 3." in out and f"Schéma : révision {head_revision()} (à jour)" in out
    assert '[desk]\nname = "Guichet 1"' in out
    assert f"Journal du guichet : {folder / 'guichet.log'}" in out
    assert "Écran de connexion affiché" in out
    assert "ancienne ligne [numéro masqué] [téléphone masqué]" in out
    assert "0013748911" not in out
    assert "line 211 in _paint_strokes" in out  # the last crash, not the clean start after


def test_diagnostic_names_the_server_and_the_schema(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.setenv("HANDOVER_LOG_DIR", str(tmp_path / "log"))
    try:
        code, out, _ = run(capsys, "diagnostic")
    finally:
        logs.reset()
    server = "PostgreSQL " if db_url.startswith("postgresql") else "SQLite 3."
    assert code == 0
    assert server in out and f"Schéma : révision {head_revision()} (à jour)" in out


def test_diagnostic_with_an_unreachable_server_and_secrets(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    url = "postgresql+psycopg://guichet:s3cret@127.0.0.1:1/handover?password=autre"
    monkeypatch.setenv("HANDOVER_DB_URL", url + "&connect_timeout=2")
    code, out, err = run(capsys, "diagnostic")
    assert code == 0, err
    assert "Base injoignable : OperationalError" in out
    assert "s3cret" not in out + err and "autre" not in out + err
    assert "(aucun plantage enregistré)" in out


def test_diagnostic_never_creates_a_missing_database(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch, tmp_path: Path
) -> None:
    missing = tmp_path / "ailleurs" / "handover.sqlite3"
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{missing}")
    code, out, _ = run(capsys, "diagnostic")
    assert code == 0
    assert f"Fichier absent : {missing}" in out
    assert not missing.exists()


# -- closed pipes: `handover … | head` ----------------------------------------------------


def spawn(env: dict[str, str], *argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "handover.cli", *argv],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_reader_that_stops_after_one_line_gets_silence(env: dict[str, str]) -> None:
    """``handover diagnostic -n 5000 | head -1``: far more than a pipe holds."""
    folder = Path(env["HANDOVER_LOG_DIR"])
    folder.mkdir()
    line = "2026-12-02 08:00:00,000 INFO ui [MainThread] " + "x" * 100 + "\n"
    (folder / "guichet.log").write_text(line * 5000, encoding="utf-8")
    process = spawn(env, "diagnostic", "-n", "5000")
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what head does after its line
    err = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=60)
    assert first.startswith(b"# Guichet")
    assert err == ""
    assert code == 1


def test_reader_gone_before_the_verdict_is_printed(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``handover check … | head -c0``: the first write already finds the pipe closed."""
    assert run(capsys, "demo", "--permits", "5", "--seed", "3")[0] == 0
    permit = a_permit(env["HANDOVER_DB_URL"])
    process = spawn(env, "check", permit.numero_etranger)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=60)
    assert err == ""
    assert code == 1
