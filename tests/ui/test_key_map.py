"""One key map at the counter: no key means two things, and the README's table is the truth.

Qt fires nothing for an ambiguous shortcut (two enabled shortcuts on one key sequence that
can both be active): it only emits ``activatedAmbiguously``. Two shortcuts can be active
together when a focus widget can be inside both of their scopes — a
``WidgetWithChildrenShortcut``'s scope is its parent widget, a ``WindowShortcut``'s the
window — i.e. when one scope contains the other. Shortcuts on two pages of a stack can
share a key; a wizard's shortcut inside the counter page cannot reuse a counter key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from tests.ui.queue_fixtures import Desk, desk_fixture, queue_template_fixture
from tests.ui.test_call_key import log_in

__all__ = ["desk_fixture", "queue_template_fixture"]

README = Path(__file__).resolve().parents[2] / "README.md"
#: Keys of the README's table that are not shortcuts (read by the widget that has focus).
FOCUS_KEYS = {"Entrée", "Échap"}


@dataclass(frozen=True)
class Binding:
    keys: str  # portable text, "Shift+F8"
    scope: QWidget | None  # None: the whole application
    where: str  # for the failure message

    def overlaps(self, other: Binding) -> bool:
        a, b = self.scope, other.scope
        return a is None or b is None or a is b or a.isAncestorOf(b) or b.isAncestorOf(a)


def _scope(widget: QWidget, context: Qt.ShortcutContext) -> QWidget | None:
    if context == Qt.ShortcutContext.ApplicationShortcut:
        return None
    if context == Qt.ShortcutContext.WindowShortcut:
        return widget.window()
    return widget  # WidgetShortcut, WidgetWithChildrenShortcut


def enabled_bindings(root: QWidget) -> list[Binding]:
    """Every enabled shortcut and action key of ``root``'s widget tree."""
    found: list[Binding] = []
    for shortcut in root.findChildren(QShortcut):
        parent = shortcut.parent()
        if not isinstance(parent, QWidget) or not shortcut.isEnabled():
            continue
        for sequence in shortcut.keys():  # noqa: SIM118 (a QShortcut is no dict)
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            found.append(Binding(text, _scope(parent, shortcut.context()), type(parent).__name__))
    for widget in [root, *root.findChildren(QWidget)]:
        for action in widget.actions():
            if not action.isEnabled():
                continue
            for sequence in action.shortcuts():
                text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
                scope = _scope(widget, action.shortcutContext())
                found.append(Binding(text, scope, f"{type(widget).__name__} ({action.text()})"))
    return found


def ambiguous(bindings: list[Binding]) -> list[tuple[str, str, str]]:
    return [
        (a.keys, a.where, b.where)
        for a, b in combinations(bindings, 2)
        if a.keys == b.keys and a.overlaps(b)
    ]


def readme_keys() -> set[str]:
    """The keys of the README's table « Les touches du guichet »."""
    text = README.read_text(encoding="utf-8")
    table = text.split("### Les touches du guichet", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {key for row in rows for key in re.findall(r"`([^`]+)`", row.split("|")[1])}


def test_the_checker_finds_a_nested_duplicate_and_spares_two_pages(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    stack = QStackedWidget(window)
    first, second = QWidget(), QWidget()
    stack.addWidget(first)
    stack.addWidget(second)
    inner = QWidget(first)
    for parent in (first, second, inner):
        shortcut = QShortcut(QKeySequence("F6"), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    found = ambiguous(enabled_bindings(window))

    assert found == [("F6", "QWidget", "QWidget")]  # first and inner; second is another page
    second.findChild(QShortcut).setContext(Qt.ShortcutContext.WindowShortcut)
    assert len(ambiguous(enabled_bindings(window))) == 3  # the window holds them all


def test_no_key_means_two_things_at_the_desk_with_the_queue(desk: Desk) -> None:
    log_in(desk)
    assert desk.window.stack.currentWidget() is desk.window.counter_page

    bindings = enabled_bindings(desk.window)

    assert ambiguous(bindings) == []
    assert {b.keys for b in bindings} == readme_keys() - FOCUS_KEYS


def test_the_readme_table_has_the_counter_keys() -> None:
    keys = readme_keys()
    expected = {"F2", "F3", "F4", "F6", "F7", "F8", "Shift+F8", "Ctrl+F8", "F9", "F10", "F12"}
    assert keys >= expected | {"Ctrl+L"}
