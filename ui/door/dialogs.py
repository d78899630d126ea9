"""The door's small questions: a visual check, a priority reason, how many more tickets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setDefault(True)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("Annuler (Échap)"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _column(dialog: QDialog) -> QVBoxLayout:
    """The dialog's layout; its wrapped texts get the height they need, never clipped."""
    column = QVBoxLayout(dialog)
    column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    return column


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("step_title")
    label.setWordWrap(True)
    label.setMinimumWidth(600)  # the dialog's width: its layout sizes it from its contents
    return label


class VisualCheckDialog(QDialog):
    """A typed numéro étranger gives a ticket only once the door agent has looked."""

    def __init__(self, parent: QWidget | None, typed: str, reason: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vérification visuelle"))
        number = QLabel(self.tr("Numéro étranger saisi : {0}").format(typed))
        number.setStyleSheet("font-size: 28px; font-weight: bold;")
        text = QLabel(
            self.tr(
                "Regardez la pièce d'identité de la personne et son récépissé ou son "
                "attestation : le numéro y est-il bien celui-ci, et la photo la sienne ?"
            )
        )
        text.setWordWrap(True)
        why = QLabel(reason)
        why.setObjectName("hint")
        why.setWordWrap(True)
        column = _column(self)
        column.addWidget(_heading(self.tr("Vérification visuelle")))
        column.addWidget(number)
        column.addWidget(text)
        column.addWidget(why)
        column.addWidget(_buttons(self, self.tr("Vérifié : imprimer le ticket (Entrée)")))

    @classmethod
    def ask(cls, parent: QWidget | None, typed: str, reason: str) -> bool:
        """True when the door agent confirms having checked the document."""
        return cls(parent, typed, reason).exec() == QDialog.DialogCode.Accepted


class PriorityDialog(QDialog):
    """The configured priority reasons, chosen by arrow keys and Enter or by their digit."""

    def __init__(self, parent: QWidget | None, reasons: dict[str, str], current: str | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ticket prioritaire"))
        self.choices = QListWidget()
        self.choices.setObjectName("priority_choices")
        self._keys: list[str] = []
        for index, (key, label) in enumerate(reasons.items(), start=1):
            self._add(f"{index} — {label}", key)
        self._add(self.tr("0 — Pas de priorité"), "")
        row = self._keys.index(current) if current in self._keys else 0
        self.choices.setCurrentRow(row)
        self.choices.itemActivated.connect(lambda _item: self.accept())
        self.choices.installEventFilter(self)
        column = _column(self)
        column.addWidget(_heading(self.tr("Le prochain ticket est prioritaire")))
        hint = QLabel(
            self.tr("Le motif est enregistré. Chiffre ou flèches puis Entrée ; Échap : annuler.")
        )
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addWidget(self.choices)
        column.addWidget(_buttons(self, self.tr("Choisir (Entrée)")))
        self.choices.setFocus()

    def _add(self, text: str, key: str) -> None:
        self.choices.addItem(QListWidgetItem(text))
        self._keys.append(key)

    @property
    def chosen(self) -> str:
        return self._keys[max(0, self.choices.currentRow())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The list would take a digit for a keyboard search: here it picks its line.
        if (
            watched is self.choices
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self._pick(event.text())
        ):
            return True
        return super().eventFilter(watched, event)

    def _pick(self, text: str) -> bool:
        if not text.isdigit():
            return False
        row = int(text) - 1 if text != "0" else len(self._keys) - 1
        if not 0 <= row < len(self._keys):
            return False
        self.choices.setCurrentRow(row)
        self.accept()
        return True

    @classmethod
    def ask(
        cls, parent: QWidget | None, reasons: dict[str, str], current: str | None
    ) -> str | None:
        """The chosen reason's key, "" for no priority, None when cancelled."""
        dialog = cls(parent, reasons, current)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen


class ExtraTicketsDialog(QDialog):
    """How many tickets beyond the prediction: the first step of a raise of the limit."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Relever la limite du jour"))
        self.count = QSpinBox()
        self.count.setObjectName("extra_tickets")
        self.count.setRange(1, 200)
        self.count.setValue(10)
        self.count.setSuffix(self.tr(" ticket(s)"))
        text = QLabel(
            self.tr(
                "La prévision dit que les prochaines personnes ne seraient pas reçues "
                "aujourd'hui. Combien de tickets en plus le chef d'accueil autorise-t-il ?"
            )
        )
        text.setWordWrap(True)
        column = _column(self)
        column.addWidget(_heading(self.tr("Relever la limite du jour")))
        column.addWidget(text)
        column.addWidget(self.count, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(_buttons(self, self.tr("Suivant (Entrée)")))
        self.count.setFocus()
        self.count.selectAll()

    @classmethod
    def ask(cls, parent: QWidget | None) -> int | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.count.value()
