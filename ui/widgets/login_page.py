"""The login screen and the lock screen; both only collect input and show the answer."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from handover import __version__
from handover.scanning.input import ScanInput
from ui.style import icon_pixmap
from ui.widgets.scan_field import ScanField


def _centered(inner: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(inner)
    row.addStretch(1)
    return row


class LoginPage(QWidget):
    """Agent name and password, or a badge scan where the desk has badges."""

    login_requested = Signal(str, str)
    badge_scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, badge_enabled: bool = False) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Guichet — remise des titres de séjour"))
        self.title.setObjectName("title")
        self.desk = QLabel()
        self.desk.setObjectName("hint")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # A scan field: a badge read on an AZERTY desk is rebuilt from the scan codes.
        self.badge = ScanField()
        self.badge.setObjectName("badge")
        self.badge.setClearButtonEnabled(False)
        self.badge.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge.setPlaceholderText(self.tr("Passez votre badge devant le lecteur"))
        self.badge.setVisible(badge_enabled)
        self.badge_enabled = badge_enabled
        self._last_was_badge = False
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.submit = QPushButton(self.tr("Se connecter"))
        self.submit.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("Identifiant"), self.username)
        form.addRow(self.tr("Mot de passe"), self.password)
        if badge_enabled:
            form.addRow(self.tr("ou badge"), self.badge)
        box = QFrame()
        box.setMinimumWidth(560)
        column = QVBoxLayout(box)
        column.addWidget(self.title)
        column.addWidget(self.desk)
        column.addSpacing(16)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centered(box))
        outer.addStretch(2)
        # Which release runs at this desk, for the person on the phone with support.
        self.version = QLabel(self.tr("Version {0}").format(__version__))
        self.version.setObjectName("version")
        self.version.setStyleSheet("color: #546e7a;")
        outer.addWidget(self.version, 0, Qt.AlignmentFlag.AlignRight)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._on_submit)
        self.submit.clicked.connect(self._on_submit)
        self.badge.scan_submitted.connect(self._on_badge)
        self.setFocusProxy(self.badge if badge_enabled else self.username)

    def set_desk(self, site: str, desk: str) -> None:
        self.desk.setText(f"{site} — {desk}")

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
        self.password.clear()
        (self.badge if self._last_was_badge else self.password).setFocus()

    def reset(self) -> None:
        self.username.clear()
        self.password.clear()
        self.badge.clear()
        self.problem.hide()
        self.setFocus()

    def _on_submit(self) -> None:
        username = self.username.text().strip()
        if not username:
            self.username.setFocus()
            return
        self._last_was_badge = False
        self.login_requested.emit(username, self.password.text())

    def refuse_scan(self, text: str) -> None:
        """A scanner burst landed in the name or the password (``ScanGuard``).

        It logs nobody in and counts as no failed attempt; where agents have badges, a
        burst is a badge.
        """
        if self.badge_enabled:
            self._on_badge(ScanInput(text, "burst"))
            return
        self.problem.setText(
            self.tr(
                "Connectez-vous d'abord : un scan est arrivé sur l'écran de connexion. Il n'a "
                "rien cherché et ne compte pas comme un essai. Saisissez votre identifiant "
                "et votre mot de passe (Entrée), puis rescannez."
            )
        )
        self.problem.show()
        (self.password if self.username.text().strip() else self.username).setFocus()

    def _on_badge(self, scan: ScanInput) -> None:
        badge = scan.text.strip()
        if badge:
            self._last_was_badge = True
            self.badge_scanned.emit(badge)


class LockPage(QWidget):
    """Hides the counter behind the agent's password after inactivity; the work stays.

    A scanner burst here is not a password: the application's ``ScanGuard`` swallows its
    Enter and calls ``refuse_scan``, which says so and counts nothing; where agents have
    badges, a burst is a badge and unlocks like the password.
    """

    unlock_requested = Signal(str)
    badge_unlock_requested = Signal(str)
    logout_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        badge_enabled: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.badge_enabled = badge_enabled
        self._now = now or (lambda: datetime.now(UTC))
        self._retry_at: datetime | None = None
        icon = QLabel()
        icon.setPixmap(icon_pixmap("lock", 72))
        self.title = QLabel(self.tr("Session verrouillée"))
        self.title.setObjectName("title")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("Mot de passe ou badge")
            if badge_enabled
            else self.tr("Mot de passe, puis Entrée")
        )
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.unlock = QPushButton(self.tr("Déverrouiller"))
        self.unlock.setDefault(True)
        self.switch = QPushButton(self.tr("Changer d'agent (fermer la session)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        box = QFrame()
        box.setMinimumWidth(480)
        box.setMaximumWidth(640)
        column = QVBoxLayout(box)
        column.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.who)
        column.addSpacing(16)
        column.addWidget(self.password)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centered(box))
        outer.addStretch(2)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._on_countdown)
        self.password.returnPressed.connect(self._on_unlock)
        self.unlock.clicked.connect(self._on_unlock)
        self.switch.clicked.connect(self.logout_requested)
        self.setFocusProxy(self.password)

    def prepare(self, agent_name: str) -> None:
        self.who.setText(
            self.tr("{0} : saisissez votre mot de passe pour reprendre.").format(agent_name)
        )
        self.password.clear()
        self.problem.hide()
        self.countdown.stop()
        self._retry_at = None

    def show_problem(self, message: str) -> None:
        self.countdown.stop()
        self._retry_at = None
        self._show(message)
        self.password.clear()

    def show_throttled(self, retry_at: datetime) -> None:
        """Too many failures: a countdown, live, until the password may be tried again."""
        self._retry_at = retry_at
        self.password.clear()
        self._on_countdown()
        self.countdown.start()

    def refuse_scan(self, text: str) -> None:
        """A scanner burst arrived: a badge where badges unlock, else counted as nothing."""
        if self.badge_enabled:
            self.badge_unlock_requested.emit(text)
            return
        self._show(
            self.tr(
                "Un scan est arrivé pendant le verrouillage : il n'a rien cherché et ne compte "
                "pas comme un essai. Déverrouillez d'abord (mot de passe, puis Entrée), puis "
                "rescannez."
            )
        )

    def _show(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def _on_countdown(self) -> None:
        if self._retry_at is None:
            self.countdown.stop()
            return
        left = math.ceil((self._retry_at - self._now()).total_seconds())
        if left <= 0:
            self.countdown.stop()
            self._retry_at = None
            self._show(self.tr("Vous pouvez réessayer votre mot de passe."))
            return
        self._show(
            self.tr(
                "Trop d'essais manqués : nouvel essai possible dans {0} s. "
                "Le chef d'accueil peut aussi vérifier le compte."
            ).format(left)
        )

    def _on_unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())
