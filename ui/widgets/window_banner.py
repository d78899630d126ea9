"""The strip at the top of the counter: open or closed, countdown to closing, today's count."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from handover.domain.opening_window import WindowStatus, format_next_opening
from ui.style import BANNER_PX
from ui.widgets.elided_label import ElidedLabel


def countdown_text(remaining: timedelta) -> str:
    """« 1 h 05 min », « 4 min 30 s » under ten minutes, where seconds start to matter."""
    seconds = max(0, int(remaining.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes < 10:
        return f"{minutes} min {secs:02d} s"
    return f"{minutes} min"


class WindowBanner(QFrame):
    """Displays a ``WindowStatus`` against the current instant, plus the desk's count."""

    def __init__(self, timezone: str = "Europe/Paris", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("window_banner")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._zone = ZoneInfo(timezone)
        self._status: WindowStatus | None = None
        self._override_until: datetime | None = None
        # Long texts (a long agent name, the next opening) are shortened, never widen
        # the window past the desk's screen.
        self._state = ElidedLabel(min_chars=24)
        self._state.setObjectName("window_state")
        self._desk = ElidedLabel(min_chars=12)
        self._desk.setObjectName("desk")
        self._count = QLabel()
        self._count.setObjectName("count_today")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        # The state (and its countdown) takes its whole width first; the desk and agent
        # name are shortened before it is.
        self._state.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        row.addWidget(self._state)
        row.addSpacing(24)
        row.addWidget(self._desk, 1)
        row.addSpacing(24)
        row.addWidget(self._count)
        self.set_count(0)

    @property
    def state_text(self) -> str:
        return self._state.text()

    @property
    def count_text(self) -> str:
        return self._count.text()

    def set_desk(self, text: str) -> None:
        self._desk.setText(text)

    def set_count(self, count: int) -> None:
        self._count.setText(self.tr("Remises aujourd'hui : {0}").format(count))

    def set_status(
        self, status: WindowStatus, now: datetime, override_until: datetime | None = None
    ) -> None:
        self._status = status
        self._override_until = override_until
        self.tick(now)

    def tick(self, now: datetime) -> None:
        """Refresh the countdown for the instant ``now``; called every second by the window."""
        status = self._status
        if status is None:
            return
        if status.is_open and status.closes_at is not None:
            local = status.closes_at.astimezone(self._zone)
            # Short enough to stay whole beside the desk at 1024 px (1280 px at 125 %).
            text = self.tr("OUVERT jusqu'à {0} ({1})").format(
                f"{local:%H:%M}", countdown_text(status.closes_at - now)
            )
            background, foreground = "#1b5e20", "#ffffff"
        elif self._override_until is not None and self._override_until > now:
            local = self._override_until.astimezone(self._zone)
            text = self.tr("FERMÉ — prolongation accordée jusqu'à {0}").format(f"{local:%H:%M}")
            background, foreground = "#e65100", "#ffffff"
        else:
            text = self.tr("FERMÉ — {0}").format(format_next_opening(status, self._zone))
            background, foreground = "#1a237e", "#ffffff"
        self._state.setText(text)
        self.setStyleSheet(
            f"QFrame#window_banner {{ background: {background}; }}"
            f"QFrame#window_banner QLabel {{ color: {foreground}; font-size: {BANNER_PX}px;"
            " font-weight: bold; background: transparent; }"
            "QFrame#window_banner QLabel#desk { font-size: 20px; font-weight: normal; }"
            "QFrame#window_banner QLabel#count_today { font-size: 22px; }"
        )
