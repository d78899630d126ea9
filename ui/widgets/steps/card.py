"""Step 4: the card taken from the drawer, scanned and checked before the holder signs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.steps.fields import TONE_STYLES, StepField


class CardStep(QWidget):
    """What was done so far, which card and drawer, the card's scan field and its state."""

    def __init__(self, clock: Callable[[], float] | None) -> None:
        super().__init__()
        self.tone = ""
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt = QLabel()
        self.prompt.setObjectName("card_prompt")
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.field = StepField(clock=clock)
        self.field.setObjectName("card_field")
        self.field.setPlaceholderText(
            self.tr("Scannez la bande MRZ au dos de la carte sortie du casier")
        )
        self.state = QLabel()
        self.state.setObjectName("card_state")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.hide()
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addSpacing(8)
        column.addWidget(self.prompt)
        column.addWidget(self.field)
        column.addWidget(self.state)
        column.addStretch(1)
        column.addWidget(self.hint)

    def show_state(self, text: str, tone: str, hint: str) -> None:
        """The card's state, as loud as ``tone`` says (good, warning, alarm, or none)."""
        self.tone = tone
        self.state.setStyleSheet(TONE_STYLES.get(tone, ""))
        self.state.setText(text)
        self.state.setVisible(bool(text))
        self.hint.setText(hint)
