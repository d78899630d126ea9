"""The door's window: the agent d'accueil scans the SMS (or an identity document) and the
holder gets a ticket, or is told at once why not, before any wait.

Keyboard only: the scan field always has the focus; F3 marks the next ticket priority,
F4 asks a supervisor to raise today's limit, F5 reprints the ticket on screen, Ctrl+L
locks. Every rule is the queue core's; the window lays out and routes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from handover.domain.clock import Clock, SystemClock
from handover.domain.values import AgentIdentity
from handover.queue.values import QueueStatus, Ticket, TicketOutcome
from handover.receipts import format as fmt
from handover.scanning.input import ScanInput, WedgeSettings
from ui.dialogs.supervisor_dialog import SupervisorAnswer, SupervisorDialog
from ui.door.dialogs import ExtraTicketsDialog, PriorityDialog, VisualCheckDialog
from ui.door.presenter import DoorPresenter
from ui.main_window import BUSY_STYLE
from ui.presenters.inactivity import InactivityWatch
from ui.style import (
    BANNER_PX,
    TONE_ALREADY,
    TONE_ERROR,
    TONE_READY,
    TONE_UNKNOWN,
    TONE_WAITING,
    VERDICT_TONES,
)
from ui.widgets.login_page import LockPage, LoginPage
from ui.widgets.scan_field import ScanField
from ui.widgets.scan_guard import ScanGuard
from ui.widgets.verdict_panel import VerdictPanel

FIGURE_PX = 40


def to_prepare(ticket: Ticket) -> str:
    """What the holder must have ready, said to the door agent."""
    things = []
    if ticket.fee_cents > 0:
        things.append(f"{fmt.euros(ticket.fee_cents)} en timbres fiscaux")
    if ticket.needs_previous_card:
        things.append("l'ancienne carte")
    things.append("la pièce d'identité")
    return "À préparer : " + ", ".join(things) + "."


class Figure(QFrame):
    """One of the door's figures: a large value over its French name."""

    def __init__(self, name: str, object_name: str) -> None:
        super().__init__()
        self.setObjectName("figure")
        self.value = QLabel("—")
        self.value.setObjectName(object_name)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value.setStyleSheet(f"font-size: {FIGURE_PX}px; font-weight: bold;")
        caption = QLabel(name)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setWordWrap(True)
        caption.setStyleSheet("font-size: 18px; color: #37474f;")
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.addWidget(self.value)
        column.addWidget(caption)
        self.setStyleSheet(
            "QFrame#figure { background: #eceff1; border: 2px solid #b0bec5; border-radius: 6px; }"
        )

    def set(self, text: str) -> None:
        self.value.setText(text)


