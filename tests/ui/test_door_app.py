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

    assert ui.door.app.main(["--demo"]) == 0  # the template is the demonstration's data
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


def test_demonstration_and_production_never_mix_at_the_door(
    qapp, tmp_path: Path, queue_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_database(queue_template, tmp_path)
    monkeypatch.setenv("HANDOVER_CONFIG", str(write_config(tmp_path, tmp_path / "queue.sqlite3")))
    messages: list[str] = []
    monkeypatch.setattr(
        ui.door.app.QMessageBox, "critical", lambda _p, _t, text: messages.append(text)
    )

    assert ui.door.app.main([]) == 2  # the production door on the demonstration's data
    assert "base de démonstration" in messages[-1]


def test_the_demonstration_door_says_to_fill_an_empty_database(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handover.cli import main as handover

    database = tmp_path / "vide.sqlite3"
    monkeypatch.setenv("HANDOVER_CONFIG", str(write_config(tmp_path, database)))
    assert handover(["db", "upgrade"]) == 0
    messages: list[str] = []
    monkeypatch.setattr(
        ui.door.app.QMessageBox, "critical", lambda _p, _t, text: messages.append(text)
    )

    assert ui.door.app.main(["--demo"]) == 2
    assert "est vide" in messages[-1] and "make run" in messages[-1]
