"""``handover-display`` as started on the waiting-room PC: configuration, database, window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import ui.display.app
from tests.ui.queue_fixtures import copy_database, queue_template_fixture, write_config
from ui.display.window import CallDisplay

__all__ = ["queue_template_fixture"]


def test_the_display_starts_on_the_configured_database_and_stops_its_feed(
    qapp, tmp_path: Path, queue_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_database(queue_template, tmp_path)
    config = write_config(tmp_path, tmp_path / "queue.sqlite3")
    monkeypatch.setenv("HANDOVER_CONFIG", str(config))
    seen: list[CallDisplay] = []

    def run_loop() -> int:
        displays = [w for w in QApplication.topLevelWidgets() if isinstance(w, CallDisplay)]
        seen.extend(d for d in displays if d.isVisible())
        for display in seen:
            display.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(run_loop))

    assert ui.display.app.main(["--fenetre", "--sans-carillon"]) == 0
    assert len(seen) == 1
    assert not seen[0].chime_enabled
    assert seen[0]._thread is None  # the feed's thread was stopped with the window


def test_a_missing_database_is_said_in_french(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path, tmp_path / "absente.sqlite3")
    monkeypatch.setenv("HANDOVER_CONFIG", str(config))
    messages: list[str] = []
    monkeypatch.setattr(
        ui.display.app.QMessageBox, "critical", lambda _p, _t, text: messages.append(text)
    )

    assert ui.display.app.main(["--fenetre"]) == 2
    assert len(messages) == 1 and "handover db upgrade" in messages[0]
