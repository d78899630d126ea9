"""The scanner test screen says what a scan delivered, key by key, and how it reads."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.keyboard import Keyboard
from ui.dialogs.scanner_test import ScannerTestDialog


def test_a_us_set_scan_on_an_azerty_pc_shows_what_came_and_the_repair(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = ScannerTestDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    keyboard = Keyboard(dialog.field)
    dialog.field._clock = keyboard.clock
    keyboard.scanner_burst("0013748911")
    keyboard.enter()
    report = dialog.report.toPlainText()
    assert "Reçu : « àà&\"è'_ç&& » (10 caractères)" in report
    assert "scan (rafale)" in report
    assert "Codes de touche : 0B 0B 02 04" in report
    assert "Numéro étranger (valide)" in report
    assert "Correction" in report
    dialog.grab().save(str(tmp_path / "scanner_test.png"))
