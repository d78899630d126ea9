"""The standalone back office's login dialog: a wrong password is said, a right one passes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from handover.domain.values import Role
from handover.services.counter import CounterService
from tests.ui.backoffice.fixtures import Bed, bed_fixture
from ui.backoffice.login_dialog import LoginDialog

__all__ = ["bed_fixture"]


def test_wrong_then_right_password(qtbot, bed: Bed):
    dialog = LoginDialog(CounterService(bed.engine, bed.config, clock=bed.clock).login)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.keyClicks(dialog.username, "chef")
    QTest.keyClicks(dialog.password, "pas-le-bon-mot-de-passe")
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problem.is_problem and dialog.password.text() == ""
    QTest.keyClicks(dialog.password, "mot-de-passe-de-test-42")
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.agent is not None and dialog.agent.role == Role.SUPERVISOR
