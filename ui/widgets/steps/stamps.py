"""Step 2: the tax stamps — each scanned, then the amount printed on it typed, and Enter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from handover.domain.values import StampEntry
from handover.receipts.format import euros
from ui.widgets.steps.fields import EnterLineEdit, StepField, parse_euros


class StampsStep(QWidget):
    """The stamp field, the amount of the stamp just scanned, the list and the total."""

    def __init__(self, clock: Callable[[], float] | None) -> None:
        super().__init__()
        self.pending: StampEntry | None = None  # scanned, its amount not typed yet
        self.field = StepField(clock=clock)
        self.field.setObjectName("stamp_field")
        self.field.setPlaceholderText(
            self.tr("Scannez ou tapez chaque timbre (16 chiffres), puis Entrée")
        )
        self.rows = QListWidget()
        self.rows.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.amount = EnterLineEdit()
        self.amount.setObjectName("stamp_amount")
        self.amount.setMaximumWidth(220)
        self.amount_label = QLabel()
        self.remove = QPushButton(self.tr("Retirer le dernier timbre"))
        self.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        column = QVBoxLayout(self)
        column.addWidget(self.field)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount_label)
        amount_row.addWidget(self.amount)
        amount_row.addStretch(1)
        column.addLayout(amount_row)
        column.addWidget(self.rows, 1)
        row = QHBoxLayout()
        row.addWidget(self.total, 1)
        row.addWidget(self.remove)
        column.addLayout(row)

    def reset(self) -> None:
        self.field.clear()
        self.rows.clear()
        self.ask_amount(None)

    def ask_amount(self, entry: StampEntry | None) -> None:
        """Ask the amount printed on ``entry`` (None: no stamp waiting)."""
        self.pending = entry
        visible = entry is not None
        self.amount.setVisible(visible)
        self.amount_label.setVisible(visible)
        self.amount.clear()
        if entry is None:
            return
        # Empty, never pre-filled: the agent types the amount printed on the stamp (a reflex
        # Enter on an offered "225,00" recorded a 25 € stamp as 225 €).
        self.amount_label.setText(
            self.tr("Montant imprimé sur le timbre …{0}, puis Entrée :").format(entry.number[-4:])
        )
        self.amount.setFocus()

    def typed_amount(self) -> StampEntry | str:
        """The waiting stamp with the amount typed, or what is wrong (French)."""
        assert self.pending is not None
        cents = parse_euros(self.amount.text())
        if cents is None or cents <= 0:
            self.amount.selectAll()
            return self.tr("Montant non compris : tapez par exemple 225 ou 25,00.")
        return StampEntry(self.pending.number, cents)

    def add_row(self, entry: StampEntry) -> None:
        self.rows.addItem(f"•••• {entry.number[-4:]}    {euros(entry.amount_cents)}")

    def remove_row(self) -> None:
        self.rows.takeItem(self.rows.count() - 1)

    def show_total(self, total: int, due: int, *, any_stamp: bool) -> None:
        self.total.setText(self.tr("Reçu {0} sur {1} dus").format(euros(total), euros(due)))
        self.remove.setEnabled(any_stamp)

    def focus_target(self) -> QWidget:
        return self.amount if self.pending is not None else self.field
