"""The big panel that tells the agent what a scan means: colour, icon and one large line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from handover.domain.values import Verdict
from ui.style import HEADLINE_PX, TONE_ERROR, TONE_WAITING, VERDICT_TONES, Tone, icon_pixmap

ICON_PX = 96


class VerdictPanel(QFrame):
    """Shows one verdict, a waiting prompt or an error; it only displays what it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict_panel")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(220)
        self._icon = QLabel()
        self._icon.setFixedSize(ICON_PX, ICON_PX)
        self._headline = QLabel()
        self._headline.setObjectName("headline")
        self._headline.setWordWrap(True)
        self._details = QLabel()
        self._details.setObjectName("details")
        self._details.setWordWrap(True)
        self._details.setTextFormat(Qt.TextFormat.PlainText)
        text = QVBoxLayout()
        text.addWidget(self._headline)
        text.addWidget(self._details)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 20, 24, 20)
        row.setSpacing(24)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.tone = TONE_WAITING
        self.show_waiting()

    @property
    def headline(self) -> str:
        return self._headline.text()

    @property
    def details(self) -> str:
        return self._details.text()

    def show_waiting(self, hint: str = "") -> None:
        self._show(
            TONE_WAITING,
            self.tr("Scannez la référence du SMS"),
            [hint or self.tr("ou le numéro étranger, puis Entrée")],
        )

    def show_verdict(self, verdict: Verdict) -> None:
        tone = VERDICT_TONES.get(verdict.kind, TONE_WAITING)
        details = list(verdict.details)
        if verdict.repaired:
            details.append(self.tr("Saisie corrigée (clavier) : {0}").format(verdict.repaired))
        self._show(tone, verdict.headline, details)

    def show_message(self, headline: str, details: list[str], *, tone: Tone = TONE_ERROR) -> None:
        """An error or a notice that is not a verdict, e.g. the printer did not answer."""
        self._show(tone, headline, details)

    def add_detail(self, line: str) -> None:
        current = self._details.text()
        self._details.setText(f"{current}\n{line}" if current else line)

    def _show(self, tone: Tone, headline: str, details: list[str]) -> None:
        self.tone = tone
        self.setStyleSheet(
            f"QFrame#verdict_panel {{ background: {tone.background}; border-radius: 8px; }}"
            f"QFrame#verdict_panel QLabel {{ color: {tone.foreground}; background: transparent; }}"
            f"QLabel#headline {{ font-size: {HEADLINE_PX}px; font-weight: bold; }}"
            "QLabel#details { font-size: 22px; }"
        )
        self._icon.setPixmap(icon_pixmap(tone.icon, ICON_PX))
        self._headline.setText(headline)
        self._details.setText("\n".join(details))
