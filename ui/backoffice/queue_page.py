"""The queue's dashboard tab: tickets, served, no-shows, waits and the prediction's error.

It shows the period chosen on the statistics tab: each time that tab has its figures, this
one asks the queue core (``handover.queue.stats``) for the same days, on the pool thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from handover import formatting as fmt
from handover.config import Config
from handover.queue.stats import QueueStats, compute_queue_stats
from ui.backoffice.charts import Bar, BarChart
from ui.backoffice.common import StatusLine, hint, title
from ui.backoffice.stats_page import WEEKDAYS, StatsPage, Tile
from ui.backoffice.worker import Job, Progress, start


def minutes_text(value: float | None) -> str:
    return "—" if value is None else f"{fmt.number(value, 1)} min"


class QueuePage(QWidget):
    """Figures of the door and the calls for the statistics tab's period."""

    stats_ready = Signal(object)  # QueueStats
    stats_failed = Signal(str)

    def __init__(
        self,
        engine: Engine,
        config: Config,
        *,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.config = config
        self.pool = pool or QThreadPool.globalInstance()
        self.stats: QueueStats | None = None
        self._job: Job | None = None
        self._queued: tuple[date, date] | None = None
        self.status = StatusLine()
        self.issued_tile = Tile("Tickets délivrés à la porte")
        self.served_tile = Tile("Tickets servis")
        self.no_show_tile = Tile("Absents à l'appel")
        self.error_tile = Tile("Écart de la prévision d'attente (médiane)")
        self.issued_chart = BarChart("Tickets délivrés par jour")
        self.served_chart = BarChart("Tickets servis par jour")
        self.wait_chart = BarChart("Attente ticket → appel par jour (médiane, min)")
        self.error_chart = BarChart("Écart prévision / attente réelle par jour (min)")
        self.desk_chart = BarChart("Appels par guichet")
        tiles = QHBoxLayout()
        for tile in (self.issued_tile, self.served_tile, self.no_show_tile, self.error_tile):
            tiles.addWidget(tile, 1)
        charts = QGridLayout()
        charts.addWidget(self.issued_chart, 0, 0)
        charts.addWidget(self.served_chart, 0, 1)
        charts.addWidget(self.wait_chart, 1, 0)
        charts.addWidget(self.error_chart, 1, 1)
        charts.addWidget(self.desk_chart, 2, 0, 1, 2)
        for row in range(3):
            charts.setRowMinimumHeight(row, 260)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(tiles)
        inner.addLayout(charts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(title("File d'attente"))
        column.addWidget(hint("Période : celle choisie dans l'onglet « Statistiques »."))
        column.addWidget(self.status)
        column.addWidget(scroll, 1)

    @classmethod
    def beside(
        cls, stats_page: StatsPage, engine: Engine, config: Config, pool: QThreadPool
    ) -> QueuePage:
        """A queue tab that follows ``stats_page``'s period (the window's one line)."""
        page = cls(engine, config, pool=pool)
        stats_page.stats_ready.connect(lambda _stats: page.show_period(*stats_page.period))
        return page

    def show_period(self, first: date, last: date) -> None:
        """Compute the queue's figures of these days on the pool thread."""
        if self._job is not None:
            self._queued = (first, last)  # the latest period wins once this one is done
            return
        engine, config = self.engine, self.config

        def work(_progress: Progress) -> QueueStats:
            return compute_queue_stats(engine, config, first, last)

        self._job = start(self.pool, work, self._connect)

    def _connect(self, job: Job) -> None:
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)

    def _next(self) -> None:
        self._job = None
        queued, self._queued = self._queued, None
        if queued is not None:
            self.show_period(*queued)

    def _on_failed(self, message: str) -> None:
        self.status.show_problem("Statistiques de la file indisponibles. " + message)
        self.stats_failed.emit(message)
        self._next()

    def _on_finished(self, stats: QueueStats) -> None:
        self.status.hide()
        self.show_stats(stats)
        self.stats_ready.emit(stats)
        self._next()

    def show_stats(self, stats: QueueStats) -> None:
        self.stats = stats
        empty = "Aucun ticket sur la période."

        def per_day(value: str) -> list[Bar]:
            bars = []
            for day in stats.days:
                number = getattr(day, value)
                label = f"{WEEKDAYS[day.day.weekday()]} {day.day:%d/%m}"
                if isinstance(number, float):
                    bars.append(Bar(label, number, minutes_text(number)))
                elif number is not None:
                    bars.append(Bar(label, number))
            return bars

        self.issued_chart.set_bars(per_day("issued"), empty_text=empty)
        self.served_chart.set_bars(per_day("served"), empty_text="Aucun ticket servi.")
        self.wait_chart.set_bars(per_day("wait_to_call_min"), empty_text="Aucun appel.")
        self.error_chart.set_bars(
            per_day("prediction_error_min"), empty_text="Aucune attente mesurée."
        )
        self.desk_chart.set_bars(
            [Bar(d.desk, d.calls, f"{d.calls} ({d.served} servis)") for d in stats.desks],
            empty_text="Aucun appel.",
        )
        issued = sum(day.issued for day in stats.days)
        served = sum(day.served for day in stats.days)
        refusals = sum(day.door_refusals for day in stats.days)
        self.issued_tile.set(str(issued), f"{refusals} refus à la porte (sans attente)")
        self.served_tile.set(str(served), f"sur {issued} ticket(s)" if issued else "")
        self.no_show_tile.set(str(sum(day.no_shows for day in stats.days)), "tous guichets")
        errors = [d.prediction_error_min for d in stats.days if d.prediction_error_min is not None]
        self.error_tile.set(
            minutes_text(sorted(errors)[len(errors) // 2] if errors else None),
            "attente annoncée à la porte / vécue jusqu'à l'appel (médiane des jours)",
        )
