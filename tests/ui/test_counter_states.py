"""Cancelling, the closed window, the supervisor, the lock and a failing database."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from handover.domain.values import OverrideGrant, VerdictKind
from tests.ui.counter_fixtures import (
    CLOSED_AT,
    Counter,
    build_counter,
    click_at,
    counter_fixture,
    draw_signature,
    drawer_card,
    focused,
    handover_count,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    settle,
    show,
    stamp_numbers,
    type_by_hand,
)
from ui.dialogs.supervisor_dialog import SupervisorDialog
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)


def walk_to(counter: Counter, qtbot, step: Step) -> None:
    """From the scan field to ``step`` of a standard handover, as an agent does it."""
    window, keys = counter.window, counter.keys
    permit = ready_permit(counter.engine)
    scan(window.scan_field, permit.reference, keys)
    wizard = window.wizard
    if step == Step.IDENTITY:
        return
    scan(focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), keys)
    if step == Step.STAMPS:
        return
    scan(focused(), stamp_numbers(1, seed=3)[0], keys)
    focused().clear()
    type_by_hand(focused(), f"{permit.fee_cents / 100:.2f}".replace(".", ","), keys)
    press(focused(), Qt.Key.Key_Return, keys)
    if step == Step.PREVIOUS_CARD:
        return
    press(focused(), Qt.Key.Key_F6, keys)
    assert wizard.previous_lost.isChecked()
    type_by_hand(focused(), "PV-2026-0042", keys)
    press(focused(), Qt.Key.Key_Return, keys)
    assert focused() is wizard.previous_report_date  # the report's date, then Enter
    type_by_hand(focused(), "03/11/2026", keys)
    press(focused(), Qt.Key.Key_Return, keys)
    assert wizard.step == Step.CARD
    if step == Step.CARD:
        return
    scan(focused(), drawer_card(permit), keys)
    assert wizard.step == Step.SIGNATURE, wizard.problem.text()


@pytest.mark.parametrize("step", list(Step))
def test_escape_at_any_step_writes_nothing(counter: Counter, qtbot, step: Step) -> None:
    log_in(counter)
    before = handover_count(counter.engine)
    walk_to(counter, qtbot, step)
    wizard = counter.window.wizard
    assert wizard.step == step, wizard.problem.text()

    press(focused(), Qt.Key.Key_Escape, counter.keys)
    if step >= Step.PREVIOUS_CARD:  # two steps done (identity, stamps): asked once
        assert wizard.isVisible()
        assert "Abandonner cette remise" in wizard.problem.text()
        press(focused(), Qt.Key.Key_Escape, counter.keys)

    assert not wizard.isVisible()
    assert focused() is counter.window.scan_field
    assert counter.window.scan_field.text() == ""
    assert handover_count(counter.engine) == before
    assert counter.printer.jobs == []
    # The permit is still there to hand over.
    with qtbot.waitSignal(counter.presenter.verdict_ready) as signal:
        scan(counter.window.scan_field, ready_permit(counter.engine).reference, counter.keys)
    assert signal.args[0].kind == VerdictKind.READY


def test_scan_field_keeps_the_focus_whatever_was_clicked(counter: Counter, qtbot) -> None:
    log_in(counter)
    window = counter.window
    window.verdict_panel.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # even if it took focus
    for widget in (window.verdict_panel, window.banner, window.scan_row):
        click_at(widget)
        qtbot.waitUntil(lambda: focused() is window.scan_field)
    scan(focused(), ready_permit(counter.engine).reference, counter.keys)
    assert counter.presenter.verdict is not None


def fill_supervisor(username: str, password: str, reason: str):
    """Stands in for ``SupervisorDialog.ask``: the real dialog, filled in and confirmed."""
    seen: list[SupervisorDialog] = []

    def ask(cls, parent, *, title, explanation, grant, minutes=None) -> OverrideGrant | None:
        dialog = cls(parent, title=title, explanation=explanation, grant=grant, minutes=minutes)
        seen.append(dialog)
        QTest.keyClicks(dialog.username, username)
        QTest.keyClicks(dialog.password, password)
        QTest.keyClicks(dialog.reason, reason)
        dialog._on_accept()
        dialog.close()
        parent.activateWindow()  # as the window manager does when a dialog closes
        return dialog.result_grant

    return classmethod(ask), seen


def test_closed_window_blocks_and_override_needs_a_supervisor_and_a_reason(
    qtbot, tmp_path, seeded_template, monkeypatch
) -> None:
    counter = build_counter(tmp_path, seeded_template, at=CLOSED_AT)
    show(qtbot, counter.window)
    window = counter.window
    log_in(counter)
    assert "FERMÉ" in window.banner.state_text
    permit = ready_permit(counter.engine)

    scan(window.scan_field, permit.reference, counter.keys)
    assert counter.presenter.verdict.kind == VerdictKind.COUNTER_CLOSED
    assert "FERMÉ" in window.verdict_panel.headline
    assert not window.wizard.isVisible()
    assert window.supervisor_button.isVisible()

    # An agent is not a supervisor.
    ask, dialogs = fill_supervisor("agent1", counter.passwords["agent1"], "File d'attente")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    press(focused(), Qt.Key.Key_F4, counter.keys)
    assert dialogs[-1].result_grant is None
    assert "chef d'accueil" in dialogs[-1].problem.text()
    assert not window.wizard.isVisible()

    # A supervisor without a reason is not enough either.
    ask, dialogs = fill_supervisor("chef", counter.passwords["chef"], "")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    press(focused(), Qt.Key.Key_F4, counter.keys)
    assert dialogs[-1].result_grant is None
    assert "motif" in dialogs[-1].problem.text().lower()
    assert not window.wizard.isVisible()
    assert counter.service.active_window_override() is None

    ask, dialogs = fill_supervisor(
        "chef", counter.passwords["chef"], "Personnes dans la file a 11 h"
    )
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted):
        press(focused(), Qt.Key.Key_F4, counter.keys)
    assert counter.service.active_window_override() is not None
    assert counter.presenter.verdict.kind == VerdictKind.READY
    assert window.wizard.isVisible()
    assert "prolongation" in window.banner.state_text
    window.watch.stop()
    counter.engine.dispose()


def test_inactivity_locks_and_keeps_the_screen_behind_the_password(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    walk_to(counter, qtbot, Step.STAMPS)
    limit = window.watch.limit

    counter.clock.advance(limit - timedelta(seconds=30))
    QTest.keyClick(focused(), Qt.Key.Key_Shift)  # someone is there: the wait starts again
    counter.clock.advance(timedelta(seconds=60))
    window.watch.check()
    assert window.stack.currentWidget() is window.counter_page

    counter.clock.advance(limit)
    with qtbot.waitSignal(counter.presenter.locked):
        window.watch.check()
    assert window.stack.currentWidget() is window.lock_page
    assert not window.counter_page.isVisible()  # nothing personal left on screen

    qtbot.waitUntil(lambda: not counter.presenter.is_busy)  # else keys are held, replayed at once
    type_by_hand(window.lock_page.password, "not the password", counter.keys)
    with qtbot.waitSignal(counter.presenter.unlock_failed):
        QTest.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.lock_page

    type_by_hand(window.lock_page.password, counter.passwords["agent1"], counter.keys)
    with qtbot.waitSignal(counter.presenter.unlocked):
        QTest.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.counter_page
    assert window.wizard.step == Step.STAMPS
    assert focused() is window.wizard.stamp_field


def test_database_error_on_confirmation_shows_the_message_and_writes_nothing(
    qtbot, tmp_path, seeded_template
) -> None:
    counter = build_counter(tmp_path, seeded_template, busy_timeout_ms=50)
    show(qtbot, counter.window)
    log_in(counter)
    walk_to(counter, qtbot, Step.SIGNATURE)
    before = handover_count(counter.engine)
    wizard = counter.window.wizard
    draw_signature(wizard.signature_pad)

    blocker = sqlite3.connect(tmp_path / "counter.sqlite3", timeout=0.05)
    # The card is checked and the holder signed; someone else locks the database.
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with qtbot.waitSignal(counter.presenter.handover_failed) as failed:
            press(focused(), Qt.Key.Key_Return, counter.keys)
    finally:
        blocker.rollback()
        blocker.close()

    assert "base de données" in failed.args[0].lower()
    assert wizard.isVisible()
    assert wizard.step == Step.SIGNATURE
    assert wizard.problem.isVisible()
    assert "NON ENREGISTRÉ" in counter.window.verdict_panel.headline
    assert failed.args[0] in wizard.problem.text()
    assert handover_count(counter.engine) == before
    assert counter.printer.jobs == []

    # Once the database answers again, Enter records it.
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before + 1
    counter.window.watch.stop()
    counter.engine.dispose()


def test_failed_logins_are_throttled(counter: Counter, qtbot) -> None:
    page = counter.window.login_page
    messages = []
    counter.presenter.login_failed.connect(messages.append)
    for _ in range(counter.config.security.login_throttle_after + 1):
        page.username.setText("agent1")
        type_by_hand(page.password, "wrong-password", counter.keys)
        QTest.keyClick(page.password, Qt.Key.Key_Return)
        settle()
    assert page.problem.isVisibleTo(page)
    assert messages[0] != messages[-1]  # the last one says to wait
    # Even the right password waits now.
    log_in(counter)
    assert counter.window.stack.currentWidget() is counter.window.login_page


def test_blocked_permit_goes_on_only_with_a_supervisor(counter: Counter, qtbot, monkeypatch):
    from handover.persistence.models import Permit, PermitState
    from tests.ui.counter_fixtures import find_permit

    window = counter.window
    log_in(counter)
    blocked = find_permit(counter.engine, Permit.state == PermitState.BLOCKED)
    scan(window.scan_field, blocked.reference, counter.keys)
    assert counter.presenter.verdict.kind == VerdictKind.BLOCKED
    assert not window.wizard.isVisible()
    assert window.supervisor_button.isVisible()

    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Controle fait, titre conforme")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    with qtbot.waitSignal(counter.presenter.override_granted) as granted:
        press(focused(), Qt.Key.Key_F4, counter.keys)
    assert granted.args[0].kind == "blocked"
    assert granted.args[0].permit_id == blocked.permit_id
    assert window.wizard.isVisible()
    assert window.wizard.request() is None  # nothing to submit before the steps


def test_today_lists_the_handover_and_reprints_a_duplicate(
    counter: Counter, qtbot, monkeypatch
) -> None:
    from tests.ui.test_counter_flow import complete_handover
    from ui.dialogs.today_dialog import TodayDialog

    log_in(counter)
    permit = ready_permit(counter.engine)
    complete_handover(counter, qtbot, permit)
    shown: list[TodayDialog] = []

    def show_for(cls, parent, records, *, reprint, timezone="Europe/Paris") -> None:
        dialog = cls(parent, records, reprint=reprint, timezone=timezone)
        shown.append(dialog)
        dialog.table.selectRow(0)
        dialog.reprint_button.click()

    monkeypatch.setattr(TodayDialog, "show_for", classmethod(show_for))
    press(focused(), Qt.Key.Key_F9, counter.keys)
    table = shown[0].table
    assert table.item(0, 2).text().replace("-", "") == permit.reference
    assert len(counter.printer.jobs) == 2
    assert counter.printer.jobs[1].job_name.startswith("duplicata")


def test_logout_during_a_handover_writes_nothing_and_shows_the_login(
    counter: Counter, qtbot
) -> None:
    log_in(counter)
    before = handover_count(counter.engine)
    walk_to(counter, qtbot, Step.SIGNATURE)
    counter.window.logout_button.click()
    assert counter.window.stack.currentWidget() is counter.window.login_page
    assert counter.presenter.agent is None
    assert handover_count(counter.engine) == before


def test_window_closing_during_a_handover_is_extended_without_starting_again(
    counter: Counter, qtbot, monkeypatch
) -> None:
    log_in(counter)
    before = handover_count(counter.engine)
    walk_to(counter, qtbot, Step.SIGNATURE)
    draw_signature(counter.window.wizard.signature_pad)
    counter.clock.set(CLOSED_AT)
    with qtbot.waitSignal(counter.presenter.handover_failed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before
    assert counter.window.supervisor_button.isVisible()

    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "File d'attente a 11 h")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)
    press(focused(), Qt.Key.Key_F4, counter.keys)
    assert counter.window.wizard.step == Step.SIGNATURE  # the steps done are kept
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before + 1
