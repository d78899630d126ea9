"""The desk never waits: the core answers on a worker thread, and nothing typed is lost.

The back end here is the real service behind a gate (a ``threading.Event``): a call the
test holds stays running until the test opens the gate, so "while a call runs" is a
state the test controls, not a race. Nothing is timed; every wait is on a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from handover.domain.values import HandoverRecord, HandoverRequest, VerdictKind
from handover.errors import CommitOutcomeUnknown, DatabaseUnavailable
from handover.services.counter import CounterService
from tests.ui.counter_fixtures import (
    Counter,
    build_counter,
    draw_signature,
    focused,
    handover_count,
    log_in,
    passport_mrz,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    settle,
    show,
)
from tests.ui.test_counter_states import walk_to
from ui.dialogs.today_dialog import TodayDialog
from ui.main_window import MainWindow
from ui.widgets.handover_wizard import Step

FIXTURES = (seeded_template_fixture,)


class GatedBackend:
    """The real ``CounterService``; the calls named in ``gated`` wait for ``gate``.

    ``commit_unknown`` makes ``hand_over`` raise ``CommitOutcomeUnknown`` after (or,
    with ``commit=False``, instead of) recording; ``unreachable`` is how many times
    ``find_handover`` finds the database down before it answers.
    """

    def __init__(self, service: CounterService) -> None:
        self._service = service
        self.gate = threading.Event()
        self.gate.set()
        self.gated: set[str] = set()
        self.calls: list[str] = []
        self.commit_unknown = False
        self.commit = True
        self.unreachable = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._service, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if name in self.gated:
                assert self.gate.wait(10), "the test never opened the gate"
            return attr(*args, **kwargs)

        return call

    def hold(self, *names: str) -> None:
        self.gated = set(names)
        self.gate.clear()

    def hand_over(self, request: HandoverRequest, agent: Any) -> HandoverRecord:
        self.calls.append("hand_over")
        if self.commit_unknown:
            if self.commit:
                self._service.hand_over(request, agent)
            raise CommitOutcomeUnknown(
                "La connexion a été perdue pendant l'enregistrement.",
                permit_id=request.permit_id,
            )
        return self._service.hand_over(request, agent)

    def find_handover(self, permit_id: int) -> HandoverRecord | None:
        self.calls.append("find_handover")
        if self.unreachable:
            self.unreachable -= 1
            raise DatabaseUnavailable("La base de données ne répond pas.")
        for record in self._service.today():
            if record.permit.permit_id == permit_id:
                return record
        return None


@pytest.fixture(name="gated")
def gated_fixture(qtbot, tmp_path: Path, seeded_template) -> Iterator[tuple[Counter, GatedBackend]]:
    counter = build_counter(tmp_path, seeded_template)
    backend = GatedBackend(counter.service)
    counter.presenter.service = backend  # type: ignore[assignment]
    show(qtbot, counter.window)
    yield counter, backend
    backend.gate.set()
    counter.window.watch.stop()
    counter.presenter.shutdown()
    counter.engine.dispose()


def lists_shown(monkeypatch) -> list[list[HandoverRecord]]:
    """Today's lists the F9 dialog would show (the dialog itself is not opened)."""
    shown: list[list[HandoverRecord]] = []
    monkeypatch.setattr(
        TodayDialog,
        "show_for",
        classmethod(lambda cls, parent, records, **_kw: shown.append(records)),
    )
    return shown


def type_scan(window: MainWindow, qtbot, text: str) -> None:
    """A scanner burst into whatever has the focus, without waiting for the core."""
    target = focused() or window
    qtbot.keyClicks(target, text)
    qtbot.keyClick(focused() or window, Qt.Key.Key_Return)


def test_the_busy_state_shows_while_the_core_is_slow_and_goes_when_it_answers(
    gated: tuple[Counter, GatedBackend], qtbot, tmp_path: Path
) -> None:
    counter, backend = gated
    window = counter.window
    log_in(counter)
    backend.hold("check")

    with qtbot.waitSignal(counter.presenter.busy_changed) as busy:
        type_scan(window, qtbot, ready_permit(counter.engine).reference)
    assert busy.args == [True]
    assert counter.presenter.is_busy
    assert window.busy_label.isVisible()
    assert "Traitement en cours" in window.busy_label.text()
    window.grab().save(str(tmp_path / "busy.png"))

    with qtbot.waitSignal(counter.presenter.busy_changed) as done:
        backend.gate.set()
    assert done.args == [False]
    assert not window.busy_label.isVisible()
    assert counter.presenter.verdict is not None
    assert counter.presenter.verdict.kind == VerdictKind.READY


def test_a_quick_answer_shows_no_busy_state(gated: tuple[Counter, GatedBackend], qtbot) -> None:
    counter, _backend = gated
    log_in(counter)
    seen: list[bool] = []
    counter.presenter.busy_changed.connect(seen.append)

    scan(counter.window.scan_field, ready_permit(counter.engine).reference, counter.keys)

    assert counter.presenter.verdict is not None
    assert seen == []  # answered within the delay: nothing flickered


