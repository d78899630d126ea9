"""Where a scan can arrive, and what happens there (the README's table), as a desk does it.

A scanner burst is every key at once (the key clock does not move), then Enter; a person
types with the clock moving 150 ms per key. Outcomes are read from the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from sqlalchemy import Engine, select

from handover.persistence.models import Agent, AuditEntry
from tests.ui.counter_fixtures import (
    Counter,
    KeyClock,
    ReadyPermit,
    build_counter,
    counter_fixture,
    focused,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    show,
)
from ui.backoffice.window import BackofficeWindow
from ui.dialogs.supervisor_dialog import SupervisorDialog
from ui.dialogs.today_dialog import TodayDialog
from ui.widgets.handover_wizard import Step

FIXTURES = (counter_fixture, seeded_template_fixture)
STAMP = "1234567890123456"


def burst(widget: QWidget, text: str) -> None:
    """A scanner: the keys at once, then Enter (the key clock does not move)."""
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def settle(qtbot, counter: Counter) -> None:
    """Wait until the core has answered: keys typed meanwhile would be held, then replayed
    all at once (the test's key clock would make them a burst)."""
    qtbot.waitUntil(lambda: not counter.presenter.is_busy)


def by_hand(widget: QWidget, text: str, keys: KeyClock) -> None:
    for char in text:
        keys.pause(150)
        QTest.keyClicks(widget, char)
    keys.pause(150)


def audit(engine: Engine, action: str) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.details).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).scalars()
        return [json.loads(row) if row else {} for row in rows]


def failed_logins(engine: Engine, username: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(Agent.failed_logins).where(Agent.username == username)
            ).scalar_one()
        )


def while_modal(qtbot, act: Callable[[QWidget], None]) -> list[bool]:
    """Run ``act`` on the next modal window once it is up, then close it; say if it stayed."""
    stayed: list[bool] = []

    def step() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, step)
            return
        act(modal)
        stayed.append(modal.isVisible())
        modal.close()

    QTimer.singleShot(0, step)
    return stayed


def start_a_handover(counter: Counter, qtbot) -> ReadyPermit:
    """Log in and scan a ready permit's reference: the handover steps open."""
    log_in(counter)
    permit = ready_permit(counter.engine)
    with qtbot.waitSignal(counter.presenter.verdict_ready):
        scan(counter.window.scan_field, permit.reference, counter.keys)
    settle(qtbot, counter)
    return permit


# -- scan field, wizard, candidate list ---------------------------------------------------


def test_the_scan_field_audits_whether_a_scan_was_scanned_or_typed(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    settle(qtbot, counter)
    with qtbot.waitSignal(counter.presenter.verdict_ready):
        scan(window.scan_field, "0000000001", counter.keys)
    by_hand(window.scan_field, "0000000002", counter.keys)
    with qtbot.waitSignal(counter.presenter.verdict_ready):
        QTest.keyClick(window.scan_field, Qt.Key.Key_Return)
    settle(qtbot, counter)
    inputs = [d.get("input") for d in audit(counter.engine, "scan.verdict")]
    assert inputs[-2:] == ["burst", "typed"]


def test_an_mrz_sent_line_by_line_at_the_identity_step_is_one_document(
    counter: Counter, qtbot
) -> None:
    window = counter.window
    permit = start_a_handover(counter, qtbot)
    assert window.wizard.step == Step.IDENTITY
    mrz = passport_mrz(permit.surname, permit.given_names, permit.birth_date)
    for line in (mrz[:44], mrz[44:]):
        burst(focused(), line)
    qtbot.waitUntil(lambda: window.wizard.step == Step.STAMPS)


def test_a_scan_at_the_signature_step_triggers_nothing(counter: Counter, qtbot) -> None:
    window = counter.window
    start_a_handover(counter, qtbot)
    window.wizard._go(Step.SIGNATURE)
    window.wizard.setFocus()
    burst(window.wizard, STAMP)
    qtbot.waitUntil(lambda: "rien n'a été enregistré" in window.wizard.problem.text())
    assert window.wizard.step == Step.SIGNATURE


# -- login screen --------------------------------------------------------------------------


def test_a_scan_on_the_login_screen_logs_nobody_in_and_counts_no_attempt(
    counter: Counter, qtbot
) -> None:
    window = counter.window
    page = window.login_page
    by_hand(page.username, "agent1", counter.keys)
    QTest.keyClick(page.username, Qt.Key.Key_Return)  # a person's Enter: on to the password
    assert focused() is page.password

    burst(page.password, STAMP)  # the habitual scan, into the password
    settle(qtbot, counter)

    assert window.stack.currentWidget() is page
    assert "Connectez-vous d'abord" in page.problem.text()
    assert page.password.text() == ""
    assert page.username.text() == "agent1"  # what the person typed stays
    assert audit(counter.engine, "login.failure") == []
    assert failed_logins(counter.engine, "agent1") == 0

    burst(page.username, STAMP)  # in the user name: not kept as a name
    assert page.username.text() == "agent1"
    by_hand(page.password, counter.passwords["agent1"], counter.keys)
    with qtbot.waitSignal(counter.presenter.logged_in):
        QTest.keyClick(page.password, Qt.Key.Key_Return)


# -- lock screen ---------------------------------------------------------------------------


def lock_with_ctrl_l(counter: Counter, qtbot) -> None:
    settle(qtbot, counter)
    QTest.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, counter)
    assert counter.window.stack.currentWidget() is counter.window.lock_page


