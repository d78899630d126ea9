"""The log file: where it goes, what it keeps, what it never shows (personal data)."""

from __future__ import annotations

import dataclasses
import faulthandler
import logging
import logging.handlers
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from handover import logs
from handover.config import Config, LogConfig, load_config

NUMERO_ETRANGER = "0013748911"
ANEF = "1234567890123456789"
STAMP = "1234567890123456"
PHONES = ("06 12 34 56 78", "+33612345678", "07.98.76.54.32")
REFERENCE = "K3P9-7QXA-M"
MRZ = "P<FRAMARTIN<<JEANNE<MARIE<<<<<<<<<<<<<<<<<<<"
SQL_ERROR = (
    "(sqlite3.OperationalError) no such table: permits\n"
    "[SQL: SELECT permits.id FROM permits WHERE permits.name_key = ? AND permits.birth_date = ?]\n"
    "[parameters: ('MARTIN', '1990-04-02')]\n"
    "(Background on this error at: https://sqlalche.me/e/20/e3q8)"
)


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "log"
    yield folder
    logs.reset()


def configured(folder: Path, level: str = "INFO") -> Config:
    return dataclasses.replace(Config(), log=LogConfig(level=level, dir=str(folder)))


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


@pytest.mark.parametrize(
    "text",
    [
        NUMERO_ETRANGER,
        "123456789",
        ANEF,
        STAMP,
        *PHONES,
        REFERENCE,
        "k3p9 7qxa m",
        "k3p97qxam",
        MRZ,
        "AB1234567",
    ],
)
def test_identifiers_are_masked(text: str) -> None:
    masked = logs.redact(f"scan « {text} » refusé")
    assert text not in masked
    assert masked.startswith("scan « [") and masked.endswith("] » refusé")


def test_sql_parameters_and_passwords_are_masked() -> None:
    masked = logs.redact(SQL_ERROR)
    assert "MARTIN" not in masked and "1990-04-02" not in masked
    assert "no such table: permits" in masked and "[SQL: SELECT permits.id" in masked
    url = logs.redact("postgresql+psycopg://guichet:s3cret@db/handover?password=autre&x=1")
    assert "s3cret" not in url and "autre" not in url and "guichet:***@db" in url


def test_what_support_needs_is_kept() -> None:
    line = (
        "2026-12-02 08:15:02,123 INFO handover.cli [MainThread] handover 0.1.0 check : "
        "permit 1234, reçu R2026-0000123, SQLite 3.40.1, 2026-11-27, pid 48213, 230 ms, "
        "rien pour cela a changé"
    )
    assert logs.redact(line) == line


def test_setup_writes_a_rotating_file_in_the_configured_folder(log_dir: Path) -> None:
    files = logs.setup(logs.CLI, configured(log_dir), console=False)
    assert files is not None
    assert files.log_file == log_dir / "cli.log" and files.crash_file == log_dir / "cli-crash.log"
    rotating = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
        and h.baseFilename == str(files.log_file)
    ]
    assert len(rotating) == 1
    assert rotating[0].maxBytes == 10 * 1024 * 1024
    assert rotating[0].backupCount + 1 == 10
    logging.getLogger("handover.test").info("scan %s sans suite", NUMERO_ETRANGER)
    flush()
    text = files.log_file.read_text(encoding="utf-8")
    assert "scan [numéro masqué] sans suite" in text
    assert NUMERO_ETRANGER not in text
    assert logs.with_log_path("Erreur inattendue.").endswith(
        f"Détail dans le journal : {files.log_file}"
    )


def test_setup_again_replaces_the_handlers(log_dir: Path) -> None:
    logs.setup(logs.CLI, configured(log_dir), console=False)
    before = len(logging.getLogger().handlers)
    logs.setup(logs.CLI, configured(log_dir / "autre"), console=False)
    assert len(logging.getLogger().handlers) == before
    assert logs.where() == str(log_dir / "autre" / "cli.log")


