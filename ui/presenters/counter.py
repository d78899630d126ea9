"""The counter's presenter: calls the core's use cases and reports back with signals.

It holds the session (one agent per window) and the verdict on screen; it adds no rule
of its own. Widgets connect to its past-tense signals and only display what they carry.

The core runs off the screen's thread: every call goes, in order, to one worker thread
(:class:`ThreadWorker`), and its outcome comes back to the screen's thread as a
:class:`CoreResult` through a queued signal. While a call runs the presenter is busy
(``busy_changed(True)`` after ``BUSY_AFTER_MS``, so a quick answer does not flicker);
``idle`` says every call has answered, and the window hands over what the agent typed
in between, in order. Tests and screenshots may give an :class:`InlineWorker`, which
answers at once on the calling thread.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from handover.domain.clock import Clock
from handover.domain.opening_window import WindowStatus
from handover.domain.values import (
    AgentIdentity,
    DeskContext,
    HandoverRecord,
    HandoverRequest,
    IdentityMatch,
    OverrideGrant,
    OverrideKind,
    StampEntry,
    Verdict,
)
from handover.errors import (
    AccountDisabled,
    CommitOutcomeUnknown,
    DatabaseUnavailable,
    HandoverError,
)
from handover.logs import with_log_path
from handover.queue.values import CallRecord
from handover.receipts.printers import Printer, try_print
from handover.scanning.payloads import ScanResult
from handover.scanning.reference import HandoverReference
from handover.services.accounts import LoginFailed, LoginThrottled
from handover.services.permits import PermitChange
from ui.dialogs.supervisor_dialog import Grant, SupervisorAnswer
from ui.widgets.handover_wizard import ScanKindRead

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Erreur inattendue : rien n'a été enregistré. Réessayez ; si cela recommence, "
    "notez l'heure et prévenez le support."
)
OUTCOME_UNKNOWN = (
    "RÉSULTAT INCONNU : la connexion à la base a été perdue pendant l'enregistrement. "
    "Gardez la carte et n'imprimez rien : le guichet vérifie dès que la base répond."
)
BUSY_AFTER_MS = 300
RECHECK_EVERY_MS = 5000

Runner = Callable[[Callable[[], None]], None]


class CounterBackend(Protocol):
    """The part of ``handover.services.counter.CounterService`` the screen uses."""

    desk: DeskContext
    identity_documents: frozenset[str]

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
    def parse(self, raw: str) -> ScanResult: ...
    def check_stamp(self, raw: str) -> StampEntry | None: ...
    def hand_over(self, request: HandoverRequest, agent: AgentIdentity) -> HandoverRecord: ...
    def find_handover(self, permit_id: int) -> HandoverRecord | None: ...
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
    def set_blocked(
        self,
        permit_id: int,
        block: bool,
        *,
        reason: str,
        agent: AgentIdentity,
        supervisor_username: str = "",
        password: str = "",
    ) -> PermitChange: ...
    def today(self) -> list[HandoverRecord]: ...
    def count_today(self) -> int: ...
    def receipt_pdf(
        self, handover_id: int, *, duplicate: bool, agent: AgentIdentity | None
    ) -> bytes: ...
    def record_event(self, agent: AgentIdentity | None, action: str, detail: str = "") -> None: ...


def _thread_pool(job: Callable[[], None]) -> None:
    QThreadPool.globalInstance().start(job)


@dataclass(frozen=True)
class CoreResult:
    """What one call to the core gave back: its value, or the error it raised."""

    job: int
    value: Any = None
    error: BaseException | None = None


class CoreWorker(QObject):
    """Runs the core's calls one at a time, in the order given; ``finished`` carries each
    :class:`CoreResult` to the thread the worker lives in."""

    finished = Signal(object)

    def submit(self, job: int, call: Callable[[], object]) -> None:
        raise NotImplementedError

    def shutdown(self) -> None:
        """Finish the calls already queued (a logout being recorded), then stop."""

    def _run(self, job: int, call: Callable[[], object]) -> None:
        try:
            result = CoreResult(job, call())
        except Exception as error:
            result = CoreResult(job, error=error)
        self.finished.emit(result)


class ThreadWorker(CoreWorker):
    """One worker thread and its queue: the screen's thread never waits on the core."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="core")

    def submit(self, job: int, call: Callable[[], object]) -> None:
        self._executor.submit(self._run, job, call)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


