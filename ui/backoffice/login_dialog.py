"""A small login dialog for the standalone back office (``python -m ui.backoffice``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from ui.backoffice.common import StatusLine, title

Authenticate = Callable[[str, str], AgentIdentity]


class LoginDialog(QDialog):
    """Asks for an account until the core accepts it or the user gives up."""

    def __init__(self, authenticate: Authenticate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back-office — connexion")
        self._authenticate = authenticate
        self.agent: AgentIdentity | None = None
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = StatusLine()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Se connecter")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        form = QFormLayout()
        form.addRow("Identifiant :", self.username)
        form.addRow("Mot de passe :", self.password)
        column = QVBoxLayout(self)
        column.addWidget(title("Connexion au back-office"))
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(buttons)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)

    def _on_accept(self) -> None:
        try:
            self.agent = self._authenticate(self.username.text().strip(), self.password.text())
        except HandoverError as error:
            self.password.clear()
            self.problem.show_problem(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, authenticate: Authenticate) -> AgentIdentity | None:
        dialog = cls(authenticate, parent)
        return dialog.agent if dialog.exec() == QDialog.DialogCode.Accepted else None
