"""The handover steps for a READY permit: identity, stamps, previous card, card, signature.

The steps and what each still needs are the core's :class:`HandoverDraft`; this widget
shows them and feeds the draft. Keyboard first: each step has one field that takes a
scan; Enter on an empty field continues, Esc cancels (asking once when a signature or two
steps would be lost). A complete scan moves on by itself. The card taken from the drawer
is checked before the holder signs; the signature is the last thing, and Enter records.

A scan is never silently turned into data of another kind (:func:`route_scan`): another
permit's reference offers to switch holders, a code a later step reads is refused with a
message, and focus stays where the next scan is expected. A step that a rule stops (a
document that does not match, too few stamps, no previous card, a card not verified)
goes on only with a supervisor's override (``override_wanted``, answered through
:meth:`accept_override`); the core re-checks every rule when the handover is recorded.
Nothing is written until ``submitted`` is answered by the presenter.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
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

from handover.domain.draft import (
    STEP_OVERRIDES,
    DraftStep,
    HandoverDraft,
    ScanRoute,
    route_scan,
)
from handover.domain.text import parse_day
from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    HandoverRequest,
    IdentityDocument,
    IdentityDocumentKind,
    IdentityMatch,
    OverrideGrant,
    OverrideKind,
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

Step = DraftStep  # the wizard's pages follow the core's steps, in the same order

Problem = Callable[[str], None]


@dataclass(frozen=True)
class ScanKindRead:
    """What kind of code a scan is (``ScanKind`` value), as the core parsed it."""

    kind: str
    valid: bool
    reference: str | None = None  # a permit reference, formatted, when it is one


class HandoverChecks(Protocol):
    """What the wizard asks the core while the holder is at the desk.

    Each question is answered later, on the screen's thread: ``answer`` with the value,
    or ``problem`` with what to tell the agent (the presenter's worker runs the core).
    """

    def read_scan_kind(
        self, raw: str, answer: Callable[[ScanKindRead], None], problem: Problem
    ) -> None: ...

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


# The identity verdict is as loud as the card's: a document that does not match is never
# small black text.
_IDENTITY_STYLES = {
    "good": _CARD_STYLES["good"],
    "alarm": _CARD_STYLES["alarm"],
    "warning": _CARD_STYLES["warning"],
}
_SWITCH_STYLE = (
    "background: #0d47a1; color: #ffffff; font-size: 22px; font-weight: bold;"
    " padding: 12px; border-radius: 6px;"
)

# HOLDER-FACING: the holder reads this on the turned screen or the tablet — bilingual
# French/English on purpose (every other text of the wizard is the agent's, in French).
SIGNATURE_PROMPT_HOLDER = (
    "Signez dans le cadre ci-dessous pour attester la remise de votre titre de séjour.\n"
    "Please sign in the box below to confirm you have received your residence permit."
)

_STEP_TITLES = {
    Step.IDENTITY: "Pièce d'identité",
    Step.STAMPS: "Timbres fiscaux",
    Step.PREVIOUS_CARD: "Ancienne carte",
    Step.CARD: "Carte du casier",
    Step.SIGNATURE: "Signature du titulaire et remise",
}


class HandoverWizard(QWidget):
    """One handover, step by step; ``submitted`` carries the complete request."""

    submitted = Signal(HandoverRequest)
    cancelled = Signal()
    step_changed = Signal(int)
    card_checked = Signal(Verdict)  # each scan of the card from the drawer, good or bad
    identity_read = Signal(IdentityMatch)  # each identity document read, matching or not
    # A supervisor is asked for an override of this kind (F4 where a rule stops the
    # step, F7 for a proxy); the window shows the dialog, then calls accept_override.
    override_wanted = Signal(OverrideKind)
    # The agent chose to serve the holder of this scanned reference (the draft is gone).
    switch_requested = Signal(str)

    def __init__(
        self,
        checks: HandoverChecks,
        parent: QWidget | None = None,
        *,
        key_clock: Callable[[], float] | None = None,
        documents: Collection[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._checks = checks
        self._documents = [
            kind for kind in IdentityDocumentKind if documents is None or kind.value in documents
        ]
        self._draft: HandoverDraft | None = None
        self._grants: dict[OverrideKind, OverrideGrant] = {}
        self._card: Verdict | None = None
        self._card_scan: str | None = None  # the drawer card's MRZ, sent for the record
        self._identity_match: IdentityMatch | None = None
        self._switch_to: str | None = None  # a reference scanned mid-wizard, offered
        self._asked_cancel = False
        self.card_tone = ""
        self.identity_tone = ""
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
        self.switch_offer = QLabel()
        self.switch_offer.setObjectName("switch_offer")
        self.switch_offer.setWordWrap(True)
        self.switch_offer.setStyleSheet(_SWITCH_STYLE)
        self.switch_offer.hide()
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_identity(key_clock))
        self.pages.addWidget(self._build_stamps(key_clock))
        self.pages.addWidget(self._build_previous(key_clock))
        self.pages.addWidget(self._build_card(key_clock))
        self.pages.addWidget(self._build_signature())
        self.cancel_button = QPushButton(self.tr("Annuler (Échap)"))
        self.supervisor_button = QPushButton()
        self.supervisor_button.setObjectName("step_supervisor")
        self.continue_button = QPushButton(self.tr("Continuer (Entrée)"))
        for button in (self.cancel_button, self.supervisor_button, self.continue_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel)
        self.supervisor_button.clicked.connect(self.ask_override)
        self.continue_button.clicked.connect(self.advance)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.supervisor_button)
        buttons.addWidget(self.continue_button)
        header = QHBoxLayout()
        header.addWidget(self.step_title, 1)
        header.addWidget(self.progress)
        column = QVBoxLayout(self)
        column.addWidget(self.permit_line)
        column.addLayout(header)
        column.addWidget(self.switch_offer)
        column.addWidget(self.pages, 1)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        for keys, slot in (("F7", self._on_proxy_key), ("F8", self._on_manual_key)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- building -------------------------------------------------------------------------

    def _build_identity(self, clock: Callable[[], float] | None) -> QWidget:
        page = QWidget()
        self.identity_field = StepField(clock=clock)
        self.identity_field.setObjectName("identity_field")
        self.identity_field.setPlaceholderText(
            self.tr("Scannez la bande MRZ ou le 2D-Doc de la pièce d'identité")
        )
        self.identity_match = QLabel()
        self.identity_match.setObjectName("identity_verdict")
        self.identity_match.setWordWrap(True)
        self.identity_match.setTextFormat(Qt.TextFormat.PlainText)
        self.identity_match.hide()
        self.manual_hint = QLabel(
            self.tr(
                "Pièce sans bande MRZ : saisie à la main (F8), vérifiée visuellement par "
                "vous. Parent ou représentant : chef d'accueil (F7)."
            )
        )
        self.manual_hint.setObjectName("hint")
        self.manual_hint.setWordWrap(True)
        self.manual_box = QWidget()
        self.document_kind = QComboBox()
        for kind in self._documents:
            self.document_kind.addItem(IDENTITY_DOCUMENT_LABELS[kind], kind)
        self.document_country = EnterLineEdit()
        self.document_country.setObjectName("document_country")
        self.document_country.setMaxLength(3)
        self.document_number = EnterLineEdit()
        self.document_number.setObjectName("document_number")
        form = QFormLayout(self.manual_box)
        form.addRow(self.tr("Type de pièce"), self.document_kind)
        form.addRow(self.tr("Pays de délivrance (3 lettres)"), self.document_country)
        form.addRow(self.tr("Numéro"), self.document_number)
        self.manual_box.hide()
        column = QVBoxLayout(page)
        column.addWidget(self.identity_field)
        column.addWidget(self.identity_match)
        column.addWidget(self.manual_hint)
        column.addWidget(self.manual_box)
        column.addStretch(1)
        self.identity_field.scan_submitted.connect(self._on_step_scan)
        self.identity_field.empty_submitted.connect(self.advance)
        self.document_country.returnPressed.connect(self.document_number.setFocus)
        self.document_number.returnPressed.connect(self.advance)
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
        self.stamp_field.scan_submitted.connect(self._on_step_scan)
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
        self.previous_field.scan_submitted.connect(self._on_step_scan)
        self.previous_field.empty_submitted.connect(self.advance)
        self.previous_lost.toggled.connect(self._on_previous_lost)
        self.previous_report.returnPressed.connect(self.previous_report_date.setFocus)
        self.previous_report_date.returnPressed.connect(self.advance)
        lost_key = QShortcut(QKeySequence("F6"), page)
        lost_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        lost_key.activated.connect(self.previous_lost.toggle)
        return page

    def _build_card(self, clock: Callable[[], float] | None) -> QWidget:
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
        self.card_field.scan_submitted.connect(self._on_step_scan)
        self.card_field.empty_submitted.connect(self.advance)
        return page

    def _build_signature(self) -> QWidget:
        page = QWidget()
        self.signature_prompt = QLabel(SIGNATURE_PROMPT_HOLDER)  # holder-facing, bilingual
        self.signature_prompt.setObjectName("signature_prompt")
        self.signature_prompt.setWordWrap(True)
        self.signature_prompt.setStyleSheet("font-size: 22px; font-weight: bold;")
        hint = QLabel(
            self.tr(
                "Tournez l'écran ou la tablette vers le titulaire. Quand il a signé : Entrée "
                "enregistre la remise."
            )
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
        row.addWidget(hint, 3)
        column = QVBoxLayout(page)
        column.addWidget(self.signature_prompt)
        column.addWidget(self.signature_pad, 1)
        column.addLayout(row)
        self.signature_pad.changed.connect(self.problem.hide)
        return page

    # -- flow -----------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return Step(self.pages.currentIndex())

    @property
    def permit(self) -> PermitSummary | None:
        return self._draft.permit if self._draft is not None else None

    @property
    def draft(self) -> HandoverDraft | None:
        return self._draft

    def start(
        self,
        verdict: Verdict,
        grants: tuple[OverrideGrant, ...] = (),
        *,
        identity_scan: str | None = None,
    ) -> None:
        """Begin a handover for the permit of a verdict that allows one.

        ``grants``: overrides already granted for it (a blocked permit); ``identity_scan``:
        the identity document whose scan found the holder — not asked for again.
        """
        if verdict.permit is None:
            raise ValueError("a handover needs the permit of the verdict")
        self._draft = HandoverDraft(verdict.permit)
        self._grants = {}
        self._card = None
        self._card_scan = None
        self._identity_match = None
        self._switch_to = None
        self._asked_cancel = False
        self._busy = False
        for field in (self.identity_field, self.stamp_field, self.previous_field, self.card_field):
            field.clear()
        self.switch_offer.hide()
        self.document_number.clear()
        self.document_country.clear()
        self.document_kind.setCurrentIndex(0)
        self.manual_box.hide()
        self._show_identity(None)
        self.stamp_list.clear()
        self._show_amount_prompt(None)
        self.previous_lost.setChecked(False)
        self.previous_report.clear()
        self.previous_report_date.clear()
        self.previous_state.clear()
        self.signature_pad.clear()
        self._update_total()
        for grant in grants:
            self._keep_grant(grant)
        self._go(Step.IDENTITY)
        if identity_scan and verdict.identity is not None:
            self._read_identity(identity_scan)

    def _go(self, step: Step) -> None:
        draft = self._draft
        self.problem.hide()
        self._asked_cancel = False
        self.continue_button.setEnabled(not self._busy)
        self.pages.setCurrentIndex(int(step))
        steps = draft.steps() if draft is not None else (step,)
        self.step_title.setText(self.tr(_STEP_TITLES[step]))
        self.progress.setText(
            self.tr("Étape {0} sur {1} — Échap : annuler").format(steps.index(step) + 1, len(steps))
        )
        self.continue_button.setText(
            self.tr("Enregistrer la remise (Entrée)")
            if step == Step.SIGNATURE
            else self.tr("Continuer (Entrée)")
        )
        if step == Step.CARD:
            self.summary.setText("\n".join(self._summary_lines(upto=step)))
        self._show_card_state()
        done = self._summary_lines(upto=step)
        self.permit_line.setText("   ·   ".join(done))
        # At the card step the summary says it all, one line each.
        self.permit_line.setVisible(bool(done) and step != Step.CARD)
        self._show_supervisor_choice()
        self.resume_focus()
        self.step_changed.emit(int(step))

    def resume_focus(self) -> None:
        """Give the keyboard back to the current step (after the lock screen, a dialog)."""
        focus: QWidget = {
            Step.IDENTITY: self.document_country
            if self.manual_box.isVisible() and not self.document_country.text()
            else (self.document_number if self.manual_box.isVisible() else self.identity_field),
            Step.STAMPS: self.stamp_amount if self._pending_stamp else self.stamp_field,
            Step.PREVIOUS_CARD: self.previous_report
            if self.previous_lost.isChecked()
            else self.previous_field,
            Step.CARD: self.card_field,
            Step.SIGNATURE: self.signature_pad,
        }[self.step]
        focus.setFocus()

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def set_busy(self, busy: bool) -> None:
        """While the presenter records the handover, a second Enter must not submit twice."""
        self._busy = busy
        self.continue_button.setEnabled(not busy)
        if not busy and self._draft is not None:
            self._show_card_state()

    def cancel(self) -> None:
        """Esc: close the offer on screen, or throw the draft away (asking once first)."""
        if self._busy:
            # Being recorded, or recorded for all the screen knows: « nothing was
            # written » would not be true yet.
            self.show_problem(self.tr("Enregistrement en cours : attendez la réponse."))
            return
        if self._switch_to is not None:
            self._close_switch_offer()
            return
        draft = self._draft
        if draft is not None and draft.worth_asking_before_discarding() and not self._asked_cancel:
            self._asked_cancel = True
            self.show_problem(
                self.tr(
                    "Abandonner cette remise ? Ce qui est fait (signature comprise) sera "
                    "perdu. Échap encore une fois : abandonner · Entrée : continuer."
                )
            )
            return
        self.discard()
        self.cancelled.emit()

    def discard(self) -> None:
        """Forget the draft: nothing was written."""
        self._draft = None
        self._switch_to = None
        self.switch_offer.hide()

    def advance(self) -> None:
        """Continue from the current step if it is complete, else say what is missing."""
        draft = self._draft
        if draft is None or self._busy:
            return
        if self._switch_to is not None:
            self._switch_holder()
            return
        if self._asked_cancel:
            self._asked_cancel = False
            self.problem.hide()
            self.resume_focus()
            return
        step = self.step
        problem = {
            Step.IDENTITY: self._finish_identity,
            Step.STAMPS: self._finish_stamps,
            Step.PREVIOUS_CARD: self._finish_previous,
            Step.CARD: self._finish_card,
            Step.SIGNATURE: self._finish_signature,
        }[step]() or draft.needs(step)
        if problem is not None:
            self.show_problem(problem)
            self._show_supervisor_choice()
            self.resume_focus()
            return
        following = draft.after(step)
        if following is None:
            request = self.request()
            if request is None:  # every step said done: cannot happen, but never submit half
                self.show_problem(self.tr("Une étape n'est pas terminée : reprenez avec Échap."))
                return
            self.submitted.emit(request)
            return
        self._go(following)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        if event.key() in _END_KEYS:
            self.advance()
            return
        super().keyPressEvent(event)

    # -- overrides ------------------------------------------------------------------------

    def wanted_override(self) -> OverrideKind | None:
        """The override that would let the current step go on, if a rule stops it."""
        draft = self._draft
        if draft is None or self._busy:
            return None
        kind = STEP_OVERRIDES.get(self.step)
        if kind is None or draft.lifted(kind):
            return None
        if self.step == Step.IDENTITY and not draft.identity_differences:
            return None  # nothing to lift: scan the document (F7 for a proxy)
        if self.step == Step.STAMPS and draft.complete(Step.STAMPS):
            return None
        if self.step == Step.PREVIOUS_CARD and draft.previous_card is not None:
            return None
        if self.step == Step.CARD and draft.card_checked:
            return None
        return kind

    def ask_override(self) -> None:
        """F4 or the button: ask for the override the current step needs."""
        kind = self.wanted_override()
        if kind is not None:
            self.override_wanted.emit(kind)

    def _on_proxy_key(self) -> None:
        draft = self._draft
        if draft is None or self.step != Step.IDENTITY or draft.lifted(OverrideKind.PROXY):
            return
        self.override_wanted.emit(OverrideKind.PROXY)

    def accept_override(self, grant: OverrideGrant) -> None:
        """A supervisor granted ``grant`` for this handover: the step it lifts goes on."""
        if self._draft is None:
            return
        self._keep_grant(grant)
        self.problem.hide()
        kind = OverrideKind(grant.kind)
        if kind == OverrideKind.PROXY:
            self.show_problem(
                self.tr(
                    "Remise à un représentant autorisée par {0} : scannez la pièce du "
                    "représentant (elle est enregistrée avec la remise)."
                ).format(grant.supervisor_pseudonym)
            )
            self.problem.setObjectName("good")
            self.problem.setStyleSheet("")
        if self.step == Step.IDENTITY and self._identity_match is not None:
            self._show_identity(self._identity_match)
        self._show_card_state()
        self._show_supervisor_choice()
        if kind in (OverrideKind.IDENTITY, OverrideKind.PROXY) and self.step == Step.IDENTITY:
            if self._draft.complete(Step.IDENTITY):
                self.advance()
                return
        elif kind in (OverrideKind.FEE, OverrideKind.PREVIOUS_CARD) and self._draft.complete(
            self.step
        ):
            self.advance()
            return
        self.resume_focus()

    def _keep_grant(self, grant: OverrideGrant) -> None:
        if self._draft is None:
            return
        kind = OverrideKind(grant.kind)
        self._grants[kind] = grant
        self._draft.overrides.add(kind)

    @property
    def grants(self) -> dict[OverrideKind, OverrideGrant]:
        return dict(self._grants)

    def _show_supervisor_choice(self) -> None:
        kind = self.wanted_override()
        self.supervisor_button.setVisible(kind is not None)
        if kind is not None:
            self.supervisor_button.setText(self.tr("Chef d'accueil : {0} (F4)").format(kind.label))

    # -- scans arriving in a step ---------------------------------------------------------

    def _on_step_scan(self, scan: ScanInput) -> None:
        self.route(scan.text)

    def route(self, text: str, *, typed_into: QLineEdit | None = None) -> None:
        """A scan in the current step: read by it, offered as a switch, or refused.

        ``typed_into``: the typing field a burst was taken out of; if the core does not
        recognise it as any code, it was typing after all (keys that reached a busy screen
        all at once) and goes back there.
        """
        draft = self._draft
        if draft is None or self._busy:
            return
        self.problem.hide()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("")
        self._asked_cancel = False
        permit_id = draft.permit.permit_id
        step = self.step

        def answer(read: ScanKindRead) -> None:
            if self._still(permit_id, step) and self._draft is not None:
                routed = route_scan(
                    self._draft, step, read.kind, read.valid, reference=read.reference
                )
                if typed_into is not None and read.kind == "unrecognised":
                    self._give_back(typed_into, text)
                    return
                self._on_routed(text, read, routed.route, routed.step)

        self._checks.read_scan_kind(text, answer, self._problem_for(permit_id, step))

    def refuse_scan(self, text: str) -> None:
        """A scanner burst landed in a typing field of the wizard (``ScanGuard``)."""
        field = self.focusWidget()
        self.route(text, typed_into=field if isinstance(field, QLineEdit) else None)

    def _give_back(self, field: QLineEdit, text: str) -> None:
        """Typing that looked like a burst: back into its field, and its Enter pressed."""
        if not field.isVisible() or not field.isEnabled():
            return
        field.insert(text)
        field.setFocus()
        field.returnPressed.emit()

    def feed_scan(self, text: str) -> bool:
        """A code read by the camera, into the current step as if scanned there."""
        if self._draft is None or self._busy:
            return False
        self.route(text)
        return True

    def _on_routed(
        self, text: str, read: ScanKindRead, route: ScanRoute, later: Step | None
    ) -> None:
        step = self.step
        if route == ScanRoute.OTHER_HOLDER:
            self._offer_switch(text, read)
            return
        if route == ScanRoute.SAME_PERMIT:
            self.show_problem(self.tr("C'est la référence de ce titre : la remise est en cours."))
        elif route == ScanRoute.LATER_STEP and later is not None:
            self.show_problem(
                self.tr(
                    "Ce code se scanne à l'étape « {0} » : il n'a rien enregistré. Terminez "
                    "d'abord l'étape « {1} »."
                ).format(self.tr(_STEP_TITLES[later]), self.tr(_STEP_TITLES[step]))
            )
        elif route == ScanRoute.REFUSED:
            self.show_problem(self._refusal(step, read))
        elif self._pending_stamp is not None:
            self.show_problem(
                self.tr("Tapez d'abord le montant du timbre …{0}, puis Entrée.").format(
                    self._pending_stamp.number[-4:]
                )
            )
        else:
            {
                Step.IDENTITY: self._read_identity,
                Step.STAMPS: self._read_stamp,
                Step.PREVIOUS_CARD: self._read_previous,
                Step.CARD: self._read_card,
                Step.SIGNATURE: lambda _t: None,
            }[step](text)
            return
        self.resume_focus()

    def _refusal(self, step: Step, read: ScanKindRead) -> str:
        wanted = {
            Step.IDENTITY: self.tr("la bande MRZ ou le 2D-Doc de la pièce d'identité"),
            Step.STAMPS: self.tr("le timbre fiscal (16 chiffres)"),
            Step.PREVIOUS_CARD: self.tr("la bande MRZ au dos de l'ancienne carte"),
            Step.CARD: self.tr("la bande MRZ au dos de la carte sortie du casier"),
            Step.SIGNATURE: self.tr("rien : le titulaire signe"),
        }[step]
        what = (
            self.tr("Code illisible ou incomplet")
            if read.kind == "unrecognised" or not read.valid
            else self.tr("Ce code n'est pas attendu ici")
        )
        return self.tr("{0} : rien n'a été enregistré. Cette étape attend {1} ; rescannez.").format(
            what, wanted
        )

    def _offer_switch(self, text: str, read: ScanKindRead) -> None:
        self._switch_to = text
        shown = read.reference or self.tr("un autre titre")
        self.switch_offer.setText(
            self.tr(
                "Référence d'un autre titre ({0}). Entrée : passer à ce titulaire (la remise "
                "en cours est abandonnée, rien n'est enregistré) · Échap : continuer celle-ci."
            ).format(shown)
        )
        self.switch_offer.show()
        self.resume_focus()

    def _close_switch_offer(self) -> None:
        self._switch_to = None
        self.switch_offer.hide()
        self.resume_focus()

    def _switch_holder(self) -> None:
        text = self._switch_to
        if text is None:
            return
        self.discard()
        self.switch_requested.emit(text)

    @property
    def switch_offered(self) -> bool:
        return self._switch_to is not None

    def _still(self, permit_id: int, step: Step) -> bool:
        """The answer that comes back is for what is on screen (not cancelled meanwhile)."""
        return (
            self._draft is not None
            and self._draft.permit.permit_id == permit_id
            and self.step == step
        )

    def _problem_for(self, permit_id: int, step: Step) -> Problem:
        def problem(message: str) -> None:
            if self._still(permit_id, step):
                self.show_problem(message)
                self.resume_focus()

        return problem

    # -- identity -------------------------------------------------------------------------

    def _read_identity(self, text: str) -> None:
        draft = self._draft
        if draft is None:
            return
        permit_id = draft.permit.permit_id

        def answer(match: IdentityMatch | None) -> None:
            if self._still(permit_id, Step.IDENTITY):
                self._on_identity_match(text, match)

        self._checks.identity_from_scan(
            text, permit_id, answer, self._problem_for(permit_id, Step.IDENTITY)
        )

    def _on_identity_match(self, text: str, match: IdentityMatch | None) -> None:
        draft = self._draft
        if draft is None:
            return
        if match is None:
            self.show_problem(self._refusal(Step.IDENTITY, ScanKindRead("unrecognised", False)))
            self.resume_focus()
            return
        kind = (
            IdentityDocumentKind(match.document_kind)
            if match.document_kind in IdentityDocumentKind.__members__.values()
            else IdentityDocumentKind.OTHER
        )
        self.manual_box.hide()
        self._identity_match = match
        draft.identity = IdentityDocument(
            kind,
            match.issuing_country,
            match.document_number,
            from_scan=True,
            name_matches=match.name_matches,
            birth_date_matches=match.birth_date_matches,
            scan=text,
        )
        draft.identity_differences = () if match.matches else (match.differences or ("identité",))
        self._show_identity(match)
        self._show_supervisor_choice()
        self.identity_read.emit(match)
        if kind not in self._documents:
            self.show_problem(
                self.tr(
                    "{0} : ce type de pièce n'est pas accepté au guichet de ce site. "
                    "Demandez une autre pièce au titulaire."
                ).format(IDENTITY_DOCUMENT_LABELS[kind])
            )
            draft.identity = None
            self.resume_focus()
            return
        if draft.complete(Step.IDENTITY):
            self.advance()
        else:
            self.resume_focus()

    def _show_identity(self, match: IdentityMatch | None) -> None:
        draft = self._draft
        if match is None:
            self.identity_tone = ""
            self.identity_match.hide()
            return
        lifted = draft is not None and (
            draft.lifted(OverrideKind.IDENTITY) or draft.lifted(OverrideKind.PROXY)
        )
        name = f"{match.surname} {match.given_names}".strip()
        born = f"{match.birth_date:%d/%m/%Y}" if match.birth_date else "?"
        if match.matches:
            tone = "good"
            lines = [self.tr("✓ PIÈCE CONFORME — nom, prénom et date de naissance concordent")]
        else:
            differs = ", ".join(match.differences) or self.tr("identité")
            tone = "warning" if lifted else "alarm"
            lines = [self.tr("✗ PIÈCE NON CONFORME — diffère : {0}").format(differs.upper())]
            if lifted:
                grant = self._grants.get(OverrideKind.PROXY) or self._grants.get(
                    OverrideKind.IDENTITY
                )
                lines.append(
                    self.tr("Autorisé par {0} — motif : {1}").format(
                        grant.supervisor_pseudonym if grant else "?", grant.reason if grant else ""
                    )
                )
            else:
                lines.append(
                    self.tr(
                        "Ne remettez pas le titre. Scannez une autre pièce du titulaire, ou "
                        "chef d'accueil (F4)."
                    )
                )
        lines.append(self.tr("Pièce lue : {0}, né(e) le {1}").format(name, born))
        self.identity_tone = tone
        self.identity_match.setStyleSheet(_IDENTITY_STYLES[tone])
        self.identity_match.setText("\n".join(lines))
        self.identity_match.show()

    def _on_manual_key(self) -> None:
        """F8: a document without a machine-readable zone, typed and checked by eye."""
        if self._draft is None or self.step != Step.IDENTITY:
            return
        self.manual_box.setVisible(not self.manual_box.isVisible())
        self.problem.hide()
        self.resume_focus()

    def _finish_identity(self) -> str | None:
        draft = self._draft
        assert draft is not None
        if not self.manual_box.isVisible():
            return None  # the draft says what the scanned document still needs
        kind = IdentityDocumentKind(self.document_kind.currentData())
        country = self.document_country.text().strip().upper()
        number = self.document_number.text().strip().upper()
        if len(country) != 3 or not country.isalpha():
            self.document_country.setFocus()
            return self.tr("Tapez le pays de délivrance en 3 lettres (par exemple DZA, MAR).")
        if len(number) < 4:
            self.document_number.setFocus()
            return self.tr("Tapez le numéro de la pièce (4 caractères au moins).")
        draft.identity = IdentityDocument(kind, country, number)
        draft.identity_differences = ()
        self._identity_match = None
        self._show_identity(None)
        return None

    # -- stamps ---------------------------------------------------------------------------

    def stamps_total(self) -> int:
        return self._draft.stamps_total if self._draft is not None else 0

    def _update_total(self) -> None:
        due = self.permit.fee_cents if self.permit is not None else 0
        self.stamp_total.setText(
            self.tr("Reçu {0} sur {1} dus").format(euros(self.stamps_total()), euros(due))
        )
        self.remove_stamp.setEnabled(bool(self._draft and self._draft.stamps))

    def _read_stamp(self, text: str) -> None:
        draft = self._draft
        assert draft is not None
        permit_id = draft.permit.permit_id

        def answer(entry: StampEntry | None) -> None:
            if self._still(permit_id, Step.STAMPS):
                self._on_stamp_entry(entry)

        self._checks.check_stamp(text, answer, self._problem_for(permit_id, Step.STAMPS))

    def _on_stamp_entry(self, entry: StampEntry | None) -> None:
        draft = self._draft
        assert draft is not None
        if entry is None:
            self.show_problem(
                self.tr("Ce n'est pas un numéro de timbre fiscal (16 chiffres). Rescannez.")
            )
            return
        if any(s.number == entry.number for s in draft.stamps):
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
        draft = self._draft
        assert draft is not None
        draft.stamps.append(entry)
        self.stamp_list.addItem(f"•••• {entry.number[-4:]}    {euros(entry.amount_cents)}")
        self._update_total()
        self._show_supervisor_choice()
        if draft.stamps_total >= draft.permit.fee_cents:
            self.advance()

    def _on_remove_stamp(self) -> None:
        if self._draft is not None and self._draft.stamps:
            self._draft.stamps.pop()
            self.stamp_list.takeItem(self.stamp_list.count() - 1)
            self._update_total()
            self._show_supervisor_choice()
        self.stamp_field.setFocus()

    def _finish_stamps(self) -> str | None:
        if self._pending_stamp is not None:
            self.stamp_amount.setFocus()
            return self.tr("Tapez le montant du timbre, puis Entrée.")
        return None

    # -- previous card --------------------------------------------------------------------

    def _read_previous(self, text: str) -> None:
        draft = self._draft
        assert draft is not None
        permit_id = draft.permit.permit_id

        def answer(match: IdentityMatch | None) -> None:
            if self._still(permit_id, Step.PREVIOUS_CARD):
                self._on_previous_match(text, match)

        self._checks.identity_from_scan(
            text, permit_id, answer, self._problem_for(permit_id, Step.PREVIOUS_CARD)
        )

    def _on_previous_match(self, text: str, match: IdentityMatch | None) -> None:
        draft = self._draft
        assert draft is not None
        if match is None:
            self.show_problem(self._refusal(Step.PREVIOUS_CARD, ScanKindRead("mrz", False)))
            return
        number = match.document_number
        if number.upper() == draft.permit.card_number.upper():
            self.show_problem(
                self.tr(
                    "C'est la NOUVELLE carte qui a été scannée : scannez l'ancienne carte "
                    "de l'usager."
                )
            )
            return
        if not match.matches:
            self.show_problem(
                self.tr(
                    "Cette carte n'est pas celle du titulaire (diffère : {0}). Rendez-la et "
                    "demandez la bonne carte."
                ).format(", ".join(match.differences))
            )
            return
        self.previous_lost.setChecked(False)
        draft.previous_card = PreviousCardReturn(
            PreviousCardOutcome.TAKEN_BACK, card_number=number, scan=text
        )
        self.previous_state.setText(self.tr("✓ Ancienne carte n° {0} reprise").format(number))
        self.advance()

    def _on_previous_lost(self, lost: bool) -> None:
        self.previous_report.setEnabled(lost)
        self.previous_report_date.setEnabled(lost)
        if self._draft is not None and lost:
            self._draft.previous_card = None
            self.previous_state.clear()
        if self._draft is not None:
            self.resume_focus()

    def _finish_previous(self) -> str | None:
        draft = self._draft
        assert draft is not None
        if not self.previous_lost.isChecked():
            return None
        report = self.previous_report.text().strip()
        if not report:
            self.previous_report.setFocus()
            return self.tr("Tapez le numéro de la déclaration de perte ou de vol.")
        when = parse_day(self.previous_report_date.text())
        if when is None:
            self.previous_report_date.setFocus()
            return self.tr("Tapez la date de la déclaration, par exemple 03/11/2026.")
        draft.previous_card = PreviousCardReturn(
            PreviousCardOutcome.LOST_OR_STOLEN,
            police_report_number=report,
            police_report_date=when,
        )
        return None

    # -- the card from the drawer ---------------------------------------------------------

    @property
    def card_verified(self) -> bool:
        """Whether the card scanned from the drawer is this permit's card."""
        return self._card is not None and self._card.kind == VerdictKind.CARD_OK

    @property
    def card_override(self) -> OverrideGrant | None:
        return self._grants.get(OverrideKind.CARD)

    def _read_card(self, text: str) -> None:
        draft = self._draft
        assert draft is not None
        permit_id = draft.permit.permit_id

        def answer(verdict: Verdict) -> None:
            if self._still(permit_id, Step.CARD) and not self._busy:
                self._on_card_verdict(verdict, text)

        self._checks.check_card(permit_id, text, answer, self._problem_for(permit_id, Step.CARD))

    def _on_card_verdict(self, verdict: Verdict, scan: str) -> None:
        draft = self._draft
        assert draft is not None
        if verdict.kind in (VerdictKind.CARD_OK, VerdictKind.WRONG_CARD):
            self._card = verdict
            self._card_scan = scan
            draft.card_checked = verdict.kind == VerdictKind.CARD_OK
        self._show_card_state()
        self._show_supervisor_choice()
        self.card_checked.emit(verdict)
        if verdict.kind == VerdictKind.CARD_OK:
            self.advance()  # the right card in hand: on to the holder's signature
            return
        if verdict.kind != VerdictKind.WRONG_CARD:
            self.show_problem("\n".join((verdict.headline, *verdict.details)))
        self.card_field.setFocus()

    def _finish_card(self) -> str | None:
        if self.card_verified or self.card_override is not None:
            return None
        if self._card is not None and self._card.kind == VerdictKind.WRONG_CARD:
            return self.tr(
                "MAUVAISE CARTE : ne la remettez pas. Scannez la bonne carte, "
                "ou faites venir le chef d'accueil (F4)."
            )
        return self.tr(
            "Scannez d'abord la carte sortie du casier (bande MRZ au dos), avant la "
            "signature. Carte illisible : chef d'accueil (F4)."
        )

    def _show_card_state(self) -> None:
        permit = self.permit
        slot = permit.storage_slot if permit is not None and permit.storage_slot else "?"
        self.card_prompt.setText(
            self.tr("Carte n° {0}, casier {1}").format(
                permit.card_number if permit is not None else "", slot
            )
        )
        card = self._card
        grant = self.card_override
        if grant is not None and not self.card_verified:
            text = self.tr(
                "⚠ CARTE NON VÉRIFIÉE — autorisé par {0} — motif : {1}. Comparez le nom et "
                "le numéro imprimés sur la carte avant de la remettre."
            ).format(grant.supervisor_pseudonym, grant.reason)
            tone = "warning"
            hint = self.tr("Entrée : signature du titulaire.")
        elif card is not None and card.kind == VerdictKind.CARD_OK:
            text = self.tr("✓ BONNE CARTE — numéro, nom et date de naissance concordent")
            tone = "good"
            hint = self.tr("Entrée : signature du titulaire.")
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
                "Si c'est la bonne carte, le titulaire signe ensuite. "
                "Carte illisible : chef d'accueil (F4)."
            )
        self.card_tone = tone
        self.card_state.setStyleSheet(_CARD_STYLES.get(tone, ""))
        self.card_state.setText(text)
        self.card_state.setVisible(bool(text))
        self.confirm_hint.setText(hint)
        if self._draft is not None and self.step == Step.CARD:
            # No « continue » to press while the card is not the right one.
            self.continue_button.setEnabled(not self._busy and self._draft.complete(Step.CARD))

    # -- signature and the request --------------------------------------------------------

    def _finish_signature(self) -> str | None:
        draft = self._draft
        assert draft is not None
        problem = self.signature_pad.problem()
        if problem is not None:
            return problem
        draft.signature_png = self.signature_pad.to_png()
        return None

    def _summary_lines(self, *, upto: Step) -> list[str]:
        """What the steps before ``upto`` recorded, one line each."""
        draft = self._draft
        if draft is None:
            return []
        identity = draft.identity if upto > Step.IDENTITY else None
        lines = []
        if identity is not None:
            if not identity.from_scan:
                checked = self.tr("saisie à la main, vérifiée visuellement par l'agent")
            elif not draft.identity_differences:
                checked = self.tr("✓ nom et date de naissance conformes")
            else:
                checked = self.tr("✗ non conforme, autorisé par le chef d'accueil")
            lines.append(
                self.tr("Pièce : {0} {1} n° {2} ({3})").format(
                    IDENTITY_DOCUMENT_LABELS[identity.kind],
                    identity.issuing_country,
                    identity.number,
                    checked,
                )
            )
        if upto > Step.STAMPS and draft.permit.fee_cents > 0:
            lines.append(
                self.tr("Timbres : {0} pour {1}, {2} dus").format(
                    len(draft.stamps), euros(draft.stamps_total), euros(draft.permit.fee_cents)
                )
            )
        previous = draft.previous_card if upto > Step.PREVIOUS_CARD else None
        if previous is not None and previous.outcome == PreviousCardOutcome.TAKEN_BACK:
            lines.append(self.tr("Ancienne carte n° {0} reprise").format(previous.card_number))
        elif previous is not None and previous.outcome == PreviousCardOutcome.LOST_OR_STOLEN:
            lines.append(
                self.tr("Ancienne carte perdue ou volée, déclaration {0}").format(
                    previous.police_report_number
                )
            )
        if upto > Step.CARD and (self.card_verified or self.card_override is not None):
            lines.append(
                self.tr("Carte n° {0} vérifiée").format(draft.permit.card_number)
                if self.card_verified
                else self.tr("Carte non vérifiée (autorisation du chef d'accueil)")
            )
        return lines

    def request(self) -> HandoverRequest | None:
        """The request the last Enter submits, once the draft is complete.

        The override ids are the presenter's to add (it keeps this handover's grants); the
        scans go raw, for the core to re-read.
        """
        draft = self._draft
        if draft is None or draft.identity is None or draft.signature_png is None:
            return None
        return HandoverRequest(
            permit_id=draft.permit.permit_id,
            identity=draft.identity,
            signature_png=draft.signature_png,
            stamps=tuple(draft.stamps),
            previous_card=draft.previous_card or PreviousCardReturn(PreviousCardOutcome.NONE),
            # The presenter adds every override granted for this handover.
            drawer_card_scan=self._card_scan,
        )

    def show_in_doubt(self, message: str) -> None:
        """The commit's outcome is unknown: keep everything, and say to wait."""
        self.set_busy(True)
        self.show_problem(message)
        self.confirm_hint.setText(
            self.tr("Ne remettez pas la carte : le guichet vérifie l'enregistrement.")
        )
