"""Repaint a signed signature pad many times and report ``None``'s reference count.

Run in its own process by ``test_pyside_refcount.py`` (``python -m tests.ui.paint_loop``):
with PySide6 6.12.0 on CPython 3.11 every Qt call that returns nothing took one reference
from ``None``, so this loop aborts the interpreter ("none_dealloc") or, with a count large
enough to survive, leaves it far lower than it found it. Prints one JSON line at the end.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPaintEvent
from PySide6.QtWidgets import QApplication

from ui.widgets.signature_pad import SignaturePad

# Void Qt calls per drawn segment in SignaturePad._paint_strokes: QPen.setCapStyle,
# QPen.setJoinStyle, QPainter.setPen, QPainter.drawLine.
VOID_CALLS_PER_SEGMENT = 4


class CountedPad(SignaturePad):
    """The real pad; only counts how many times Qt made it paint."""

    paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        super().paintEvent(event)


def _mouse(pad: SignaturePad, kind: QEvent.Type, point: QPointF) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        point,
        pad.mapToGlobal(point),
        button,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(pad, event)


def sign(pad: SignaturePad, points: int) -> None:
    """One stroke drawn as a mouse would: press, ``points`` moves, release."""
    width, height = pad.width() - 40, pad.height() - 60

    def at(i: int) -> QPointF:
        t = i / points
        return QPointF(20 + width * t, 30 + height / 2 * (1 + math.sin(t * 6 * math.pi)))

    _mouse(pad, QEvent.Type.MouseButtonPress, at(0))
    for i in range(1, points + 1):
        _mouse(pad, QEvent.Type.MouseMove, at(i))
    _mouse(pad, QEvent.Type.MouseButtonRelease, at(points))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=500, help="points of the signature")
    parser.add_argument("--paints", type=int, default=200, help="full repaints of the pad")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    pad = CountedPad()
    pad.resize(640, 240)
    pad.show()
    sign(pad, args.points)
    segments = sum(len(s.points) - 1 for s in pad._strokes)
    gc.collect()
    pad.paints = 0
    before = sys.getrefcount(None)
    for _ in range(args.paints):
        pad.grab()  # paintEvent through Qt, as each mouse move caused on a desk
    gc.collect()
    after = sys.getrefcount(None)
    pad.close()
    del app
    print(
        json.dumps(
            {
                "none_refcount_before": before,
                "none_refcount_after": after,
                "segments": segments,
                "paints": pad.paints,
                "void_calls": segments * VOID_CALLS_PER_SEGMENT * pad.paints,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
