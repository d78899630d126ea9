"""The statistics dashboard: a period, its key figures, four charts and a CSV export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QThreadPool, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from handover import formatting as fmt
from handover.backoffice.stats import PeriodStats, compute_stats, override_label, write_csv
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.opening_window import OpeningWindow
from ui.backoffice.charts import Bar, BarChart, ShareChart
from ui.backoffice.common import StatusLine, now_from, title, today_from
from ui.backoffice.worker import Job, Progress, start

DEFAULT_DAYS = 30

WEEKDAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class Tile(QFrame):
    """One key figure: a caption, a big number and a line of detail."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.setStyleSheet(
            "QFrame#tile { border: 2px solid #90a4ae; border-radius: 6px; background: #f5f7f8; }"
        )
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 34px; font-weight: bold; border: none;")
        self.detail = QLabel()
        self.detail.setObjectName("hint")
        self.detail.setWordWrap(True)
        for label in (self.caption, self.detail):
            label.setStyleSheet("border: none;")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(175)
        column = QVBoxLayout(self)
        column.addWidget(self.caption)
        column.addWidget(self.value)
        column.addWidget(self.detail)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


class StatsPage(QWidget):
    """Figures of a period of local days, computed on a pool thread."""

    stats_ready = Signal(object)  # PeriodStats
    stats_failed = Signal(str)

    def __init__(
        self,
        engine: Engine,
        config: Config,
        *,
        clock: Clock | None = None,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.config = config
        self.clock = clock
        self.pool = pool or QThreadPool.globalInstance()
        self.stats: PeriodStats | None = None
        self._job: Job | None = None
        self._window = OpeningWindow(config.schedule)

        today = today_from(clock, config.schedule.timezone).date()
        self.start_edit = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS - 1)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.show_button = QPushButton("Afficher")
        self.show_button.setDefault(True)
        self.export_button = QPushButton("Exporter en CSV…")
        self.export_button.setEnabled(False)
        self.status = StatusLine()
        self.handovers_tile = Tile("Remises sur la période")
        self.median_tile = Tile("Durée médiane scan → remise")
        self.scans_tile = Tile("Scans (verdicts rendus)")
        self.overrides_tile = Tile("Dérogations accordées")
        self.per_day_chart = BarChart("Remises par jour d'ouverture")
        self.per_desk_chart = BarChart("Remises par guichet")
        self.verdict_chart = ShareChart("Verdicts des scans")
        self.waiting_chart = ShareChart("En attente, selon l'âge du SMS")

        period = QHBoxLayout()
        period.addWidget(QLabel("Du"))
        period.addWidget(self.start_edit)
        period.addWidget(QLabel("au"))
        period.addWidget(self.end_edit)
        period.addWidget(self.show_button)
        period.addStretch(1)
        period.addWidget(self.export_button)
        tiles = QHBoxLayout()
        for tile in (self.handovers_tile, self.median_tile, self.scans_tile, self.overrides_tile):
            tiles.addWidget(tile, 1)
        self.charts = QGridLayout()
        self._chart_columns = 0
        self._arrange_charts(2)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(tiles)
        inner.addLayout(self.charts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(title("Statistiques"))
        column.addLayout(period)
        column.addWidget(self.status)
        column.addWidget(scroll, 1)
        # Nothing is cut sideways: the page is at least as wide as its narrow arrangement.
        scroll.setMinimumWidth(
            body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )

        self.show_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._on_export)

    def _arrange_charts(self, columns: int) -> None:
        """The small charts three abreast on a wide window, two on a narrow one."""
        if columns == self._chart_columns:
            return
        self._chart_columns = columns
        grid = self.charts
        for chart in (self.per_day_chart, self.per_desk_chart, self.verdict_chart):
            grid.removeWidget(chart)
        grid.removeWidget(self.waiting_chart)
        for col in range(3):
            grid.setColumnStretch(col, 0)
        grid.addWidget(self.per_day_chart, 0, 0, 1, columns)
        if columns == 3:
            grid.addWidget(self.per_desk_chart, 1, 0)
            grid.addWidget(self.verdict_chart, 1, 1)
            grid.addWidget(self.waiting_chart, 1, 2)
            stretches: tuple[int, ...] = (2, 3, 3)
        else:
            grid.addWidget(self.per_desk_chart, 1, 0)
            grid.addWidget(self.verdict_chart, 1, 1)
            grid.addWidget(self.waiting_chart, 2, 0, 1, 2)
            stretches = (1, 1)
        for col, stretch in enumerate(stretches):
            grid.setColumnStretch(col, stretch)
        for row in range(3):
            grid.setRowMinimumHeight(row, 300 if row < 2 else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Three 360 px charts abreast need about 1150 px: two below that.
        self._arrange_charts(3 if event.size().width() >= 1150 else 2)
        super().resizeEvent(event)

    # -- period ---------------------------------------------------------------------------

    def set_period(self, start: date, end: date) -> None:
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    @property
    def period(self) -> tuple[date, date]:
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    def refresh(self) -> None:
        """Compute the figures of the chosen period on a pool thread."""
        if self._job is not None:
            return
        start_day, end_day = self.period
        if end_day < start_day:
            self.status.show_problem(
                f"Période vide : le {end_day:%d/%m/%Y} précède le {start_day:%d/%m/%Y}. "
                "Choisissez une date de fin après la date de début."
            )
            self.stats_failed.emit(self.status.text())
            return
        engine, config, now = self.engine, self.config, now_from(self.clock)

        def work(_progress: Progress) -> PeriodStats:
            return compute_stats(engine, config, start_day, end_day, now=now)

        self.show_button.setEnabled(False)
        self.status.hide()
        self._job = start(self.pool, work, self._connect)

    def _connect(self, job: Job) -> None:
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)

    def _on_failed(self, message: str) -> None:
        self._job = None
        self.show_button.setEnabled(True)
        self.status.show_problem("Statistiques indisponibles. " + message)
        self.stats_failed.emit(message)

    def _on_finished(self, stats: PeriodStats) -> None:
        self._job = None
        self.show_button.setEnabled(True)
        self.show_stats(stats)
        self.stats_ready.emit(stats)

    # -- display --------------------------------------------------------------------------

    def open_days(self, start_day: date, end_day: date) -> list[date]:
        """The days the counter opens in the period (by the configured schedule)."""
        days = []
        day = start_day
        while day <= end_day:
            if self._window.periods_on(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def show_stats(self, stats: PeriodStats) -> None:
        self.stats = stats
        self.export_button.setEnabled(True)
        counted = {d.day: d.count for d in stats.per_day}
        # Open days without a handover count as zero; a day handed over by override shows too.
        days = sorted(set(self.open_days(stats.start, stats.end)) | set(counted))
        self.per_day_chart.set_bars(
            [Bar(f"{WEEKDAYS[d.weekday()]} {d:%d/%m}", counted.get(d, 0)) for d in days],
            empty_text="Aucune remise sur la période.",
        )
        self.per_desk_chart.set_bars(
            [Bar(d.desk, d.count) for d in stats.per_desk],
            empty_text="Aucune remise sur la période.",
        )
        self.verdict_chart.set_bars(
            [
                Bar(
                    v.label,
                    v.count,
                    f"{v.count} ({fmt.percent(v.share, 0)})",
                )
                for v in stats.verdicts
            ],
            empty_text="Aucun scan sur la période.",
        )
        waiting_total = sum(b.count for b in stats.waiting)
        self.waiting_chart.set_bars(
            [
                Bar(
                    b.label,
                    b.count,
                    f"{b.count} ({fmt.percent(b.count / waiting_total, 0)})"
                    if waiting_total
                    else "0",
                )
                for b in stats.waiting
            ],
            empty_text="Aucun titre en attente de retrait.",
        )
        self.waiting_chart.setToolTip(f"au {fmt.moment(stats.waiting_at, stats.timezone)}")
        days_open = len(self.open_days(stats.start, stats.end))
        self.handovers_tile.set(
            str(stats.handovers),
            f"{days_open} jour(s) d'ouverture",
        )
        self.median_tile.set(
            fmt.duration(stats.median_scan_to_handover_s),
            f"{stats.timed_handovers} remise(s) mesurée(s)",
        )
        self.scans_tile.set(str(stats.scans), "tous guichets")
        detail = ", ".join(f"{override_label(kind)} : {n}" for kind, n in stats.overrides_by_kind)
        self.overrides_tile.set(str(stats.overrides), detail or "aucune")

    # -- export ---------------------------------------------------------------------------

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested: str) -> Path | None:
        """Where to write the CSV; tests replace this."""
        name, _filter = QFileDialog.getSaveFileName(
            parent,
            "Exporter les statistiques",
            str(Path.home() / suggested),
            "Fichiers CSV (*.csv)",
        )
        return Path(name) if name else None

    def _on_export(self) -> None:
        stats = self.stats
        if stats is None:
            return
        path = self.ask_save_path(self, f"statistiques-{stats.start}-{stats.end}.csv")
        if path is None:
            return
        try:
            write_csv(stats, path)
        except OSError as exc:
            self.status.show_problem(
                f"Impossible d'écrire {path} : {exc.strerror or exc}. Choisissez un autre dossier."
            )
            return
        self.status.show_good(f"Statistiques exportées dans {path}.")
