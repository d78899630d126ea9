"""The counter's log after a morning's work holds no personal data, and errors name it.

The agent scans an SMS reference and the holder's passport, then a permit whose row is
corrupted breaks the verdict: the screen names the log file, the log has the traceback,
and none of the holder's identifiers, name or phone number appears in it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select, text

from handover import logs
from handover.config import Config, LogConfig
from handover.persistence.models import Permit
from handover.scanning.reference import format_reference
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    focused,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
)
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    config = dataclasses.replace(Config(), log=LogConfig(level="DEBUG", dir=str(tmp_path / "log")))
    files = logs.setup(logs.COUNTER, config, console=False)
    assert files is not None
    yield files.log_file
    logs.reset()


def personal_values(counter: Counter, permit_id: int) -> list[str]:
    with counter.engine.connect() as connection:
        row = connection.execute(select(Permit).where(Permit.id == permit_id)).one()
    values = [
        row.handover_reference,
        format_reference(row.handover_reference),
        row.numero_etranger,
        row.anef_request_number,
        row.card_number,
        row.surname,
        row.given_names,
        row.phone,
    ]
    return [v for v in values if v]


def test_counter_log_names_no_holder(counter: Counter, qtbot, log_file: Path) -> None:
    window = counter.window
    log_in(counter)
    permit = ready_permit(counter.engine)
    scan(window.scan_field, format_reference(permit.reference), counter.keys)
    assert window.wizard.step == Step.IDENTITY
    scan(
        focused(),
        passport_mrz(permit.surname, permit.given_names, permit.birth_date),
        counter.keys,
    )
    assert window.wizard.step == Step.STAMPS, window.wizard.problem.text()
    press(focused(), Qt.Key.Key_Escape, counter.keys)  # the holder has no stamps: nothing kept
    personal = personal_values(counter, permit.permit_id)

    with counter.engine.begin() as connection:  # a botched manual correction of the row
        connection.execute(
            text("UPDATE permits SET birth_date = 'n° ' || numero_etranger WHERE id = :id"),
            {"id": permit.permit_id},
        )
    with qtbot.waitSignal(counter.presenter.scan_failed) as failed:
        scan(window.scan_field, format_reference(permit.reference), counter.keys)

    message = failed.args[0]
    assert message.startswith("Erreur inattendue")
    assert message.endswith(f"Détail dans le journal : {log_file}")
    assert str(log_file) in window.verdict_panel.details
    for handler in logging.getLogger().handlers:
        handler.flush()
    log = log_file.read_text(encoding="utf-8")
    assert "scan check failed" in log and "Traceback" in log and "ValueError" in log
    assert len(personal) >= 6
    for value in personal:
        assert value not in log, value
    assert "<<" not in log  # no MRZ line either
