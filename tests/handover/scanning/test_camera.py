"""Camera access, the fake camera, generated frames and duplicate suppression."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from handover.errors import HandoverError
from handover.scanning.camera import (
    CameraUnavailable,
    DuplicateSuppressor,
    FakeCamera,
    OpenCvCamera,
    prepare_decoding_thread,
    render_code_frame,
)
from handover.scanning.decoders import QR, Frame


class FakeCapture:
    """Stands in for cv2.VideoCapture: opened or not, giving a frame or not."""

    def __init__(self, opened: bool, reads: bool) -> None:
        self.opened, self.reads, self.released = opened, reads, False

    def isOpened(self) -> bool:
        return self.opened

    def read(self) -> tuple[bool, Frame | None]:
        if self.reads:
            return True, np.zeros((4, 4, 3), dtype=np.uint8)
        return False, None

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.released = True


def camera_with(capture: FakeCapture, device: bool | None) -> OpenCvCamera:
    return OpenCvCamera(0, capture_factory=lambda _index: capture, device_exists=lambda _i: device)


@pytest.mark.skipif(Path("/dev/video97").exists(), reason="this machine has a 98th camera")
def test_no_camera_at_that_index_says_none_was_detected() -> None:
    camera = OpenCvCamera(97)
    with pytest.raises(CameraUnavailable) as raised:
        camera.open()
    assert raised.value.message.startswith("Aucune caméra détectée.")
    assert isinstance(raised.value, HandoverError)


def test_a_device_that_exists_but_will_not_open_is_busy() -> None:
    capture = FakeCapture(opened=False, reads=False)
    with pytest.raises(CameraUnavailable, match="occupée par une autre application"):
        camera_with(capture, device=True).open()
    assert capture.released


def test_a_device_that_opens_but_gives_no_frame_is_busy() -> None:
    capture = FakeCapture(opened=True, reads=False)
    with pytest.raises(CameraUnavailable, match="occupée par une autre application"):
        camera_with(capture, device=True).open()
    assert capture.released


def test_where_the_platform_cannot_tell_the_message_names_both_causes() -> None:
    with pytest.raises(CameraUnavailable) as raised:
        camera_with(FakeCapture(opened=False, reads=False), device=None).open()
    assert "absente ou occupée" in raised.value.message
    assert raised.value.problem == "unknown"


def test_an_opened_camera_gives_frames_and_is_released_on_close() -> None:
    capture = FakeCapture(opened=True, reads=True)
    camera = camera_with(capture, device=True)
    camera.open()
    frame = camera.read()
    assert frame is not None
    assert frame.shape == (4, 4, 3)
    camera.close()
    assert capture.released
    assert camera.read() is None


def test_the_fake_camera_plays_its_frames_once() -> None:
    frames = [np.full((2, 2, 3), i, dtype=np.uint8) for i in range(3)]
    camera = FakeCamera(frames)
    camera.open()
    played = [camera.read() for _ in range(4)]
    assert [int(f[0, 0, 0]) for f in played if f is not None] == [0, 1, 2]
    assert played[3] is None


def test_the_fake_camera_can_be_unavailable() -> None:
    with pytest.raises(CameraUnavailable, match="Aucune caméra détectée"):
        FakeCamera([], unavailable="absent").open()


def test_a_rendered_frame_has_the_asked_size_and_noise() -> None:
    frame = render_code_frame("K3P97QXAM", QR, (640, 480), noise=8.0, blur=0, rotation_deg=0)
    assert frame.shape == (480, 640, 3)
    assert frame.dtype == np.uint8
    corner = frame[:40, :40, 0].astype(float)  # background only
    assert corner.std() == pytest.approx(8.0, rel=0.2)


def test_a_code_too_big_for_the_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        render_code_frame("K3P97QXAM", QR, (640, 480), code_fraction=0.5, center=(0.1, 0.5))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_code_in_front_of_the_camera_is_let_through_once() -> None:
    clock = Clock()
    suppressor = DuplicateSuppressor(hold_seconds=2.0, clock=clock)
    seen = []
    for _ in range(30):  # one second of frames at 30 fps
        seen += suppressor.admit(["A"])
        clock.now += 1 / 30
    assert seen == ["A"]


def test_a_code_missed_for_a_few_frames_is_not_read_again() -> None:
    clock = Clock()
    suppressor = DuplicateSuppressor(hold_seconds=2.0, clock=clock)
    frames = [["A"], [], [], ["A"], ["A", "B"], ["B"], ["A"]]
    seen = []
    for texts in frames:
        seen += suppressor.admit(texts)
        clock.now += 0.2
    assert seen == ["A", "B"]


def test_a_code_shown_again_after_the_hold_time_is_read_again() -> None:
    clock = Clock()
    suppressor = DuplicateSuppressor(hold_seconds=2.0, clock=clock)
    assert suppressor.admit(["A"]) == ["A"]
    clock.now += 1.0
    assert suppressor.admit([]) == []
    clock.now += 1.5  # 2.5 s since A was last seen
    assert suppressor.admit(["A"]) == ["A"]


def test_the_same_code_twice_in_one_frame_counts_once() -> None:
    suppressor = DuplicateSuppressor(clock=Clock())
    assert suppressor.admit(["A", "A"]) == ["A"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_the_decoding_thread_yields_to_the_counter() -> None:
    import cv2

    seen: dict[str, int] = {}

    def decoding_thread() -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        prepare_decoding_thread()
        seen["raised"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - before

    worker = threading.Thread(target=decoding_thread)
    worker.start()
    worker.join()
    assert seen["raised"] > 0 or os.getpriority(os.PRIO_PROCESS, 0) >= 19
    assert cv2.getNumThreads() == 1
    # Only that thread was lowered, not the process running the counter.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19
