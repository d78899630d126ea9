"""Application-wide event filters that can never call a dead Python object.

Qt keeps an application's event filters until they are removed or deleted. A window (or
one of its children) installed directly as the filter is called by Qt for as long as its
C++ half lives, which can be longer than its Python wrapper: while the window is being
destroyed, or when the garbage collector clears a cycle that holds it. PySide then calls
the method on freed memory ("'function' object has no attribute …", or a crash).

An :class:`AppEventHook` is a small parentless object, owned by Python alone: its C++
half dies with its wrapper, and Qt forgets a deleted filter. It holds the real handler
weakly and checks that the handler's object is still alive before every call.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject

Handler = Callable[[QObject, QEvent], bool]


class AppEventHook(QObject):
    """Forward the application's events to ``handler`` (a bound method, held weakly)."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()  # no parent: deleted with the last Python reference
        self._handler = weakref.WeakMethod(handler)  # type: ignore[arg-type]
        self._installed = False

    def install(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True

    def uninstall(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False

    @property
    def installed(self) -> bool:
        return self._installed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handler = self._handler()
        if handler is None:
            return False
        owner = getattr(handler, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return False
        return bool(handler(watched, event))
