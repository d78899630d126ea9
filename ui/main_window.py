"""The counter's window: login, the scan-and-verdict screen with its handover steps, lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from handover.domain.clock import Clock, SystemClock
from handover.domain.opening_window import WindowStatus
from handover.domain.values import (
    AgentIdentity,
    HandoverRecord,
    HandoverRequest,
    IdentityMatch,
    OverrideGrant,
    OverrideKind,
    PermitSummary,
    Verdict,
    VerdictKind,
)
from handover.queue.values import CallRecord
from handover.scanning.input import ScanInput, WedgeSettings
from handover.services.permits import BLOCKABLE, PermitChange
from handover.verdict_text import holder_line
from ui.app_hook import AppEventHook
from ui.dialogs.supervisor_dialog import SupervisorAnswer, SupervisorDialog
from ui.dialogs.today_dialog import TodayDialog
from ui.presenters.counter import CounterPresenter
from ui.presenters.inactivity import InactivityWatch
from ui.style import TONE_ALREADY, TONE_BLOCKED, TONE_ERROR, TONE_HANDED, TONE_WAITING
from ui.widgets.handover_wizard import HandoverWizard
from ui.widgets.login_page import LockPage, LoginPage
from ui.widgets.scan_field import ScanField
from ui.widgets.scan_guard import ScanGuard
from ui.widgets.verdict_panel import CandidateList, VerdictPanel, copy_key_event
from ui.widgets.window_banner import WindowBanner

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ui.widgets.camera_view import CameraView  # numpy and OpenCV: only with a camera

# The permit states a supervisor may block from the desk (``permits.BLOCKABLE``).
BLOCKABLE_STATES = frozenset(state.value for state in BLOCKABLE)

# Which override a verdict asks a supervisor for.
OVERRIDE_KINDS = {
    VerdictKind.COUNTER_CLOSED: OverrideKind.WINDOW,
    VerdictKind.BLOCKED: OverrideKind.BLOCKED,
    VerdictKind.WRONG_CARD: OverrideKind.CARD,
    VerdictKind.NOT_NOTIFIED: OverrideKind.NOT_NOTIFIED,
}


BUSY_STYLE = (
    "background: #fff8e1; color: #5d4037; border: 2px solid #f9a825; border-radius: 6px;"
    " font-size: 18px; font-weight: bold; padding: 8px;"
)
_HELD_TYPES = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


class MainWindow(QMainWindow):
    """One window, one agent session; every rule is the presenter's (and the core's)."""

    def __init__(
        self,
        presenter: CounterPresenter,
        *,
        clock: Clock | None = None,
        lock_after: timedelta = timedelta(minutes=5),
        badge_enabled: bool = False,
        timezone: str = "Europe/Paris",
        wedge: WedgeSettings | None = None,
        key_clock: Callable[[], float] | None = None,
        camera_view: CameraView | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.presenter = presenter
        self.timezone = timezone
        self._backoffice_db: Engine | None = None
        self._app_hooked = False
        self._key_hook = AppEventHook(self._hold_keys_while_busy)
        self.setWindowTitle(self.tr("Guichet — remise des titres de séjour"))
        self.resize(1280, 860)
        screen = QApplication.primaryScreen()
        if screen is not None:  # a 1366×768 desk less its taskbar: start within it
            room = screen.availableGeometry()
            self.resize(min(1280, room.width()), min(860, room.height()))
        ms_clock = key_clock

        self.login_page = LoginPage(badge_enabled=badge_enabled)
        self.login_page.set_desk(presenter.desk.site_name, presenter.desk.desk_name)
        self.lock_page = LockPage(badge_enabled=badge_enabled, now=presenter.now)
        self.counter_page = QWidget()
        self.banner = WindowBanner(timezone)
        self.verdict_panel = VerdictPanel()
        self.candidates = CandidateList(
            max_gap_ms=(wedge or WedgeSettings()).max_gap_ms, clock=ms_clock
        )
        self.candidates.hide()
        self.camera_view = camera_view
        self.camera_panel = QFrame()
        self.camera_panel.setObjectName("camera_panel")
        self.camera_panel.hide()
        self.camera_button = QPushButton(self.tr("Caméra (F2)"))
        self.camera_button.setVisible(camera_view is not None)
        self.scan_field = ScanField(wedge, clock=ms_clock)
        self.scan_field.setObjectName("scan_field")
        self.notice = QLabel()
        self.notice.setObjectName("good")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.busy_label = QLabel(
            self.tr("Traitement en cours… Continuez : vos scans et vos touches sont gardés.")
        )
        self.busy_label.setObjectName("busy")
        self.busy_label.setStyleSheet(BUSY_STYLE)
        self.busy_label.hide()
        self.wizard = HandoverWizard(
            presenter, key_clock=ms_clock, documents=presenter.service.identity_documents
        )
        self.wizard.hide()
        self.supervisor_button = QPushButton()
        self.supervisor_button.hide()
        self.block_button = QPushButton()  # block or unblock the permit on screen (F12)
        self.block_button.setObjectName("block_button")
        self.block_button.hide()
        self.today_button = QPushButton(self.tr("Aujourd'hui (F9)"))
        self.backoffice_button = QPushButton(self.tr("Back-office (F10)"))
        self.backoffice_button.hide()  # shown to supervisors and administrators
        self.lock_button = QPushButton(self.tr("Verrouiller (Ctrl+L)"))
        self.logout_button = QPushButton(self.tr("Se déconnecter"))
        for button in (
            self.supervisor_button,
            self.block_button,
            self.camera_button,
            self.backoffice_button,
            self.today_button,
            self.lock_button,
            self.logout_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scan_row = QHBoxLayout()
        scan_label = QLabel(self.tr("Scan :"))
        scan_row.addWidget(scan_label)
        scan_row.addWidget(self.scan_field, 1)
        self.scan_row = QWidget()
        self.scan_row.setLayout(scan_row)
        actions = QHBoxLayout()
        actions.addWidget(self.supervisor_button)
        actions.addWidget(self.block_button)
        actions.addStretch(1)
        actions.addWidget(self.camera_button)
        actions.addWidget(self.backoffice_button)
        actions.addWidget(self.today_button)
        actions.addWidget(self.lock_button)
        actions.addWidget(self.logout_button)
        column = QVBoxLayout(self.counter_page)
        column.setContentsMargins(0, 0, 0, 12)
        column.addWidget(self.banner)
        inner = QVBoxLayout()
        inner.setContentsMargins(16, 8, 16, 0)
        top = QHBoxLayout()
        top.addWidget(self.verdict_panel, 1)
        if camera_view is not None:
            camera_title = QLabel(self.tr("Caméra — F2 pour l'arrêter"))
            camera_title.setObjectName("hint")
            camera_column = QVBoxLayout(self.camera_panel)
            camera_column.setContentsMargins(0, 0, 0, 0)
            camera_column.addWidget(camera_title)
            camera_column.addWidget(camera_view, 1)
            camera_view.setFixedSize(384, 216)
            top.addWidget(self.camera_panel, 0, Qt.AlignmentFlag.AlignTop)
        inner.addLayout(top)
        inner.addWidget(self.candidates)
        inner.addWidget(self.notice)
        inner.addWidget(self.busy_label)
        inner.addWidget(self.scan_row)
        inner.addWidget(self.wizard, 1)
        inner.addStretch(0)
        # On a short screen (1366×768 less the taskbar, at 125 %) the verdict and the
        # handover steps scroll; the banner and the actions stay in view.
        self.content = QScrollArea()
        self.content.setObjectName("counter_content")
        self.content.setFrameShape(QFrame.Shape.NoFrame)
        self.content.setWidgetResizable(True)
        self.content.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        body.setLayout(inner)
        self.content.setWidget(body)
        column.addWidget(self.content, 1)
        actions.setContentsMargins(16, 0, 16, 0)
        column.addLayout(actions)

        self.stack = QStackedWidget()
        for page in (self.login_page, self.counter_page, self.lock_page):
            self.stack.addWidget(page)
        self.demo_banner: QLabel | None = None
        if demo:  # on every page: nobody mistakes the demonstration for the real counter
            self.demo_banner = QLabel(
                self.tr("DÉMONSTRATION — données fictives, guichet ouvert à toute heure")
            )
            self.demo_banner.setObjectName("demoBanner")
            self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.demo_banner.setStyleSheet(
                "#demoBanner { background: #b45309; color: white; font-weight: bold;"
                " font-size: 16px; padding: 6px; }"
            )
            frame = QWidget()
            outer = QVBoxLayout(frame)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.setSpacing(0)
            outer.addWidget(self.demo_banner)
            outer.addWidget(self.stack, 1)
            self.setCentralWidget(frame)
            self.setWindowTitle(self.windowTitle() + " — DÉMONSTRATION")
        else:
            self.setCentralWidget(self.stack)

        self.watch = InactivityWatch(clock or SystemClock(), lock_after, parent=self)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._on_tick)
        self.refresher = QTimer(self)
        self.refresher.setInterval(30_000)
        self.refresher.timeout.connect(presenter.refresh)
        self._record_shown: str | None = None
        self._offer_window_override = False
        self._held_keys: list[QKeyEvent] = []  # typed while the core was answering
        self._replaying = False
        self._shortcut_slots: dict[tuple[int, int], Callable[[], None]] = {}
        # A burst outside a scan field triggers nothing: login and lock screens, dialogs,
        # message boxes, back office, the wizard's signature step and typing fields (the
        # wizard routes the burst). The login page's badge field reads badges.
        self.scan_guard = ScanGuard(
            wedge,
            exclude=(CandidateList,),
            ignore=self._scan_guard_ignores,
            clock=ms_clock,
            parent=self,
        )

        self._connect()
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.setFocus()

    def _connect(self) -> None:
        p = self.presenter
        self.login_page.login_requested.connect(p.login)
        self.login_page.badge_scanned.connect(p.login_badge)
        self.lock_page.unlock_requested.connect(p.unlock)
        self.lock_page.badge_unlock_requested.connect(p.unlock_badge)
        p.unlock_throttled.connect(self.lock_page.show_throttled)
        self.lock_page.logout_requested.connect(self._on_logout_clicked)
        self.scan_field.scan_submitted.connect(self._on_scan)
        self.scan_field.scan_incomplete.connect(self._on_scan_incomplete)
        for step_field in (self.wizard.identity_field, self.wizard.card_field):
            step_field.scan_incomplete.connect(self.wizard.show_problem)
        self.wizard.submitted.connect(self._on_wizard_submitted)
        self.wizard.cancelled.connect(self._on_wizard_cancelled)
        self.wizard.card_checked.connect(self._on_card_checked)
        self.wizard.override_wanted.connect(self._ask_step_override)
        self.wizard.identity_read.connect(self._on_identity_read)
        self.wizard.switch_requested.connect(self._on_switch_requested)
        self.candidates.chosen.connect(self._on_candidate_chosen)
        self.candidates.dismissed.connect(self._on_candidates_dismissed)
        self.candidates.typing_started.connect(self._on_candidates_typing)
        self.camera_button.clicked.connect(self._on_camera_toggle)
        if self.camera_view is not None:
            self.camera_view.code_read.connect(self._on_camera_code)
        self.supervisor_button.clicked.connect(self._on_supervisor)
        self.block_button.clicked.connect(self._on_block)
        self.today_button.clicked.connect(self._on_today)
        self.backoffice_button.clicked.connect(self._on_backoffice)
        self.lock_button.clicked.connect(p.lock_now)
        self.logout_button.clicked.connect(self._on_logout_clicked)
        self.watch.expired.connect(p.lock)
        p.logged_in.connect(self._on_logged_in)
        p.login_failed.connect(self.login_page.show_problem)
        p.logged_out.connect(self._on_logged_out)
        p.locked.connect(self._on_locked)
        p.unlocked.connect(self._on_unlocked)
        p.unlock_failed.connect(self.lock_page.show_problem)
        p.verdict_ready.connect(self._on_verdict_ready)
        p.scan_failed.connect(self._on_scan_failed)
        p.window_changed.connect(self._on_window_changed)
        p.count_changed.connect(self.banner.set_count)
        p.handover_completed.connect(self._on_handover_completed)
        p.handover_failed.connect(self._on_handover_failed)
        p.handover_unknown.connect(self._on_handover_unknown)
        p.today_loaded.connect(self._on_today_loaded)
        p.today_failed.connect(self._on_today_failed)
        p.busy_changed.connect(self._on_busy_changed)
        p.idle.connect(self._on_idle)
        p.receipt_sent.connect(self._on_receipt_sent)
        p.receipt_failed.connect(self._on_receipt_failed)
        p.override_granted.connect(self._on_override_granted)
        for keys, slot in (
            ("F2", self._on_camera_toggle),
            ("F4", self._on_supervisor),
            ("F12", self._on_block),
            ("F9", self._on_today),
            ("F10", self._on_backoffice),
            ("Ctrl+L", p.lock_now),
            *self._queue_keys(),
        ):
            shortcut = QShortcut(QKeySequence(keys), self.counter_page)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            sequence = QKeySequence(keys)[0]
            self._shortcut_slots[(sequence.key().value, sequence.keyboardModifiers().value)] = slot
        self._connect_queue()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
            self._key_hook.install()
            self._app_hooked = True

    # -- state ----------------------------------------------------------------------------

    @property
    def in_handover(self) -> bool:
        return not self.wizard.isHidden()

    def _idle(self, hint: str = "") -> None:
        """Back to the scan field, empty, with the focus."""
        self.wizard.hide()
        self.candidates.hide()
        self.scan_row.show()
        self.scan_field.clear()
        self.scan_field.setFocus()
        if hint:
            self.verdict_panel.show_waiting(hint)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.content.widget().isAncestorOf(new):
            self.content.ensureWidgetVisible(new, 0, 16)
        # The scan field keeps the focus whatever was clicked, so a scan always lands.
        if (
            new is not None
            and new is not self.scan_field
            and not (new is self.candidates and self.candidates.isVisible())
            and self.stack.currentWidget() is self.counter_page
            and not self.in_handover
            and QApplication.activeModalWidget() is None
            and self.isAncestorOf(new)
        ):
            QTimer.singleShot(0, self.scan_field.setFocus)

    def _on_tick(self) -> None:
        now = self.presenter.now()
        window = self.presenter.window
        if window is not None and window.is_open and window.closes_at and now >= window.closes_at:
            self.presenter.refresh()  # 11:00: the banner turns to closed at once
        self.banner.tick(now)
        self.watch.check()

    # -- the desk never waits ---------------------------------------------------------------

    def _hold_keys_while_busy(self, watched: QObject, event: QEvent) -> bool:
        """Hold the keys typed into this window while the core answers; replay them after.

        A scan or a key is never lost to a slow database: it is kept, in order, and handed
        to whatever has the focus once the answer is on screen (the handover steps after a
        READY verdict, for instance). A shortcut held this way (F9…) runs when replayed.
        """
        if (
            self._replaying
            or event.type() not in _HELD_TYPES
            or not (self.presenter.is_busy or self._held_keys)
            or not isinstance(event, QKeyEvent)
            or not isinstance(watched, QWidget)
            or not (watched is self or self.isAncestorOf(watched))
            or QApplication.activeModalWidget() is not None
        ):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut now: the key press comes, and is held
            return True
        if event.type() == QEvent.Type.KeyPress and watched is (QApplication.focusWidget() or self):
            self._held_keys.append(copy_key_event(event))
        return True  # releases (and the copies Qt sends to parents) are dropped

    def _on_idle(self) -> None:
        if self._held_keys:
            QTimer.singleShot(0, self._replay_held_keys)

    def _replay_held_keys(self) -> None:
        """Hand the held keys on in order, until one of them makes the core busy again."""
        while self._held_keys and not self.presenter.is_busy:
            event = self._held_keys.pop(0)
            slot = self._shortcut_slots.get((event.key(), event.modifiers().value))
            self._replaying = True
            try:
                if slot is not None and self.stack.currentWidget() is self.counter_page:
                    slot()
                else:
                    target = QApplication.focusWidget() or self
                    QApplication.sendEvent(target, event)
                    release = copy_key_event(event, QEvent.Type.KeyRelease)
                    QApplication.sendEvent(QApplication.focusWidget() or self, release)
            finally:
                self._replaying = False

    @property
    def held_key_count(self) -> int:
        return len(self._held_keys)

    def _on_busy_changed(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)

    # -- session --------------------------------------------------------------------------

    def _on_logged_in(self, agent: AgentIdentity) -> None:
        self.banner.set_desk(f"{self.presenter.desk.desk_name} · {agent.display_name}")
        self.login_page.reset()
        self.notice.hide()
        self.verdict_panel.show_waiting()
        self._show_supervisor_action(None)
        self._show_block_action(None)
        self.stack.setCurrentWidget(self.counter_page)
        self.backoffice_button.setVisible(agent.is_supervisor)
        self._idle()
        self.watch.start()
        self.ticker.start()
        self.refresher.start()

    def _on_logout_clicked(self) -> None:
        if self.in_handover:
            self.wizard.cancel()
        self.presenter.logout()

    def _on_logged_out(self) -> None:
        self._stop_camera()
        self.watch.stop()
        self.ticker.stop()
        self.refresher.stop()
        self.wizard.hide()
        self.login_page.reset()
        self.stack.setCurrentWidget(self.login_page)
        self.login_page.setFocus()

    def _on_locked(self) -> None:
        self._stop_camera()
        self.watch.stop()
        agent = self.presenter.agent
        self.lock_page.prepare(agent.display_name if agent else "")
        self.stack.setCurrentWidget(self.lock_page)
        self.lock_page.setFocus()

    def _on_unlocked(self) -> None:
        self.stack.setCurrentWidget(self.counter_page)
        if self.in_handover:
            self.wizard.resume_focus()
        elif self.candidates.isVisible():
            self.candidates.setFocus()
        else:
            self.scan_field.setFocus()
        self.watch.start()

    # -- scans and verdicts ---------------------------------------------------------------

    def _on_scan(self, scan: ScanInput) -> None:
        if self.in_handover:
            return
        self.notice.hide()
        self.presenter.submit_scan(scan.text, entry=scan.source, repair=scan.repair)

    def _scan_guard_ignores(self, widget: QWidget) -> bool:
        if widget.window() is not self:
            return False  # a dialog, a message box, the back office
        return not (
            self.lock_page.isAncestorOf(widget)
            or self.login_page.isAncestorOf(widget)
            or widget is self.wizard
            or self.wizard.isAncestorOf(widget)
        )

    def refuse_scan(self, _text: str) -> None:
        """A burst landed in a wizard field that is not a scan field: say it, keep nothing."""
        if self.in_handover:
            self.wizard.show_problem(
                self.tr(
                    "Un scan est arrivé à une étape qui n'en attend pas : il n'a rien "
                    "déclenché. Terminez l'étape, puis rescannez quand elle attend un scan."
                )
            )

    def _on_scan_incomplete(self, message: str) -> None:
        self.verdict_panel.show_message(
            self.tr("LECTURE INCOMPLÈTE — rescannez"), [message], tone=TONE_ERROR
        )

    def _on_verdict_ready(self, verdict: Verdict) -> None:
        self.verdict_panel.show_verdict(verdict)
        self._show_supervisor_action(verdict)
        self._show_block_action(verdict.permit)
        if verdict.can_hand_over and verdict.permit is not None:
            self._start_handover(verdict)
        elif verdict.kind == VerdictKind.SEVERAL_MATCHES and verdict.candidates:
            self._idle()
            self.verdict_panel.add_detail(
                self.tr("↑ ↓ puis Entrée, ou le chiffre de la ligne ; Échap : revenir au scan.")
            )
            self.candidates.show_candidates(verdict.candidates)
            self.candidates.setFocus()
        else:
            self._idle()

    def _on_candidate_chosen(self, permit: PermitSummary) -> None:
        self.candidates.hide()
        self.scan_field.setFocus()
        self.presenter.choose_candidate(permit.permit_id)

    def _on_candidates_dismissed(self) -> None:
        self.verdict_panel.show_waiting()
        self._idle()

    def _on_candidates_typing(self, event: QKeyEvent) -> None:
        # A new scan (or typing) while the list is up: it belongs in the scan field.
        self.candidates.hide()
        self.scan_field.setFocus()
        QApplication.sendEvent(self.scan_field, event)

    # -- camera ---------------------------------------------------------------------------

    @property
    def camera_on(self) -> bool:
        return self.camera_view is not None and not self.camera_panel.isHidden()

    def _on_camera_toggle(self) -> None:
        view = self.camera_view
        if self.stack.currentWidget() is not self.counter_page:
            return
        if view is None:
            self._say_no_camera_support()
            return
        if self.camera_on:
            self._stop_camera()
        else:
            self.camera_panel.show()
            view.start()
        if self.in_handover:
            self.wizard.resume_focus()
        elif self.candidates.isVisible():
            self.candidates.setFocus()
        else:
            self.scan_field.setFocus()

    def _say_no_camera_support(self) -> None:
        """F2 where OpenCV is missing (the standard bundle): say so, never fail.

        Where OpenCV is there but the camera is not enabled, F2 does nothing, as before.
        """
        from ui.widgets.camera_view import camera_support_problem

        problem = camera_support_problem()
        if problem is None:
            return
        if self.in_handover:  # the permit's verdict stays on screen; the step says it
            self.wizard.show_problem("\n".join(problem))
        else:
            self.verdict_panel.show_message(
                self.tr("PAS DE CAMÉRA"), list(problem), tone=TONE_WAITING
            )

    def _stop_camera(self) -> None:
        if self.camera_view is not None:
            self.camera_view.stop()
        self.camera_panel.hide()

    def _on_camera_code(self, text: str) -> None:
        """A code the camera read goes where a scanner burst would have gone."""
        if (
            self.stack.currentWidget() is not self.counter_page
            or self.presenter.is_locked
            or QApplication.activeModalWidget() is not None
        ):
            return
        if self.in_handover:
            self.wizard.feed_scan(text)
            return
        self.candidates.hide()
        self.notice.hide()
        self.presenter.submit_scan(text)

    def _on_scan_failed(self, message: str) -> None:
        self.verdict_panel.show_message(
            self.tr("ERREUR — vérification impossible"),
            [message, self.tr("Rien n'a été enregistré. Rescannez quand le problème est réglé.")],
        )
        self._show_supervisor_action(None)
        if not self.in_handover:
            self._idle()

    def _on_window_changed(self, status: WindowStatus) -> None:
        grant = self.presenter.window_override
        self.banner.set_status(
            status, self.presenter.now(), grant.expires_at if grant is not None else None
        )
        if self._offer_window_override and self.in_handover and not status.is_open:
            self.supervisor_button.setText(self.tr("Ouverture hors horaires : chef d'accueil (F4)"))
            self.supervisor_button.show()
        self._offer_window_override = False

    def _show_supervisor_action(self, verdict: Verdict | None) -> None:
        kind = OVERRIDE_KINDS.get(verdict.kind) if verdict is not None else None
        if (
            verdict is None
            or kind is None
            or not (verdict.needs_supervisor or verdict.kind == VerdictKind.COUNTER_CLOSED)
        ):
            self.supervisor_button.hide()
            return
        label = (
            self.tr("Ouverture hors horaires : chef d'accueil (F4)")
            if kind == OverrideKind.WINDOW
            else self.tr("Autorisation du chef d'accueil (F4)")
        )
        self.supervisor_button.setText(label)
        self.supervisor_button.show()

    def _window_closed(self) -> bool:
        window = self.presenter.window
        return window is not None and not window.is_open

    def _on_supervisor(self) -> None:
        verdict = self.presenter.verdict
        if self.stack.currentWidget() is not self.counter_page:
            return
        if self.in_handover:
            if self.wizard.wanted_override() is not None:
                self.wizard.ask_override()  # the step's own rule first (card, fee…)
            elif self._window_closed() and not self.supervisor_button.isHidden():
                # The window closed while this holder was at the desk: extend it, then retry.
                if self._ask_window_override(None):
                    self.supervisor_button.hide()
                    self.wizard.show_problem(
                        self.tr("Prolongation accordée : Entrée pour enregistrer.")
                    )
                self.wizard.resume_focus()
            return
        if self.supervisor_button.isHidden():
            return
        if verdict is None:
            return
        kind = OVERRIDE_KINDS[verdict.kind]
        permit_id = verdict.permit.permit_id if verdict.permit is not None else None
        if kind == OverrideKind.WINDOW:
            if self._ask_window_override(permit_id) and self.presenter.last_scan:
                self.presenter.submit_scan(self.presenter.last_scan)
            else:
                self.scan_field.setFocus()
            return
        result = SupervisorDialog.ask_override(
            self, kind, self.presenter.granter(kind, permit_id), detail=verdict.headline
        )
        if result is None:
            self.scan_field.setFocus()
            return
        if verdict.permit is not None:
            self.supervisor_button.hide()
            self._start_handover(verdict)

    def _on_override_granted(self, grant: OverrideGrant) -> None:
        """A rule lifted for one permit: the panel says so, with the holder and the casier.

        A window extension is the desk's, not a permit's: the scan is checked again instead.
        """
        if grant.kind == OverrideKind.WINDOW or grant.permit_id is None:
            return
        permit = next(
            (
                p
                for p in (self.wizard.permit if self.in_handover else None, self._shown_permit())
                if p is not None and p.permit_id == grant.permit_id
            ),
            None,
        )
        self.verdict_panel.show_authorised(grant, permit)

    def _shown_permit(self) -> PermitSummary | None:
        verdict = self.presenter.verdict
        return verdict.permit if verdict is not None else None

    # -- block and unblock ----------------------------------------------------------------

    def _show_block_action(self, permit: PermitSummary | None) -> None:
        """Offer to block a permit that may be handed over, or to unblock a blocked one."""
        state = permit.state if permit is not None else ""
        if state in BLOCKABLE_STATES:
            self.block_button.setText(self.tr("Bloquer (F12)"))
        elif state == "blocked":
            self.block_button.setText(self.tr("Débloquer (F12)"))
        else:
            self.block_button.hide()
            return
        self.block_button.show()

    def _on_block(self) -> None:
        agent = self.presenter.agent
        if (
            self.stack.currentWidget() is not self.counter_page
            or self.block_button.isHidden()
            or agent is None
            or self.presenter.is_busy
        ):
            return
        permit = (self.wizard.permit if self.in_handover else None) or self._shown_permit()
        if permit is None:
            return
        block = permit.state != "blocked"
        credentials = not agent.is_supervisor  # else the desk's own account decides

        def act(answer: SupervisorAnswer) -> PermitChange:
            return self.presenter.set_blocked(
                permit.permit_id,
                block,
                reason=answer.reason,
                supervisor=answer if credentials else None,
            )

        title = self.tr("Bloquer le titre") if block else self.tr("Débloquer le titre")
        holder = self.tr("{0} — carte n° {1}, casier {2}.").format(
            holder_line(permit), permit.card_number, permit.storage_slot or "?"
        )
        why = (
            self.tr(
                "Un titre bloqué ne se remet plus sans l'accord d'un chef d'accueil (alerte "
                "fraude, carte défectueuse…). Le motif est enregistré."
            )
            if block
            else self.tr(
                "Le titre redevient remissible (« prévenu » si le SMS est parti, sinon "
                "« arrivé »). Le motif est enregistré."
            )
        )
        change = SupervisorDialog.ask_for(
            self,
            title=title,
            explanation=f"{holder}\n{why}",
            act=act,
            credentials=credentials,
            accept_text=title,
        )
        if change is None:
            if self.in_handover:
                self.wizard.resume_focus()
            else:
                self.scan_field.setFocus()
            return
        if self.in_handover:
            # Nothing was written; the permit's new verdict follows (set_blocked re-checks).
            self.wizard.cancel()

    def _ask_step_override(self, kind: OverrideKind) -> None:
        """A rule stops the wizard's step (or a proxy comes): the supervisor decides."""
        permit = self.wizard.permit
        if permit is None:
            return
        result = SupervisorDialog.ask_override(
            self, kind, self.presenter.granter(kind, permit.permit_id)
        )
        if result is None:
            self.wizard.resume_focus()
            return
        self.supervisor_button.hide()
        if kind == OverrideKind.CARD:
            self.verdict_panel.show_message(
                self.tr("CARTE NON VÉRIFIÉE — remise autorisée"),
                [
                    self.tr("Autorisation du chef d'accueil enregistrée."),
                    self.tr("Comparez le nom et le numéro sur la carte, puis Entrée."),
                ],
                tone=TONE_ALREADY,
            )
        self.wizard.accept_override(result)

    def _on_identity_read(self, match: IdentityMatch) -> None:
        """A document that does not match the holder turns the panel red, not just a line."""
        if match.matches:
            if self.presenter.verdict is not None:
                self.verdict_panel.show_verdict(self.presenter.verdict)
            return
        self.verdict_panel.show_message(
            self.tr("PIÈCE NON CONFORME — ne pas remettre"),
            [
                self.tr("Diffère : {0}.").format(", ".join(match.differences)),
                self.tr("Scannez une autre pièce du titulaire, ou chef d'accueil (F4)."),
            ],
            tone=TONE_BLOCKED,
        )

    def _on_switch_requested(self, raw: str) -> None:
        """Another holder's reference mid-handover, and the agent chose to serve them."""
        self._show_supervisor_action(None)
        self._idle()
        self.presenter.switch_holder(raw)

    def _on_card_checked(self, verdict: Verdict) -> None:
        self.verdict_panel.show_verdict(verdict)
        self.supervisor_button.hide()  # the wizard's step offers the card override (F4)

    def _ask_window_override(self, permit_id: int | None) -> bool:
        result = SupervisorDialog.ask_override(
            self,
            OverrideKind.WINDOW,
            self.presenter.granter(OverrideKind.WINDOW, permit_id),
            minutes=self.presenter.override_minutes,
        )
        return result is not None

    # -- handover -------------------------------------------------------------------------

    def _start_handover(self, verdict: Verdict) -> None:
        if self.in_handover and self.wizard.permit is not None:
            self.presenter.discard_handover("nouveau scan")
        self.scan_row.hide()
        self.notice.hide()
        self.wizard.show()
        assert verdict.permit is not None
        grants = self.presenter.begin_handover(verdict.permit.permit_id)
        # A holder found by scanning their identity document does not scan it again.
        scan = self.presenter.last_scan if verdict.identity is not None else None
        self.wizard.start(verdict, grants, identity_scan=scan)

    def _on_wizard_submitted(self, request: HandoverRequest) -> None:
        self.wizard.set_busy(True)
        self.presenter.confirm(request)

    def _on_wizard_cancelled(self) -> None:
        self.presenter.discard_handover("remise annulée (Échap)")
        self.verdict_panel.show_message(
            self.tr("Remise annulée"),
            [self.tr("Rien n'a été enregistré. Scannez la référence suivante.")],
            tone=TONE_WAITING,
        )
        self._show_supervisor_action(None)
        self._show_block_action(None)
        self._idle()

    def _on_handover_completed(self, record: HandoverRecord) -> None:
        self.wizard.set_busy(False)
        self._record_shown = record.handover_number
        self.verdict_panel.show_message(
            self.tr("REMIS — reçu {0}").format(record.handover_number),
            [
                f"{record.permit.surname.upper()} {record.permit.given_names}",
                self.tr("✓ Carte n° {0} vérifiée").format(record.permit.card_number)
                if self.wizard.card_verified
                else self.tr("⚠ Carte non vérifiée (autorisation du chef d'accueil)"),
                self.tr("Remettez la carte. Scannez la référence suivante."),
            ],
            tone=TONE_HANDED,
        )
        self._show_supervisor_action(None)
        self._show_block_action(None)
        self._idle()

    def _on_handover_failed(self, message: str) -> None:
        self.wizard.set_busy(False)
        self.verdict_panel.show_message(
            self.tr("NON ENREGISTRÉ — gardez la carte"),
            [self.tr("Rien n'a été enregistré. Entrée pour réessayer, Échap pour annuler.")],
            tone=TONE_ERROR,
        )
        self.wizard.show_problem(message)
        self._offer_window_override = True  # if the refresh says the window has closed
        self.presenter.refresh()

    def _on_handover_unknown(self, _permit_id: int, message: str) -> None:
        """The commit is in doubt: no receipt, the card stays, the presenter re-checks."""
        self.verdict_panel.show_message(
            self.tr("RÉSULTAT INCONNU — gardez la carte"),
            [
                self.tr("La connexion à la base a été perdue pendant l'enregistrement."),
                self.tr(
                    "Aucun reçu n'est imprimé. Vérification automatique dès que la base "
                    "répond ; « Aujourd'hui » (F9) montre ce qui est enregistré."
                ),
            ],
            tone=TONE_ERROR,
        )
        self.wizard.show_in_doubt(message)  # busy: no second Enter, no Esc

    def _on_receipt_sent(self, record: HandoverRecord, message: str) -> None:
        self._show_notice(
            self.tr("Reçu {0} : {1}").format(record.handover_number, message), good=True
        )

    def _on_receipt_failed(self, record: HandoverRecord, message: str) -> None:
        self._show_notice(
            self.tr("REÇU {0} NON IMPRIMÉ (la remise est enregistrée) : {1} ").format(
                record.handover_number, message
            )
            + self.tr("Réglez l'imprimante puis réimprimez depuis « Aujourd'hui » (F9)."),
            good=False,
        )

    def _show_notice(self, text: str, *, good: bool) -> None:
        self.notice.setObjectName("good" if good else "problem")
        self.notice.setStyleSheet("")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.show()

    def _on_today(self) -> None:
        if self.stack.currentWidget() is not self.counter_page:
            return
        self.presenter.load_today()

    def _on_today_failed(self, message: str) -> None:
        # The day's list is a convenience: say why it is missing.
        self._show_notice(self.tr("Liste du jour indisponible. {0}").format(message), good=False)

    def _on_today_loaded(self, records: list[HandoverRecord]) -> None:
        if self.stack.currentWidget() is not self.counter_page:
            return

        def reprint(record: HandoverRecord) -> str:
            self.presenter.print_receipt(record, duplicate=True)
            return self.tr("Duplicata du reçu {0} demandé.").format(record.handover_number)

        TodayDialog.show_for(self, records, reprint=reprint, timezone=self.timezone)
        if self.in_handover:
            self.wizard.resume_focus()
        else:
            self.scan_field.setFocus()

    def _on_backoffice(self) -> None:
        """The back office (imports, statistics, unclaimed permits), role-checked there."""
        agent = self.presenter.agent
        if agent is None or self.stack.currentWidget() is not self.counter_page:
            return
        from ui.backoffice.window import BackofficeWindow  # loaded only when asked for

        service = self.presenter.service
        self._backoffice = BackofficeWindow.open(
            self, self._backoffice_engine(), service.config, agent, clock=service.clock
        )

    def _backoffice_engine(self) -> Engine:
        """The counter's engine, or on PostgreSQL one with the back office's time limits
        (an import must not be cut at the counter's 15 s); made once, closed with the window.
        """
        service = self.presenter.service
        if service.engine.dialect.name != "postgresql":
            return service.engine  # SQLite has no lock or statement time limit
        if self._backoffice_db is None:
            from handover.persistence.engine import make_engine

            db = service.config.database
            self._backoffice_db = make_engine(
                service.engine.url.render_as_string(hide_password=False),
                busy_timeout_ms=db.busy_timeout_ms,
                lock_timeout_ms=db.backoffice_lock_timeout_ms,
                statement_timeout_ms=db.backoffice_statement_timeout_ms,
            )
        return self._backoffice_db

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_camera()
        if self.presenter.agent is not None:
            self.presenter.logout()
        self.presenter.shutdown()  # the logout is recorded before the window goes
        self.watch.stop()
        app = QApplication.instance()
        if self._app_hooked and isinstance(app, QApplication):
            # Nothing application-wide outlives the window (Qt would call a dead filter).
            self._app_hooked = False
            self._key_hook.uninstall()
            self.scan_guard.uninstall()
            app.focusChanged.disconnect(self._on_focus_changed)
        if self._backoffice_db is not None:
            self._backoffice_db.dispose()
        super().closeEvent(event)

    # -- the queue at the door (issue #16): F8 calls the next ticket -----------------------

    def _queue_keys(self) -> list[tuple[str, Callable[[], None]]]:
        if self.presenter.queue is None:
            return []  # no door at this site: no call keys
        return [
            ("F8", self._on_call_next),
            ("Shift+F8", self._on_call_number),
            ("Ctrl+F8", self._on_no_show),
        ]

    def _connect_queue(self) -> None:
        p = self.presenter
        if p.queue is None:
            return
        self.call_button = QPushButton(self.tr("Suivant (F8)"))
        self.call_button.setObjectName("call_next")
        self.call_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.call_button.clicked.connect(self._on_call_next)
        self.no_show_button = QPushButton(self.tr("Absent (Ctrl+F8)"))
        self.no_show_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.no_show_button.clicked.connect(self._on_no_show)
        self.no_show_button.hide()
        column = self.counter_page.layout()
        actions = column.itemAt(column.count() - 1).layout() if column is not None else None
        if isinstance(actions, QHBoxLayout):
            actions.insertWidget(1, self.call_button)
            actions.insertWidget(2, self.no_show_button)
        p.queue_called.connect(self._on_queue_called)
        p.verdict_ready.connect(self._on_verdict_of_call)
        p.queue_no_show.connect(self._on_queue_no_show)
        p.queue_failed.connect(self._on_queue_failed)
        p.handover_completed.connect(lambda _record: self.no_show_button.hide())

    def _queue_ready(self) -> bool:
        if self.stack.currentWidget() is not self.counter_page:
            return False
        if self.in_handover:
            self._show_notice(
                self.tr("Terminez ou annulez la remise en cours avant d'appeler un ticket."),
                good=False,
            )
            self.wizard.resume_focus()
            return False
        return True

    def _on_call_next(self) -> None:
        if self._queue_ready():
            self.presenter.call_next()

    def _on_call_number(self) -> None:
        if not self._queue_ready():
            return
        from ui.dialogs.call_number_dialog import CallNumberDialog

        answer = CallNumberDialog.ask(self)
        if answer is not None:
            self.presenter.call_number(*answer)
        self.scan_field.setFocus()

    def _on_no_show(self) -> None:
        if self.stack.currentWidget() is not self.counter_page:
            return
        if self.presenter.current_call is None:
            self._show_notice(self.tr("Aucun ticket appelé à ce guichet."), good=False)
            return
        self.presenter.mark_no_show()

    def _on_queue_called(self, record: CallRecord | None) -> None:
        if record is None:
            self.verdict_panel.show_message(
                self.tr("Personne n'attend"),
                [self.tr("Aucun ticket en file pour l'instant. F8 : appeler le suivant.")],
                tone=TONE_WAITING,
            )
            self.no_show_button.hide()
            self._idle()
            return
        self._show_notice(
            self.tr(
                "Ticket {0} appelé à ce guichet ; son dossier s'ouvre. Vérifiez l'identité de "
                "la personne qui se présente. Personne ? Ctrl+F8 (absent) après quelques "
                "minutes."
            ).format(record.ticket.label),
            good=True,
        )
        self.no_show_button.show()

    def _on_verdict_of_call(self, verdict: Verdict) -> None:
        """The called ticket's number stays in view above its permit's verdict."""
        record = self.presenter.current_call
        if (
            record is not None
            and verdict.permit is not None
            and verdict.permit.permit_id == record.ticket.permit_id
        ):
            self.verdict_panel.add_detail(
                self.tr("Ticket {0} appelé : la personne présente ce ticket.").format(
                    record.ticket.label
                )
            )

    def _on_queue_no_show(self, message: str) -> None:
        if self.in_handover:
            self.wizard.cancel()  # the permit opened for the absent holder goes back
        self.no_show_button.hide()
        self.verdict_panel.show_message(self.tr("Absent"), [message], tone=TONE_WAITING)
        self._idle()

    def _on_queue_failed(self, message: str) -> None:
        self._show_notice(message, good=False)
