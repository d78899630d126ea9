"""The login screen and the lock screen; both only collect input and show the answer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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

    def _on_badge(self, scan: ScanInput) -> None:
        badge = scan.text.strip()
        if badge:
            self._last_was_badge = True
            self.badge_scanned.emit(badge)


class LockPage(QWidget):
    """Hides the counter behind the agent's password after inactivity; the work stays."""

    unlock_requested = Signal(str)
    logout_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        icon = QLabel()
        icon.setPixmap(icon_pixmap("lock", 72))
        self.title = QLabel(self.tr("Session verrouillée"))
        self.title.setObjectName("title")
        self.who = QLabel()
        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Mot de passe, puis Entrée"))
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
        box.setMinimumWidth(560)
        column = QVBoxLayout(box)
        column.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.who, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(16)
        column.addWidget(self.password)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(_centered(box))
        outer.addStretch(2)
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

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()
        self.password.clear()

    def _on_unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())
