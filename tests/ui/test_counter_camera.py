"""The webcam in the counter window: F2 shows it, what it reads goes where a scan would."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from handover.config import CameraConfig, Config
from handover.domain.clock import FakeClock
from handover.domain.values import VerdictKind
from handover.persistence.db import open_database
from handover.receipts.printers import FakePrinter
from handover.scanning.camera import FakeCamera, render_code_frame
from handover.scanning.decoders import QR, Frame
from handover.scanning.reference import format_reference
from tests.handover.scanning.frames import empty_frame
from tests.ui.counter_fixtures import (
    OPEN_AT,
    KeyClock,
    counter_config,
    focused,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    settle,
    show,
    track,
)
from ui.app import build_window
from ui.main_window import MainWindow
from ui.widgets.camera_view import NO_CAMERA_SUPPORT
from ui.widgets.handover_wizard import Step

FIXTURES = (seeded_template_fixture,)


def qr_frames(text: str, count: int = 3) -> list[Frame]:
    return [render_code_frame(text, QR, (640, 360), noise=4.0, seed=seed) for seed in range(count)]


def camera_window(
    qtbot: QtBot, tmp_path: Path, template, camera: FakeCamera, *, enabled: bool = True
) -> tuple[MainWindow, KeyClock, object]:
    source, passwords = template
    (tmp_path / "counter.sqlite3").write_bytes(source.read_bytes())
    config: Config = dataclasses.replace(
        counter_config(tmp_path), camera=CameraConfig(enabled=enabled, backend="zxing")
    )
    engine = open_database(config.database_url)
    keys = KeyClock()
    made: list[CameraConfig] = []

    def factory(settings: CameraConfig) -> FakeCamera:
        made.append(settings)
        return camera

    window = build_window(
        engine,
        config,
        printer=FakePrinter(),
        clock=FakeClock(OPEN_AT),
        camera_factory=factory,
        key_clock=keys,
    )
    window.presenter._run = lambda job: job()
    show(qtbot, window)
    page = window.login_page
    for field, text in ((page.username, "agent1"), (page.password, passwords["agent1"])):
        for char in text:  # a person: a burst on the login page is refused as a scan
            keys.pause(150)
            qtbot.keyClicks(field, char)
    keys.pause(150)
    with qtbot.waitSignal(window.presenter.logged_in):
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
    track(window.presenter)
    settle()
    assert window.stack.currentWidget() is window.counter_page
    return window, keys, engine


def test_f2_shows_the_camera_and_a_read_reference_gives_its_verdict(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    source_engine = open_database(f"sqlite:///{seeded_template[0]}")
    permit = ready_permit(source_engine)
    source_engine.dispose()
    camera = FakeCamera([empty_frame((640, 360)), *qr_frames(permit.reference)])
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, camera)
    assert window.camera_view is not None
    assert not window.camera_panel.isVisible()

    with qtbot.waitSignal(window.presenter.verdict_ready, timeout=10_000) as verdict:
        press(focused(), Qt.Key.Key_F2, keys)
        assert window.camera_panel.isVisible()
    assert verdict.args[0].kind == VerdictKind.READY
    assert verdict.args[0].permit.permit_id == permit.permit_id
    assert window.wizard.isVisible()
    assert focused() is window.wizard.identity_field
    qtbot.waitUntil(lambda: not window.camera_view.is_running, timeout=10_000)
    press(focused(), Qt.Key.Key_F2, keys)
    assert not window.camera_panel.isVisible()
    window.watch.stop()
    engine.dispose()


def test_in_a_handover_the_camera_feeds_the_current_step(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    source_engine = open_database(f"sqlite:///{seeded_template[0]}")
    permit = ready_permit(source_engine)
    source_engine.dispose()
    # A tax stamp's 16 digits as a QR code (the stamp's own 2D code is not confirmed).
    camera = FakeCamera(qr_frames("1234567812345678"))
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, camera)
    scan(window.scan_field, format_reference(permit.reference), keys)
    wizard = window.wizard
    scan(focused(), passport_mrz(permit.surname, permit.given_names, permit.birth_date), keys)
    assert wizard.step == Step.STAMPS
    with qtbot.waitSignal(window.camera_view.code_read, timeout=10_000):
        press(focused(), Qt.Key.Key_F2, keys)
    settle()  # the stamp's check answers from the core's thread
    # The stamp read by the camera asks for its amount, as a scanned one does.
    assert wizard.stamp_amount.isVisible()
    assert "5678" in wizard.stamps_step.amount_label.text()
    assert window.presenter.verdict.kind == VerdictKind.READY  # no new verdict
    window.watch.stop()
    engine.dispose()


def test_an_unavailable_camera_says_why_and_the_scanner_still_works(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    camera = FakeCamera([], unavailable="absent")
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, camera)
    with qtbot.waitSignal(window.camera_view.camera_failed, timeout=5_000) as failed:
        press(focused(), Qt.Key.Key_F2, keys)
    assert failed.args[0].startswith("Aucune caméra détectée.")
    assert window.camera_view.message == failed.args[0]
    assert window.camera_panel.isVisible()
    assert focused() is window.scan_field
    with qtbot.waitSignal(window.presenter.verdict_ready):
        scan(window.scan_field, "0000000000", keys)
    window.watch.stop()
    engine.dispose()


def test_without_the_camera_setting_there_is_no_camera(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    camera = FakeCamera([])
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, camera, enabled=False)
    assert window.camera_view is None
    assert not window.camera_button.isVisible()
    press(focused(), Qt.Key.Key_F2, keys)
    assert not window.camera_panel.isVisible()
    assert not camera.is_open
    window.watch.stop()
    engine.dispose()


def test_without_opencv_f2_says_which_installation_has_the_camera(
    qtbot: QtBot, tmp_path: Path, seeded_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standard bundle has no OpenCV: the camera enabled anyway opens no camera view, and
    F2 says so instead of failing (``sys.modules['cv2'] = None``: ``import cv2`` fails)."""
    monkeypatch.setitem(sys.modules, "cv2", None)
    camera = FakeCamera([])
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, camera)
    assert window.camera_view is None
    press(focused(), Qt.Key.Key_F2, keys)
    panel = window.verdict_panel
    assert panel._headline.text() == "PAS DE CAMÉRA"
    assert panel._details.text() == "\n".join(NO_CAMERA_SUPPORT)
    assert "« guichet-camera »" in panel._details.text()
    assert not window.camera_panel.isVisible()
    assert not camera.is_open
    assert focused() is window.scan_field  # the scanner still works
    with qtbot.waitSignal(window.presenter.verdict_ready):
        scan(window.scan_field, "0000000000", keys)
    window.watch.stop()
    engine.dispose()


