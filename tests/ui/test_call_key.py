"""The desk's call key: F8 calls the next ticket and opens its permit; Ctrl+F8 says absent;
Shift+F8 calls one ticket out of turn with a reason; the desk beats while logged in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.persistence.models import Desk as DeskRow
from handover.persistence.models import DeskHeartbeat, QueueCall, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.queue.values import TicketStatus
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    press,
    seeded_template_fixture,
    settle,
)
from tests.ui.queue_fixtures import Desk, desk_fixture, queue_template_fixture
from ui.dialogs.call_number_dialog import CallNumberDialog

__all__ = [
    "counter_fixture",
    "desk_fixture",
    "queue_template_fixture",
    "seeded_template_fixture",
]


def log_in(desk: Desk, username: str = "agent1") -> None:
    page = desk.window.login_page
    page.username.setText(username)
    page.password.setText(desk.passwords[username])
    press(page.password, Qt.Key.Key_Return, desk.keys)


def key(desk: Desk, which: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(desk.window.focusWidget() or desk.window, which, modifier)
    desk.keys.pause()
    settle()


def calls(desk: Desk) -> list[tuple[int, str, str | None, str | None]]:
    """(ticket number, desk, outcome, out-of-order reason) of every call, in order."""
    with UnitOfWork(desk.engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(
                QueueTicket.number, DeskRow.name, QueueCall.outcome, QueueCall.out_of_order_reason
            )
            .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
            .join(DeskRow, DeskRow.id == QueueCall.desk_id)
            .order_by(QueueCall.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def status_of(desk: Desk, number: int) -> str:
    with UnitOfWork(desk.engine, read_only=True) as uow:
        return str(
            uow.session.execute(
                select(QueueTicket.status).where(QueueTicket.number == number)
            ).scalar_one()
        )


def test_f8_calls_the_next_ticket_and_opens_its_permit(desk: Desk) -> None:
    first, _second = desk.issue(2)
    log_in(desk)

    key(desk, Qt.Key.Key_F8)

    assert calls(desk) == [(1, "Guichet 2", None, None)]
    assert status_of(desk, 1) == TicketStatus.OPENED
    assert desk.presenter.verdict is not None
    assert desk.presenter.verdict.permit is not None
    assert desk.presenter.verdict.permit.permit_id == first.id
    assert desk.window.in_handover  # the identity step: the holder is still checked
    assert "Ticket 001 appelé" in desk.window.verdict_panel.details  # in view
    assert desk.window.no_show_button.isVisibleTo(desk.window)


def test_f8_during_a_handover_calls_nobody_else(desk: Desk) -> None:
    desk.issue(2)
    log_in(desk)
    key(desk, Qt.Key.Key_F8)

    key(desk, Qt.Key.Key_F8)

    assert [number for number, *_ in calls(desk)] == [1]
    assert "Terminez ou annulez la remise en cours" in desk.window.notice.text()


def test_f8_with_nobody_waiting_says_so(desk: Desk) -> None:
    log_in(desk)

    key(desk, Qt.Key.Key_F8)

    assert calls(desk) == []
    assert desk.window.verdict_panel.headline == "Personne n'attend"
    assert desk.window.scan_field.hasFocus()


def test_f7_absent_is_refused_too_early_then_marks_the_no_show(desk: Desk) -> None:
    desk.issue(1)
    log_in(desk)
    key(desk, Qt.Key.Key_F8)

    key(desk, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    assert "attendez encore" in desk.window.notice.text()
    assert status_of(desk, 1) == TicketStatus.OPENED

    desk.clock.advance(timedelta(seconds=desk.config.queue.no_show_after_s + 1))
    key(desk, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)

    assert status_of(desk, 1) == TicketStatus.NO_SHOW
    assert desk.window.verdict_panel.headline == "Absent"
    assert not desk.window.in_handover
    assert desk.presenter.current_call is None


def test_shift_f8_calls_a_given_ticket_with_its_reason(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.issue(3)
    monkeypatch.setattr(CallNumberDialog, "ask", lambda _parent: (3, "revenu après un appel"))
    log_in(desk)

    key(desk, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)

    assert calls(desk) == [(3, "Guichet 2", None, "revenu après un appel")]
    assert "Ticket 003 appelé" in desk.window.verdict_panel.details


def test_the_logged_in_desk_beats_and_counts_as_active(desk: Desk) -> None:
    log_in(desk)

    with UnitOfWork(desk.engine, read_only=True) as uow:
        beats = uow.session.execute(
            select(DeskRow.name).join(DeskHeartbeat, DeskHeartbeat.desk_id == DeskRow.id)
        ).all()
    assert [row[0] for row in beats] == ["Guichet 2"]
    assert "Guichet 2" in desk.door.status().active_desks
    timer = desk.presenter._heartbeat_timer
    assert timer is not None and timer.isActive()


def test_a_desk_without_the_queue_has_no_call_key(counter: Counter) -> None:
    assert counter.presenter.queue is None
    assert not hasattr(counter.window, "call_button")