def test_scans_typed_while_the_core_answers_are_handled_after_in_order(
    gated: tuple[Counter, GatedBackend], qtbot
) -> None:
    counter, backend = gated
    window = counter.window
    log_in(counter)
    permit = ready_permit(counter.engine)
    backend.hold("check")

    type_scan(window, qtbot, permit.reference)
    assert counter.presenter.is_busy
    qtbot.waitUntil(lambda: "check" in backend.calls)  # the worker holds it at the gate
    # The holder's passport comes while the verdict is still on its way.
    type_scan(window, qtbot, passport_mrz(permit.surname, permit.given_names, permit.birth_date))
    assert window.held_key_count > 80
    assert backend.calls.count("check") == 1  # the passport did not go to the scan check

    with qtbot.waitSignal(counter.presenter.idle):
        backend.gate.set()
    qtbot.waitUntil(lambda: window.held_key_count == 0)
    settle()  # the identity step asks the core about the passport

    assert window.in_handover
    assert window.wizard.step == Step.STAMPS  # the passport went to the identity step
    assert "✓ nom et date de naissance conformes" in window.wizard.permit_line.text()
    assert backend.calls.count("check") == 1


def test_two_references_scanned_during_a_slow_check_give_two_verdicts_in_order(
    gated: tuple[Counter, GatedBackend], qtbot
) -> None:
    counter, backend = gated
    window = counter.window
    log_in(counter)
    verdicts: list[VerdictKind] = []
    counter.presenter.verdict_ready.connect(lambda v: verdicts.append(v.kind))
    counter.presenter.scan_failed.connect(lambda _m: verdicts.append(VerdictKind.UNKNOWN))
    backend.hold("check")

    type_scan(window, qtbot, "ZZZZ-ZZZZ-Z")  # not a permit of this database
    qtbot.waitUntil(lambda: "check" in backend.calls)
    type_scan(window, qtbot, ready_permit(counter.engine).reference)
    assert backend.calls.count("check") == 1

    backend.gate.set()
    qtbot.waitUntil(lambda: len(verdicts) == 2)
    settle()

    assert verdicts[1] == VerdictKind.READY
    assert verdicts[0] != VerdictKind.READY
    assert backend.calls.count("check") == 2


def test_f9_pressed_while_the_core_answers_opens_the_list_afterwards(
    gated: tuple[Counter, GatedBackend], qtbot, monkeypatch
) -> None:
    counter, backend = gated
    window = counter.window
    log_in(counter)
    shown = lists_shown(monkeypatch)
    backend.hold("check")
    type_scan(window, qtbot, "ZZZZ-ZZZZ-Z")
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    assert shown == []
    assert "today" not in backend.calls

    backend.gate.set()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert backend.calls.index("today") > backend.calls.index("check")


def _unknown_commit(
    counter: Counter, backend: GatedBackend, qtbot, *, committed: bool
) -> Callable[[], None]:
    """Walk to the last step, sign and press Enter: the commit's outcome is unknown."""
    log_in(counter)
    walk_to(counter, qtbot, Step.SIGNATURE)
    draw_signature(counter.window.wizard.signature_pad)
    backend.commit_unknown = True
    backend.commit = committed
    backend.unreachable = 1
    with qtbot.waitSignal(counter.presenter.handover_unknown):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    backend.commit_unknown = False
    return counter.presenter.recheck_unknown


def test_an_unknown_commit_says_so_prints_nothing_and_rechecks_until_the_truth(
    gated: tuple[Counter, GatedBackend], qtbot, monkeypatch, tmp_path: Path
) -> None:
    counter, backend = gated
    window = counter.window
    before = handover_count(counter.engine)
    permit = ready_permit(counter.engine)
    recheck = _unknown_commit(counter, backend, qtbot, committed=True)

    assert "RÉSULTAT INCONNU" in window.verdict_panel.headline
    assert "RÉSULTAT INCONNU" in window.wizard.problem.text()
    assert counter.printer.jobs == []  # no receipt for what may not be recorded
    assert window.in_handover  # the card stays at the desk
    assert counter.presenter._recheck_timer.isActive()
    window.grab().save(str(tmp_path / "unknown.png"))
    press(focused(), Qt.Key.Key_Return, counter.keys)
    assert backend.calls.count("hand_over") == 1  # no second try while in doubt
    press(focused(), Qt.Key.Key_Escape, counter.keys)
    assert window.in_handover  # nor « nothing was recorded »
    assert "Remise annulée" not in window.verdict_panel.headline

    # F9 shows the truth: the handover is in the database.
    shown = lists_shown(monkeypatch)
    press(focused(), Qt.Key.Key_F9, counter.keys)
    assert permit.permit_id in {r.permit.permit_id for r in shown[0]}

    recheck()  # the database is still down
    settle()
    assert "RÉSULTAT INCONNU" in window.verdict_panel.headline
    assert counter.presenter.unknown_permit == permit.permit_id

    with qtbot.waitSignal(counter.presenter.handover_completed):
        recheck()  # it answers: recorded
    settle()
    assert window.verdict_panel.headline.startswith("REMIS")
    assert not window.in_handover
    assert not counter.presenter._recheck_timer.isActive()
    qtbot.waitUntil(lambda: len(counter.printer.jobs) == 1)
    assert handover_count(counter.engine) == before + 1


def test_an_unknown_commit_that_did_not_happen_lets_the_agent_record_it(
    gated: tuple[Counter, GatedBackend], qtbot
) -> None:
    counter, backend = gated
    window = counter.window
    before = handover_count(counter.engine)
    recheck = _unknown_commit(counter, backend, qtbot, committed=False)
    recheck()
    settle()

    with qtbot.waitSignal(counter.presenter.handover_failed) as failed:
        recheck()
    settle()
    assert "PAS été enregistrée" in failed.args[0]
    assert window.in_handover
    assert counter.printer.jobs == []
    assert handover_count(counter.engine) == before

    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)
    assert handover_count(counter.engine) == before + 1