def test_without_opencv_f2_in_a_handover_keeps_the_verdict_and_tells_the_step(
    qtbot: QtBot, tmp_path: Path, seeded_template, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_engine = open_database(f"sqlite:///{seeded_template[0]}")
    permit = ready_permit(source_engine)
    source_engine.dispose()
    monkeypatch.setitem(sys.modules, "cv2", None)
    window, keys, engine = camera_window(qtbot, tmp_path, seeded_template, FakeCamera([]))
    scan(window.scan_field, format_reference(permit.reference), keys)
    assert window.in_handover
    headline = window.verdict_panel._headline.text()
    press(focused(), Qt.Key.Key_F2, keys)
    assert window.verdict_panel._headline.text() == headline  # the permit's verdict stays
    assert window.wizard.problem.text() == "\n".join(NO_CAMERA_SUPPORT)
    assert window.wizard.problem.isVisible()
    assert focused() is window.wizard.identity_field  # the step goes on
    window.watch.stop()
    engine.dispose()


def test_with_opencv_and_the_camera_off_f2_says_nothing(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    window, keys, engine = camera_window(
        qtbot, tmp_path, seeded_template, FakeCamera([]), enabled=False
    )
    before = window.verdict_panel._details.text()
    press(focused(), Qt.Key.Key_F2, keys)
    assert window.verdict_panel._details.text() == before
    assert NO_CAMERA_SUPPORT[0] not in before
    window.watch.stop()
    engine.dispose()
