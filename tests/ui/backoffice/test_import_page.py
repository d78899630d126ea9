"""The import screen, driven as an administrator would: choose a file, tick, run, read."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from handover.backoffice import imports
from handover.domain.values import Role
from handover.persistence.models import PermitState
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.delivery import row, write
from tests.ui.backoffice.fixtures import Bed, bed_fixture, count_permits
from ui.backoffice import import_page
from ui.backoffice.import_page import ImportPage

__all__ = ["bed_fixture"]

ESC = "\x1b[1;31mROUGE"


@pytest.fixture(name="page")
def page_fixture(qtbot, bed: Bed) -> ImportPage:
    page = ImportPage(bed.engine, bed.config, agent=bed.agents[Role.SUPERVISOR], clock=bed.clock)
    qtbot.addWidget(page)
    page.show()
    yield page
    page.pool.waitForDone()


def choose(page: ImportPage, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImportPage, "ask_path", classmethod(lambda cls, parent: path))
    QTest.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)


def run(qtbot, page: ImportPage, signal: str = "import_finished") -> object:
    with qtbot.waitSignal(getattr(page, signal), timeout=20000) as blocker:
        QTest.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_valid_file_is_imported_off_the_ui_thread(qtbot, page, bed, tmp_path, monkeypatch):
    path = write(tmp_path / "livraison.csv", [row(i) for i in range(1, 8)])
    threads: list[threading.Thread] = []
    real = imports.import_permits

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_page, "import_permits", spy)
    seen: list[tuple[str, int, int]] = []
    page.import_progressed.connect(lambda *a: seen.append(a))
    assert not page.run_button.isEnabled()  # nothing chosen yet
    choose(page, path, monkeypatch)
    assert page.path_field.text() == str(path)

    report = run(qtbot, page)

    assert threads and threads[0] is not threading.main_thread()
    assert count_permits(bed.engine, PermitState.RECEIVED) == 7
    assert report.committed and report.imported == 7
    assert ("vérification", 7, 7) in seen and ("enregistrement", 7, 7) in seen
    assert not page.status.is_problem
    assert "Import enregistré : 7 titre(s)" in page.status.text()
    assert page.counts["imported"].text() == "7"
    assert page.rejected_table.isHidden()
    assert page.run_button.isEnabled()


def test_refused_file_leaves_the_database_unchanged(qtbot, page, bed, tmp_path, monkeypatch):
    write(tmp_path / "avant.csv", [row(i) for i in range(1, 4)])
    imports.import_permits(
        bed.engine, bed.config, tmp_path / "avant.csv", actor=bed.agents[Role.SUPERVISOR]
    )
    before = snapshot(bed.engine)
    rows = [row(i) for i in range(10, 15)]
    rows[2] = row(12, date_naissance="31/02/1990")  # line 4 of the file
    choose(page, write(tmp_path / "mauvais.csv", rows), monkeypatch)

    report = run(qtbot, page)

    assert report.refused
    assert snapshot(bed.engine) == before
    assert page.status.is_problem and "REFUSÉ" in page.status.text()
    table = page.rejected_table
    assert not table.isHidden() and table.rowCount() == 1
    assert table.item(0, 0).text() == "4"
    assert "31/02/1990" in table.item(0, 1).text()
    assert table.item(0, 2).text() == "IR000000012"


def test_valid_only_imports_the_good_rows_and_lists_the_bad(
    qtbot, page, bed, tmp_path, monkeypatch
):
    rows = [row(i) for i in range(1, 6)]
    rows[0] = row(1, nationalite="Algérie")
    choose(page, write(tmp_path / "l.csv", rows), monkeypatch)
    QTest.mouseClick(page.valid_only_box, Qt.MouseButton.LeftButton)
    assert page.valid_only_box.isChecked()

    run(qtbot, page)

    assert count_permits(bed.engine) == 4
    assert page.counts["rejected"].text() == "1"
    assert page.rejected_table.item(0, 0).text() == "2"
    assert "nationalité" in page.rejected_table.item(0, 1).text()


def test_simulation_changes_nothing(qtbot, page, bed, tmp_path, monkeypatch):
    before = snapshot(bed.engine)
    choose(page, write(tmp_path / "l.csv", [row(i) for i in range(1, 6)]), monkeypatch)
    QTest.mouseClick(page.dry_run_box, Qt.MouseButton.LeftButton)

    report = run(qtbot, page)

    assert report.dry_run and not report.committed
    assert snapshot(bed.engine) == before
    assert "Simulation : 5 titre(s) seraient importés" in page.status.text()
    assert "n'a pas été modifiée" in page.status.text()


def test_unreadable_file_says_why(qtbot, page, bed, tmp_path, monkeypatch):
    path = tmp_path / "vide.csv"
    path.write_text("bonjour\n", encoding="utf-8")
    before = snapshot(bed.engine)
    choose(page, path, monkeypatch)

    message = run(qtbot, page, "import_failed")

    assert "séparateur" in message
    assert page.status.is_problem and "rien n'a été importé" in page.status.text()
    assert snapshot(bed.engine) == before
    assert page.run_button.isEnabled()


def test_mixed_encoding_shows_the_line_on_screen_not_in_the_log(
    qtbot, page, bed, tmp_path, monkeypatch, caplog
):
    path = write(tmp_path / "livraison.csv", [row(1), row(2, nom="NAME2"), row(3, prenoms=ESC)])
    path.write_bytes(path.read_bytes().replace(b"NAME2", "Benali-Hélène".encode("cp1252")))
    before = snapshot(bed.engine)
    choose(page, path, monkeypatch)
    caplog.set_level(logging.DEBUG)

    message = run(qtbot, page, "import_failed")

    assert "l'octet 0xE9 ligne 3" in message
    assert "ligne 3 : Benali-H\\xe9l\\xe8ne;" in page.status.text()  # on screen
    assert "Benali-H" not in caplog.text
    assert snapshot(bed.engine) == before
    page.resize(1000, 560)
    page.grab().save(str(tmp_path / "import-mixed.png"))


def test_control_characters_are_shown_escaped_in_the_rejected_rows(
    qtbot, page, bed, tmp_path, monkeypatch
):
    path = write(tmp_path / "livraison.csv", [row(1), row(2, prenoms=ESC)])
    choose(page, path, monkeypatch)

    report = run(qtbot, page)

    assert report.refused
    reasons = page.rejected_table.item(0, 1).text()
    assert "U+001B refusé : « \\x1b[1;31mROUGE »" in reasons and "\x1b" not in reasons
    assert page.rejected_table.item(0, 2).text() == "IR000000002"
    page.resize(1000, 560)
    page.grab().save(str(tmp_path / "import-control.png"))
