"""The waiting-room call display: "Ticket 042 → Guichet 2", huge, and the previous calls.

Everything on this screen but its window title is read by holders from several metres
away, so every sentence is a ``holder_text`` (French then English, the English half
registered as holder-facing), and no name is ever shown (a ticket number and
a desk only). The calls arrive from :class:`CallFeed`, which blocks on the core's
``CallWatcher`` in a thread of its own: the screen's thread never waits on the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handover.errors import HandoverError
from handover.holder_text import holder_text
from handover.queue.values import CallRecord

log = logging.getLogger(__name__)

# What the holders read (French — English). The window title is for IT staff: French.
SEPARATOR = " — "
HEADER = holder_text("Appels", "Calls")
NOW_CALLING = holder_text("Appel en cours", "Now calling")
GO_TO_DESK = holder_text(
    "Présentez-vous au guichet indiqué avec votre ticket", "Please go to the desk shown"
)
WAITING = holder_text("En attente du premier appel", "Waiting for the first call")
KEEP_TICKET = holder_text("Gardez votre ticket à la main", "Keep your ticket ready")
PREVIOUS = holder_text("Appels précédents", "Previous calls")
PAUSED = holder_text(
    "Affichage momentanément interrompu : les appels continuent aux guichets.",
    "Display paused: desks are still calling.",
)

#: The number and the desk are drawn at most this large (pixels of the font).
BIG_MAX_PX = 300
#: Never smaller than this: its digits stay at least 120 px high (DejaVu Sans Bold digits
#: are about 0.73 of the font size).
BIG_MIN_PX = 170
BACKGROUND = "#0d1b2a"
NUMBER_COLOUR = "#ffd54f"
DESK_COLOUR = "#ffffff"
FLASH_COLOUR = "#1b5e20"
FLASH_MS = 6000


def call_text(call: CallRecord) -> tuple[str, str]:
    """``("Ticket 042", "→ Guichet 2")``: what the big lines say for one call."""
    return f"Ticket {call.ticket.label}", f"→ {call.desk_name}"


def newest_first(calls: Sequence[CallRecord]) -> list[CallRecord]:
    return sorted(calls, key=lambda call: (call.called_at, call.call_id), reverse=True)


class BigText(QWidget):
    """One line of text drawn as large as its width allows, between two font sizes."""

    def __init__(self, colour: str, *, max_px: int = BIG_MAX_PX, min_px: int = BIG_MIN_PX) -> None:
        super().__init__()
        self._text = ""
        self._colour = QColor(colour)
        self.max_px = max_px
        self.min_px = min_px
        self.setMinimumHeight(int(min_px * 1.2))
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self.update()

    def font_px(self) -> int:
        """The font size the text is drawn at in the current width and height."""
        font = self._font(100)
        width = QFontMetricsF(font).horizontalAdvance(self._text or "0")
        fit = int(100 * (self.width() * 0.96) / width) if width else self.max_px
        return max(self.min_px, min(self.max_px, fit, int(self.height() / 1.2)))

    @staticmethod
    def _font(px: int) -> QFont:
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(px)
        return font

    def sizeHint(self) -> QSize:
        return QSize(800, int(self.max_px * 1.2))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self._font(self.font_px()))
        painter.setPen(self._colour)
        painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self._text)
        painter.end()


def _label(text: str, px: int, colour: str = "#e0e0e0", *, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    weight = "bold" if bold else "normal"
    label.setStyleSheet(f"color: {colour}; font-size: {px}px; font-weight: {weight};")
    return label


class CallDisplay(QWidget):
    """Shows the calls it is given; :meth:`follow` feeds it from the database."""

    def __init__(
        self,
        *,
        timezone: str = "Europe/Paris",
        calls_shown: int = 6,
        chime: bool = False,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guichet — affichage des appels")
        self.setObjectName("call_display")
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#call_display {{ background: {BACKGROUND}; }}")
        self._zone = ZoneInfo(timezone)
        self._now = now
        self.calls_shown = max(1, calls_shown)
        self.chime_enabled = chime
        self._sound: Any = None
        self.chimes = 0  # how many times the chime sounded (a new call, not a repaint)
        self.shown_call_id: int | None = None
        self._feed: CallFeed | None = None
        self._thread: QThread | None = None

        self.header = _label(HEADER.joined(SEPARATOR), 44, "#ffffff", bold=True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.clock_label = _label("", 44, "#ffffff", bold=True)
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QWidget()
        top.setStyleSheet("background: #1b263b;")
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(32, 12, 32, 12)
        top_row.addWidget(self.header, 1)
        top_row.addWidget(self.clock_label)

        self.main = QWidget()
        self.main.setObjectName("current_call")
        self.caption = _label(NOW_CALLING.joined(SEPARATOR), 40, "#b0bec5", bold=True)
        self.number = BigText(NUMBER_COLOUR)
        self.number.setObjectName("call_number")
        self.desk = BigText(DESK_COLOUR)
        self.desk.setObjectName("call_desk")
        self.hint = _label(WAITING.joined(SEPARATOR), 40, "#e0e0e0")
        main_column = QVBoxLayout(self.main)
        main_column.setContentsMargins(32, 8, 32, 8)
        main_column.addWidget(self.caption)
        main_column.addWidget(self.number, 3)
        main_column.addWidget(self.desk, 3)
        main_column.addWidget(self.hint)

        self.previous_title = _label(PREVIOUS.joined(SEPARATOR), 34, "#b0bec5", bold=True)
        self.previous: list[QLabel] = []
        grid = QGridLayout()
        grid.setContentsMargins(32, 0, 32, 16)
        for index in range(self.calls_shown - 1):
            line = _label("", 52, "#ffffff", bold=True)
            line.setObjectName(f"previous_{index}")
            self.previous.append(line)
            grid.addWidget(line, index // 3, index % 3)
        self.problem = _label(PAUSED.joined(SEPARATOR), 30, "#ffcc80", bold=True)
        self.problem.hide()

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(top)
        column.addWidget(self.main, 1)
        column.addWidget(self.previous_title)
        column.addLayout(grid)
        column.addWidget(self.problem)

        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(lambda: self._highlight(False))
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._on_tick)
        self._ticker.start()
        quit_key = QShortcut(QKeySequence("Ctrl+Q"), self)
        quit_key.activated.connect(self.close)
        self.show_calls([])
        self._on_tick()

    # -- what is shown ----------------------------------------------------------------------

    @Slot(list)
    def show_calls(self, calls: list[CallRecord]) -> None:
        """The newest call big, the ones before it below; a new call flashes and chimes."""
        self.problem.hide()
        ordered = newest_first(calls)
        for big in (self.caption, self.number, self.desk):
            big.setVisible(bool(ordered))
        if not ordered:
            self.number.setText("")
            self.desk.setText("")
            self.hint.setText(f"{WAITING.lines()}\n\n{KEEP_TICKET.lines()}")
            self.hint.setStyleSheet("color: #ffffff; font-size: 64px; font-weight: bold;")
        else:
            self.hint.setStyleSheet("color: #e0e0e0; font-size: 40px;")
            newest = ordered[0]
            number, desk = call_text(newest)
            self.number.setText(number)
            self.desk.setText(desk)
            self.hint.setText(GO_TO_DESK.joined(SEPARATOR))
            if newest.call_id != self.shown_call_id:
                self.shown_call_id = newest.call_id
                self._announce()
        earlier = ordered[1 : 1 + len(self.previous)]
        for index, line in enumerate(self.previous):
            call = earlier[index] if index < len(earlier) else None
            line.setText(f"{call.ticket.label} → {call.desk_name}" if call is not None else "")
        self.previous_title.setVisible(len(ordered) > 1)

    @Slot(str)
    def show_problem(self, message: str) -> None:
        """The feed lost the database: the last calls stay, a line says the display paused."""
        log.warning("affichage des appels interrompu : %s", message)
        self.problem.show()

    def _announce(self) -> None:
        self._highlight(True)
        self._flash.start()
        if not self.chime_enabled:
            return
        self.chimes += 1
        if self._sound is None:
            from ui.widgets.camera_view import _beep_sound  # Qt Multimedia, when installed

            self._sound = _beep_sound(self) or False
        if self._sound:
            self._sound.play()
        else:
            QApplication.beep()

    def _highlight(self, on: bool) -> None:
        colour = FLASH_COLOUR if on else BACKGROUND
        self.main.setStyleSheet(f"#current_call {{ background: {colour}; }}")

    def _on_tick(self) -> None:
        now = self._now() if self._now is not None else datetime.now(self._zone)
        self.clock_label.setText(now.astimezone(self._zone).strftime("%H:%M"))

    # -- following the database ---------------------------------------------------------------

    def follow(
        self, source: CallSource, make_watcher: Callable[[], Watcher], *, wait_s: float = 1.0
    ) -> CallFeed:
        """Show the calls of ``source`` from now on, read in a thread of their own."""
        self.stop_following()
        feed = CallFeed(source, make_watcher, limit=self.calls_shown, wait_s=wait_s)
        thread = QThread(self)
        thread.setObjectName("call-feed")
        feed.moveToThread(thread)
        thread.started.connect(feed.run)
        feed.calls_changed.connect(self.show_calls)
        feed.feed_failed.connect(self.show_problem)
        feed.stopped.connect(thread.quit)
        self._feed, self._thread = feed, thread
        thread.start()
        return feed

    def stop_following(self) -> None:
        feed, thread = self._feed, self._thread
        self._feed = self._thread = None
        if feed is None or thread is None:
            return
        feed.request_stop()
        thread.quit()
        thread.wait()
        feed.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        self.stop_following()
        super().closeEvent(event)


class CallSource(Protocol):
    """The part of ``QueueService`` the display reads."""

    def last_call_id(self) -> int: ...
    def recent_calls(self, limit: int = 6) -> list[CallRecord]: ...


class Watcher(Protocol):
    """``handover.queue.watch.CallWatcher``: blocks until a call may have happened."""

    def wait(self, timeout_s: float) -> bool: ...
    def close(self) -> None: ...


class CallFeed(QObject):
    """Reads the calls whenever the watcher says they may have changed (in its own thread).

    The watcher is made in that thread (a PostgreSQL ``LISTEN`` connection belongs to it).
    A database fault is reported once per outage, and the feed keeps trying.
    """

    calls_changed = Signal(list)  # list[CallRecord]
    feed_failed = Signal(str)
    stopped = Signal()

    def __init__(
        self,
        source: CallSource,
        make_watcher: Callable[[], Watcher],
        *,
        limit: int = 6,
        wait_s: float = 1.0,
        retry_s: float = 2.0,
    ) -> None:
        super().__init__()
        self.source = source
        self.make_watcher = make_watcher
        self.limit = limit
        self.wait_s = wait_s
        self.retry_s = retry_s
        self._stop = threading.Event()

    def request_stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        last: int | None = None
        failing = False
        watcher: Watcher | None = None
        try:
            while not self._stop.is_set():
                try:
                    if watcher is None:
                        watcher = self.make_watcher()
                    current = self.source.last_call_id()
                    if current != last or failing:
                        calls = self.source.recent_calls(self.limit)
                        last, failing = current, False
                        self.calls_changed.emit(calls)
                    watcher.wait(self.wait_s)
                except Exception as error:  # the database, the network: keep trying
                    if not failing:
                        failing = True
                        message = error.message if isinstance(error, HandoverError) else str(error)
                        self.feed_failed.emit(message)
                    if watcher is not None:
                        self._close(watcher)
                        watcher = None
                    self._stop.wait(self.retry_s)
        finally:
            if watcher is not None:
                self._close(watcher)
            self.stopped.emit()

    @staticmethod
    def _close(watcher: Watcher) -> None:
        try:
            watcher.close()
        except Exception:
            log.warning("fermeture de l'écoute des appels impossible", exc_info=True)