def test_a_scan_on_the_lock_screen_is_no_password_attempt(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    lock_with_ctrl_l(counter, qtbot)
    failures = len(audit(counter.engine, "login.failure"))

    burst(window.lock_page.password, STAMP)
    settle(qtbot, counter)

    assert window.stack.currentWidget() is window.lock_page
    assert "Déverrouillez d'abord" in window.lock_page.problem.text()
    assert window.lock_page.password.text() == ""
    assert len(audit(counter.engine, "login.failure")) == failures
    assert failed_logins(counter.engine, "agent1") == 0


def test_ctrl_l_is_audited_as_manual_and_inactivity_as_inactivity(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    lock_with_ctrl_l(counter, qtbot)
    by_hand(window.lock_page.password, counter.passwords["agent1"], counter.keys)
    with qtbot.waitSignal(counter.presenter.unlocked):
        QTest.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.counter_page
    settle(qtbot, counter)
    counter.clock.advance(window.watch.limit + timedelta(seconds=1))
    window.watch.check()
    settle(qtbot, counter)
    assert [d.get("detail") for d in audit(counter.engine, "session.lock")] == [
        "manuel",
        "inactivité",
    ]


def test_wrong_passwords_say_password_and_the_wait_counts_down_live(
    counter: Counter, qtbot
) -> None:
    page = counter.window.lock_page
    log_in(counter)
    lock_with_ctrl_l(counter, qtbot)

    def wrong_password(signal: object) -> None:
        by_hand(page.password, "pas-le-bon", counter.keys)
        with qtbot.waitSignal(signal):
            QTest.keyClick(page.password, Qt.Key.Key_Return)
        settle(qtbot, counter)

    wrong_password(counter.presenter.unlock_failed)
    assert page.problem.text() == "Mot de passe (ou badge) incorrect."
    wrong_password(counter.presenter.unlock_failed)
    wrong_password(counter.presenter.unlock_failed)  # the third: a 30 s pause starts
    wrong_password(counter.presenter.unlock_throttled)
    first = page.problem.text()
    assert "nouvel essai possible dans" in first
    assert page.countdown.isActive()
    counter.clock.advance(timedelta(seconds=10))
    page.countdown.timeout.emit()
    later = page.problem.text()
    seconds = [int(t.split("dans ")[1].split(" s")[0]) for t in (first, later)]
    assert seconds[0] - seconds[1] == 10
    counter.clock.advance(timedelta(minutes=5))
    page.countdown.timeout.emit()
    assert not page.countdown.isActive()
    assert "réessayer" in page.problem.text()


def test_with_badges_a_scan_on_the_lock_screen_is_the_badge(
    qtbot, tmp_path, seeded_template
) -> None:
    counter = build_counter(tmp_path, seeded_template)
    counter.window.lock_page.badge_enabled = True
    show(qtbot, counter.window)
    log_in(counter)
    counter.presenter.lock_now()
    settle(qtbot, counter)
    with qtbot.waitSignal(counter.presenter.unlock_failed) as failed:
        burst(counter.window.lock_page.password, "BADGE-INCONNU-42")
    assert "incorrect" in failed.args[0]
    counter.window.watch.stop()
    counter.engine.dispose()


# -- dialogs, message boxes, back office ---------------------------------------------------


def test_a_message_box_never_closes_on_a_scanners_enter(counter: Counter, qtbot) -> None:
    log_in(counter, "agent1")
    stayed = while_modal(qtbot, lambda box: burst(box.focusWidget() or box, STAMP))
    press(focused(), Qt.Key.Key_F10, counter.keys)  # refused: a message box
    assert stayed == [True]


def test_a_message_box_still_closes_on_a_persons_enter(qtbot) -> None:
    keys = KeyClock()
    from ui.widgets.scan_guard import ScanGuard

    holder = QWidget()
    qtbot.addWidget(holder)
    holder.show()
    guard = ScanGuard(clock=keys, parent=holder)
    box = QMessageBox(QMessageBox.Icon.Warning, "Back-office", "Réservé.", parent=holder)
    box.show()
    qtbot.waitUntil(box.isVisible)
    keys.pause(2_000)
    QTest.keyClick(box.focusWidget() or box, Qt.Key.Key_Return)
    assert not box.isVisible()
    guard.uninstall()


def test_a_scan_in_the_supervisor_dialog_authorises_nothing(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    dialogs: list[SupervisorDialog] = []

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialogs.append(dialog)
        burst(dialog.username, STAMP)

    stayed = while_modal(qtbot, act)
    result = SupervisorDialog.ask(
        window,
        title="T",
        explanation="E",
        grant=lambda answer: None,  # type: ignore[arg-type,return-value]
    )
    assert result is None
    assert stayed == [True]
    assert "Un scan est arrivé" in dialogs[0].problem.text()
    assert dialogs[0].username.text() == ""


def test_a_scan_in_the_day_list_reprints_nothing(counter: Counter, qtbot) -> None:
    from tests.ui.test_counter_flow import complete_handover

    log_in(counter)
    complete_handover(counter, qtbot, ready_permit(counter.engine))
    jobs = len(counter.printer.jobs)

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, TodayDialog)
        dialog.table.selectRow(0)
        dialog.reprint_button.setFocus()  # where Enter would press « réimprimer »
        burst(dialog.reprint_button, STAMP)

    stayed = while_modal(qtbot, act)
    press(focused(), Qt.Key.Key_F9, counter.keys)
    assert stayed == [True]
    assert len(counter.printer.jobs) == jobs


def test_the_back_office_closes_with_escape_and_a_scan_there_does_nothing(
    counter: Counter, qtbot
) -> None:
    log_in(counter, "chef")
    press(focused(), Qt.Key.Key_F10, counter.keys)
    backoffice = counter.window._backoffice
    assert isinstance(backoffice, BackofficeWindow)
    qtbot.addWidget(backoffice)
    backoffice.activateWindow()
    qtbot.waitUntil(backoffice.isActiveWindow)
    button = backoffice.import_page.findChild(QPushButton)
    assert button is not None
    pressed: list[bool] = []
    button.clicked.connect(lambda: pressed.append(True))
    button.setFocus()
    burst(button, STAMP)
    assert pressed == []  # the scanner's Enter pressed nothing
    assert backoffice.isVisible()
    QTest.keyClick(QApplication.focusWidget() or backoffice, Qt.Key.Key_Escape)
    assert not backoffice.isVisible()
