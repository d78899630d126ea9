"""Step 5, the last: the holder signs; Enter then records the handover."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from handover.holder_text import holder_text
from ui.widgets.signature_pad import SignaturePad

# The holder reads this on the turned screen or the tablet: bilingual French/English on
# purpose (every other text of the wizard is the agent's, in French).
SIGNATURE_PROMPT_HOLDER = holder_text(
    "Signez dans le cadre ci-dessous pour attester la remise de votre titre de séjour.",
    "Please sign in the box below to confirm you have received your residence permit.",
).lines()


class SignatureStep(QWidget):
    """The holder-facing prompt, the pad, and the agent's hint."""

    def __init__(self) -> None:
        super().__init__()
        self.prompt = QLabel(SIGNATURE_PROMPT_HOLDER)  # holder-facing, bilingual
        self.prompt.setObjectName("signature_prompt")
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-size: 22px; font-weight: bold;")
        hint = QLabel(
            self.tr(
                "Tournez l'écran ou la tablette vers le titulaire. Quand il a signé : Entrée "
                "enregistre la remise."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.pad = SignaturePad()
        self.pad.setObjectName("signature_pad")
        clear = QPushButton(self.tr("Effacer"))
        undo = QPushButton(self.tr("Annuler le dernier trait"))
        for button in (clear, undo):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        clear.clicked.connect(self.pad.clear)
        undo.clicked.connect(self.pad.undo)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addWidget(undo)
        row.addStretch(1)
        row.addWidget(hint, 3)
        column = QVBoxLayout(self)
        column.addWidget(self.prompt)
        column.addWidget(self.pad, 1)
        column.addLayout(row)
