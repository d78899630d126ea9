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
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from ui.widgets.steps.card import CardStep
from ui.widgets.steps.fields import END_KEYS, problem_label
from ui.widgets.steps.identity import IdentityStep
from ui.widgets.steps.previous_card import PreviousCardStep
from ui.widgets.steps.signature import SIGNATURE_PROMPT_HOLDER, SignatureStep
from ui.widgets.steps.stamps import StampsStep

_END_KEYS = END_KEYS
__all__ = ["SIGNATURE_PROMPT_HOLDER", "HandoverChecks", "HandoverWizard", "ScanKindRead", "Step"]

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


_SWITCH_STYLE = (
    "background: #0d47a1; color: #ffffff; font-size: 22px; font-weight: bold;"
    " padding: 12px; border-radius: 6px;"
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
        self.problem = problem_label()
        self.switch_offer = QLabel()
        self.switch_offer.setObjectName("switch_offer")
        self.switch_offer.setWordWrap(True)
        self.switch_offer.setStyleSheet(_SWITCH_STYLE)
        self.switch_offer.hide()
        # One small widget per step, in the draft's order (a page each).
        self.identity_step = IdentityStep(self._documents, key_clock)
        self.stamps_step = StampsStep(key_clock)
        self.previous_step = PreviousCardStep(key_clock)
        self.card_step = CardStep(key_clock)
        self.signature_step = SignatureStep()
        self.pages = QStackedWidget()
        for page in (
            self.identity_step,
            self.stamps_step,
            self.previous_step,
            self.card_step,
            self.signature_step,
        ):
            self.pages.addWidget(page)
        self._alias_step_widgets()
        self._connect_steps()
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
        for keys, slot in (("F7", self._on_proxy_key), ("F3", self._on_manual_key)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- building -------------------------------------------------------------------------

    def _alias_step_widgets(self) -> None:
        """The steps' fields under the names the window and the tests use."""
        identity, stamps, previous = self.identity_step, self.stamps_step, self.previous_step
        self.identity_field = identity.field
        self.identity_match = identity.verdict
        self.manual_box = identity.manual_box
        self.document_kind = identity.kind
        self.document_country = identity.country
        self.document_number = identity.number
        self.stamp_field = stamps.field
        self.stamp_amount = stamps.amount
        self.stamp_list = stamps.rows
        self.stamp_total = stamps.total
        self.previous_field = previous.field
        self.previous_lost = previous.lost
        self.previous_report = previous.report
        self.previous_report_date = previous.report_date
        self.card_field = self.card_step.field
        self.card_state = self.card_step.state
        self.card_prompt = self.card_step.prompt
        self.summary = self.card_step.summary
        self.confirm_hint = self.card_step.hint
        self.signature_pad = self.signature_step.pad
        self.signature_prompt = self.signature_step.prompt

    def _connect_steps(self) -> None:
        for field in (self.identity_field, self.stamp_field, self.previous_field, self.card_field):
            field.scan_submitted.connect(self._on_step_scan)
            field.empty_submitted.connect(self.advance)
        self.document_number.returnPressed.connect(self.advance)
        self.stamp_amount.returnPressed.connect(self._on_stamp_amount)
        self.stamps_step.remove.clicked.connect(self._on_remove_stamp)
        self.previous_lost.toggled.connect(self._on_previous_lost)
        self.previous_report_date.returnPressed.connect(self.advance)
        self.signature_pad.changed.connect(self.problem.hide)

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
        self.switch_offer.hide()
        self.identity_step.reset()
        self.stamps_step.reset()
        self.previous_step.reset()
        self.card_step.field.clear()
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
            Step.IDENTITY: self.identity_step.focus_target(),
            Step.STAMPS: self.stamps_step.focus_target(),
            Step.PREVIOUS_CARD: self.previous_step.focus_target(),
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
        grant = self._grants.get(OverrideKind.PROXY) or self._grants.get(OverrideKind.IDENTITY)
        self.identity_step.show_match(match, grant)
        self.identity_tone = self.identity_step.tone

    def _on_manual_key(self) -> None:
        """F3: a document without a machine-readable zone, typed and checked by eye."""
        if self._draft is None or self.step != Step.IDENTITY:
            return
        self.identity_step.toggle_typing()
        self.problem.hide()
        self.resume_focus()

    def _finish_identity(self) -> str | None:
        draft = self._draft
        assert draft is not None
        if not self.identity_step.typing:
            return None  # the draft says what the scanned document still needs
        typed = self.identity_step.typed_document()
        if isinstance(typed, str):
            return typed
        draft.identity = typed
        draft.identity_differences = ()
        self._identity_match = None
        self._show_identity(None)
        return None

    # -- stamps ---------------------------------------------------------------------------

    def stamps_total(self) -> int:
        return self._draft.stamps_total if self._draft is not None else 0

    def _update_total(self) -> None:
        due = self.permit.fee_cents if self.permit is not None else 0
        self.stamps_step.show_total(
            self.stamps_total(), due, any_stamp=bool(self._draft and self._draft.stamps)
        )

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
        self.stamps_step.ask_amount(entry)

    @property
    def _pending_stamp(self) -> StampEntry | None:
        return self.stamps_step.pending

    def _on_stamp_amount(self) -> None:
        if self._pending_stamp is None:
            return
        typed = self.stamps_step.typed_amount()
        if isinstance(typed, str):
            self.show_problem(typed)
            return
        self.problem.hide()
        self._show_amount_prompt(None)
        self.stamp_field.setFocus()
        self._add_stamp(typed)

    def _add_stamp(self, entry: StampEntry) -> None:
        draft = self._draft
        assert draft is not None
        draft.stamps.append(entry)
        self.stamps_step.add_row(entry)
        self._update_total()
        self._show_supervisor_choice()
        if draft.stamps_total >= draft.permit.fee_cents:
            self.advance()

    def _on_remove_stamp(self) -> None:
        if self._draft is not None and self._draft.stamps:
            self._draft.stamps.pop()
            self.stamps_step.remove_row()
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
        self.previous_step.taken_back(number)
        draft.previous_card = PreviousCardReturn(
            PreviousCardOutcome.TAKEN_BACK, card_number=number, scan=text
        )
        self.advance()

    def _on_previous_lost(self, lost: bool) -> None:
        if self._draft is None:
            return
        if lost:
            self._draft.previous_card = None
        self.resume_focus()

    def _finish_previous(self) -> str | None:
        draft = self._draft
        assert draft is not None
        declared = self.previous_step.declared()
        if isinstance(declared, str):
            return declared
        if declared is not None:
            draft.previous_card = declared
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
        self.card_step.prompt.setText(
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
        self.card_step.show_state(text, tone, hint)
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
