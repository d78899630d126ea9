"""A printer out of paper never undoes a handover: the screen says so and offers a reprint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.persistence.models import AuditEntry, Handover
from handover.receipts.errors import PrinterOutOfPaperError
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    focused,
    handover_count,
    log_in,
    press,
    ready_permit,
    seeded_template_fixture,
)

FIXTURES = (counter_fixture, seeded_template_fixture)


def test_out_of_paper_keeps_the_handover_and_the_reprint_works(
    counter: Counter, qtbot, monkeypatch
) -> None:
    from tests.ui.test_counter_flow import complete_handover
    from ui.dialogs.today_dialog import TodayDialog

    window = counter.window
    log_in(counter)
    permit = ready_permit(counter.engine)
    before = handover_count(counter.engine)
    counter.printer.fail_with = PrinterOutOfPaperError()
    with qtbot.waitSignal(counter.presenter.receipt_failed) as failed:
        complete_handover(counter, qtbot, permit)
    record = failed.args[0]

    # Committed whole, whatever the printer said.
    assert handover_count(counter.engine) == before + 1
    with counter.engine.connect() as connection:
        row = connection.execute(
            select(Handover.id).where(Handover.permit_id == permit.permit_id)
        ).scalar_one()
    assert row == record.handover_id
    assert counter.printer.jobs == []
    notice = window.notice.text()
    assert "NON IMPRIMÉ" in notice and record.handover_number in notice
    assert "réimprimez" in notice.lower()
    assert focused() is window.scan_field

    # Paper is back: the agent reprints from today's list (F9); the reprint is audited.
    counter.printer.fail_with = None

    def show_for(cls, parent, records, *, reprint, timezone="Europe/Paris") -> None:
        dialog = cls(parent, records, reprint=reprint, timezone=timezone)
        dialog.table.selectRow(0)
        dialog.reprint_button.click()

    monkeypatch.setattr(TodayDialog, "show_for", classmethod(show_for))
    press(focused(), Qt.Key.Key_F9, counter.keys)
    assert len(counter.printer.jobs) == 1
    assert counter.printer.jobs[0].job_name.startswith("duplicata")
    with counter.engine.connect() as connection:
        actions = connection.execute(select(AuditEntry.action)).scalars().all()
    assert "receipt.reprint" in actions
