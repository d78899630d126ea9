"""Notices when nobody has touched the desk for a while, so the session can lock."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from handover.domain.clock import Clock
from ui.app_hook import AppEventHook

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


class InactivityWatch(QObject):
    """Emits ``expired`` once after ``limit`` without input; ``check`` may be called directly.

    The time comes from ``clock`` and the checks from a timer, so tests drive both and
    never sleep.
    """

    expired = Signal()

    def __init__(
        self,
        clock: Clock,
        limit: timedelta,
        *,
        check_every_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.limit = limit
        self._last = clock.now()
        self._armed = False
        self.timer = QTimer(self)
        self.timer.setInterval(check_every_ms)
        self.timer.timeout.connect(self.check)
        self._hook = AppEventHook(self._on_app_event)

    @property
    def last_activity(self) -> datetime:
        return self._last

    def start(self) -> None:
        """Watch from now on (after a login or an unlock)."""
        self._last = self._clock.now()
        self._armed = True
        self._hook.install()
        self.timer.start()

    def stop(self) -> None:
        self._armed = False
        self.timer.stop()
        self._hook.uninstall()

    def touch(self) -> None:
        self._last = self._clock.now()

    def check(self) -> None:
        if (
            self._armed
            and self.limit > timedelta(0)
            and self._clock.now() - self._last >= self.limit
        ):
            self._armed = False
            self.timer.stop()
            self.expired.emit()

    def _on_app_event(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._last = self._clock.now()
        return False
