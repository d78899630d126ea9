"""Step 3 (renewals): the previous card taken back, or its loss declared (number, date)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from handover.domain.text import parse_day
from handover.domain.values import PreviousCardOutcome, PreviousCardReturn
from ui.widgets.steps.fields import EnterLineEdit, StepField


class PreviousCardStep(QWidget):
    """The previous card's scan field, or « lost or stolen » (F6) with the declaration."""

    def __init__(self, clock: Callable[[], float] | None) -> None:
        super().__init__()
        self.field = StepField(clock=clock)
        self.field.setObjectName("previous_field")
        self.field.setPlaceholderText(self.tr("Scannez la bande MRZ au dos de l'ancienne carte"))
        self.lost = QCheckBox(self.tr("Carte perdue ou volée (F6)"))
        self.report = EnterLineEdit()
        self.report.setObjectName("police_report")
        self.report.setPlaceholderText(self.tr("Numéro du récépissé de déclaration"))
        self.report_date = EnterLineEdit()
        self.report_date.setObjectName("police_report_date")
        self.report_date.setPlaceholderText(self.tr("Date de la déclaration (JJ/MM/AAAA)"))
        self.state = QLabel()
        self.state.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.field)
        column.addWidget(self.state)
        column.addSpacing(12)
        column.addWidget(self.lost)
        column.addWidget(self.report)
        column.addWidget(self.report_date)
        column.addStretch(1)
        self.lost.toggled.connect(self._on_lost)
        self.report.returnPressed.connect(self.report_date.setFocus)
        lost_key = QShortcut(QKeySequence("F6"), self)
        lost_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        lost_key.activated.connect(self.lost.toggle)
        self._on_lost(False)

    def _on_lost(self, lost: bool) -> None:
        self.report.setEnabled(lost)
        self.report_date.setEnabled(lost)
        if lost:
            self.state.clear()

    def reset(self) -> None:
        self.field.clear()
        self.lost.setChecked(False)
        self.report.clear()
        self.report_date.clear()
        self.state.clear()

    def taken_back(self, number: str) -> None:
        self.lost.setChecked(False)
        self.state.setText(self.tr("✓ Ancienne carte n° {0} reprise").format(number))

    def declared(self) -> PreviousCardReturn | str | None:
        """The declared loss, what it still lacks (French), or None when not declared."""
        if not self.lost.isChecked():
            return None
        report = self.report.text().strip()
        if not report:
            self.report.setFocus()
            return self.tr("Tapez le numéro de la déclaration de perte ou de vol.")
        when = parse_day(self.report_date.text())
        if when is None:
            self.report_date.setFocus()
            return self.tr("Tapez la date de la déclaration, par exemple 03/11/2026.")
        return PreviousCardReturn(
            PreviousCardOutcome.LOST_OR_STOLEN, police_report_number=report, police_report_date=when
        )

    def focus_target(self) -> QWidget:
        return self.report if self.lost.isChecked() else self.field
