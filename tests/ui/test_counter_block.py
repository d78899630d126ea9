"""A supervisor's decisions at the desk: « AUTORISÉ par … », block and unblock (F12)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from handover.domain.values import VerdictKind
from handover.persistence.models import Agent, AuditEntry, Permit, PermitState
from tests.ui.counter_fixtures import (
    Counter,
    ReadyPermit,
    counter_fixture,
    find_permit,
    focused,
    log_in,
    press,
    ready_permit,
    scan,
    seeded_template_fixture,
    settle,
)
from tests.ui.test_counter_states import fill_supervisor
from ui.dialogs.supervisor_dialog import SupervisorDialog
from ui.style import TONE_AUTHORISED, TONE_BLOCKED

FIXTURES = (counter_fixture, seeded_template_fixture)
REASON = "Alerte fraude transmise par le service des titres"


def _state(counter: Counter, permit_id: int) -> str:
    with counter.engine.connect() as connection:
        return str(
            connection.execute(select(Permit.state).where(Permit.id == permit_id)).scalar_one()
        )


def _slot_and_pseudonym(counter: Counter, permit_id: int, username: str) -> tuple[str, str]:
    with counter.engine.connect() as connection:
        slot = connection.execute(
            select(Permit.storage_slot).where(Permit.id == permit_id)
        ).scalar_one()
        pseudonym = connection.execute(
            select(Agent.pseudonym).where(Agent.username == username)
        ).scalar_one()
    return str(slot), str(pseudonym)


def at_the_desk_with_a_ready_permit(counter: Counter, username: str = "agent1") -> ReadyPermit:
    """Logged in, a ready permit scanned: its handover has started."""
    log_in(counter, username)
    permit = ready_permit(counter.engine)
    scan(counter.window.scan_field, permit.reference, counter.keys)
    return permit


def fill_block(username: str, password: str, reason: str):
    """Stands in for ``SupervisorDialog.ask_for``: the real dialog, filled in and confirmed."""
    seen: list[SupervisorDialog] = []

    def ask_for(cls, parent, *, title, explanation, act, credentials=True, accept_text=""):
        dialog = cls(
            parent,
            title=title,
            explanation=explanation,
            grant=act,
            credentials=credentials,
            accept_text=accept_text,
        )
        seen.append(dialog)
        if credentials:
            QTest.keyClicks(dialog.username, username)
            QTest.keyClicks(dialog.password, password)
        QTest.keyClicks(dialog.reason, reason)
        dialog._on_accept()
        dialog.close()
        parent.activateWindow()
        return dialog.outcome

    return classmethod(ask_for), seen


def test_an_authorised_blocked_permit_shows_the_holder_and_the_casier(
    counter: Counter, qtbot, monkeypatch
) -> None:
    window = counter.window
    log_in(counter)
    blocked = find_permit(counter.engine, Permit.state == PermitState.BLOCKED)
    scan(window.scan_field, blocked.reference, counter.keys)
    assert window.verdict_panel.tone == TONE_BLOCKED
    ask, _ = fill_supervisor("chef", counter.passwords["chef"], "Controle fait, titre conforme")
    monkeypatch.setattr(SupervisorDialog, "ask", ask)

    press(focused(), Qt.Key.Key_F4, counter.keys)

    slot, chef = _slot_and_pseudonym(counter, blocked.permit_id, "chef")
    panel = window.verdict_panel
    assert panel.tone == TONE_AUTHORISED
    assert panel.headline == f"AUTORISÉ par {chef} — casier {slot}"
    assert "Motif : Controle fait, titre conforme" in panel.details
    assert blocked.surname.upper() in panel.details
    assert f"carte n° {blocked.card_number}" in panel.details
    assert window.wizard.isVisible()


def test_an_agent_calls_a_supervisor_who_blocks_then_unblocks_the_permit(
    counter: Counter, qtbot, monkeypatch
) -> None:
    window = counter.window
    permit = at_the_desk_with_a_ready_permit(counter)
    assert window.wizard.isVisible()
    assert window.block_button.text() == "Bloquer (F12)"
    ask, seen = fill_block("chef", counter.passwords["chef"], REASON)
    monkeypatch.setattr(SupervisorDialog, "ask_for", ask)

    press(focused(), Qt.Key.Key_F12, counter.keys)
    qtbot.waitUntil(lambda: counter.presenter.verdict.kind == VerdictKind.BLOCKED)
    settle()

    assert not seen[0].username.isHidden()  # an agent at the desk: the supervisor logs in
    assert _state(counter, permit.permit_id) == "blocked"
    assert not window.wizard.isVisible()  # the open handover is dropped, nothing written
    assert window.verdict_panel.tone == TONE_BLOCKED
    assert f"Motif : {REASON}." in window.verdict_panel.details
    assert window.block_button.isVisible()
    assert window.block_button.text() == "Débloquer (F12)"
    _, chef = _slot_and_pseudonym(counter, permit.permit_id, "chef")
    with counter.engine.connect() as connection:
        entry = connection.execute(
            select(AuditEntry.agent, AuditEntry.desk, AuditEntry.details).where(
                AuditEntry.action == "permit.block"
            )
        ).one()
    assert entry.agent == chef and entry.desk == counter.service.desk.desk_name
    assert "fraude" not in entry.details and json.loads(entry.details)["state"] == "blocked"

    ask, _ = fill_block("chef", counter.passwords["chef"], "Alerte levee apres verification")
    monkeypatch.setattr(SupervisorDialog, "ask_for", ask)
    press(focused(), Qt.Key.Key_F12, counter.keys)
    qtbot.waitUntil(lambda: counter.presenter.verdict.kind == VerdictKind.READY)
    settle()

    assert _state(counter, permit.permit_id) == "notified"
    assert window.wizard.isVisible()  # ready again: the handover starts


def test_a_wrong_password_or_a_short_reason_changes_nothing(
    counter: Counter, qtbot, monkeypatch
) -> None:
    window = counter.window
    permit = at_the_desk_with_a_ready_permit(counter)
    for username, password, reason, message in (
        ("chef", "pas-le-bon-mot-de-passe", REASON, "Identifiant ou mot de passe"),
        ("agent1", counter.passwords["agent1"], REASON, "il faut un compte chef d'accueil"),
        ("chef", counter.passwords["chef"], "vu", "Écrivez le motif"),  # the dialog
        ("chef", counter.passwords["chef"], "Fraude", "Motif obligatoire"),  # the core
    ):
        ask, seen = fill_block(username, password, reason)
        monkeypatch.setattr(SupervisorDialog, "ask_for", ask)
        press(focused(), Qt.Key.Key_F12, counter.keys)
        dialog = seen[0]
        assert dialog.outcome is None
        assert message in dialog.problem.text(), dialog.problem.text()
        assert _state(counter, permit.permit_id) == "notified"
        assert window.wizard.isVisible()


def test_a_logged_in_supervisor_only_gives_the_reason(counter: Counter, qtbot, monkeypatch):
    permit = at_the_desk_with_a_ready_permit(counter, "chef")
    ask, seen = fill_block("", "", REASON)
    monkeypatch.setattr(SupervisorDialog, "ask_for", ask)

    press(focused(), Qt.Key.Key_F12, counter.keys)
    qtbot.waitUntil(lambda: counter.presenter.verdict.kind == VerdictKind.BLOCKED)

    assert seen[0].username.isHidden() and seen[0].password.isHidden()
    assert _state(counter, permit.permit_id) == "blocked"


def test_nothing_to_block_without_a_permit_on_screen(counter: Counter, monkeypatch) -> None:
    window = counter.window
    log_in(counter)
    scan(window.scan_field, "0000000000", counter.keys)
    assert counter.presenter.verdict.kind == VerdictKind.UNKNOWN
    assert window.block_button.isHidden()
    ask, seen = fill_block("chef", counter.passwords["chef"], REASON)
    monkeypatch.setattr(SupervisorDialog, "ask_for", ask)
    press(focused(), Qt.Key.Key_F12, counter.keys)
    assert seen == []