def test_third_party_info_stays_out_warnings_go_in(
    log_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = logs.setup(logs.COUNTER, configured(log_dir), console=True)
    assert files is not None
    logging.getLogger("alembic.runtime.migration").info("Running upgrade  -> 0001")
    logging.getLogger("sqlalchemy.engine").info("BEGIN (implicit)")
    logging.getLogger("alembic.runtime.migration").warning("avertissement d'Alembic")
    logging.getLogger("handover.persistence.db").info("Base de données : SQLite")
    flush()
    text = files.log_file.read_text(encoding="utf-8")
    terminal = capsys.readouterr().err
    for seen in (text, terminal):
        assert "Running upgrade" not in seen and "BEGIN (implicit)" not in seen
        assert "avertissement d'Alembic" in seen and "Base de données : SQLite" in seen


def test_level_from_the_configuration(log_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = log_dir.parent / "config.toml"
    config_file.write_text(f'[log]\nlevel = "WARNING"\ndir = "{log_dir}"\n', encoding="utf-8")
    monkeypatch.setenv("HANDOVER_CONFIG", str(config_file))
    monkeypatch.delenv("HANDOVER_LOG_DIR")
    files = logs.setup(logs.CLI, load_config(), console=False)
    assert files is not None and files.folder == log_dir
    logging.getLogger("handover.test").info("pas au niveau")
    logging.getLogger("handover.test").warning("au niveau")
    flush()
    text = files.log_file.read_text(encoding="utf-8")
    assert "au niveau" in text and "pas au niveau" not in text


def test_an_unwritable_folder_leaves_the_program_running(log_dir: Path) -> None:
    log_dir.parent.mkdir(parents=True, exist_ok=True)
    log_dir.write_text("un fichier, pas un dossier", encoding="utf-8")
    assert logs.setup(logs.CLI, configured(log_dir), console=False) is None
    assert (
        logs.with_log_path("Erreur.") == "Erreur. Détail dans le journal : journal de l'application"
    )


def test_crash_file_left_to_whoever_enabled_faulthandler_first(log_dir: Path) -> None:
    """Under pytest (or ``python -X faulthandler``) the crash file is not taken over."""
    assert faulthandler.is_enabled()
    files = logs.setup(logs.CLI, configured(log_dir), console=False)
    assert files is not None and not files.crash_file.exists()


def test_uncaught_exceptions_are_logged_and_told(log_dir: Path) -> None:
    files = logs.setup(logs.COUNTER, configured(log_dir), console=False)
    assert files is not None
    told: list[str] = []
    saved = (logs.sys.excepthook, threading.excepthook)
    logs.install_excepthooks(told.append)
    try:

        def work() -> None:
            raise RuntimeError(f"titre {NUMERO_ETRANGER} introuvable")

        thread = threading.Thread(target=work, name="import")
        thread.start()
        thread.join()
        try:
            raise ValueError(f"référence {REFERENCE}")
        except ValueError as error:
            logs.sys.excepthook(ValueError, error, error.__traceback__)
    finally:
        logs.sys.excepthook, threading.excepthook = saved
    flush()
    text = files.log_file.read_text(encoding="utf-8")
    assert "Exception non rattrapée (import)" in text and "RuntimeError: titre" in text
    assert "ValueError: référence [référence masquée]" in text
    assert NUMERO_ETRANGER not in text and REFERENCE not in text
    assert len(told) == 2
    assert all(m.startswith("Erreur inattendue") and str(files.log_file) in m for m in told)


def test_tail_masks_older_lines(tmp_path: Path) -> None:
    old = tmp_path / "ancien.log"
    old.write_text("".join(f"ligne {i} {STAMP}\n" for i in range(50)), encoding="utf-8")
    assert logs.tail(old, 2) == ["ligne 48 [numéro masqué]", "ligne 49 [numéro masqué]"]
    assert logs.tail(tmp_path / "absent.log", 5) == []
