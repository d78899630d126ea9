"""The desk calls one ticket out of turn: its number and the reason (both audited)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

MIN_REASON_CHARS = 5


class CallNumberDialog(QDialog):
    """Ticket number, then a written reason; Enter calls, Esc cancels."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Appeler un ticket précis"))
        heading = QLabel(self.tr("Appeler un ticket hors de son tour"))
        heading.setObjectName("step_title")
        heading.setWordWrap(True)
        heading.setMinimumWidth(600)  # the dialog's width: its layout sizes it from its contents
        text = QLabel(
            self.tr(
                "Par exemple une personne revenue après un appel manqué, ou une priorité "
                "constatée au guichet. Le motif est enregistré."
            )
        )
        text.setWordWrap(True)
        self.number = QSpinBox()
        self.number.setObjectName("call_number")
        self.number.setRange(1, 999)
        self.reason = QLineEdit()
        self.reason.setObjectName("call_reason")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("N° du ticket"), self.number)
        form.addRow(self.tr("Motif (obligatoire)"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Appeler (Entrée)"))
        ok.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler (Échap)"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        self.number.lineEdit().returnPressed.connect(self.reason.setFocus)
        column = QVBoxLayout(self)
        column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # no clipped text
        column.addWidget(heading)
        column.addWidget(text)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons)
        self.number.setFocus()
        self.number.selectAll()

    def _on_accept(self) -> None:
        if len(self.reason.text().strip()) < MIN_REASON_CHARS:
            self.problem.setText(self.tr("Écrivez le motif : il est enregistré avec l'appel."))
            self.problem.show()
            self.reason.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[int, str] | None:
        """The ticket number and the reason, or None if the agent cancelled."""
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.number.value(), dialog.reason.text().strip()
