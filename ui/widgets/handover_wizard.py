"""The handover steps for a READY permit: identity, stamps, previous card, signature, card.

Keyboard first: each step has one field that takes a scan or typing; Enter on an empty
field continues, Esc cancels from anywhere. A complete scan moves on by itself, so a
standard handover needs no key beyond the scans, the signature and one Enter: in the last
step the scan of the card taken from the drawer, when it is the right card, records the
handover. A wrong or unreadable card blocks until the right card is scanned or a
supervisor allows it (``card_override_requested``, answered by :meth:`accept_card_override`).
Nothing is written until ``submitted`` is answered by the presenter.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from handover.domain.text import parse_day
from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    HandoverRequest,
    IdentityDocument,
    IdentityDocumentKind,
    IdentityMatch,
    OverrideGrant,
    PermitSummary,
    PreviousCardOutcome,
    PreviousCardReturn,
    StampEntry,
    Verdict,
    VerdictKind,
)
from handover.receipts.format import euros
from handover.scanning.input import ScanInput
from ui.widgets.scan_field import ScanField
from ui.widgets.signature_pad import SignaturePad

_END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


Problem = Callable[[str], None]


class HandoverChecks(Protocol):
    """What the wizard asks the core while the holder is at the desk.

    Each question is answered later, on the screen's thread: ``answer`` with the value,
    or ``problem`` with what to tell the agent (the presenter's worker runs the core).
    """

    def identity_from_scan(
        self,
        raw: str,
        permit_id: int,
        answer: Callable[[IdentityMatch | None], None],
        problem: Problem,
    ) -> None: ...

    def check_stamp(
        self, raw: str, answer: Callable[[StampEntry | None], None], problem: Problem
    ) -> None: ...

    def check_card(
        self, permit_id: int, raw: str, answer: Callable[[Verdict], None], problem: Problem
    ) -> None: ...


class Step(enum.IntEnum):
    IDENTITY = 0
    STAMPS = 1
    PREVIOUS_CARD = 2
    SIGNATURE = 3
    CONFIRM = 4


class StepField(ScanField):
    """A scan field that also reports Enter on an empty field: « continue »."""

    empty_submitted = Signal()

    def __init__(self, *, clock: Callable[[], float] | None = None) -> None:
        super().__init__(clock=clock)
        self._last_submit: float | None = None
        self.scan_submitted.connect(self._on_submitted)
        self._pending_now = 0.0

    def _on_submitted(self, _scan: ScanInput) -> None:
        self._last_submit = self._pending_now

    def keyPressEvent(self, event: QKeyEvent) -> None:
        now = self._now(event)
        self._pending_now = now
        is_end = event.key() in _END_KEYS
        was_empty = not self.text()
        super().keyPressEvent(event)
        if not (is_end and was_empty):
            return
        # The LF of a scanner's CR+LF suffix is not the agent pressing Enter.
        echo = self._last_submit is not None and now - self._last_submit <= self.settings.max_gap_ms
        if not echo:
            self.empty_submitted.emit()


def parse_euros(text: str) -> int | None:
    """« 225 », « 25,00 », « 25.5 » → cents; None when it is not an amount."""
    cleaned = text.strip().replace("€", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    whole, _, fraction = cleaned.partition(".")
    if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
        return None
    return int(whole) * 100 + int(fraction.ljust(2, "0") or 0)


class EnterLineEdit(QLineEdit):
    """A line edit that keeps its Enter: the wizard must not see it a second time."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in _END_KEYS:
            event.accept()


# The card check must not be missed: a wrong card is the loudest thing on the screen.
_CARD_STYLES = {
    "good": "background: #1b5e20; color: #ffffff; font-size: 26px; font-weight: bold;"
    " padding: 12px; border-radius: 6px;",
    "warning": "background: #fff3e0; color: #bf360c; border: 3px solid #bf360c;"
    " font-size: 22px; font-weight: bold; padding: 12px; border-radius: 6px;",
    "alarm": "background: #b71c1c; color: #ffffff; font-size: 30px; font-weight: bold;"
    " padding: 14px; border-radius: 6px;",
}


def _problem_label() -> QLabel:
    label = QLabel()
    label.setObjectName("problem")
    label.setWordWrap(True)
    label.hide()
    return label


class HandoverWizard(QWidget):
    """One handover, step by step; ``submitted`` carries the complete request."""

    submitted = Signal(HandoverRequest)
    cancelled = Signal()
    step_changed = Signal(int)
    card_checked = Signal(Verdict)  # each scan of the card from the drawer, good or bad

    def __init__(
        self,
        checks: HandoverChecks,
        parent: QWidget | None = None,
        *,
        key_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self._checks = checks
        self._permit: PermitSummary | None = None
        self._override_id: int | None = None
        self._identity: IdentityDocument | None = None
        self._stamps: list[StampEntry] = []
        self._previous: PreviousCardReturn | None = None
        self._signature_png: bytes | None = None
        self._card: Verdict | None = None
        self._card_scan: str | None = None  # the drawer card's MRZ, sent for the record
        self._card_override: OverrideGrant | None = None
        self.card_tone = ""
        self._busy = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.permit_line = QLabel()
        self.permit_line.setObjectName("permit_line")
        self.permit_line.setWordWrap(True)
        self.step_title = QLabel()
        self.step_title.setObjectName("step_title")
        self.progress = QLabel()
        self.progress.setObjectName("hint")
        self.problem = _problem_label()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_identity(key_clock))
        self.pages.addWidget(self._build_stamps(key_clock))
        self.pages.addWidget(self._build_previous(key_clock))
        self.pages.addWidget(self._build_signature())
        self.pages.addWidget(self._build_confirm(key_clock))
        self.cancel_button = QPushButton(self.tr("Annuler (Échap)"))
        self.continue_button = QPushButton(self.tr("Continuer (Entrée)"))
        for button in (self.cancel_button, self.continue_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        self.continue_button.clicked.connect(self.advance)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        header = QHBoxLayout()
        header.addWidget(self.step_title, 1)
        header.addWidget(self.progress)
        column = QVBoxLayout(self)
        column.addWidget(self.permit_line)
        column.addLayout(header)
        column.addWidget(self.pages, 1)
        column.addWidget(self.problem)
        column.addLayout(buttons)

    # -- building -------------------------------------------------------------------------

    def _build_identity(self, clock: Callable[[], float] | None) -> QWidget:
        page = QWidget()
        self.identity_field = StepField(clock=clock)
        self.identity_field.setObjectName("identity_field")
        self.identity_field.setPlaceholderText(
            self.tr("Scannez la bande MRZ ou le 2D-Doc de la pièce, ou tapez son numéro")
        )
        self.document_kind = QComboBox()
        for kind, label in IDENTITY_DOCUMENT_LABELS.items():
            self.document_kind.addItem(label, kind)
        self.document_country = EnterLineEdit()
        self.document_country.setMaxLength(3)
        self.document_number = EnterLineEdit()
        self.document_number.setObjectName("document_number")
        self.identity_match = QLabel()
        self.identity_match.setWordWrap(True)
        self.identity_match.hide()
        form = QFormLayout()
        form.addRow(self.tr("Type de pièce"), self.document_kind)
        form.addRow(self.tr("Pays (3 lettres)"), self.document_country)
        form.addRow(self.tr("Numéro"), self.document_number)
        column = QVBoxLayout(page)
        column.addWidget(self.identity_field)
        column.addLayout(form)
        column.addWidget(self.identity_match)
        column.addStretch(1)
        self.identity_field.scan_submitted.connect(self._on_identity_scan)
        self.identity_field.empty_submitted.connect(self.advance)
        self.document_number.returnPressed.connect(self.advance)
        self.document_country.returnPressed.connect(self.advance)
        return page

    def _build_stamps(self, clock: Callable[[], float] | None) -> QWidget:
        page = QWidget()
        self.stamp_field = StepField(clock=clock)
        self.stamp_field.setObjectName("stamp_field")
        self.stamp_field.setPlaceholderText(
            self.tr("Scannez ou tapez chaque timbre (16 chiffres), puis Entrée")
        )
        self.stamp_list = QListWidget()
        self.stamp_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stamp_total = QLabel()
        self.stamp_total.setObjectName("total")
        self.stamp_amount = EnterLineEdit()
        self.stamp_amount.setObjectName("stamp_amount")
        self.stamp_amount.setMaximumWidth(220)
        self.stamp_amount_label = QLabel()
        self._pending_stamp: StampEntry | None = None
        self.stamp_amount.returnPressed.connect(self._on_stamp_amount)
        self.remove_stamp = QPushButton(self.tr("Retirer le dernier timbre"))
        self.remove_stamp.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remove_stamp.clicked.connect(self._on_remove_stamp)
        column = QVBoxLayout(page)
        column.addWidget(self.stamp_field)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.stamp_amount_label)
        amount_row.addWidget(self.stamp_amount)
        amount_row.addStretch(1)
        column.addLayout(amount_row)
        column.addWidget(self.stamp_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.stamp_total, 1)
        row.addWidget(self.remove_stamp)
        column.addLayout(row)
        self.stamp_field.scan_submitted.connect(self._on_stamp_scan)
        self.stamp_field.empty_submitted.connect(self.advance)
        return page

    def _build_previous(self, clock: Callable[[], float] | None) -> QWidget:
        page = QWidget()
        self.previous_field = StepField(clock=clock)
        self.previous_field.setObjectName("previous_field")
        self.previous_field.setPlaceholderText(
            self.tr("Scannez la bande MRZ au dos de l'ancienne carte")
        )
        self.previous_lost = QCheckBox(self.tr("Carte perdue ou volée (F6)"))
        self.previous_report = EnterLineEdit()
        self.previous_report.setObjectName("police_report")
        self.previous_report.setPlaceholderText(self.tr("Numéro du récépissé de déclaration"))
        self.previous_report.setEnabled(False)
        self.previous_report_date = EnterLineEdit()
        self.previous_report_date.setObjectName("police_report_date")
        self.previous_report_date.setPlaceholderText(self.tr("Date de la déclaration (JJ/MM/AAAA)"))
        self.previous_report_date.setEnabled(False)
        self.previous_state = QLabel()
        self.previous_state.setWordWrap(True)
        column = QVBoxLayout(page)
        column.addWidget(self.previous_field)
        column.addWidget(self.previous_state)
        column.addSpacing(12)
        column.addWidget(self.previous_lost)
        column.addWidget(self.previous_report)
        column.addWidget(self.previous_report_date)
        column.addStretch(1)
        self.previous_field.scan_submitted.connect(self._on_previous_scan)
        self.previous_field.empty_submitted.connect(self.advance)
        self.previous_lost.toggled.connect(self._on_previous_lost)
        self.previous_report.returnPressed.connect(self.previous_report_date.setFocus)
        self.previous_report_date.returnPressed.connect(self.advance)
        lost_key = QShortcut(QKeySequence("F6"), page)
        lost_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        lost_key.activated.connect(self.previous_lost.toggle)
        return page

    def _build_signature(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            self.tr("Tournez l'écran ou la tablette vers le titulaire. Entrée quand il a signé.")
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.signature_pad = SignaturePad()
        self.signature_pad.setObjectName("signature_pad")
        clear = QPushButton(self.tr("Effacer"))
        undo = QPushButton(self.tr("Annuler le dernier trait"))
        for button in (clear, undo):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        clear.clicked.connect(self.signature_pad.clear)
        undo.clicked.connect(self.signature_pad.undo)
        row = QHBoxLayout()
        row.addWidget(clear)
        row.addWidget(undo)
        row.addStretch(1)
        column = QVBoxLayout(page)
        column.addWidget(hint)
        column.addWidget(self.signature_pad, 1)
        column.addLayout(row)
        self.signature_pad.changed.connect(self.problem.hide)
        return page

    def _build_confirm(self, clock: Callable[[], float] | None) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.card_prompt = QLabel()
        self.card_prompt.setObjectName("card_prompt")
        self.card_prompt.setWordWrap(True)
        self.card_prompt.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.card_field = StepField(clock=clock)
        self.card_field.setObjectName("card_field")
        self.card_field.setPlaceholderText(
            self.tr("Scannez la bande MRZ au dos de la carte sortie du casier")
        )
        self.card_state = QLabel()
        self.card_state.setObjectName("card_state")
        self.card_state.setWordWrap(True)
        self.card_state.setTextFormat(Qt.TextFormat.PlainText)
        self.card_state.hide()
        self.confirm_hint = QLabel()
        self.confirm_hint.setObjectName("hint")
        self.confirm_hint.setWordWrap(True)
        column = QVBoxLayout(page)
        column.addWidget(self.summary)
        column.addSpacing(8)
        column.addWidget(self.card_prompt)
        column.addWidget(self.card_field)
        column.addWidget(self.card_state)
        column.addStretch(1)
        column.addWidget(self.confirm_hint)
        self.card_field.scan_submitted.connect(self._on_card_scan)
        self.card_field.empty_submitted.connect(self.advance)
        return page

    # -- flow -----------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return Step(self.pages.currentIndex())

    @property
    def permit(self) -> PermitSummary | None:
        return self._permit

    def start(self, verdict: Verdict, override_id: int | None = None) -> None:
        """Begin a handover for the permit of a verdict that allows one."""
        if verdict.permit is None:
            raise ValueError("a handover needs the permit of the verdict")
        permit = verdict.permit
        self._permit = permit
        self._override_id = override_id
        self._identity = None
        self._stamps = []
        self._previous = None
        self._signature_png = None
        self._card = None
        self._card_scan = None
        self._card_override = None
        self._busy = False
        for field in (self.identity_field, self.stamp_field, self.previous_field, self.card_field):
            field.clear()
        self._show_card_state()
        self.document_number.clear()
        self.document_country.clear()
        self.document_kind.setCurrentIndex(0)
        self.identity_match.hide()
        self.stamp_list.clear()
        self._show_amount_prompt(None)
        self.previous_lost.setChecked(False)
        self.previous_report.clear()
        self.previous_report_date.clear()
        self.previous_state.clear()
        self.signature_pad.clear()
        self._update_total()
        self._go(Step.IDENTITY)

    def _steps(self) -> list[Step]:
        permit = self._permit
        steps = [Step.IDENTITY]
        if permit is not None and permit.fee_cents > 0:
            steps.append(Step.STAMPS)
        if permit is not None and permit.previous_card_expected:
            steps.append(Step.PREVIOUS_CARD)
        steps += [Step.SIGNATURE, Step.CONFIRM]
        return steps

    def _go(self, step: Step) -> None:
        self.problem.hide()
        self.continue_button.setEnabled(not self._busy)
        self.pages.setCurrentIndex(int(step))
        steps = self._steps()
        self.step_title.setText(self._step_title(step))
        self.progress.setText(
            self.tr("Étape {0} sur {1} — Échap : annuler").format(steps.index(step) + 1, len(steps))
        )
        self.continue_button.setText(
            self.tr("Enregistrer la remise (Entrée)")
            if step == Step.CONFIRM
            else self.tr("Continuer (Entrée)")
        )
        if step == Step.CONFIRM:
            self.summary.setText(self._summary_text())
            self._show_card_state()
        done = self._summary_lines(upto=step)
        self.permit_line.setText("   ·   ".join(done))
        # At the last step the summary says it all, one line each.
        self.permit_line.setVisible(bool(done) and step != Step.CONFIRM)
        self.resume_focus()
        self.step_changed.emit(int(step))

    def _step_title(self, step: Step) -> str:
        return {
            Step.IDENTITY: self.tr("Pièce d'identité"),
            Step.STAMPS: self.tr("Timbres fiscaux"),
            Step.PREVIOUS_CARD: self.tr("Ancienne carte"),
            Step.SIGNATURE: self.tr("Signature du titulaire"),
            Step.CONFIRM: self.tr("Carte du casier et remise"),
        }[step]

    def resume_focus(self) -> None:
        """Give the keyboard back to the current step (after the lock screen)."""
        focus = {
            Step.IDENTITY: self.identity_field,
            Step.STAMPS: self.stamp_amount if self._pending_stamp else self.stamp_field,
            Step.PREVIOUS_CARD: self.previous_field,
            Step.CONFIRM: self.card_field,
        }.get(self.step, self)
        focus.setFocus()

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def set_busy(self, busy: bool) -> None:
        """While the presenter records the handover, a second Enter must not submit twice."""
        self._busy = busy
        self.continue_button.setEnabled(not busy)
        if not busy and self._permit is not None and self.step == Step.CONFIRM:
            self._show_card_state()

    def cancel(self) -> None:
        if self._busy:
            # Being recorded, or recorded for all the screen knows: « nothing was
            # written » would not be true yet.
            self.show_problem(self.tr("Enregistrement en cours : attendez la réponse."))
            return
        self._permit = None
        self.cancelled.emit()

    def show_in_doubt(self, message: str) -> None:
        """The commit's outcome is unknown: keep everything, and say to wait."""
        self.set_busy(True)
        self.show_problem(message)
        self.confirm_hint.setText(
            self.tr("Ne remettez pas la carte : le guichet vérifie l'enregistrement.")
        )

    def advance(self) -> None:
        """Continue from the current step if it is complete, else say what is missing."""
        if self._permit is None or self._busy:
            return
        step = self.step
        problem = {
            Step.IDENTITY: self._finish_identity,
            Step.STAMPS: self._finish_stamps,
            Step.PREVIOUS_CARD: self._finish_previous,
            Step.SIGNATURE: self._finish_signature,
            Step.CONFIRM: self._finish_confirm,
        }[step]()
        if problem is not None:
            self.show_problem(problem)
            return
        if step == Step.CONFIRM:
            return
        steps = self._steps()
        self._go(steps[steps.index(step) + 1])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        if event.key() in _END_KEYS:
            self.advance()
            return
        super().keyPressEvent(event)

    # -- identity -------------------------------------------------------------------------

    def _still(self, permit_id: int, step: Step) -> bool:
        """The answer that comes back is for what is on screen (not cancelled meanwhile)."""
        return (
            self._permit is not None and self._permit.permit_id == permit_id and (self.step == step)
        )

    def _problem_for(self, permit_id: int, step: Step) -> Problem:
        def problem(message: str) -> None:
            if self._still(permit_id, step):
                self.show_problem(message)

        return problem

    def _on_identity_scan(self, scan: ScanInput) -> None:
        assert self._permit is not None
        self.problem.hide()
        permit_id = self._permit.permit_id

        def answer(match: IdentityMatch | None) -> None:
            if self._still(permit_id, Step.IDENTITY):
                self._on_identity_match(scan, match)

        self._checks.identity_from_scan(
            scan.text, permit_id, answer, self._problem_for(permit_id, Step.IDENTITY)
        )

    def _on_identity_match(self, scan: ScanInput, match: IdentityMatch | None) -> None:
        if match is None:
            # Not an MRZ or a 2D-Doc: the agent typed the document's number.
            self.document_number.setText(scan.text.strip().upper())
            self._identity = None
            self.identity_match.hide()
            self.document_kind.setFocus()
            return
        kind = (
            IdentityDocumentKind(match.document_kind)
            if match.document_kind in IdentityDocumentKind.__members__.values()
            else IdentityDocumentKind.OTHER
        )
        self.document_kind.setCurrentIndex(self.document_kind.findData(kind))
        self.document_country.setText(match.issuing_country)
        self.document_number.setText(match.document_number)
        self._identity = IdentityDocument(
            kind,
            match.issuing_country,
            match.document_number,
            from_scan=True,
            name_matches=match.name_matches,
            birth_date_matches=match.birth_date_matches,
            scan=scan.text,
        )
        self._show_match(match)
        if match.matches:
            self.advance()

    def _show_match(self, match: IdentityMatch) -> None:
        lines = [
            (self.tr("✓ Nom conforme") if match.name_matches else self.tr("✗ NOM DIFFÉRENT"))
            + f" : {match.surname} {match.given_names}",
            (
                self.tr("✓ Date de naissance conforme")
                if match.birth_date_matches
                else self.tr("✗ DATE DE NAISSANCE DIFFÉRENTE")
            )
            + (f" : {match.birth_date:%d/%m/%Y}" if match.birth_date else ""),
        ]
        if not match.matches:
            lines.append(
                self.tr("Ne remettez pas le titre : la pièce ne correspond pas au titulaire.")
            )
        self.identity_match.setObjectName("good" if match.matches else "problem")
        self.identity_match.setStyleSheet("")  # re-polish for the new object name
        self.identity_match.setText("\n".join(lines))
        self.identity_match.show()

    def _finish_identity(self) -> str | None:
        number = self.document_number.text().strip()
        if not number:
            return self.tr("Scannez la pièce d'identité ou tapez son numéro.")
        kind = IdentityDocumentKind(self.document_kind.currentData())
        country = self.document_country.text().strip().upper()
        scanned = self._identity
        if scanned is not None and scanned.number == number and scanned.kind == kind:
            if not (scanned.name_matches and scanned.birth_date_matches):
                # The core refuses it too: only the screen's hint, never the rule.
                return self.tr(
                    "PIÈCE NON CONFORME : le titre ne peut pas être remis sur cette pièce. "
                    "Scannez une autre pièce du titulaire."
                )
            self._identity = scanned
        else:
            self._identity = IdentityDocument(kind, country, number)
        return None

    # -- stamps ---------------------------------------------------------------------------

    def stamps_total(self) -> int:
        return sum(s.amount_cents for s in self._stamps)

    def _update_total(self) -> None:
        due = self._permit.fee_cents if self._permit is not None else 0
        self.stamp_total.setText(
            self.tr("Reçu {0} sur {1} dus").format(euros(self.stamps_total()), euros(due))
        )
        self.remove_stamp.setEnabled(bool(self._stamps))

    def _on_stamp_scan(self, scan: ScanInput) -> None:
        assert self._permit is not None
        self.problem.hide()
        permit_id = self._permit.permit_id

        def answer(entry: StampEntry | None) -> None:
            if self._still(permit_id, Step.STAMPS):
                self._on_stamp_entry(entry)

        self._checks.check_stamp(scan.text, answer, self._problem_for(permit_id, Step.STAMPS))

    def _on_stamp_entry(self, entry: StampEntry | None) -> None:
        if entry is None:
            self.show_problem(
                self.tr("Ce n'est pas un numéro de timbre fiscal (16 chiffres). Rescannez.")
            )
            return
        if any(s.number == entry.number for s in self._stamps):
            self.show_problem(
                self.tr("Ce timbre (…{0}) est déjà compté pour cette remise.").format(
                    entry.number[-4:]
                )
            )
            return
        if entry.amount_cents == 0:
            # The number does not carry the amount: the agent reads it on the stamp.
            self._show_amount_prompt(entry)
            return
        self._add_stamp(entry)

    def _show_amount_prompt(self, entry: StampEntry | None) -> None:
        self._pending_stamp = entry
        visible = entry is not None
        self.stamp_amount.setVisible(visible)
        self.stamp_amount_label.setVisible(visible)
        if entry is None:
            self.stamp_amount.clear()
            return
        # Empty, never pre-filled: the agent types the amount printed on the stamp (a reflex
        # Enter on an offered "225,00" recorded a 25 € stamp as 225 €).
        self.stamp_amount_label.setText(
            self.tr("Montant imprimé sur le timbre …{0}, puis Entrée :").format(entry.number[-4:])
        )
        self.stamp_amount.clear()
        self.stamp_amount.setFocus()

    def _on_stamp_amount(self) -> None:
        entry = self._pending_stamp
        if entry is None:
            return
        cents = parse_euros(self.stamp_amount.text())
        if cents is None or cents <= 0:
            self.show_problem(self.tr("Montant non compris : tapez par exemple 225 ou 25,00."))
            self.stamp_amount.selectAll()
            return
        self.problem.hide()
        self._show_amount_prompt(None)
        self.stamp_field.setFocus()
        self._add_stamp(StampEntry(entry.number, cents))

    def _add_stamp(self, entry: StampEntry) -> None:
        self._stamps.append(entry)
        self.stamp_list.addItem(f"•••• {entry.number[-4:]}    {euros(entry.amount_cents)}")
        self._update_total()
        due = self._permit.fee_cents if self._permit is not None else 0
        if due > 0 and self.stamps_total() >= due:
            self.advance()

    def _on_remove_stamp(self) -> None:
        if self._stamps:
            self._stamps.pop()
            self.stamp_list.takeItem(self.stamp_list.count() - 1)
            self._update_total()
        self.stamp_field.setFocus()

    def _finish_stamps(self) -> str | None:
        if self._pending_stamp is not None:
            return self.tr("Tapez le montant du timbre, puis Entrée.")
        due = self._permit.fee_cents if self._permit is not None else 0
        total = self.stamps_total()
        if total >= due:
            return None
        return self.tr("Il manque {0} : scannez le timbre suivant.").format(euros(due - total))

    # -- previous card --------------------------------------------------------------------

    def _on_previous_scan(self, scan: ScanInput) -> None:
        assert self._permit is not None
        self.problem.hide()
        permit_id = self._permit.permit_id

        def answer(match: IdentityMatch | None) -> None:
            if self._still(permit_id, Step.PREVIOUS_CARD):
                self._on_previous_match(scan, match)

        self._checks.identity_from_scan(
            scan.text, permit_id, answer, self._problem_for(permit_id, Step.PREVIOUS_CARD)
        )

    def _on_previous_match(self, scan: ScanInput, match: IdentityMatch | None) -> None:
        if match is None:
            self.show_problem(
                self.tr(
                    "Ce n'est pas la bande MRZ d'une carte : scannez les lignes au dos de "
                    "l'ancienne carte (ou F6 si elle est perdue ou volée)."
                )
            )
            return
        number = match.document_number
        self.previous_lost.setChecked(False)
        self._previous = PreviousCardReturn(
            PreviousCardOutcome.TAKEN_BACK, card_number=number, scan=scan.text
        )
        self.previous_state.setText(self.tr("✓ Ancienne carte n° {0} reprise").format(number))
        self.advance()

    def _on_previous_lost(self, lost: bool) -> None:
        self.previous_report.setEnabled(lost)
        self.previous_report_date.setEnabled(lost)
        if lost:
            self._previous = None
            self.previous_state.clear()
            self.previous_report.setFocus()
        else:
            self.previous_field.setFocus()

    def _finish_previous(self) -> str | None:
        if self.previous_lost.isChecked():
            report = self.previous_report.text().strip()
            if not report:
                return self.tr("Tapez le numéro de la déclaration de perte ou de vol.")
            when = parse_day(self.previous_report_date.text())
            if when is None:
                self.previous_report_date.setFocus()
                return self.tr("Tapez la date de la déclaration, par exemple 03/11/2026.")
            self._previous = PreviousCardReturn(
                PreviousCardOutcome.LOST_OR_STOLEN,
                police_report_number=report,
                police_report_date=when,
            )
            return None
        if self._previous is None:
            return self.tr(
                "Scannez l'ancienne carte, ou cochez « perdue ou volée » (F6) "
                "et tapez le numéro de déclaration."
            )
        return None

    # -- signature and confirmation -------------------------------------------------------

    def _finish_signature(self) -> str | None:
        problem = self.signature_pad.problem()
        if problem is not None:
            return problem
        self._signature_png = self.signature_pad.to_png()
        return None

    def _summary_text(self) -> str:
        return "\n".join(
            [*self._summary_lines(upto=Step.CONFIRM), self.tr("Signature : recueillie")]
        )

    def _summary_lines(self, *, upto: Step) -> list[str]:
        """What the steps before ``upto`` recorded, one line each."""
        identity = self._identity if upto > Step.IDENTITY else None
        lines = []
        if identity is not None:
            if not identity.from_scan:
                checked = self.tr("saisie à la main")
            elif identity.name_matches and identity.birth_date_matches:
                checked = self.tr("✓ nom et date de naissance conformes")
            else:
                checked = self.tr("✗ NE CORRESPOND PAS au titulaire")
            lines.append(
                self.tr("Pièce : {0} {1} n° {2} ({3})").format(
                    IDENTITY_DOCUMENT_LABELS[identity.kind],
                    identity.issuing_country,
                    identity.number,
                    checked,
                )
            )
        if upto > Step.STAMPS and self._permit is not None and self._permit.fee_cents > 0:
            lines.append(
                self.tr("Timbres : {0} pour {1}, {2} dus").format(
                    len(self._stamps), euros(self.stamps_total()), euros(self._permit.fee_cents)
                )
            )
        previous = self._previous if upto > Step.PREVIOUS_CARD else None
        if previous is not None and previous.outcome == PreviousCardOutcome.TAKEN_BACK:
            lines.append(self.tr("Ancienne carte n° {0} reprise").format(previous.card_number))
        elif previous is not None and previous.outcome == PreviousCardOutcome.LOST_OR_STOLEN:
            lines.append(
                self.tr("Ancienne carte perdue ou volée, déclaration {0}").format(
                    previous.police_report_number
                )
            )
        return lines

    def request(self) -> HandoverRequest | None:
        """The request the confirmation would submit, once every step is complete."""
        if self._permit is None or self._identity is None or self._signature_png is None:
            return None
        previous = self._previous or PreviousCardReturn(PreviousCardOutcome.NONE)
        return HandoverRequest(
            permit_id=self._permit.permit_id,
            identity=self._identity,
            signature_png=self._signature_png,
            stamps=tuple(self._stamps),
            previous_card=previous,
            # Every override granted during this handover travels with it (the desk's window
            # extension is found by the core).
            override_ids=tuple(
                o
                for o in (
                    self._override_id,
                    self._card_override.override_id if self._card_override else None,
                )
                if o is not None
            ),
            drawer_card_scan=self._card_scan,
        )

    def _finish_confirm(self) -> str | None:
        request = self.request()
        if request is None:
            return self.tr("Une étape n'est pas terminée : reprenez avec Échap.")
        if not self.card_verified and self._card_override is None:
            if self._card is not None and self._card.kind == VerdictKind.WRONG_CARD:
                return self.tr(
                    "MAUVAISE CARTE : ne la remettez pas. Scannez la bonne carte, "
                    "ou faites venir le chef d'accueil (F4)."
                )
            return self.tr(
                "Scannez d'abord la carte sortie du casier (bande MRZ au dos). "
                "Carte illisible : chef d'accueil (F4)."
            )
        self.submitted.emit(request)
        return None

    # -- the card from the drawer ---------------------------------------------------------

    @property
    def card_verified(self) -> bool:
        """Whether the card scanned from the drawer is this permit's card."""
        return self._card is not None and self._card.kind == VerdictKind.CARD_OK

    @property
    def card_override(self) -> OverrideGrant | None:
        return self._card_override

    @property
    def wants_card_override(self) -> bool:
        """At the last step with no verified card: only a supervisor lets it go on."""
        return (
            self._permit is not None
            and self.step == Step.CONFIRM
            and not self.card_verified
            and self._card_override is None
        )

    def accept_card_override(self, grant: OverrideGrant) -> None:
        """A supervisor allowed the handover without a matching card scan."""
        self._card_override = grant
        self.problem.hide()
        self._show_card_state()
        self.card_field.setFocus()

    def _on_card_scan(self, scan: ScanInput) -> None:
        assert self._permit is not None
        self.problem.hide()
        permit_id = self._permit.permit_id

        def answer(verdict: Verdict) -> None:
            if self._still(permit_id, Step.CONFIRM) and not self._busy:
                self._on_card_verdict(verdict, scan.text)

        self._checks.check_card(
            permit_id, scan.text, answer, self._problem_for(permit_id, Step.CONFIRM)
        )

    def _on_card_verdict(self, verdict: Verdict, scan: str) -> None:
        if verdict.kind in (VerdictKind.CARD_OK, VerdictKind.WRONG_CARD):
            self._card = verdict
            self._card_scan = scan
        self._show_card_state()
        self.card_checked.emit(verdict)
        if verdict.kind == VerdictKind.CARD_OK:
            self.advance()  # the right card in hand: the scan is the agent's « record »
            return
        if verdict.kind != VerdictKind.WRONG_CARD:
            self.show_problem("\n".join((verdict.headline, *verdict.details)))
        self.card_field.setFocus()

    def _show_card_state(self) -> None:
        permit = self._permit
        slot = permit.storage_slot if permit is not None and permit.storage_slot else "?"
        self.card_prompt.setText(
            self.tr("Carte n° {0}, casier {1}").format(
                permit.card_number if permit is not None else "", slot
            )
        )
        card = self._card
        if self._card_override is not None and not self.card_verified:
            text = self.tr(
                "⚠ CARTE NON VÉRIFIÉE — remise autorisée par le chef d'accueil ({0}). "
                "Comparez le nom et le numéro imprimés sur la carte avant de la remettre."
            ).format(self._card_override.supervisor_pseudonym)
            tone = "warning"
            hint = self.tr("Entrée pour enregistrer la remise.")
        elif card is not None and card.kind == VerdictKind.CARD_OK:
            text = self.tr("✓ BONNE CARTE — numéro, nom et date de naissance concordent")
            tone = "good"
            hint = self.tr("Entrée pour enregistrer ; remettez la carte quand « REMIS » s'affiche.")
        elif card is not None and card.kind == VerdictKind.WRONG_CARD:
            # The reasons are in the big panel above; here, only what must not be missed.
            text = "✗ " + card.headline
            tone = "alarm"
            hint = self.tr(
                "Scannez la bonne carte ; si la carte est bien la sienne mais illisible ou "
                "différente, chef d'accueil (F4)."
            )
        else:
            text = ""
            tone = ""
            hint = self.tr(
                "Si c'est la bonne carte, la remise est enregistrée aussitôt. "
                "Carte illisible : chef d'accueil (F4)."
            )
        self.card_tone = tone
        self.card_state.setStyleSheet(_CARD_STYLES.get(tone, ""))
        self.card_state.setText(text)
        self.card_state.setVisible(bool(text))
        self.confirm_hint.setText(hint)
        if self._permit is not None and self.step == Step.CONFIRM:
            # No « record » button to press while the card is not the right one.
            self.continue_button.setEnabled(
                not self._busy and (self.card_verified or self._card_override is not None)
            )

    def feed_scan(self, text: str) -> bool:
        """A code read by the camera, into the current step's field as if scanned there."""
        field = {
            Step.IDENTITY: self.identity_field,
            Step.STAMPS: None if self._pending_stamp else self.stamp_field,
            Step.PREVIOUS_CARD: self.previous_field,
            Step.CONFIRM: self.card_field,
        }.get(self.step)
        if field is None or self._permit is None or self._busy:
            return False
        field.scan_submitted.emit(ScanInput(text, "burst", from_scancodes=False))
        return True
