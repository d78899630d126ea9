"""A small dialog where a supervisor logs in to allow what an agent alone may not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from handover.domain.values import OverrideGrant, OverrideKind
from handover.errors import HandoverError

MIN_REASON_CHARS = 5


@dataclass(frozen=True)
class SupervisorAnswer:
    username: str
    password: str
    reason: str
    minutes: int


Grant = Callable[[SupervisorAnswer], OverrideGrant]
T = TypeVar("T")

# What the supervisor reads before allowing each kind of override (title, explanation).
OVERRIDE_TEXTS: dict[OverrideKind, tuple[str, str]] = {
    OverrideKind.WINDOW: (
        "Remise hors horaires",
        "Le guichet est fermé. Un chef d'accueil peut prolonger l'ouverture, par exemple "
        "pour les personnes déjà dans la file. Le motif est enregistré.",
    ),
    OverrideKind.BLOCKED: (
        "Autorisation du chef d'accueil",
        "Ce titre est bloqué : il ne peut pas être remis sans l'accord d'un chef d'accueil. "
        "Le motif est enregistré.",
    ),
    OverrideKind.NOT_NOTIFIED: (
        "Autorisation du chef d'accueil",
        "Le SMS de ce titre n'a pas été envoyé : il ne peut pas être remis sans l'accord "
        "d'un chef d'accueil. Le motif est enregistré.",
    ),
    OverrideKind.IDENTITY: (
        "Pièce d'identité non conforme",
        "La pièce présentée ne correspond pas au titulaire (nom, prénom ou date de "
        "naissance). Le chef d'accueil vérifie lui-même la personne et la pièce avant "
        "d'autoriser la remise. Le motif est enregistré et imprimé sur le reçu.",
    ),
    OverrideKind.PROXY: (
        "Remise à un représentant",
        "Un parent ou un représentant retire le titre (par exemple celui d'un mineur). "
        "Après l'accord, scannez la pièce d'identité du représentant : elle est "
        "enregistrée avec la remise. Le motif est enregistré et imprimé sur le reçu.",
    ),
    OverrideKind.CARD: (
        "Carte non vérifiée",
        "La carte sortie du casier n'a pas été reconnue comme celle de ce titre (mauvaise "
        "carte, ou bande MRZ illisible). Le chef d'accueil vérifie la carte lui-même avant "
        "d'autoriser la remise. Le motif est enregistré.",
    ),
    OverrideKind.PREVIOUS_CARD: (
        "Ancienne carte non reprise",
        "L'ancienne carte n'est ni reprise ni déclarée perdue ou volée. Le chef d'accueil "
        "autorise la remise sans elle. Le motif est enregistré et imprimé sur le reçu.",
    ),
    OverrideKind.FEE: (
        "Timbres insuffisants",
        "Les timbres fiscaux ne couvrent pas la taxe due. Le chef d'accueil autorise la "
        "remise et écrit pourquoi. Le motif est enregistré et imprimé sur le reçu.",
    ),
    OverrideKind.QUEUE_LIMIT: (
        "Ticket au-delà de la capacité du jour",
        "La file a atteint la capacité prévue pour aujourd'hui. Le motif est enregistré.",
    ),
}


class SupervisorDialog(QDialog):
    """Supervisor login plus a written reason; ``grant`` asks the core and may refuse.

    Without ``credentials`` (a supervisor is the desk's logged-in account) only the reason
    is asked; the core still checks the stored account's role.
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        explanation: str,
        grant: Callable[[SupervisorAnswer], object],
        minutes: int | None = None,
        credentials: bool = True,
        accept_text: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self._grant = grant
        self._credentials = credentials
        self.result_grant: OverrideGrant | None = None
        self.outcome: object = None  # what ``grant`` returned
        heading = QLabel(title)
        heading.setObjectName("step_title")
        heading.setWordWrap(True)
        text = QLabel(explanation)
        text.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("supervisor_username")
        self.password = QLineEdit()
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("supervisor_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 240)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(minutes or 30)
        self.minutes.setVisible(minutes is not None)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        if credentials:
            form.addRow(self.tr("Chef d'accueil"), self.username)
            form.addRow(self.tr("Mot de passe"), self.password)
        else:
            self.username.hide()
            self.password.hide()
        form.addRow(self.tr("Motif (obligatoire)"), self.reason)
        if minutes is not None:
            form.addRow(self.tr("Durée"), self.minutes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(accept_text or self.tr("Autoriser"))
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("Annuler (Échap)")
        )
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(text)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        (self.username if credentials else self.reason).setFocus()

    def _on_accept(self) -> None:
        answer = SupervisorAnswer(
            self.username.text().strip(),
            self.password.text(),
            self.reason.toPlainText().strip(),
            self.minutes.value(),
        )
        if self._credentials and (not answer.username or not answer.password):
            self._show(self.tr("Le chef d'accueil saisit son identifiant et son mot de passe."))
            return
        if len(answer.reason) < MIN_REASON_CHARS:
            self._show(self.tr("Écrivez le motif : il est enregistré avec l'autorisation."))
            self.reason.setFocus()
            return
        try:
            self.outcome = self._grant(answer)
        except HandoverError as error:
            self._show(error.message)
            self.password.clear()
            (self.password if self._credentials else self.reason).setFocus()
            return
        if isinstance(self.outcome, OverrideGrant):
            self.result_grant = self.outcome
        self.accept()

    def refuse_scan(self, _text: str) -> None:
        """A scanner burst landed here (``ScanGuard``): it authorises nothing."""
        self._show(
            self.tr(
                "Un scan est arrivé dans cette fenêtre : il n'a rien autorisé. Le chef "
                "d'accueil saisit son identifiant, son mot de passe et le motif ; "
                "rescannez ensuite."
            )
        )

    def _show(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        explanation: str,
        grant: Grant,
        minutes: int | None = None,
    ) -> OverrideGrant | None:
        """The override a supervisor granted, or None if the dialog was cancelled."""
        dialog = cls(parent, title=title, explanation=explanation, grant=grant, minutes=minutes)
        dialog.exec()
        return dialog.result_grant

    @classmethod
    def ask_for(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        explanation: str,
        act: Callable[[SupervisorAnswer], T],
        credentials: bool = True,
        accept_text: str = "",
    ) -> T | None:
        """What ``act`` returned for a supervisor's decision other than an override (block,
        unblock), or None if the dialog was cancelled."""
        dialog = cls(
            parent,
            title=title,
            explanation=explanation,
            grant=act,
            credentials=credentials,
            accept_text=accept_text,
        )
        dialog.exec()
        return cast("T | None", dialog.outcome)

    @classmethod
    def ask_override(
        cls,
        parent: QWidget | None,
        kind: OverrideKind,
        grant: Grant,
        *,
        detail: str = "",
        minutes: int | None = None,
    ) -> OverrideGrant | None:
        """The dialog for one kind of override, with its own title and explanation."""
        title, explanation = OVERRIDE_TEXTS[kind]
        text = f"{explanation}\n{detail}" if detail else explanation
        return cls.ask(parent, title=title, explanation=text, grant=grant, minutes=minutes)
