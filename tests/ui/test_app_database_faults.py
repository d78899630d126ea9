"""The counter's start on a missing or damaged database: a French message, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import ui.app


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(
        ui.app.QMessageBox, "critical", lambda _parent, _title, text: messages.append(text)
    )
    return messages


def test_a_missing_database_is_refused_with_its_path_and_the_command(
    qapp: object, shown: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "handover.sqlite3"
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    assert ui.app.main(["--seed-demo"]) == 2
    assert len(shown) == 1
    assert str(path) in shown[0] and "handover db upgrade" in shown[0]
    assert not path.exists()  # never an empty database in its place


def test_a_damaged_database_is_refused_in_french(
    qapp: object, shown: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "handover.sqlite3"
    path.write_bytes(b"\x00garbage, not SQLite" * 512)
    monkeypatch.setenv("HANDOVER_DB_URL", f"sqlite:///{path}")
    assert ui.app.main([]) == 2
    assert len(shown) == 1 and "endommagée" in shown[0] and "handover restore" in shown[0]
