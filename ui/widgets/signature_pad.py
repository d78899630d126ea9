"""A pad the holder signs on with a mouse, a finger or a pen; it keeps the picture only."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPointingDevice,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from handover.holder_text import holder_text

# Drawn inside the empty pad, where the holder signs (holder-facing: French and English).
PAD_PROMPT_HOLDER = holder_text("Signez ici", "Sign here").lines()

BASE_WIDTH = 3.0  # pixels, for mouse and touch, and for a pen at half pressure


@dataclass
class Stroke:
    """One pen-down to pen-up: points with the width drawn at each (pressure is not kept)."""

    points: list[QPointF] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)

    def length(self) -> float:
        return sum(
            math.hypot(b.x() - a.x(), b.y() - a.y())
            for a, b in zip(self.points, self.points[1:], strict=False)
        )


@dataclass(frozen=True)
class SignatureRules:
    """What counts as a signature rather than a slip: enough ink over enough room."""

    min_strokes: int = 1
    min_width_px: float = 80.0
    min_height_px: float = 20.0
    min_length_px: float = 120.0


class SignaturePad(QWidget):
    """Draw, clear, undo, and export the static PNG; an empty or tiny scribble is refused."""

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, rules: SignatureRules | None = None
    ) -> None:
        super().__init__(parent)
        self.rules = rules or SignatureRules()
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._tablet_down = False
        self.setMinimumSize(480, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the wizard

    # -- state ----------------------------------------------------------------------------

    @property
    def stroke_count(self) -> int:
        return len(self._strokes)

    def bounding_rect(self) -> QRectF:
        xs = [p.x() for s in self._strokes for p in s.points]
        ys = [p.y() for s in self._strokes for p in s.points]
        if not xs:
            return QRectF()
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def problem(self) -> str | None:
        """Why the drawing is not accepted as a signature, in French; None when it is."""
        if not self._strokes:
            return self.tr("Le titulaire n'a pas encore signé.")
        box = self.bounding_rect()
        length = sum(s.length() for s in self._strokes)
        if (
            len(self._strokes) < self.rules.min_strokes
            or box.width() < self.rules.min_width_px
            or box.height() < self.rules.min_height_px
            or length < self.rules.min_length_px
        ):
            return self.tr("Signature trop courte : demandez au titulaire de signer en entier.")
        return None

    def is_acceptable(self) -> bool:
        return self.problem() is None

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self.update()
            self.changed.emit()

    def to_png(self, margin: int = 8) -> bytes:
        """The drawing cropped to its ink, black on white; no timing, no pressure."""
        box = self.bounding_rect().adjusted(-margin, -margin, margin, margin)
        image = QImage(
            max(1, math.ceil(box.width())),
            max(1, math.ceil(box.height())),
            QImage.Format.Format_Grayscale8,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.translate(-box.topLeft())
        self._paint_strokes(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    # -- drawing --------------------------------------------------------------------------

    def _begin(self, point: QPointF, width: float) -> None:
        self._current = Stroke([point], [width])
        self._strokes.append(self._current)
        self.update()

    def _extend(self, point: QPointF, width: float) -> None:
        if self._current is None:
            return
        last = self._current.points[-1]
        if last == point:
            return
        self._current.points.append(point)
        self._current.widths.append(width)
        margin = max(width, BASE_WIDTH) * 2
        self.update(
            QRectF(last, point)
            .normalized()
            .adjusted(-margin, -margin, margin, margin)
            .toAlignedRect()
        )

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    @staticmethod
    def _from_tablet(event: QMouseEvent) -> bool:
        device = event.device()
        return device is not None and device.type() in (
            QPointingDevice.DeviceType.Stylus,
            QPointingDevice.DeviceType.Airbrush,
            QPointingDevice.DeviceType.Puck,
        )

    def tabletEvent(self, event: QTabletEvent) -> None:
        pressure = event.pressure()
        width = BASE_WIDTH * 2 * pressure if pressure > 0 else BASE_WIDTH
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._tablet_down = True
            self._begin(event.position(), width)
        elif kind == QTabletEvent.Type.TabletMove and self._tablet_down:
            self._extend(event.position(), width)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._tablet_down = False
            self._end()
        # Accepted: Qt then does not synthesize a mouse event for the same pen movement.
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._tablet_down or self._from_tablet(event):
            return  # the same pen movement already drawn by tabletEvent
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), BASE_WIDTH)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._tablet_down or self._from_tablet(event):
            return
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), BASE_WIDTH)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._tablet_down or self._from_tablet(event):
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()

    def _paint_strokes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self._strokes:
            points, widths = stroke.points, stroke.widths
            if len(points) == 1:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("black"))
                painter.drawEllipse(points[0], widths[0] / 2, widths[0] / 2)
                continue
            for i in range(1, len(points)):
                pen = QPen(QColor("black"), (widths[i - 1] + widths[i]) / 2)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawLine(points[i - 1], points[i])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#90a4ae"), 2, Qt.PenStyle.DashLine))
        baseline = self.height() - 40
        painter.drawLine(24, baseline, self.width() - 24, baseline)
        painter.setPen(QPen(QColor("#546e7a"), 2))
        painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        if not self._strokes:
            painter.setPen(QColor("#546e7a"))
            painter.drawText(
                self.rect().adjusted(0, 0, 0, -50),
                Qt.AlignmentFlag.AlignCenter,
                PAD_PROMPT_HOLDER,
            )
        self._paint_strokes(painter)
        painter.end()
