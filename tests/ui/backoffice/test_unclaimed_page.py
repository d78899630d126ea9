"""Unclaimed permits: the list, the return after a confirmation, the SMS files."""

from __future__ import annotations

import csv
import random
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from handover.domain.values import Role
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import generate_reference
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.handovers import add_permit
from tests.ui.backoffice.fixtures import NOW, Bed, bed_fixture, count_permits
from ui.backoffice.unclaimed_page import UnclaimedPage

__all__ = ["bed_fixture"]


@pytest.fixture(name="page")
def page_fixture(qtbot, bed: Bed):
    # Notified 100, 40 and 5 days ago; the configuration says remind at 30, return at 90.
    for card, days in (("OLD100", 100), ("MID040", 40), ("NEW005", 5)):
        add_permit(
            bed.engine, card, state=PermitState.NOTIFIED, notified_at=NOW - timedelta(days=days)
        )
    rng = random.Random(5)
    with UnitOfWork(bed.engine) as uow:
        for permit in uow.session.execute(select(Permit)).scalars():
            permit.storage_slot = "C-07"
            permit.handover_reference = generate_reference(rng).code
        uow.commit()
    page = UnclaimedPage(bed.engine, bed.config, agent=bed.agents[Role.SUPERVISOR], clock=bed.clock)
    qtbot.addWidget(page)
    page.show()
    return page


def cards_in_table(page: UnclaimedPage) -> list[str]:
    return [page.table.item(i, 1).text() for i in range(page.table.rowCount())]


def test_list_by_days_waiting(page):
    assert page.days_box.value() == 30
    QTest.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert cards_in_table(page) == ["OLD100", "MID040"]
    # Past the 90-day return delay: said in words, not by the bold type alone.
    assert page.table.item(0, 6).text() == "100 j — à renvoyer"
    assert page.table.item(1, 6).text() == "40 j"
    assert page.count_label.text() == "2 titre(s)"
    page.days_box.setValue(0)
    QTest.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert cards_in_table(page) == ["OLD100", "MID040", "NEW005"]


def test_return_asks_first_and_a_no_changes_nothing(page, bed, monkeypatch):
    asked: list[str] = []

    def say_no(cls, parent, text):
        asked.append(text)
        return False

    monkeypatch.setattr(UnclaimedPage, "confirm", classmethod(say_no))
    before = snapshot(bed.engine)
    QTest.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "1 titre(s) non réclamé(s) depuis 90 jours" in asked[0] and "C-07" in asked[0]
    assert snapshot(bed.engine) == before
    assert "annulé" in page.status.text()


def test_return_after_yes(qtbot, page, bed, monkeypatch):
    monkeypatch.setattr(UnclaimedPage, "confirm", classmethod(lambda cls, parent, text: True))
    with qtbot.waitSignal(page.permits_returned) as blocker:
        QTest.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    with UnitOfWork(bed.engine, read_only=True) as uow:
        returned = uow.session.execute(
            select(Permit.card_number).where(Permit.state == PermitState.RETURNED)
        ).scalars()
        assert list(returned) == ["OLD100"]
    assert cards_in_table(page) == ["MID040"]  # the list was refreshed
    assert "1 titre(s) marqué(s) « renvoyés »" in page.status.text()


def test_notification_sms_exported_then_confirmed(page, bed, tmp_path, monkeypatch):
    for card in ("RCV001", "RCV002"):
        add_permit(bed.engine, card, state=PermitState.RECEIVED, notified_at=None, closed_at=NOW)
    target = tmp_path / "sms.csv"
    monkeypatch.setattr(UnclaimedPage, "ask_save_path", classmethod(lambda c, p, t, s: target))
    monkeypatch.setattr(UnclaimedPage, "ask_open_path", classmethod(lambda c, p, t: target))

    QTest.mouseClick(page.notify_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["telephone", "message", "reference"]
    assert len(rows) == 3 and all(r[0] == "+33612345678" for r in rows[1:])
    assert "2 SMS écrits" in page.status.text()
    assert count_permits(bed.engine, PermitState.RECEIVED) == 2  # not sent yet

    QTest.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert count_permits(bed.engine, PermitState.RECEIVED) == 0
    assert "2 titre(s) marqué(s) comme avertis" in page.status.text()


def test_reminders_for_permits_waiting_past_the_delay(page, tmp_path, monkeypatch):
    target = tmp_path / "rappel.csv"
    monkeypatch.setattr(UnclaimedPage, "ask_save_path", classmethod(lambda c, p, t, s: target))
    QTest.mouseClick(page.remind_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert len(rows) == 3 and all("Rappel" in r[1] for r in rows[1:])
    assert "2 SMS de rappel" in page.status.text()
    assert page.table.item(0, 5).text() == "20/11/2026"  # reminded today, shown in the list


def test_a_permit_handed_over_while_the_return_is_confirmed_is_skipped_and_said(
    qtbot, page, bed, monkeypatch, tmp_path
):
    from handover.domain.values import Role
    from handover.services.counter import CounterService
    from tests.handover.services.helpers import permit_in_state, request_for

    add_permit(
        bed.engine, "OLD120", state=PermitState.NOTIFIED, notified_at=NOW - timedelta(days=120)
    )
    counter = CounterService(bed.engine, bed.config, clock=bed.clock)

    def a_desk_hands_one_over_meanwhile(cls, parent, text):
        assert "2 titre(s) non réclamé(s)" in text
        permit = permit_in_state(bed.engine, PermitState.NOTIFIED)  # the oldest id: OLD100
        counter.hand_over(request_for(permit), bed.agents[Role.AGENT])
        return True

    monkeypatch.setattr(UnclaimedPage, "confirm", classmethod(a_desk_hands_one_over_meanwhile))
    with qtbot.waitSignal(page.permits_returned) as blocker:
        QTest.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    text = page.status.text()
    assert "1 titre(s) marqué(s) « renvoyés »" in text
    assert "(carte OLD100, casier C-07) : désormais « remis », laissé tel quel" in text
    assert count_permits(bed.engine, PermitState.HANDED_OVER) == 1
    assert count_permits(bed.engine, PermitState.RETURNED) == 1
    page.resize(1100, 600)
    page.grab().save(str(tmp_path / "unclaimed-skipped.png"))
