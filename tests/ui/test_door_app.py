"""``handover-door`` as started on the door's laptop: configuration, database, login page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import ui.door.app
from tests.ui.queue_fixtures import copy_database, queue_template_fixture, write_config
from ui.door.window import DoorWindow

__all__ = ["queue_template_fixture"]


def test_the_door_opens_on_its_login_page(
    qapp, tmp_path: Path, queue_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_database(queue_template, tmp_path)
    monkeypatch.setenv("HANDOVER_CONFIG", str(write_config(tmp_path, tmp_path / "queue.sqlite3")))
    seen: list[DoorWindow] = []

    def run_loop() -> int:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, DoorWindow) and window.isVisible():
                seen.append(window)
                window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(run_loop))

    assert ui.door.app.main([]) == 0
    assert len(seen) == 1
    assert seen[0].stack.currentWidget() is seen[0].login_page
    assert seen[0].login_page.title.text() == "Accueil — tickets de la file d'attente"


def test_a_missing_database_is_said_in_french(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOVER_CONFIG", str(write_config(tmp_path, tmp_path / "absente.sqlite3")))
    messages: list[str] = []
    monkeypatch.setattr(
        ui.door.app.QMessageBox, "critical", lambda _p, _t, text: messages.append(text)
    )

    assert ui.door.app.main([]) == 2
    assert len(messages) == 1 and "handover db upgrade" in messages[0]
