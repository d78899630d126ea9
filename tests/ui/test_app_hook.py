"""Application-wide filters never reach an object whose C++ or Python half is gone."""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.app_hook import AppEventHook


class Owner(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[QEvent.Type] = []
        self.hook = AppEventHook(self.on_event)
        self.hook.install()

    def on_event(self, watched: QObject, event: QEvent) -> bool:
        self.objectName()  # a dead C++ half raises here, inside Qt's event loop
        self.seen.append(event.type())
        return False


def poke(qtbot: QtBot) -> QLineEdit:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field, "ab")
    return field


def test_the_owner_sees_application_events_until_uninstalled(qtbot: QtBot) -> None:
    owner = Owner()
    poke(qtbot)
    assert QEvent.Type.KeyPress in owner.seen
    owner.hook.uninstall()
    owner.seen.clear()
    poke(qtbot)
    assert owner.seen == []


def test_an_owner_deleted_on_the_cpp_side_is_not_called(qtbot: QtBot) -> None:
    owner = Owner()
    hook = owner.hook
    shiboken6.delete(owner)  # the C++ half goes, the wrapper stays
    field = poke(qtbot)
    assert field.text() == "ab"
    assert hook.installed  # still in Qt's list, and harmless
    hook.uninstall()


def test_a_collected_owner_takes_its_hook_out_of_the_application(qtbot: QtBot) -> None:
    owner = Owner()
    owner.self_cycle = owner  # type: ignore[attr-defined]  # only the cycle collector frees it
    del owner
    gc.collect()
    QApplication.processEvents()
    field = poke(qtbot)
    assert field.text() == "ab"
    assert not [o for o in gc.get_objects() if isinstance(o, Owner)]
