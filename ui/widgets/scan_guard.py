"""Catches a scanner burst that lands anywhere but a scan field, so that it triggers nothing.

A scanner types its text and presses Enter wherever the focus is: in a message box the
Enter would close it, in a password field it would count as a failed password, in a
dialog it would press the default button. ``ScanGuard`` watches every key of the
application; when an Enter (or Tab) ends a burst outside a scan field it swallows that
key, takes the burst's characters back out of the line edit they landed in, and asks the
nearest widget that knows how to say so (a ``refuse_scan(text)`` method) to tell the
agent; elsewhere it shows a tooltip. Scan fields read their bursts themselves.
"""

from __future__ import annotations

import time
import types
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from handover.scanning.input import BurstTracker, KeyStroke, WedgeSettings, classify
from ui.app_hook import AppEventHook
from ui.widgets.scan_field import MODIFIER_KEYS, ScanField

_END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
# Keys further apart than this start a new run: what was typed before is not the scan.
_RUN_GAP_MS = 1000.0
# A scanner sends its Enter right after the last character: an Enter this long after it
# is a person's, whatever was typed before.
_STALE_END_MS = 500.0

REFUSED_HERE = (
    "Un scan est arrivé ici : il n'a rien déclenché. "
    "Terminez ou fermez cette fenêtre (Échap), puis rescannez au guichet."
)


class ScanGuard(QObject):
    """One per application: outside ``exclude`` widgets, a burst's Enter does nothing.

    ``burst_caught`` carries the widget the burst landed in and its text.
    """

    burst_caught = Signal(QWidget, str)

    def __init__(
        self,
        settings: WedgeSettings | None = None,
        *,
        exclude: tuple[type[QWidget], ...] = (),
        ignore: Callable[[QWidget], bool] | None = None,
        clock: Callable[[], float] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tracker = BurstTracker(settings or WedgeSettings())
        self._exclude = (ScanField, *exclude)
        # A window's own method: held weakly, or the window and its guard (its child)
        # make a cycle that the garbage collector may clear while Qt still calls them.
        self._ignore: Callable[[], Callable[[QWidget], bool] | None] | None = None
        if isinstance(ignore, types.MethodType):
            self._ignore = weakref.WeakMethod(ignore)
        elif ignore is not None:
            kept = ignore
            self._ignore = lambda: kept
        self._clock = clock
        self._last: tuple[int, frozenset[int]] | None = None
        self._hook = AppEventHook(self._on_app_event)
        self._hook.install()

    def uninstall(self) -> None:
        self._hook.uninstall()

    def _now(self, event: QKeyEvent) -> float:
        if self._clock is not None:
            return self._clock()
        stamp = event.timestamp()
        return float(stamp) if stamp else time.monotonic() * 1000.0

    def _first_delivery(self, watched: QWidget, event: QKeyEvent) -> bool:
        # Qt offers a key the focus widget ignored to its parents, through this filter
        # again: only the first receiver counts. Only addresses are kept (the event's,
        # the receiver's ancestors'): holding widgets here kept a closed window's
        # wrapper in a place Qt could outlive.
        pointer = shiboken6.getCppPointer(event)[0]
        here = shiboken6.getCppPointer(watched)[0]
        if self._last is not None and self._last[0] == pointer and here in self._last[1]:
            return False
        ancestors: set[int] = set()
        parent = watched.parentWidget()
        while parent is not None:
            ancestors.add(shiboken6.getCppPointer(parent)[0])
            parent = parent.parentWidget()
        self._last = (pointer, frozenset(ancestors))
        return True

    def _on_app_event(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
            or not isinstance(watched, QWidget)
            or not self._first_delivery(watched, event)
        ):
            return False
        owner = self.parent()
        if isinstance(owner, QWidget) and not (shiboken6.isValid(owner) and owner.isVisible()):
            return False  # its window is closed: another guard may be in charge
        ignore = self._ignore() if self._ignore is not None else None
        if isinstance(watched, self._exclude) or (ignore is not None and ignore(watched)):
            self._tracker.reset()
            return False
        now = self._now(event)
        keys = self._tracker.keys
        if event.key() in _END_KEYS:
            # An Enter long after the last key ends no burst (a scanner sends it at once).
            stale = bool(keys) and now - keys[-1].at_ms > _STALE_END_MS
            burst = (
                not stale
                and len(keys) >= self._tracker.settings.min_length
                and classify(keys, now, self._tracker.settings) == "burst"
            )
            text = "".join(k.text for k in keys)
            self._tracker.reset()
            if not burst:
                return False
            _take_back(watched, text)
            self.burst_caught.emit(watched, text)
            _tell(watched, text)
            return True
        typed = event.text()
        if len(typed) == 1 and typed.isprintable():
            if keys and now - keys[-1].at_ms > _RUN_GAP_MS:
                self._tracker.reset()
            self._tracker.add(KeyStroke(typed, now))
            # A message box clicks the button whose letter is typed, Alt or not.
            return isinstance(watched.window(), QMessageBox)
        if event.key() not in MODIFIER_KEYS:
            self._tracker.reset()
        return False


def _take_back(widget: QWidget, text: str) -> None:
    """Remove the burst's characters from the end of the line edit they went into."""
    if isinstance(widget, QLineEdit) and widget.text().endswith(text):
        widget.setText(widget.text()[: len(widget.text()) - len(text)])
    elif isinstance(widget, QPlainTextEdit) and widget.toPlainText().endswith(text):
        widget.setPlainText(widget.toPlainText()[: len(widget.toPlainText()) - len(text)])
        widget.moveCursor(widget.textCursor().MoveOperation.End)


def _tell(widget: QWidget, text: str) -> None:
    """The nearest ``refuse_scan`` in the same window says it; else a tooltip."""
    place: QWidget | None = widget
    while place is not None:
        refuse = getattr(place, "refuse_scan", None)
        if callable(refuse):
            refuse(text)
            return
        place = None if place.isWindow() else place.parentWidget()
    QToolTip.showText(widget.mapToGlobal(QPoint(0, widget.height())), REFUSED_HERE, widget)