class InlineWorker(CoreWorker):
    """Answers at once, on the calling thread (widget tests, screenshots)."""

    def submit(self, job: int, call: Callable[[], object]) -> None:
        self._run(job, call)


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
    permit_changed = Signal(object)  # PermitChange: blocked or unblocked at this desk
    handover_discarded = Signal(int)  # permit id: the draft was thrown away, nothing written
    handover_completed = Signal(HandoverRecord)
    handover_failed = Signal(str)
    handover_unknown = Signal(int, str)  # permit id, what to tell the agent
    receipt_sent = Signal(HandoverRecord, str)
    receipt_failed = Signal(HandoverRecord, str)
    today_loaded = Signal(list)  # list[HandoverRecord]
    today_failed = Signal(str)
    busy_changed = Signal(bool)
    idle = Signal()

    def __init__(
        self,
        service: CounterBackend,
        printer: Printer,
        *,
        clock: Clock | None = None,
        override_minutes: int = 30,
        runner: Runner | None = None,
        worker: CoreWorker | None = None,
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
        self.unknown_permit: int | None = None  # a handover whose commit is in doubt
        # The handover being prepared and the overrides granted for it (sent with it).
        self.handover_permit: int | None = None
        self.handover_grants: list[OverrideGrant] = []
        self._worker = worker or ThreadWorker()
        self._worker.setParent(self)
        self._worker.finished.connect(self._on_finished)
        self._jobs = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._busy_shown = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._on_busy_timeout)
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setInterval(RECHECK_EVERY_MS)
        self._recheck_timer.timeout.connect(self.recheck_unknown)

    @property
    def desk(self) -> DeskContext:
        return self.service.desk

    def now(self) -> datetime:
        """The shared time: the injected clock, else this machine's set to the server's."""
        if self._clock is not None:
            return self._clock.now()
        return datetime.now(UTC) + self._clock_offset

    # -- the worker -----------------------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        """A call to the core has not answered yet."""
        return bool(self._pending)

    def _call(
        self,
        call: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue ``call`` for the worker; ``done`` or ``failed`` runs on this thread."""
        job = next(self._jobs)
        self._pending[job] = (done, failed or self._log_failure)
        if len(self._pending) == 1:
            self._busy_timer.start()
        self._worker.submit(job, call)

    def _on_finished(self, result: CoreResult) -> None:
        done, failed = self._pending.pop(result.job)
        try:
            if result.error is None:
                done(result.value)
            elif isinstance(result.error, Exception):
                failed(result.error)
        finally:
            if not self._pending:
                self._busy_timer.stop()
                if self._busy_shown:
                    self._busy_shown = False
                    self.busy_changed.emit(False)
                self.idle.emit()

    def _on_busy_timeout(self) -> None:
        if self._pending and not self._busy_shown:
            self._busy_shown = True
            self.busy_changed.emit(True)

    @staticmethod
    def _log_failure(error: Exception) -> None:
        if isinstance(error, HandoverError):
            log.warning("core call failed: %s", error.message)
        else:
            log.error("core call failed", exc_info=error)

    def shutdown(self) -> None:
        """Let the calls already queued finish (a logout is recorded), then stop."""
        self._recheck_timer.stop()
        self._worker.shutdown()

    # -- session --------------------------------------------------------------------------

    def login(self, username: str, password: str) -> None:
        self._start_session(lambda: self.service.login(username, password))

    def login_badge(self, badge: str) -> None:
        self._start_session(lambda: self.service.login_badge(badge))

    def _start_session(self, authenticate: Callable[[], AgentIdentity]) -> None:
        def done(agent: AgentIdentity) -> None:
            self.agent = agent
            self.is_locked = False
            self.verdict = None
            self.logged_in.emit(agent)
            self.refresh()

        def failed(error: Exception) -> None:
            if not isinstance(error, HandoverError):
                log.error("login failed", exc_info=error)
            self.login_failed.emit(
                error.message if isinstance(error, HandoverError) else with_log_path(UNEXPECTED)
            )

        self._call(authenticate, done, failed)

    def logout(self) -> None:
        agent = self.agent
        if agent is None:
            return
        self.agent = None
        self.is_locked = False
        self.verdict = None
        self._call(lambda: self.service.logout(agent), lambda _none: None)
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

        def done(again: AgentIdentity) -> None:
            if again.agent_id != agent.agent_id:
                self.unlock_failed.emit("Ce n'est pas la session de cet agent.")
                return
            self.is_locked = False
            self._record("session.unlock")
            self.unlocked.emit()
            self.refresh()

        def failed(error: Exception) -> None:
            if isinstance(error, LoginThrottled):
                self.unlock_throttled.emit(error.until)
            elif isinstance(error, LoginFailed):
                # The lock screen has no identifiant field: only the password can be wrong.
                self.unlock_failed.emit("Mot de passe (ou badge) incorrect.")
            else:
                self.unlock_failed.emit(
                    error.message if isinstance(error, HandoverError) else with_log_path(UNEXPECTED)
                )

        self._call(authenticate, done, failed)

    def _record(self, action: str, detail: str = "") -> None:
        agent = self.agent
        self._call(
            lambda: self.service.record_event(agent, action, detail),
            lambda _none: None,
            lambda error: log.warning("event %s not recorded: %s", action, error),
        )

    # -- the window and the day -----------------------------------------------------------

    def refresh(self) -> None:
        """Ask the core for the opening window and today's count, and report both."""
        if self.agent is None:
            return
        service = self.service

        def ask() -> tuple[WindowStatus, datetime, OverrideGrant | None, int]:
            return (
                service.window_status(),
                service.now(),
                service.active_window_override(),
                service.count_today(),
            )

        def done(answer: tuple[WindowStatus, datetime, OverrideGrant | None, int]) -> None:
            status, server_now, grant, count = answer
            if self._clock is None:
                self._clock_offset = server_now - datetime.now(UTC)
            self.window_override = grant
            self.window = status
            self.window_changed.emit(status)
            self.count_changed.emit(count)

        def failed(error: Exception) -> None:
            if isinstance(error, HandoverError):
                self.scan_failed.emit(error.message)
            else:
                log.error("refresh failed", exc_info=error)

        self._call(ask, done, failed)

    def load_today(self) -> None:
        """Ask for today's handovers; ``today_loaded`` or ``today_failed`` answers."""

        def failed(error: Exception) -> None:
            if not isinstance(error, HandoverError):
                log.error("today's list failed", exc_info=error)
            self.today_failed.emit(error.message if isinstance(error, HandoverError) else "")

        self._call(self.service.today, self.today_loaded.emit, failed)

    # -- scans ----------------------------------------------------------------------------

    def submit_scan(self, raw: str, *, entry: str = "", repair: str | None = None) -> None:
        """Ask for a scan's verdict; ``entry`` (burst or typed) and ``repair`` are audited."""
        if self.agent is None or self.is_locked:
            return
        self.last_scan = raw
        agent = self.agent
        self._call(
            lambda: self.service.check(raw, agent, entry=entry, repair=repair),
            self._on_verdict,
            self._on_check_error,
        )

    def choose_candidate(self, permit_id: int) -> None:
        """The agent picked one permit of several matches: its own verdict follows."""
        if self.agent is None or self.is_locked:
            return
        agent = self.agent
        self._call(
            lambda: self.service.check_permit(permit_id, agent),
            self._on_verdict,
            self._on_check_error,
        )

    def _on_verdict(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self.verdict_ready.emit(verdict)

    def _ended_if_disabled(self, error: Exception) -> bool:
        """A disabled account's action was refused by the core: its session ends here."""
        if not isinstance(error, AccountDisabled):
            return False
        self.logout()
        self.login_failed.emit(error.message)
        return True

    def _on_check_error(self, error: Exception) -> None:
        self.verdict = None
        if self._ended_if_disabled(error):
            return
        if isinstance(error, HandoverError):
            self.scan_failed.emit(error.message)
            return
        log.error("scan check failed", exc_info=error)
        self.scan_failed.emit(with_log_path(UNEXPECTED))

    # The handover steps' questions: answered on this thread through ``answer``, or
    # ``problem`` with what to tell the agent.

    def identity_from_scan(
        self,
        raw: str,
        permit_id: int,
        answer: Callable[[IdentityMatch | None], None],
        problem: Callable[[str], None],
    ) -> None:
        self._call(
            lambda: self.service.identity_from_scan(raw, permit_id),
            answer,
            self._problem(problem, "La pièce n'a pas pu être vérifiée"),
        )

    def read_scan_kind(
        self,
        raw: str,
        answer: Callable[[ScanKindRead], None],
        problem: Callable[[str], None],
    ) -> None:
        """What kind of code a scan in a handover step is (the wizard routes it)."""

        def read() -> ScanKindRead:
            result = self.service.parse(raw)
            value = result.value
            return ScanKindRead(
                result.kind.value,
                result.valid and value is not None,
                str(value) if isinstance(value, HandoverReference) else None,
            )

        self._call(read, answer, self._problem(problem, "Le code n'a pas pu être lu"))

    def check_stamp(
        self,
        raw: str,
        answer: Callable[[StampEntry | None], None],
        problem: Callable[[str], None],
    ) -> None:
        self._call(
            lambda: self.service.check_stamp(raw),
            answer,
            self._problem(problem, "Le timbre n'a pas pu être vérifié"),
        )

    def check_card(
        self,
        permit_id: int,
        raw: str,
        answer: Callable[[Verdict], None],
        problem: Callable[[str], None],
    ) -> None:
        """Is the card taken from the drawer this permit's? A wrong card is audited."""
        agent = self.agent
        self._call(
            lambda: self.service.check_card(permit_id, raw, agent),
            answer,
            self._problem(problem, "La carte n'a pas pu être vérifiée"),
        )

    @staticmethod
    def _problem(problem: Callable[[str], None], what: str) -> Callable[[Exception], None]:
        def failed(error: Exception) -> None:
            if isinstance(error, HandoverError):
                problem(error.message)
                return
            log.error("%s", what, exc_info=error)
            problem(
                f"{what} (base de données indisponible ?). Rien n'a été enregistré : "
                "rescannez dans un instant."
            )

        return failed

    # -- overrides ------------------------------------------------------------------------

    def grant_override(
        self, answer: SupervisorAnswer, *, kind: str, permit_id: int | None
    ) -> OverrideGrant:
        """Ask the core for an override; raises HandoverError (wrong password, not allowed).

        Synchronous: the supervisor's dialog waits for its answer to say what is wrong.
        An override for the handover being prepared is kept and sent with it.
        """
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
        if kind != OverrideKind.WINDOW and permit_id is not None:
            if permit_id != self.handover_permit:
                self.handover_permit = permit_id  # granted before its handover starts
                self.handover_grants = []
            self.handover_grants.append(grant)
        self.override_granted.emit(grant)
        if kind == OverrideKind.WINDOW:
            self.refresh()
        return grant

    def granter(self, kind: OverrideKind, permit_id: int | None) -> Grant:
        """What the supervisor's dialog calls with the supervisor's answer."""

        def grant(answer: SupervisorAnswer) -> OverrideGrant:
            return self.grant_override(answer, kind=kind.value, permit_id=permit_id)

        return grant

    def begin_handover(self, permit_id: int) -> tuple[OverrideGrant, ...]:
        """A handover starts: the overrides already granted for this permit come with it."""
        if self.handover_permit != permit_id:
            self.handover_grants = []
        self.handover_permit = permit_id
        return tuple(self.handover_grants)

    def discard_handover(self, why: str) -> None:
        """The draft is thrown away (Esc, another holder): nothing written, audited."""
        permit_id = self.handover_permit
        self.handover_permit = None
        self.handover_grants = []
        if permit_id is None or self.agent is None:
            return
        self._record("handover.discarded", f"permit:{permit_id} — {why}")
        self.handover_discarded.emit(permit_id)

    def switch_holder(self, raw: str) -> None:
        """Another holder's reference was scanned mid-handover and the agent chose them."""
        self.discard_handover("changement de titulaire")
        self.submit_scan(raw, entry="burst")

    # -- handover -------------------------------------------------------------------------

    def confirm(self, request: HandoverRequest) -> None:
        """Record the handover whole, or say why not: nothing is written on failure.

        A commit whose outcome is unknown (connection lost during COMMIT, database not
        reachable since) is neither: ``handover_unknown``, no receipt, and the presenter
        asks again every ``RECHECK_EVERY_MS`` until the database tells the truth.
        """
        agent = self.agent
        if agent is None:
            self.handover_failed.emit("Aucun agent connecté : reconnectez-vous.")
            return

        def failed(error: Exception) -> None:
            if self._ended_if_disabled(error):
                return
            if isinstance(error, CommitOutcomeUnknown):
                log.warning("handover outcome unknown for permit %s", error.permit_id)
                self.unknown_permit = error.permit_id
                self.handover_unknown.emit(error.permit_id, OUTCOME_UNKNOWN)
                self._recheck_timer.start()
            elif isinstance(error, HandoverError):
                self.handover_failed.emit(error.message)
            else:
                log.error("handover failed", exc_info=error)
                self.handover_failed.emit(with_log_path(UNEXPECTED))

        if request.permit_id == self.handover_permit:
            kept = tuple(g.override_id for g in self.handover_grants)
            ids = tuple(dict.fromkeys((*request.override_ids, *kept)))
            request = dataclasses.replace(request, override_ids=ids)
        self._call(lambda: self.service.hand_over(request, agent), self._on_recorded, failed)

    def _on_recorded(self, record: HandoverRecord) -> None:
        self.verdict = None
        if record.permit.permit_id == self.handover_permit:
            self.handover_permit = None
            self.handover_grants = []
        self.handover_completed.emit(record)
        self.refresh()
        self.print_receipt(record, duplicate=False)

    def recheck_unknown(self) -> None:
        """Ask the database whether the handover in doubt was recorded."""
        permit_id = self.unknown_permit
        if permit_id is None:
            self._recheck_timer.stop()
            return
        if self.is_busy:
            return  # the previous question has not answered yet

        def done(record: HandoverRecord | None) -> None:
            if self.unknown_permit != permit_id:
                return
            self.unknown_permit = None
            self._recheck_timer.stop()
            if record is not None:
                self._on_recorded(record)
            else:
                self.handover_failed.emit(
                    "Vérification faite : la remise n'a PAS été enregistrée. "
                    "Entrée pour l'enregistrer, Échap pour annuler."
                )

        def failed(error: Exception) -> None:
            if isinstance(error, DatabaseUnavailable):
                return  # still unreachable: the timer asks again
            log.error("re-check of an unknown handover failed", exc_info=error)

        self._call(lambda: self.service.find_handover(permit_id), done, failed)

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
                try:  # on the receipt's thread: straight to the core, not through the queue
                    self.service.record_event(agent, "receipt.print_failed", record.handover_number)
                except HandoverError as error:
                    log.warning("receipt failure not recorded: %s", error.message)
                self.receipt_failed.emit(record, outcome.message)

        self._run(work)

    # -- block and unblock at the desk --------------------------------------------------

    def set_blocked(
        self,
        permit_id: int,
        block: bool,
        *,
        reason: str,
        supervisor: SupervisorAnswer | None,
    ) -> PermitChange:
        """Block or unblock a permit, as the logged-in supervisor or the one in ``supervisor``;
        raises HandoverError (not a supervisor, wrong password, state changed meanwhile).

        Synchronous, as an override: the dialog waits for the answer to say what is wrong.
        The permit's new verdict follows (``verdict_ready``).
        """
        if self.agent is None:
            raise HandoverError("Aucun agent connecté.")
        change = self.service.set_blocked(
            permit_id,
            block,
            reason=reason,
            agent=self.agent,
            supervisor_username=supervisor.username if supervisor else "",
            password=supervisor.password if supervisor else "",
        )
        self.permit_changed.emit(change)
        self.choose_candidate(permit_id)
        return change

    # -- the queue at the door (issue #16): the call key, no-shows, heartbeats ------------

    queue_called = Signal(object)  # the CallRecord, or None when nobody waits
    queue_no_show = Signal(str)  # what to tell the agent
    queue_failed = Signal(str)
    queue: QueueDesk | None = None
    current_call: CallRecord | None = None
    _heartbeat_timer: QTimer | None = None

    def attach_queue(self, queue: QueueDesk, *, heartbeat_s: float = 10.0) -> None:
        """This desk calls tickets; it tells the queue it is alive every ``heartbeat_s``."""
        self.queue = queue
        timer = QTimer(self)
        timer.setInterval(max(1, round(heartbeat_s * 1000)))
        timer.timeout.connect(self.send_heartbeat)
        self._heartbeat_timer = timer
        self.logged_in.connect(self._on_queue_login)
        self.logged_out.connect(timer.stop)
        self.handover_completed.connect(self._on_queue_served)

    def _on_queue_login(self, _agent: AgentIdentity) -> None:
        self.current_call = None
        self.send_heartbeat()
        if self._heartbeat_timer is not None:
            self._heartbeat_timer.start()

    def _on_queue_served(self, _record: HandoverRecord) -> None:
        self.current_call = None  # the core marked the ticket served with the handover

    def send_heartbeat(self) -> None:
        """Off the core's queue: a heartbeat never makes the desk look busy."""
        queue, desk = self.queue, self.desk.desk_name
        if queue is None or self.agent is None:
            return

        def beat() -> None:
            try:
                queue.heartbeat(desk)
            except Exception as error:  # the next beat tries again
                log.warning("heartbeat not recorded: %s", error)

        self._run(beat)

    def call_next(self) -> None:
        """Call the next ticket to this desk and open its permit as if it had been scanned."""
        self._queue_call(lambda queue, agent, desk: queue.call_next(desk, agent))

    def call_number(self, number: int, reason: str) -> None:
        """Call one ticket out of turn (the reason is audited by the core)."""
        self._queue_call(lambda queue, agent, desk: queue.call_number(number, desk, agent, reason))

    def _queue_call(
        self, call: Callable[[QueueDesk, AgentIdentity, str], CallRecord | None]
    ) -> None:
        queue, agent = self.queue, self.agent
        if queue is None or agent is None or self.is_locked:
            return
        desk = self.desk.desk_name

        def work() -> CallRecord | None:
            record = call(queue, agent, desk)
            if record is not None:
                queue.mark_opened(record.call_id, agent)
            return record

        def done(record: CallRecord | None) -> None:
            self.current_call = record
            self.queue_called.emit(record)
            if record is not None:  # the verdict is recomputed; identity is still checked
                self.choose_candidate(record.ticket.permit_id)

        self._call(work, done, self._on_queue_error)

    def mark_no_show(self) -> None:
        """The called holder did not come: the core says whether it is too early."""
        queue, agent, record = self.queue, self.agent, self.current_call
        if queue is None or agent is None or record is None:
            return

        def done(_none: None) -> None:
            self.current_call = None
            self.queue_no_show.emit(
                f"Ticket {record.ticket.label} déclaré absent. Le ticket reste valable "
                "jusqu'à la fermeture : s'il revient, il repasse en tête. Appelez le suivant (F8)."
            )

        self._call(
            lambda: queue.mark_no_show(record.ticket.ticket_id, agent), done, self._on_queue_error
        )

    def _on_queue_error(self, error: Exception) -> None:
        if self._ended_if_disabled(error):
            return
        if not isinstance(error, HandoverError):
            log.error("queue call failed", exc_info=error)
        self.queue_failed.emit(
            error.message if isinstance(error, HandoverError) else with_log_path(UNEXPECTED)
        )


class QueueDesk(Protocol):
    """The part of ``handover.queue.service.QueueService`` a desk uses."""

    def heartbeat(self, desk_name: str) -> None: ...
    def call_next(self, desk_name: str, agent: AgentIdentity) -> CallRecord | None: ...
    def call_number(
        self, number: int, desk_name: str, agent: AgentIdentity, reason: str
    ) -> CallRecord: ...
    def mark_opened(self, call_id: int, agent: AgentIdentity) -> None: ...
    def mark_no_show(self, ticket_id: int, agent: AgentIdentity) -> None: ...
