"""The big panel that tells the agent what a scan means: colour, icon and one large line."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from handover import verdict_text
from handover.domain.values import OverrideGrant, PermitSummary, Verdict
from ui.style import (
    HEADLINE_PX,
    TONE_AUTHORISED,
    TONE_ERROR,
    TONE_WAITING,
    Tone,
    icon_pixmap,
    verdict_tone,
)

ICON_PX = 96

# A permit's state as the agent says it (the core's states are English identifiers).
STATE_LABELS = {
    "expected": "pas encore arrivé",
    "received": "arrivé, SMS non envoyé",
    "notified": "prêt (SMS envoyé)",
    "handed_over": "déjà remis",
    "blocked": "bloqué",
    "returned": "renvoyé",
}


class VerdictPanel(QFrame):
    """Shows one verdict, a waiting prompt or an error; it only displays what it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict_panel")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(220)
        # Never squeezed below what its lines need (the handover steps below give way).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
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
        details = list(verdict_text.details(verdict))
        if verdict.repaired:
            details.append(self.tr("Saisie corrigée (clavier) : {0}").format(verdict.repaired))
        self._show(verdict_tone(verdict), verdict_text.headline(verdict), details)

    def show_authorised(self, grant: OverrideGrant, permit: PermitSummary | None) -> None:
        """A supervisor lifted the rule: who, why, and the holder's name and casier."""
        self._show(
            TONE_AUTHORISED,
            verdict_text.authorised_headline(grant, permit),
            list(verdict_text.authorised_details(grant, permit)),
        )

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


class CandidateList(QListWidget):
    """The permits of a SEVERAL_MATCHES verdict, to pick with the arrows and Enter or 1–9.

    A digit chooses only when it comes alone: the first digit of a scanner burst (a
    numéro étranger scanned while the list is up) must not pick a holder. Such a burst,
    or anything typed, goes back to the scan field (``typing_started``).
    """

    chosen = Signal(PermitSummary)
    dismissed = Signal()
    typing_started = Signal(QKeyEvent)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        max_gap_ms: float = 50.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("candidates")
        self.setStyleSheet(
            "QListWidget#candidates { font-size: 22px; }"
            "QListWidget#candidates::item { padding: 6px; border-bottom: 1px solid #b0bec5; }"
            "QListWidget#candidates::item:selected { background: #0d47a1; color: #ffffff; }"
        )
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._candidates: tuple[PermitSummary, ...] = ()
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        self._max_gap_ms = max_gap_ms
        self._held: QKeyEvent | None = None
        self._held_at = 0.0
        self._digit = QTimer(self)
        self._digit.setSingleShot(True)
        self._digit.setInterval(int(max_gap_ms) + 30)
        self._digit.timeout.connect(self._on_digit_alone)

    @property
    def candidates(self) -> tuple[PermitSummary, ...]:
        return self._candidates

    def show_candidates(self, candidates: tuple[PermitSummary, ...]) -> None:
        self.clear()
        self._candidates = candidates
        self._held = None
        self._digit.stop()
        for number, permit in enumerate(candidates, start=1):
            key = f"{number}." if number <= 9 else "  "
            slot = permit.storage_slot or self.tr("pas de casier")
            # Two lines: who, then what tells two namesakes' permits apart.
            self.addItem(
                self.tr(
                    "{0} {1} {2} — né(e) le {3}\n     {4} — carte {5} — {6} — casier {7}"
                ).format(
                    key,
                    permit.surname.upper(),
                    permit.given_names,
                    f"{permit.birth_date:%d/%m/%Y}",
                    permit.category,
                    permit.card_number,
                    STATE_LABELS.get(permit.state, permit.state),
                    slot,
                )
            )
        self.setCurrentRow(0)
        rows = min(len(candidates), 5)
        row_height = self.sizeHintForRow(0) if candidates else 0
        self.setFixedHeight(rows * row_height + 2 * self.frameWidth() + 4)
        self.show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        now = self._clock()
        key = event.key()
        if self.isHidden():
            # Keys already on their way when a burst moved the focus: they follow it.
            self.typing_started.emit(copy_key_event(event))
            return
        if self._held is not None:
            if now - self._held_at <= self._max_gap_ms:
                # A second key this close: a scanner burst, not the agent choosing.
                self._digit.stop()
                held, self._held = self._held, None
                self.typing_started.emit(held)
                self.typing_started.emit(copy_key_event(event))
                return
            self._digit.stop()
            self._on_digit_alone()
        if key == Qt.Key.Key_Escape:
            self.dismissed.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.currentRow())
            return
        text = event.text()
        if len(text) == 1 and text in "123456789" and int(text) <= len(self._candidates):
            self._held = copy_key_event(event)
            self._held_at = now
            self._digit.start()
            return
        if len(text) == 1 and text.isprintable():
            self.typing_started.emit(copy_key_event(event))
            return
        super().keyPressEvent(event)

    def _on_digit_alone(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            self._choose(int(held.text()) - 1)

    def _choose(self, row: int) -> None:
        if 0 <= row < len(self._candidates):
            self.setCurrentRow(row)
            self.chosen.emit(self._candidates[row])


def copy_key_event(event: QKeyEvent, kind: QEvent.Type | None = None) -> QKeyEvent:
    """A key event that outlives Qt's (the original is deleted once delivered), with its
    timestamp; ``kind`` makes it another type (the release of a press)."""
    copy = QKeyEvent(
        kind or event.type(),
        event.key(),
        event.modifiers(),
        event.nativeScanCode(),
        event.nativeVirtualKey(),
        event.nativeModifiers(),
        event.text(),
        event.isAutoRepeat(),
        event.count(),
    )
    copy.setTimestamp(event.timestamp())
    return copy
