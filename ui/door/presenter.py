"""The door's presenter: login, ticket issue, priority, reprint, limit, figures.

Every decision (is the permit ready, is there room today, is this a reprint) is the
queue core's; this presenter calls it off the screen's thread (the counter's
:class:`CoreWorker`) and reports with past-tense signals.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from handover.domain.clock import Clock
from handover.domain.values import AgentIdentity
from handover.errors import DatabaseUnavailable, HandoverError
from handover.logs import with_log_path
from handover.queue.ticket_pdf import TicketHeader, print_ticket
from handover.queue.values import QueueStatus, Ticket, TicketOutcome
from handover.receipts.printers import Printer
from ui.dialogs.supervisor_dialog import SupervisorAnswer
from ui.presenters.counter import UNEXPECTED, CoreWorker, CounterBackend, CounterPresenter

log = logging.getLogger(__name__)

DATABASE_LOST = (
    "La base de données ne répond pas : aucun ticket n'est imprimé. Faites patienter la "
    "personne et rescannez la même référence dès que la connexion revient ; si le ticket "
    "avait été enregistré, c'est le même numéro qui sortira (jamais deux tickets)."
)
STATUS_EVERY_MS = 15_000


class QueueBackend(Protocol):
    """The part of ``handover.queue.service.QueueService`` the door uses."""

    def issue(
        self,
        raw: str,
        agent: AgentIdentity,
        *,
        visual_check: bool = False,
        priority: str | None = None,
    ) -> TicketOutcome: ...
    def set_priority(
        self, ticket_id: int, priority: str | None, agent: AgentIdentity
    ) -> Ticket: ...
    def status(self) -> QueueStatus: ...
    def raise_limit(
        self, extra: int, reason: str, agent: AgentIdentity, supervisor: AgentIdentity
    ) -> QueueStatus: ...


class DoorPresenter(CounterPresenter):
    """One door device, one agent session: the counter's session (login, lock, the core's
    worker thread) plus the door's own calls to the queue."""

    outcome_ready = Signal(TicketOutcome)
    visual_check_asked = Signal(TicketOutcome)  # a typed numéro étranger: look, then confirm
    issue_failed = Signal(str)  # nothing was issued (database lost, unexpected error)
    ticket_printed = Signal(Ticket, str)
    ticket_not_printed = Signal(Ticket, str)
    status_changed = Signal(QueueStatus)
    status_failed = Signal(str)
    priority_armed = Signal(str)  # key of the priority for the next ticket, "" for none

    def __init__(
        self,
        accounts: CounterBackend,
        queue: QueueBackend,
        printer: Printer,
        header: TicketHeader,
        *,
        priority_reasons: dict[str, str] | None = None,
        clock: Clock | None = None,
        worker: CoreWorker | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(accounts, printer, clock=clock, worker=worker, parent=parent)
        self.queue = queue
        self.header = header
        self.priority_reasons = dict(priority_reasons or {})
        self.priority: str | None = None  # armed for the next ticket
        self.last_raw = ""  # what gave the ticket on screen: a reprint scans it again
        self.last_visual_check = False
        self.pending_check: str | None = None  # a typed number waiting for the agent's look
        self.last_outcome: TicketOutcome | None = None
        self.status: QueueStatus | None = None
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_EVERY_MS)
        self.status_timer.timeout.connect(self.refresh_status)
        self.logged_in.connect(self._on_door_login)
        self.logged_out.connect(self._on_door_logout)

    def _on_door_login(self, _agent: AgentIdentity) -> None:
        self.priority = None
        self.last_outcome = None
        self.pending_check = None
        self.refresh_status()
        self.status_timer.start()

    def _on_door_logout(self) -> None:
        self.pending_check = None
        self.status_timer.stop()

    def shutdown(self) -> None:
        self.status_timer.stop()
        super().shutdown()

    @staticmethod
    def _message(error: Exception, what: str) -> str:
        if isinstance(error, HandoverError):
            return error.message
        log.error("%s", what, exc_info=error)
        return with_log_path(UNEXPECTED)

    # -- tickets --------------------------------------------------------------------------

    def arm_priority(self, key: str | None) -> None:
        """The next ticket is a priority one (``key`` of a configured reason), or not."""
        self.priority = key or None
        self.priority_armed.emit(self.priority or "")

    def submit(self, raw: str) -> None:
        """A scan or a typed number: the core says ticket, reprint, or why not."""
        self.pending_check = None
        self._issue(raw, visual_check=False)

    def confirm_visual_check(self) -> None:
        """The door agent looked at the holder's document: issue on the typed number."""
        raw = self.pending_check
        self.pending_check = None
        if raw is not None:
            self._issue(raw, visual_check=True)

    def cancel_visual_check(self) -> None:
        self.pending_check = None

    def reprint(self) -> bool:
        """Scan the last ticket's payload again: the core reprints the same number."""
        outcome = self.last_outcome
        if outcome is None or not outcome.issued or not self.last_raw:
            return False
        self._issue(self.last_raw, visual_check=self.last_visual_check, keep_priority=True)
        return True

    def _issue(self, raw: str, *, visual_check: bool, keep_priority: bool = False) -> None:
        agent = self.agent
        if agent is None:
            return
        priority = self.priority
        queue = self.queue

        def work() -> TicketOutcome:
            outcome = queue.issue(raw, agent, visual_check=visual_check, priority=priority)
            ticket = outcome.ticket
            if (
                not keep_priority
                and priority is not None
                and outcome.issued
                and ticket is not None
                and ticket.priority != priority
            ):
                # A holder already holding a ticket turns out to need priority.
                outcome = replace(
                    outcome, ticket=queue.set_priority(ticket.ticket_id, priority, agent)
                )
            return outcome

        def done(outcome: TicketOutcome) -> None:
            if outcome.needs_visual_check and not outcome.issued:
                self.pending_check = raw
                self.visual_check_asked.emit(outcome)
                return
            self.last_outcome = outcome
            if outcome.issued:
                self.last_raw, self.last_visual_check = raw, visual_check
                self.priority = None
                self.priority_armed.emit("")
            self.outcome_ready.emit(outcome)
            if outcome.issued and outcome.ticket is not None:
                self._print(outcome.ticket)
            self.refresh_status()

        def failed(error: Exception) -> None:
            if isinstance(error, DatabaseUnavailable):
                log.warning("door: database unavailable: %s", error.message)
                self.issue_failed.emit(DATABASE_LOST)
            else:
                self.issue_failed.emit(self._message(error, "ticket issue failed"))

        self._call(work, done, failed)

    def _print(self, ticket: Ticket) -> None:
        def failed(error: Exception) -> None:
            self.ticket_not_printed.emit(ticket, self._message(error, "ticket print failed"))

        self._call(
            lambda: print_ticket(self.printer, ticket, self.header),
            lambda outcome: self.ticket_printed.emit(ticket, outcome.message),
            failed,
        )

    # -- the figures and the limit --------------------------------------------------------

    def refresh_status(self) -> None:
        if self.agent is None:
            return

        def done(status: QueueStatus) -> None:
            self.status = status
            self.status_changed.emit(status)

        def failed(error: Exception) -> None:
            self.status_failed.emit(self._message(error, "queue status failed"))

        self._call(self.queue.status, done, failed)

    def raise_limit(self, extra: int, answer: SupervisorAnswer) -> QueueStatus:
        """A supervisor's raise of today's limit; raises HandoverError when refused.

        Synchronous, like the counter's overrides: the supervisor's dialog waits for the
        answer to say what is wrong.
        """
        agent = self.agent
        if agent is None:
            raise HandoverError("Aucun agent connecté à l'accueil.")
        # The core checks the role: only a supervisor may pass the prediction.
        supervisor = self.service.login(answer.username, answer.password)
        status = self.queue.raise_limit(extra, answer.reason, agent, supervisor)
        self.status = status
        self.status_changed.emit(status)
        return status
