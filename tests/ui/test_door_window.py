"""The door's window as the agent d'accueil uses it: log in, scan, read the outcome."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from handover.persistence.models import PermitState, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.queue.values import TicketStatus
from handover.receipts.errors import PrinterOutOfPaperError
from tests.handover.receipts.pdf_reading import page_texts
from tests.ui.counter_fixtures import press, scan, settle
from tests.ui.queue_fixtures import (
    NEAR_CLOSING,
    Door,
    build_door_for_test,
    door_fixture,
    permits_in,
    queue_template_fixture,
    shown_door,
    sms,
)
from ui.dialogs.supervisor_dialog import SupervisorAnswer, SupervisorDialog
from ui.door.dialogs import ExtraTicketsDialog, PriorityDialog, VisualCheckDialog

__all__ = ["door_fixture", "queue_template_fixture"]


def log_in(door: Door, username: str = "accueil1") -> None:
    page = door.window.login_page
    page.username.setText(username)
    page.password.setText(door.passwords[username])
    press(page.password, Qt.Key.Key_Return, door.keys)
    settle()


def door_scan(door: Door, text: str) -> None:
    scan(door.window.scan_field, text, door.keys)
    settle()  # the ticket's printing follows the issue on the same worker


def printed(door: Door) -> list[str]:
    return [" ".join(page_texts(job.pdf)[0].split()) for job in door.printer.jobs]


def tickets(door: Door) -> list[tuple[int, int, str, str | None, int]]:
    with UnitOfWork(door.engine, read_only=True) as uow:
        rows = uow.session.execute(
            select(
                QueueTicket.number,
                QueueTicket.permit_id,
                QueueTicket.status,
                QueueTicket.priority,
                QueueTicket.reprints,
            ).order_by(QueueTicket.number)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_ready_permit_gets_ticket_one_printed_with_the_figures(door: Door) -> None:
    log_in(door)
    assert door.window.stack.currentWidget() is door.window.door_page
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]

    door_scan(door, sms(permit))

    assert door.window.panel.headline == "TICKET 001"
    assert "À préparer" in door.window.panel.details
    assert tickets(door) == [(1, permit.id, TicketStatus.WAITING, None, 0)]
    assert len(printed(door)) == 1 and "001" in printed(door)[0]
    assert door.window.issued.value.text() == "1"
    assert door.window.waiting.value.text() == "1"
    assert door.window.scan_field.hasFocus()
    assert door.window.scan_field.text() == ""


def test_a_second_scan_reprints_the_same_number_and_f5_too(door: Door) -> None:
    log_in(door)
    first, second = permits_in(door.engine, PermitState.NOTIFIED, 2)
    door_scan(door, sms(first))
    door_scan(door, sms(second))

    door_scan(door, sms(first))
    assert door.window.panel.headline == "RÉIMPRESSION — TICKET 001"
    press(door.window.scan_field, Qt.Key.Key_F5, door.keys)
    settle()

    assert [row[:2] for row in tickets(door)] == [(1, first.id), (2, second.id)]
    assert tickets(door)[0][4] == 2  # both reprints recorded by the core
    texts = printed(door)
    assert len(texts) == 4
    assert "RÉIMPRESSION" not in texts[0]
    assert "RÉIMPRESSION" in texts[2] and "001" in texts[2]
    assert "RÉIMPRESSION" in texts[3] and "001" in texts[3]


def test_a_handed_over_permit_gets_no_ticket_and_no_paper(door: Door) -> None:
    log_in(door)
    done = permits_in(door.engine, PermitState.HANDED_OVER)[0]

    door_scan(door, sms(done))

    assert door.window.panel.headline == "PAS DE TICKET"
    assert "la personne n'attend pas" in door.window.panel.details
    assert tickets(door) == []
    assert door.printer.jobs == []


def test_f5_without_a_ticket_prints_nothing_and_says_why(door: Door) -> None:
    log_in(door)
    press(door.window.scan_field, Qt.Key.Key_F5, door.keys)

    assert door.printer.jobs == []
    assert "Aucun ticket à réimprimer" in door.window.print_notice.text()


@pytest.mark.parametrize("confirmed", [True, False])
def test_a_typed_numero_etranger_needs_the_visual_check(
    door: Door, monkeypatch: pytest.MonkeyPatch, confirmed: bool
) -> None:
    asked: list[str] = []

    def ask(_parent: object, typed: str, _reason: str) -> bool:
        asked.append(typed)
        return confirmed

    monkeypatch.setattr(VisualCheckDialog, "ask", ask)
    log_in(door)
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]
    assert permit.numero_etranger

    door_scan(door, permit.numero_etranger)

    assert asked == [permit.numero_etranger]
    if confirmed:
        assert door.window.panel.headline == "TICKET 001"
        assert [row[:2] for row in tickets(door)] == [(1, permit.id)]
    else:
        assert door.window.panel.headline.startswith("PAS DE TICKET")
        assert tickets(door) == []
        assert door.printer.jobs == []


def test_f3_marks_the_next_ticket_priority(door: Door, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PriorityDialog, "ask", lambda _parent, reasons, _current: "handicap")
    log_in(door)
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]

    press(door.window.scan_field, Qt.Key.Key_F3, door.keys)
    assert door.window.priority_strip.isVisibleTo(door.window)
    door_scan(door, sms(permit))

    assert tickets(door)[0][3] == "handicap"
    assert "PRIORITAIRE" in printed(door)[0]
    assert "Prioritaire : Handicap" in door.window.panel.details
    assert not door.window.priority_strip.isVisibleTo(door.window)  # for one ticket only


def test_priority_dialog_picks_by_digit(qtbot) -> None:
    dialog = PriorityDialog(None, {"handicap": "Handicap", "grossesse": "Grossesse"}, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.choices, Qt.Key.Key_2)
    assert dialog.result() == PriorityDialog.DialogCode.Accepted
    assert dialog.chosen == "grossesse"


@pytest.fixture(name="late_door")
def late_door_fixture(qtbot, tmp_path: Path, queue_template) -> Iterator[Door]:
    """Three minutes before closing, one expected desk: the cut-off is reached at once."""
    built = build_door_for_test(tmp_path, queue_template, at=NEAR_CLOSING, expected_desks=1)
    yield from shown_door(qtbot, built)


def test_cutoff_tells_the_next_opening_then_a_supervisor_raises_the_limit(
    late_door: Door, monkeypatch: pytest.MonkeyPatch
) -> None:
    door = late_door
    log_in(door)
    first, second = permits_in(door.engine, PermitState.NOTIFIED, 2)
    assert "LIMITE ATTEINTE" in door.window.cutoff.text()

    door_scan(door, sms(first))
    assert door.window.panel.headline == "PAS DE TICKET"
    assert "mercredi 25/11 à 9 h 00" in door.window.panel.details  # to tell the holder
    assert tickets(door) == []

    answers: list[object] = []

    def supervisor(_parent: object, *, title: str, explanation: str, grant, minutes=None):
        result = grant(SupervisorAnswer("chef", door.passwords["chef"], "file déjà dehors", 0))
        answers.append(result)
        return result

    monkeypatch.setattr(ExtraTicketsDialog, "ask", lambda _parent: 2)
    monkeypatch.setattr(SupervisorDialog, "ask", supervisor)
    press(door.window.scan_field, Qt.Key.Key_F4, door.keys)
    assert "Limite relevée de 2" in door.window.print_notice.text()

    door_scan(door, sms(first))
    door_scan(door, sms(second))

    assert door.window.panel.headline == "TICKET 002"
    assert [row[:2] for row in tickets(door)] == [(1, first.id), (2, second.id)]


def test_an_agent_cannot_raise_the_limit(late_door: Door, monkeypatch: pytest.MonkeyPatch) -> None:
    door = late_door
    log_in(door)
    refused: list[str] = []

    def not_a_supervisor(_parent: object, *, title: str, explanation: str, grant, minutes=None):
        try:
            grant(SupervisorAnswer("agent1", door.passwords["agent1"], "pour voir", 0))
        except Exception as error:
            refused.append(str(error))
        return

    monkeypatch.setattr(ExtraTicketsDialog, "ask", lambda _parent: 5)
    monkeypatch.setattr(SupervisorDialog, "ask", not_a_supervisor)
    press(door.window.scan_field, Qt.Key.Key_F4, door.keys)

    assert len(refused) == 1 and "chef d'accueil" in refused[0]
    door_scan(door, sms(permits_in(door.engine, PermitState.NOTIFIED)[0]))
    assert tickets(door) == []


def test_out_of_paper_keeps_the_number_and_f5_reprints_it(door: Door) -> None:
    log_in(door)
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]
    door.printer.fail_with = PrinterOutOfPaperError()

    door_scan(door, sms(permit))

    assert door.window.panel.headline == "TICKET 001"
    notice = door.window.print_notice.text()
    assert "plus de papier" in notice and "F5" in notice
    assert door.printer.jobs == []

    door.printer.fail_with = None
    press(door.window.scan_field, Qt.Key.Key_F5, door.keys)
    settle()

    assert [row[:2] for row in tickets(door)] == [(1, permit.id)]
    assert len(printed(door)) == 1 and "001" in printed(door)[0]


@pytest.fixture(name="impatient_door")
def impatient_door_fixture(qtbot, tmp_path: Path, queue_template) -> Iterator[Door]:
    yield from shown_door(qtbot, build_door_for_test(tmp_path, queue_template, busy_timeout_ms=200))


def test_database_lost_says_so_and_issues_nothing_half(impatient_door: Door) -> None:
    door = impatient_door
    log_in(door)
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]
    blocker = sqlite3.connect(door.config.database_url.removeprefix("sqlite:///"))
    try:
        blocker.execute("BEGIN EXCLUSIVE")  # another program holds the whole database
        door_scan(door, sms(permit))
        assert door.window.panel.headline == "ERREUR — aucun ticket délivré"
        assert "rescannez la même référence" in door.window.panel.details
        assert door.printer.jobs == []
    finally:
        blocker.rollback()
        blocker.close()
    with UnitOfWork(door.engine, read_only=True) as uow:
        assert uow.session.execute(select(func.count(QueueTicket.id))).scalar_one() == 0

    door_scan(door, sms(permit))  # the connection is back: the first number, whole

    assert door.window.panel.headline == "TICKET 001"
    assert [row[:2] for row in tickets(door)] == [(1, permit.id)]


def test_the_demo_s_door_account_opens_the_door(door: Door) -> None:
    """``handover demo`` seeds « accueil », agent d'accueil, with the other demo accounts."""
    log_in(door, "accueil")

    assert door.window.stack.currentWidget() is door.window.door_page
    door_scan(door, sms(permits_in(door.engine, PermitState.NOTIFIED)[0]))
    assert door.window.panel.headline == "TICKET 001"


def test_a_wrong_password_keeps_the_login_page(door: Door) -> None:
    page = door.window.login_page
    page.username.setText("accueil1")
    page.password.setText("pas le bon mot de passe")
    press(page.password, Qt.Key.Key_Return, door.keys)

    assert door.window.stack.currentWidget() is page
    assert page.problem.isVisibleTo(door.window)


def test_ctrl_l_locks_and_a_scan_on_the_lock_page_issues_nothing(door: Door) -> None:
    log_in(door)
    permit = permits_in(door.engine, PermitState.NOTIFIED)[0]
    QTest.keyClick(door.window.scan_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert door.window.stack.currentWidget() is door.window.lock_page

    scan(door.window.lock_page.password, sms(permit), door.keys)

    assert tickets(door) == []
    assert door.printer.jobs == []
    assert "Un scan est arrivé pendant le verrouillage" in door.window.lock_page.problem.text()
