"""The waiting-room display: huge, bilingual, newest call first, a chime per new call."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from handover.errors import DatabaseUnavailable
from handover.queue.service import QueueService
from handover.queue.values import CallRecord, Ticket, TicketStatus
from handover.queue.watch import CallWatcher
from tests.ui.queue_fixtures import (
    OPEN,
    Room,
    queue_template_fixture,
    room_with_tickets,
)
from ui.display.window import CallDisplay

__all__ = ["queue_template_fixture"]

MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def call(call_id: int, number: int, desk: str, minutes: int) -> CallRecord:
    at = MORNING + timedelta(minutes=minutes)
    ticket = Ticket(
        ticket_id=100 + number,
        number=number,
        day=date(2026, 11, 27),
        permit_id=500 + number,
        reference=None,
        status=TicketStatus.CALLED,
        priority=None,
        issued_at=MORNING,
        called_at=at,
        desk_name=desk,
        fee_cents=22500,
        needs_previous_card=False,
    )
    return CallRecord(call_id, ticket, desk, at)


@pytest.fixture(name="display")
def display_fixture(qtbot) -> CallDisplay:
    display = CallDisplay(calls_shown=6, chime=False, now=lambda: MORNING)
    qtbot.addWidget(display)
    display.resize(1920, 1080)  # a television
    display.show()
    qtbot.waitExposed(display)
    return display


def ink_rows(display: CallDisplay, part: QWidget, ink: tuple[int, int, int]) -> int:
    """How many pixel rows of ``part`` hold its text colour, as seen on the screen."""
    image = display.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    pixels = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        .reshape(image.height(), image.width(), 3)
    )
    top_left = part.mapTo(display, part.rect().topLeft())
    box = pixels[
        top_left.y() : top_left.y() + part.height(), top_left.x() : top_left.x() + part.width()
    ].astype(int)
    close = (np.abs(box - np.array(ink)).sum(axis=2) < 60).any(axis=1)
    rows = np.where(close)[0]
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def test_newest_call_is_huge_and_the_earlier_ones_listed(display: CallDisplay, qtbot) -> None:
    display.show_calls(
        [call(1, 40, "Guichet 1", 1), call(3, 42, "Guichet 2", 5), call(2, 41, "Guichet 3", 3)]
    )
    qtbot.wait(10)

    assert display.number.text() == "Ticket 042"
    assert display.desk.text() == "→ Guichet 2"
    assert [line.text() for line in display.previous[:3]] == [
        "041 → Guichet 3",
        "040 → Guichet 1",
        "",
    ]
    # Readable from the back of the room: at least 120 pixels of ink, number and desk.
    assert ink_rows(display, display.number, (0xFF, 0xD5, 0x4F)) >= 120
    assert ink_rows(display, display.desk, (0xFF, 0xFF, 0xFF)) >= 120


def test_everything_is_said_in_french_and_english(display: CallDisplay) -> None:
    display.show_calls([])
    assert "En attente du premier appel" in display.hint.text()
    assert "Waiting for the first call" in display.hint.text()

    display.show_calls([call(1, 7, "Guichet 1", 0)])
    assert "Présentez-vous" in display.hint.text()
    assert "Please go to the desk" in display.hint.text()
    assert "Now calling" in display.caption.text()


def test_long_desk_name_is_shrunk_but_never_below_the_floor(display: CallDisplay, qtbot) -> None:
    display.show_calls([call(1, 123, "Guichet 12 — étage", 0)])
    qtbot.wait(10)

    assert display.desk.font_px() >= display.desk.min_px
    assert ink_rows(display, display.desk, (0xFF, 0xFF, 0xFF)) >= 120


class CountingSound:
    def __init__(self) -> None:
        self.played = 0

    def play(self) -> None:
        self.played += 1


def test_a_new_call_chimes_once_a_repeat_of_the_same_list_does_not(qtbot) -> None:
    display = CallDisplay(chime=True, now=lambda: MORNING)
    qtbot.addWidget(display)
    sound = CountingSound()
    display._sound = sound  # the chime's sound device, replaced: no noise in tests

    first = [call(1, 1, "Guichet 1", 0)]
    display.show_calls(first)
    display.show_calls(first)  # the feed read the same calls again
    display.show_calls([*first, call(2, 2, "Guichet 2", 1)])

    assert sound.played == 2
    assert display.chimes == 2


def test_without_chime_a_call_is_silent(display: CallDisplay) -> None:
    display.show_calls([call(1, 1, "Guichet 1", 0)])
    assert display.chimes == 0


# -- following the database ------------------------------------------------------------------


@pytest.fixture(name="room")
def room_fixture(tmp_path: Path, queue_template) -> Iterator[Room]:
    room = room_with_tickets(tmp_path, queue_template, 3)
    yield room
    room.engine.dispose()


def test_the_display_follows_the_desks_calls(display: CallDisplay, room: Room, qtbot) -> None:
    display.follow(room.queue, lambda: CallWatcher(room.engine, poll_s=0.05), wait_s=0.2)
    qtbot.waitUntil(lambda: display.hint.text() != "", timeout=5000)

    room.queue.call_next("Guichet 2", room.agent)
    qtbot.waitUntil(lambda: display.number.text() == "Ticket 001", timeout=5000)
    room.queue.call_next("Guichet 3", room.agent)
    qtbot.waitUntil(lambda: display.number.text() == "Ticket 002", timeout=5000)

    assert display.desk.text() == "→ Guichet 3"
    assert display.previous[0].text() == "001 → Guichet 2"
    display.stop_following()


CALL_IN_ANOTHER_PROCESS = """
import sys
from datetime import datetime
from handover.config import Config, DatabaseConfig, DeskConfig
from handover.domain.clock import FakeClock
from handover.persistence.db import open_database
from handover.queue.service import QueueService
url, password, at = sys.argv[1:4]
config = Config(database=DatabaseConfig(url=url), desk=DeskConfig(name="Guichet 4"))
engine = open_database(url)
queue = QueueService(engine, config, clock=FakeClock(datetime.fromisoformat(at)))
agent = queue.counter.login("agent1", password)
print(queue.call_next("Guichet 4", agent).ticket.label)
"""


def test_a_call_made_by_another_process_reaches_the_display(
    display: CallDisplay, room: Room, qtbot
) -> None:
    display.follow(room.queue, lambda: CallWatcher(room.engine, poll_s=0.05), wait_s=0.2)
    desk = subprocess.run(
        [
            sys.executable,
            "-c",
            CALL_IN_ANOTHER_PROCESS,
            room.config.database_url,
            room.password,
            OPEN.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert desk.stdout.strip() == "001"

    qtbot.waitUntil(lambda: display.desk.text() == "→ Guichet 4", timeout=5000)
    assert display.number.text() == "Ticket 001"
    display.stop_following()


class LosingSource:
    """The real service, whose connection drops for the first ``failures`` reads."""

    def __init__(self, queue: QueueService, failures: int) -> None:
        self.queue = queue
        self.failures = failures

    def last_call_id(self) -> int:
        if self.failures:
            self.failures -= 1
            raise DatabaseUnavailable("La base de données ne répond pas.")
        return self.queue.last_call_id()

    def recent_calls(self, limit: int = 6) -> list[CallRecord]:
        return self.queue.recent_calls(limit)


def test_a_lost_database_pauses_the_display_then_it_resumes(
    display: CallDisplay, room: Room, qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    room.queue.call_next("Guichet 2", room.agent)
    feed = display.follow(
        LosingSource(room.queue, failures=1),
        lambda: CallWatcher(room.engine, poll_s=0.05),
        wait_s=0.2,
    )
    feed.retry_s = 0.1
    qtbot.waitUntil(lambda: display.number.text() == "Ticket 001", timeout=5000)

    assert "affichage des appels interrompu" in caplog.text  # the pause was shown
    assert not display.problem.isVisibleTo(display)  # and lifted by the next reading
    display.stop_following()


def test_the_problem_line_is_bilingual_and_keeps_the_last_calls(display: CallDisplay) -> None:
    display.show_calls([call(1, 9, "Guichet 1", 0)])
    display.show_problem("La base de données ne répond pas.")

    assert display.problem.isVisibleTo(display)
    assert "Display paused" in display.problem.text()
    assert display.number.text() == "Ticket 009"
