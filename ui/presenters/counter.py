"""The counter's presenter: calls the core's use cases and reports back with signals.

It holds the session (one agent per window) and the verdict on screen; it adds no rule
of its own. Widgets connect to its past-tense signals and only display what they carry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal

from handover.domain.clock import Clock
from handover.domain.opening_window import WindowStatus
from handover.domain.values import (
    AgentIdentity,
    DeskContext,
    HandoverRecord,
    HandoverRequest,
    IdentityMatch,
    OverrideGrant,
    StampEntry,
    Verdict,
)
from handover.errors import HandoverError
from handover.receipts.printers import Printer, try_print
from handover.services.accounts import LoginFailed, LoginThrottled
from ui.dialogs.supervisor_dialog import SupervisorAnswer

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Erreur inattendue : rien n'a été enregistré. Réessayez ; si cela recommence, "
    "notez l'heure et prévenez le support."
)

Runner = Callable[[Callable[[], None]], None]


class CounterBackend(Protocol):
    """The part of ``handover.services.counter.CounterService`` the screen uses."""

    desk: DeskContext

    def login(self, username: str, password: str) -> AgentIdentity: ...
    def login_badge(self, badge: str) -> AgentIdentity: ...
    def logout(self, agent: AgentIdentity) -> None: ...
    def now(self) -> datetime: ...
    def window_status(self) -> WindowStatus: ...
    def check(
        self, raw: str, agent: AgentIdentity | None, *, entry: str = "", repair: str | None = None
    ) -> Verdict: ...
    def check_permit(self, permit_id: int, agent: AgentIdentity | None) -> Verdict: ...
    def check_card(self, permit_id: int, raw: str, agent: AgentIdentity | None) -> Verdict: ...
    def identity_from_scan(self, raw: str, permit_id: int) -> IdentityMatch | None: ...
    def check_stamp(self, raw: str) -> StampEntry | None: ...
    def hand_over(self, request: HandoverRequest, agent: AgentIdentity) -> HandoverRecord: ...
    def grant_override(
        self,
        supervisor_username: str,
        password: str,
        *,
        kind: str,
        reason: str,
        minutes: int,
        permit_id: int | None,
        agent: AgentIdentity,
    ) -> OverrideGrant: ...
    def active_window_override(self) -> OverrideGrant | None: ...
    def today(self) -> list[HandoverRecord]: ...
    def count_today(self) -> int: ...
    def receipt_pdf(
        self, handover_id: int, *, duplicate: bool, agent: AgentIdentity | None
    ) -> bytes: ...
    def record_event(self, agent: AgentIdentity | None, action: str, detail: str = "") -> None: ...


def _thread_pool(job: Callable[[], None]) -> None:
    QThreadPool.globalInstance().start(job)


class CounterPresenter(QObject):
    """One desk, one session: login, scans, handovers, overrides, receipts, lock."""

    logged_in = Signal(AgentIdentity)
    login_failed = Signal(str)
    logged_out = Signal()
    locked = Signal()
    unlocked = Signal()
    unlock_failed = Signal(str)
    unlock_throttled = Signal(datetime)  # when the password may be tried again
    verdict_ready = Signal(Verdict)
    scan_failed = Signal(str)
    window_changed = Signal(WindowStatus)
    count_changed = Signal(int)
    override_granted = Signal(OverrideGrant)
    handover_completed = Signal(HandoverRecord)
    handover_failed = Signal(str)
    receipt_sent = Signal(HandoverRecord, str)
    receipt_failed = Signal(HandoverRecord, str)

    def __init__(
        self,
        service: CounterBackend,
        printer: Printer,
        *,
        clock: Clock | None = None,
        override_minutes: int = 30,
        runner: Runner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.printer = printer
        self.override_minutes = override_minutes
        self._clock = clock
        self._run = runner or _thread_pool
        self._clock_offset = timedelta(0)
        self.agent: AgentIdentity | None = None
        self.is_locked = False
        self.verdict: Verdict | None = None
        self.last_scan = ""
        self.window: WindowStatus | None = None
        self.window_override: OverrideGrant | None = None

    @property
    def desk(self) -> DeskContext:
        return self.service.desk

    def now(self) -> datetime:
        """The shared time: the injected clock, else this machine's set to the server's."""
        if self._clock is not None:
            return self._clock.now()
        return datetime.now(UTC) + self._clock_offset

    # -- session --------------------------------------------------------------------------

    def login(self, username: str, password: str) -> None:
        self._start_session(lambda: self.service.login(username, password))

    def login_badge(self, badge: str) -> None:
        self._start_session(lambda: self.service.login_badge(badge))

    def _start_session(self, authenticate: Callable[[], AgentIdentity]) -> None:
        try:
            agent = authenticate()
        except HandoverError as error:
            self.login_failed.emit(error.message)
            return
        self.agent = agent
        self.is_locked = False
        self.verdict = None
        self.logged_in.emit(agent)
        self.refresh()

    def logout(self) -> None:
        agent = self.agent
        if agent is None:
            return
        self.agent = None
        self.is_locked = False
        self.verdict = None
        try:
            self.service.logout(agent)
        except HandoverError as error:
            log.warning("logout not recorded: %s", error.message)
        self.logged_out.emit()

    def lock(self, *, manual: bool = False) -> None:
        """Lock the session; the audit says whether the agent did it or inactivity."""
        if self.agent is None or self.is_locked:
            return
        self.is_locked = True
        self._record("session.lock", "manuel" if manual else "inactivité")
        self.locked.emit()

    def lock_now(self) -> None:
        """The agent locks the desk (Ctrl+L or the button)."""
        self.lock(manual=True)

    def unlock(self, password: str) -> None:
        agent = self.agent
        if agent is not None:
            self._unlock(lambda: self.service.login(agent.username, password))

    def unlock_badge(self, badge: str) -> None:
        """Where agents have badges, the lock screen takes the agent's badge too."""
        self._unlock(lambda: self.service.login_badge(badge))

    def _unlock(self, authenticate: Callable[[], AgentIdentity]) -> None:
        agent = self.agent
        if agent is None or not self.is_locked:
            return
        try:
            again = authenticate()
        except LoginThrottled as error:
            self.unlock_throttled.emit(error.until)
            return
        except LoginFailed:
            # The lock screen has no identifiant field: only the password can be wrong.
            self.unlock_failed.emit("Mot de passe (ou badge) incorrect.")
            return
        except HandoverError as error:
            self.unlock_failed.emit(error.message)
            return
        if again.agent_id != agent.agent_id:
            self.unlock_failed.emit("Ce n'est pas la session de cet agent.")
            return
        self.is_locked = False
        self._record("session.unlock")
        self.unlocked.emit()
        self.refresh()

    def _record(self, action: str, detail: str = "") -> None:
        try:
            self.service.record_event(self.agent, action, detail)
        except HandoverError as error:
            log.warning("event %s not recorded: %s", action, error.message)

    # -- the window and the day -----------------------------------------------------------

    def refresh(self) -> None:
        """Ask the core for the opening window and today's count, and report both."""
        if self.agent is None:
            return
        try:
            status = self.service.window_status()
            server_now = self.service.now()
            self.window_override = self.service.active_window_override()
            count = self.service.count_today()
        except HandoverError as error:
            self.scan_failed.emit(error.message)
            return
        if self._clock is None:
            self._clock_offset = server_now - datetime.now(UTC)
        self.window = status
        self.window_changed.emit(status)
        self.count_changed.emit(count)

    def today(self) -> list[HandoverRecord]:
        return self.service.today()

    # -- scans ----------------------------------------------------------------------------

    def submit_scan(self, raw: str, *, entry: str = "", repair: str | None = None) -> None:
        """Ask for a scan's verdict; ``entry`` (burst or typed) and ``repair`` are audited."""
        if self.agent is None or self.is_locked:
            return
        self.last_scan = raw
        try:
            verdict = self.service.check(raw, self.agent, entry=entry, repair=repair)
        except HandoverError as error:
            self.verdict = None
            self.scan_failed.emit(error.message)
            return
        except Exception:
            log.exception("scan check failed")
            self.verdict = None
            self.scan_failed.emit(UNEXPECTED)
            return
        self.verdict = verdict
        self.verdict_ready.emit(verdict)

    def choose_candidate(self, permit_id: int) -> None:
        """The agent picked one permit of several matches: its own verdict follows."""
        if self.agent is None or self.is_locked:
            return
        try:
            verdict = self.service.check_permit(permit_id, self.agent)
        except HandoverError as error:
            self.verdict = None
            self.scan_failed.emit(error.message)
            return
        except Exception:
            log.exception("permit check failed")
            self.verdict = None
            self.scan_failed.emit(UNEXPECTED)
            return
        self.verdict = verdict
        self.verdict_ready.emit(verdict)

    def identity_from_scan(self, raw: str, permit_id: int) -> IdentityMatch | None:
        return self.service.identity_from_scan(raw, permit_id)

    def check_card(self, permit_id: int, raw: str) -> Verdict:
        """Is the card taken from the drawer this permit's? A wrong card is audited."""
        try:
            return self.service.check_card(permit_id, raw, self.agent)
        except HandoverError:
            raise
        except Exception as error:
            log.exception("card check failed")
            raise HandoverError(
                "La carte n'a pas pu être vérifiée (base de données indisponible ?). "
                "Rien n'a été enregistré : rescannez la carte dans un instant."
            ) from error

    def check_stamp(self, raw: str) -> StampEntry | None:
        return self.service.check_stamp(raw)

    # -- overrides ------------------------------------------------------------------------

    def grant_override(
        self, answer: SupervisorAnswer, *, kind: str, permit_id: int | None
    ) -> OverrideGrant:
        """Ask the core for an override; raises HandoverError (wrong password, not allowed)."""
        if self.agent is None:
            raise HandoverError("Aucun agent connecté.")
        grant = self.service.grant_override(
            answer.username,
            answer.password,
            kind=kind,
            reason=answer.reason,
            minutes=answer.minutes,
            permit_id=permit_id,
            agent=self.agent,
        )
        self.override_granted.emit(grant)
        if kind == "window":
            self.refresh()
        return grant

    # -- handover -------------------------------------------------------------------------

    def confirm(self, request: HandoverRequest) -> None:
        """Record the handover whole, or say why not: nothing is written on failure."""
        agent = self.agent
        if agent is None:
            self.handover_failed.emit("Aucun agent connecté : reconnectez-vous.")
            return
        try:
            record = self.service.hand_over(request, agent)
        except HandoverError as error:
            self.handover_failed.emit(error.message)
            return
        except Exception:
            log.exception("handover failed")
            self.handover_failed.emit(UNEXPECTED)
            return
        self.verdict = None
        self.handover_completed.emit(record)
        self.refresh()
        self.print_receipt(record, duplicate=False)

    def print_receipt(self, record: HandoverRecord, *, duplicate: bool) -> None:
        """Render and send the receipt off the screen's thread; the outcome comes back."""
        agent = self.agent
        job = f"{'duplicata ' if duplicate else ''}{record.handover_number}"

        def work() -> None:
            try:
                pdf = self.service.receipt_pdf(record.handover_id, duplicate=duplicate, agent=agent)
                outcome = try_print(self.printer, pdf, job_name=job)
            except HandoverError as error:
                self.receipt_failed.emit(record, error.message)
                return
            except Exception:
                log.exception("receipt failed")
                self.receipt_failed.emit(
                    record,
                    "Le reçu n'a pas pu être préparé. La remise est bien enregistrée : "
                    "réimprimez le reçu depuis « Aujourd'hui » (F9).",
                )
                return
            if outcome.sent:
                self.receipt_sent.emit(record, outcome.message)
            else:
                self._record("receipt.print_failed", record.handover_number)
                self.receipt_failed.emit(record, outcome.message)

        self._run(work)