class DoorWindow(QMainWindow):
    """One door device: login, then the scan, the outcome, the figures."""

    def __init__(
        self,
        presenter: DoorPresenter,
        *,
        clock: Clock | None = None,
        lock_after: timedelta = timedelta(minutes=5),
        timezone: str = "Europe/Paris",
        wedge: WedgeSettings | None = None,
        key_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.presenter = presenter
        self.timezone = timezone
        self.setWindowTitle(self.tr("Guichet — accueil et tickets"))
        self.resize(1280, 800)
        self.login_page = LoginPage()
        self.login_page.title.setText(self.tr("Accueil — tickets de la file d'attente"))
        self.login_page.set_desk(presenter.desk.site_name, presenter.desk.desk_name)
        self.lock_page = LockPage(now=presenter.now)
        self.door_page = QWidget()

        self.banner = QLabel()
        self.banner.setObjectName("door_banner")
        self.banner.setStyleSheet(
            f"background: #0d47a1; color: white; font-size: {BANNER_PX}px; font-weight: bold;"
            " padding: 8px 16px;"
        )
        self.issued = Figure(self.tr("tickets délivrés"), "issued")
        self.waiting = Figure(self.tr("en attente"), "waiting")
        self.served = Figure(self.tr("servis"), "served")
        self.last_served = Figure(self.tr("dernier ticket servi (prévision)"), "last_served")
        self.wait = Figure(self.tr("attente estimée"), "wait")
        self.desks = Figure(self.tr("guichets actifs"), "desks")
        figures = QGridLayout()
        for index, figure in enumerate(
            (self.issued, self.waiting, self.served, self.last_served, self.wait, self.desks)
        ):
            figures.addWidget(figure, 0, index)
        self.cutoff = QLabel()
        self.cutoff.setObjectName("cutoff")
        self.cutoff.setWordWrap(True)
        self.cutoff.hide()
        self.priority_strip = QLabel()
        self.priority_strip.setObjectName("priority_strip")
        self.priority_strip.setStyleSheet(BUSY_STYLE)
        self.priority_strip.hide()
        self.panel = VerdictPanel()
        self.scan_field = ScanField(wedge, clock=key_clock)
        self.scan_field.setObjectName("scan_field")
        self.scan_field.setPlaceholderText(
            self.tr("Référence du SMS, pièce d'identité, ou numéro étranger saisi")
        )
        self.print_notice = QLabel()
        self.print_notice.setWordWrap(True)
        self.print_notice.hide()
        self.busy_label = QLabel(self.tr("Vérification en cours…"))
        self.busy_label.setStyleSheet(BUSY_STYLE)
        self.busy_label.hide()
        self.priority_button = QPushButton(self.tr("Prioritaire (F3)"))
        self.limit_button = QPushButton(self.tr("Relever la limite (F4)"))
        self.reprint_button = QPushButton(self.tr("Réimprimer (F5)"))
        self.lock_button = QPushButton(self.tr("Verrouiller (Ctrl+L)"))
        self.logout_button = QPushButton(self.tr("Se déconnecter"))
        actions = QHBoxLayout()
        for button in (self.priority_button, self.limit_button, self.reprint_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.lock_button, self.logout_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            actions.addWidget(button)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(self.tr("Scan :")))
        scan_row.addWidget(self.scan_field, 1)

        column = QVBoxLayout(self.door_page)
        column.setContentsMargins(0, 0, 0, 12)
        column.addWidget(self.banner)
        inner = QVBoxLayout()
        inner.setContentsMargins(16, 8, 16, 0)
        inner.addLayout(figures)
        inner.addWidget(self.cutoff)
        inner.addWidget(self.priority_strip)
        inner.addWidget(self.panel, 1)
        inner.addWidget(self.print_notice)
        inner.addWidget(self.busy_label)
        inner.addLayout(scan_row)
        inner.addLayout(actions)
        column.addLayout(inner, 1)

        self.stack = QStackedWidget()
        for page in (self.login_page, self.door_page, self.lock_page):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.watch = InactivityWatch(clock or SystemClock(), lock_after, parent=self)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.watch.check)
        self.scan_guard = ScanGuard(
            wedge, ignore=self._scan_guard_ignores, clock=key_clock, parent=self
        )
        self._connect()
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.setFocus()

    def _connect(self) -> None:
        p = self.presenter
        self.login_page.login_requested.connect(p.login)
        self.lock_page.unlock_requested.connect(p.unlock)
        self.lock_page.logout_requested.connect(p.logout)
        p.unlock_throttled.connect(self.lock_page.show_throttled)
        p.unlock_failed.connect(self.lock_page.show_problem)
        p.logged_in.connect(self._on_logged_in)
        p.login_failed.connect(self.login_page.show_problem)
        p.logged_out.connect(self._on_logged_out)
        p.locked.connect(self._on_locked)
        p.unlocked.connect(self._on_unlocked)
        p.busy_changed.connect(self.busy_label.setVisible)
        p.outcome_ready.connect(self._on_outcome)
        p.visual_check_asked.connect(self._on_visual_check)
        p.issue_failed.connect(self._on_issue_failed)
        p.ticket_printed.connect(self._on_printed)
        p.ticket_not_printed.connect(self._on_not_printed)
        p.status_changed.connect(self._on_status)
        p.status_failed.connect(self._on_status_failed)
        p.priority_armed.connect(self._on_priority_armed)
        self.scan_field.scan_submitted.connect(self._on_scan)
        self.scan_field.scan_incomplete.connect(
            lambda message: self.panel.show_message(
                self.tr("LECTURE INCOMPLÈTE — rescannez"), [message], tone=TONE_ERROR
            )
        )
        self.watch.expired.connect(p.lock)
        self.priority_button.clicked.connect(self._on_priority)
        self.limit_button.clicked.connect(self._on_raise_limit)
        self.reprint_button.clicked.connect(self._on_reprint)
        self.lock_button.clicked.connect(p.lock_now)
        self.logout_button.clicked.connect(p.logout)
        for keys, slot in (
            ("F3", self._on_priority),
            ("F4", self._on_raise_limit),
            ("F5", self._on_reprint),
            ("Ctrl+L", p.lock_now),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.door_page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _scan_guard_ignores(self, widget: Any) -> bool:
        if widget.window() is not self:
            return False  # a dialog: a burst there does nothing
        return not self.lock_page.isAncestorOf(widget)

    def _ready_for_scan(self) -> None:
        self.scan_field.clear()
        self.scan_field.setFocus()

    # -- session --------------------------------------------------------------------------

    def _on_logged_in(self, agent: AgentIdentity) -> None:
        desk = self.presenter.desk
        self.banner.setText(
            self.tr("Accueil · {0} · {1}").format(desk.site_name, agent.display_name)
        )
        self.login_page.reset()
        self.limit_button.setVisible(True)
        self.panel.show_message(
            self.tr("Scannez le SMS de la personne"),
            [
                self.tr(
                    "ou sa pièce d'identité (bande MRZ, 2D-Doc), ou saisissez son numéro "
                    "étranger, puis Entrée."
                )
            ],
            tone=TONE_WAITING,
        )
        self.stack.setCurrentWidget(self.door_page)
        self._ready_for_scan()
        self.watch.start()
        self.ticker.start()

    def _on_logged_out(self) -> None:
        self.watch.stop()
        self.ticker.stop()
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.setFocus()

    def _on_locked(self) -> None:
        self.watch.stop()
        agent = self.presenter.agent
        self.lock_page.prepare(agent.display_name if agent else "")
        self.stack.setCurrentWidget(self.lock_page)
        self.lock_page.setFocus()

    def _on_unlocked(self) -> None:
        self.stack.setCurrentWidget(self.door_page)
        self._ready_for_scan()
        self.watch.start()

    # -- tickets --------------------------------------------------------------------------

    def _on_scan(self, scan: ScanInput) -> None:
        if self.presenter.agent is None or self.presenter.is_locked:
            return
        self.print_notice.hide()
        self.presenter.submit(scan.text)
        self.scan_field.clear()

    def _on_visual_check(self, outcome: TicketOutcome) -> None:
        typed = self.presenter.pending_check or ""
        if VisualCheckDialog.ask(self, typed, outcome.reason):
            self.presenter.confirm_visual_check()
        else:
            self.presenter.cancel_visual_check()
            self.panel.show_message(
                self.tr("PAS DE TICKET — vérification non faite"),
                [self.tr("Aucun ticket n'a été délivré. Scannez le SMS si la personne l'a.")],
                tone=TONE_UNKNOWN,
            )
        self._ready_for_scan()

    def _on_outcome(self, outcome: TicketOutcome) -> None:
        ticket = outcome.ticket
        if outcome.issued and ticket is not None:
            lines = [outcome.reason, to_prepare(ticket)]
            if ticket.priority:
                label = self.presenter.priority_reasons.get(ticket.priority, ticket.priority)
                lines.append(self.tr("Prioritaire : {0}").format(label))
            if outcome.reprint:
                lines.append(
                    self.tr("Un seul ticket par titre et par jour : c'est le même numéro.")
                )
                headline = self.tr("RÉIMPRESSION — TICKET {0}").format(ticket.label)
                tone = TONE_ALREADY
            else:
                headline = self.tr("TICKET {0}").format(ticket.label)
                tone = TONE_READY
            self.panel.show_message(headline, lines, tone=tone)
        else:
            lines = [outcome.reason]  # with the next opening, when there is one to tell
            lines.append(self.tr("Aucun ticket : la personne n'attend pas."))
            tone = (
                VERDICT_TONES.get(outcome.verdict_kind, TONE_UNKNOWN)
                if outcome.verdict_kind is not None
                else TONE_UNKNOWN
            )
            self.panel.show_message(self.tr("PAS DE TICKET"), lines, tone=tone)
        self._ready_for_scan()

    def _on_issue_failed(self, message: str) -> None:
        self.panel.show_message(
            self.tr("ERREUR — aucun ticket délivré"), [message], tone=TONE_ERROR
        )
        self._ready_for_scan()

    def _on_printed(self, ticket: Ticket, _message: str) -> None:
        # "Sent" is all a printer promises (a thermal one out of paper accepts the job).
        self._notice(
            self.tr(
                "Ticket {0} envoyé à l'imprimante : remettez-le à la personne. "
                "Pas sorti ? F5 pour réimprimer."
            ).format(ticket.label),
            good=True,
        )

    def _on_not_printed(self, _ticket: Ticket, message: str) -> None:
        self._notice(message, good=False)

    def _notice(self, text: str, *, good: bool) -> None:
        self.print_notice.setObjectName("good" if good else "problem")
        self.print_notice.style().unpolish(self.print_notice)
        self.print_notice.style().polish(self.print_notice)
        self.print_notice.setText(text)
        self.print_notice.show()

    def _on_reprint(self) -> None:
        if self.stack.currentWidget() is not self.door_page:
            return
        if not self.presenter.reprint():
            self._notice(self.tr("Aucun ticket à réimprimer : scannez d'abord le SMS."), good=False)
        self._ready_for_scan()

    def _on_priority(self) -> None:
        if self.stack.currentWidget() is not self.door_page:
            return
        reasons = self.presenter.priority_reasons
        chosen = PriorityDialog.ask(self, reasons, self.presenter.priority)
        if chosen is not None:
            self.presenter.arm_priority(chosen)
        self._ready_for_scan()

    def _on_priority_armed(self, key: str) -> None:
        if not key:
            self.priority_strip.hide()
            return
        label = self.presenter.priority_reasons.get(key, key)
        self.priority_strip.setText(
            self.tr("Prochain ticket PRIORITAIRE : {0} — scannez le SMS (F3 pour changer)").format(
                label
            )
        )
        self.priority_strip.show()

    # -- figures and limit ----------------------------------------------------------------

    def _on_status(self, status: QueueStatus) -> None:
        self.issued.set(str(status.issued))
        self.waiting.set(str(status.waiting))
        self.served.set(str(status.served))
        self.last_served.set(
            f"{status.predicted_last_number:03d}" if status.predicted_last_number else "—"
        )
        self.wait.set(
            self.tr("{0} min").format(status.estimated_wait_minutes)
            if status.estimated_wait_minutes is not None
            else "—"
        )
        self.desks.set(str(len(status.active_desks)))
        if status.day is None:
            self._cutoff(self.tr("Pas d'ouverture aujourd'hui : aucun ticket n'est délivré."))
        elif status.cutoff_reached:
            raised = (
                self.tr(" (limite déjà relevée de {0})").format(status.limit_raised_by)
                if status.limit_raised_by
                else ""
            )
            self._cutoff(
                self.tr(
                    "LIMITE ATTEINTE{0} : les personnes suivantes ne seraient pas reçues "
                    "aujourd'hui. Plus de ticket ; F4 : un chef d'accueil peut relever la limite."
                ).format(raised)
            )
        else:
            self.cutoff.hide()

    def _cutoff(self, text: str) -> None:
        self.cutoff.setText(text)
        self.cutoff.setStyleSheet(
            "background: #b71c1c; color: white; font-size: 22px; font-weight: bold; padding: 8px;"
        )
        self.cutoff.show()

    def _on_status_failed(self, message: str) -> None:
        self._cutoff(self.tr("Chiffres indisponibles : {0}").format(message))

    def _on_raise_limit(self) -> None:
        if self.stack.currentWidget() is not self.door_page:
            return
        extra = ExtraTicketsDialog.ask(self)
        if extra is None:
            self._ready_for_scan()
            return

        def grant(answer: SupervisorAnswer) -> Any:
            # The dialog hands back what this returns: here, the queue's new status.
            return self.presenter.raise_limit(extra, answer)

        status = SupervisorDialog.ask(
            self,
            title=self.tr("Relever la limite du jour"),
            explanation=self.tr(
                "{0} ticket(s) de plus que la prévision : un chef d'accueil l'autorise, par "
                "exemple pour servir jusqu'à 11 h 30 les personnes déjà dans la file. Le motif "
                "est enregistré."
            ).format(extra),
            grant=grant,
        )
        if status is not None:
            self._notice(
                self.tr("Limite relevée de {0} ticket(s) par le chef d'accueil.").format(extra),
                good=True,
            )
        self._ready_for_scan()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.presenter.agent is not None:
            self.presenter.logout()
        self.presenter.shutdown()
        self.watch.stop()
        self.scan_guard.uninstall()
        super().closeEvent(event)
