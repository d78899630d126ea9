"""Today's handovers at this desk, with a reprint of the receipt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from handover.domain.values import HandoverRecord

# Answers a reprint with a French sentence: "sent to the printer" or what went wrong.
Reprint = Callable[[HandoverRecord], str]


class TodayDialog(QDialog):
    """Time, receipt number, reference and holder initials; no names on the screen."""

    def __init__(
        self,
        parent: QWidget | None,
        records: Sequence[HandoverRecord],
        *,
        reprint: Reprint,
        timezone: str = "Europe/Paris",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remises d'aujourd'hui"))
        self.setMinimumSize(820, 520)
        self._records = list(records)
        self._reprint = reprint
        zone = ZoneInfo(timezone)
        title = QLabel(self.tr("Remises d'aujourd'hui à ce guichet : {0}").format(len(records)))
        title.setObjectName("step_title")
        self.table = QTableWidget(len(records), 4)
        self.table.setObjectName("today_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Heure"), self.tr("Reçu"), self.tr("Référence"), self.tr("Titulaire")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, record in enumerate(records):
            cells = (
                f"{record.at.astimezone(zone):%H:%M}",
                record.handover_number,
                record.permit.reference or "—",
                record.permit.initials,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        if records:
            self.table.selectRow(0)  # the most recent comes first
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.reprint_button = QPushButton(self.tr("Réimprimer le reçu (duplicata)"))
        self.reprint_button.setEnabled(bool(records))
        self.reprint_button.clicked.connect(self._on_reprint)
        close = QPushButton(self.tr("Fermer (Échap)"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)
        column.addLayout(buttons)
        self.table.setFocus()

    def selected(self) -> HandoverRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self._records[rows[0].row()] if rows else None

    def _on_reprint(self) -> None:
        record = self.selected()
        if record is None:
            self.status.setText(self.tr("Choisissez une remise dans la liste."))
            return
        self.status.setText(self._reprint(record))

    @classmethod
    def show_for(
        cls,
        parent: QWidget | None,
        records: Sequence[HandoverRecord],
        *,
        reprint: Reprint,
        timezone: str = "Europe/Paris",
    ) -> None:
        dialog = cls(parent, records, reprint=reprint, timezone=timezone)
        dialog.exec()
