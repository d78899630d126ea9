"""The camera view on a fake camera: reads once per code, outlines, flash, failures."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from handover.scanning.camera import DuplicateSuppressor, FakeCamera
from handover.scanning.decoders import CODE128, DATAMATRIX, QR, Frame, make_decoder
from tests.handover.scanning.frames import CODES, code_frame, empty_frame
from ui.widgets.camera_view import CameraView


def make_view(qtbot: QtBot, frames: list[Frame], **camera: object) -> tuple[CameraView, FakeCamera]:
    fake = FakeCamera(frames, **camera)  # type: ignore[arg-type]
    view = CameraView(fake, make_decoder("zxing"), DuplicateSuppressor(hold_seconds=2.0))
    qtbot.addWidget(view)
    view.resize(640, 360)
    return view, fake


def test_each_code_is_read_once_while_it_stays_in_view(qtbot: QtBot) -> None:
    frames = [empty_frame()]
    for symbology in (QR, CODE128, DATAMATRIX):
        # The code stays in front of the camera for several frames, each with its own noise.
        frames += [code_frame(symbology, seed=seed) for seed in range(4)]
    frames += [empty_frame()]
    view, fake = make_view(qtbot, frames)
    read: list[str] = []
    view.code_read.connect(read.append)

    with qtbot.waitSignal(view.stopped, timeout=20_000):
        view.start()

    assert fake.frames_read == len(frames)
    assert read == [CODES[QR], CODES[CODE128], CODES[DATAMATRIX]]
    assert not fake.is_open
    assert not view.is_running


def test_a_read_flashes_and_the_code_is_outlined_in_green(qtbot: QtBot) -> None:
    view, _ = make_view(qtbot, [code_frame(QR)] * 3)
    view.show()
    with qtbot.waitSignal(view.code_read, timeout=10_000):
        view.start()
    assert view.is_flashing
    qtbot.waitUntil(lambda: not view.is_flashing, timeout=2_000)
    qtbot.waitUntil(lambda: not view.is_running, timeout=10_000)

    pixels = view.grab().toImage()
    green = 0
    for y in range(0, pixels.height(), 2):
        for x in range(0, pixels.width(), 2):
            colour = pixels.pixelColor(x, y)
            green += colour.green() > 150 and colour.red() < 80 and colour.blue() < 120
    assert green > 50  # the outline, drawn over a grey frame


def test_closing_the_view_stops_the_camera(qtbot: QtBot) -> None:
    view, fake = make_view(qtbot, [empty_frame()] * 10_000)
    view.show()
    with qtbot.waitSignal(view.stopped, timeout=10_000):
        view.start()
        qtbot.waitUntil(lambda: fake.frames_read > 2, timeout=10_000)
        view.close()
    assert not fake.is_open
    assert fake.frames_read < 10_000


def test_a_busy_camera_is_explained_in_french(qtbot: QtBot) -> None:
    view, _ = make_view(qtbot, [], unavailable="busy")
    with qtbot.waitSignal(view.camera_failed, timeout=5_000) as failed:
        view.start()
    assert "occupée par une autre application" in failed.args[0]
    assert view.message == failed.args[0]
    qtbot.waitUntil(lambda: not view.is_running, timeout=5_000)


def test_a_missing_camera_is_explained_in_french(qtbot: QtBot) -> None:
    view, _ = make_view(qtbot, [], unavailable="absent")
    with qtbot.waitSignal(view.camera_failed, timeout=5_000) as failed:
        view.start()
    assert failed.args[0].startswith("Aucune caméra détectée.")
    image = view.grab().toImage()
    # Light text drawn on the dark background where the picture would be.
    lightness = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    ]
    assert sum(value > 200 for value in lightness) > 100


class PlayedCamera(FakeCamera):
    """A fake camera that says when its last frame has been read."""

    def __init__(self, frames: list[Frame]) -> None:
        super().__init__(frames)
        self.exhausted = threading.Event()

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is None:
            self.exhausted.set()
        return frame


def test_a_busy_ui_thread_gets_one_preview_not_a_queue_and_no_code_is_lost(
    qtbot: QtBot,
) -> None:
    frames = [empty_frame()] * 10 + [code_frame(QR, seed=seed) for seed in range(2)]
    camera = PlayedCamera(frames)
    view = CameraView(camera, make_decoder("zxing"), DuplicateSuppressor(hold_seconds=2.0))
    qtbot.addWidget(view)
    read: list[str] = []
    view.code_read.connect(read.append)

    view.start()
    # The UI thread is busy (here: blocked) while the worker decodes every frame.
    assert camera.exhausted.wait(timeout=20)
    qtbot.waitUntil(lambda: not view.is_running, timeout=10_000)

    assert camera.frames_read == len(frames)  # every frame was decoded...
    assert view.frames_shown == 1  # ...one preview was waiting, not twelve
    assert view.previews_dropped == len(frames) - 1
    assert read == [CODES[QR]]  # a code seen while previews were dropped is still read
