"""The signature pad: mouse and pen strokes, clear and undo, refusals, the PNG it keeps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from tests.ui.counter_fixtures import draw_signature, draw_stroke
from ui.widgets.signature_pad import SignaturePad


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad()
    widget.resize(600, 260)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_empty_pad_is_refused(pad: SignaturePad) -> None:
    assert not pad.is_acceptable()
    assert "pas encore signé" in pad.problem()


@pytest.mark.parametrize(
    "points",
    [
        [(100, 100), (101, 100)],  # a dot
        [(100, 100), (130, 100)],  # a dash
        [(100, 100), (100, 200)],  # a vertical line: tall but narrow
    ],
)
def test_a_trivial_mark_is_refused(pad: SignaturePad, points) -> None:
    draw_stroke(pad, points)
    assert pad.stroke_count == 1
    assert "trop courte" in pad.problem()


def test_a_drawn_signature_is_accepted_and_kept_as_a_cropped_png(pad: SignaturePad) -> None:
    draw_signature(pad)
    assert pad.stroke_count == 2
    assert pad.problem() is None
    png = pad.to_png(margin=8)
    image = QImage.fromData(png, "PNG")
    assert png.startswith(b"\x89PNG")
    box = pad.bounding_rect()
    assert abs(image.width() - (box.width() + 16)) <= 1
    assert abs(image.height() - (box.height() + 16)) <= 1
    assert image.isGrayscale()
    # Only pixels: no text chunk can carry timing or pressure.
    assert b"tEXt" not in png
    assert b"iTXt" not in png


def test_undo_removes_the_last_stroke_and_clear_removes_all(pad: SignaturePad, qtbot) -> None:
    draw_signature(pad)
    with qtbot.waitSignal(pad.changed):
        pad.undo()
    assert pad.stroke_count == 1
    pad.clear()
    assert pad.stroke_count == 0
    assert not pad.is_acceptable()


def _stylus() -> QPointingDevice:
    return QPointingDevice(
        "test pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )


def _tablet(pad, device, kind, x, y, pressure):
    point = QPointF(x, y)
    buttons = (
        Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
    )
    event = QTabletEvent(
        kind,
        device,
        point,
        point,
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.LeftButton,
        buttons,
    )
    QApplication.sendEvent(pad, event)


def _mouse(pad, kind, x, y):
    point = QPointF(x, y)
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    buttons = (
        Qt.MouseButton.NoButton
        if kind == QEvent.Type.MouseButtonRelease
        else Qt.MouseButton.LeftButton
    )
    QApplication.sendEvent(
        pad, QMouseEvent(kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier)
    )


def test_pen_and_mouse_events_of_one_stroke_draw_it_once(pad: SignaturePad) -> None:
    device = _stylus()
    points = [(50 + 20 * i, 100 + (i % 2) * 40) for i in range(15)]
    for n, (x, y) in enumerate(points):
        if n == 0:
            _tablet(pad, device, QEvent.Type.TabletPress, x, y, 0.2)
            _mouse(pad, QEvent.Type.MouseButtonPress, x, y)  # what a platform may add
        elif n == len(points) - 1:
            _tablet(pad, device, QEvent.Type.TabletRelease, x, y, 0.0)
            _mouse(pad, QEvent.Type.MouseButtonRelease, x, y)
        else:
            _tablet(pad, device, QEvent.Type.TabletMove, x, y, 0.2 + n / 20)
            _mouse(pad, QEvent.Type.MouseMove, x, y)
    assert pad.stroke_count == 1
    stroke = pad._strokes[0]
    assert len(stroke.points) == len(points) - 1  # the release adds no point
    # Harder pressure, wider line; the mouse alone draws a constant width.
    assert stroke.widths[-1] > stroke.widths[0]
    draw_stroke(pad, [(50, 200), (300, 220), (500, 200)])
    assert set(pad._strokes[1].widths) == {pad._strokes[1].widths[0]}
