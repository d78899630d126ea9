"""Small charts drawn with QPainter: vertical bars per day or desk, horizontal bars for shares.

PySide6-Essentials has no QtCharts; these two widgets draw what the dashboard needs, with
every value written next to its bar so that nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = "#0d47a1"
AXIS_COLOUR = "#37474f"
GRID_COLOUR = "#cfd8dc"
TEXT_COLOUR = "#102027"
TITLE_PX = 22
LABEL_PX = 17


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, how many, and an optional text to write instead of the count."""

    label: str
    value: float
    text: str = ""

    @property
    def shown(self) -> str:
        return self.text or f"{self.value:g}"


def _font(px: int, *, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._bars: tuple[Bar, ...] = ()
        self._empty_text = "Aucune donnée sur la période."
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def title(self) -> str:
        return self._title

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def set_bars(self, bars: Sequence[Bar], *, empty_text: str | None = None) -> None:
        self._bars = tuple(bars)
        if empty_text is not None:
            self._empty_text = empty_text
        self.updateGeometry()
        self.update()

    def _begin(self, painter: QPainter) -> QRectF:
        """Paint the background and the title; the rectangle left for the chart."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor(GRID_COLOUR), 2))
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.setFont(_font(TITLE_PX, bold=True))
        painter.setPen(QColor(TEXT_COLOUR))
        title_h = QFontMetrics(painter.font()).height() + 12
        painter.drawText(
            QRectF(12, 8, self.width() - 24, title_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._title,
        )
        area = QRectF(12, 8 + title_h, self.width() - 24, self.height() - title_h - 20)
        if not self._bars or all(b.value == 0 for b in self._bars):
            painter.setFont(_font(LABEL_PX))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return QRectF()
        return area


class BarChart(_Chart):
    """Vertical bars with the value above each bar and the label below it."""

    def minimumSizeHint(self) -> QSize:
        return QSize(360, 280)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = self._begin(painter)
        if area.isEmpty():
            painter.end()
            return
        label_font = _font(LABEL_PX)
        metrics = QFontMetrics(label_font)
        line = metrics.height()
        top = _nice_top(max(b.value for b in self._bars))
        axis_w = metrics.horizontalAdvance(f"{top:g}") + 10
        plot = QRectF(area.left() + axis_w, area.top() + line + 4, area.width() - axis_w, 0)
        plot.setBottom(area.bottom() - line - 8)
        painter.setFont(label_font)
        # Horizontal grid lines at 0, ½ and the top, numbered on the left.
        for fraction in (0.0, 0.5, 1.0):
            y = plot.bottom() - fraction * plot.height()
            painter.setPen(QPen(QColor(GRID_COLOUR if fraction else AXIS_COLOUR), 1))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor(AXIS_COLOUR))
            painter.drawText(
                QRectF(area.left(), y - line / 2, axis_w - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{top * fraction:g}",
            )
        slot = plot.width() / len(self._bars)
        bar_w = max(2.0, min(slot * 0.7, 90.0))
        widest_label = max(metrics.horizontalAdvance(b.label) for b in self._bars)
        # Skip labels rather than let them overlap: every n-th one is written.
        label_every = max(1, int((widest_label + 8) // max(slot, 1)) + 1)
        values_fit = max(metrics.horizontalAdvance(b.shown) for b in self._bars) <= slot - 2
        for i, bar in enumerate(self._bars):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            h = plot.height() * bar.value / top
            painter.fillRect(QRectF(x, plot.bottom() - h, bar_w, h), QColor(BAR_COLOUR))
            centre = QRectF(plot.left() + i * slot - slot, 0, slot * 3, line)
            painter.setPen(QColor(TEXT_COLOUR))
            if values_fit or bar.value == max(b.value for b in self._bars):
                centre.moveTop(plot.bottom() - h - line - 2)
                painter.drawText(centre, Qt.AlignmentFlag.AlignCenter, bar.shown)
            if i % label_every == 0:
                centre.moveTop(plot.bottom() + 4)
                painter.drawText(centre, Qt.AlignmentFlag.AlignCenter, bar.label)
        painter.end()


class ShareChart(_Chart):
    """Horizontal bars, one per line: label, bar, then the count and its share in %."""

    def minimumSizeHint(self) -> QSize:
        line = QFontMetrics(_font(LABEL_PX)).height()
        return QSize(360, 60 + max(3, len(self._bars)) * (line + 12))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = self._begin(painter)
        if area.isEmpty():
            painter.end()
            return
        font = _font(LABEL_PX)
        metrics = QFontMetrics(font)
        painter.setFont(font)
        label_w = min(
            max(metrics.horizontalAdvance(b.label) for b in self._bars) + 12, area.width() * 0.45
        )
        value_w = max(metrics.horizontalAdvance(b.shown) for b in self._bars) + 12
        row_h = min(area.height() / len(self._bars), metrics.height() * 2.2)
        top = max(b.value for b in self._bars)
        bar_room = max(10.0, area.width() - label_w - value_w)
        for i, bar in enumerate(self._bars):
            y = area.top() + i * row_h
            painter.setPen(QColor(TEXT_COLOUR))
            painter.drawText(
                QRectF(area.left(), y, label_w - 8, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_w - 8)),
            )
            w = bar_room * bar.value / top if top else 0
            bar_h = row_h * 0.6
            painter.fillRect(
                QRectF(area.left() + label_w, y + (row_h - bar_h) / 2, w, bar_h), QColor(BAR_COLOUR)
            )
            painter.drawText(
                QRectF(area.left() + label_w + w + 6, y, value_w + 6, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                bar.shown,
            )
        painter.end()
