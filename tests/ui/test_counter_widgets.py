"""The counter's display widgets and dialogs, fed with values as the presenter feeds them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtTest import QTest

from handover import verdict_text
from handover.domain.opening_window import WindowStatus
from handover.domain.values import (
    HandoverRecord,
    OverrideGrant,
    PermitSummary,
    PreviousCardOutcome,
    PreviousCardReturn,
    PriorHandover,
    ScanProblem,
    Verdict,
    VerdictKind,
)
from handover.errors import HandoverError
from handover.resources import get_resource_path
from ui.dialogs.supervisor_dialog import SupervisorAnswer, SupervisorDialog
from ui.dialogs.today_dialog import TodayDialog
from ui.style import (
    TONE_AUTHORISED,
    TONE_BLOCKED,
    TONE_HANDED,
    TONE_READY,
    VERDICT_TONES,
    verdict_tone,
)
from ui.widgets.verdict_panel import VerdictPanel
from ui.widgets.window_banner import WindowBanner

PARIS = ZoneInfo("Europe/Paris")


def permit(n: int = 1) -> PermitSummary:
    return PermitSummary(
        permit_id=n,
        reference="K3P9-7QXA-M",
        surname="N'Guessan-Müller",
        given_names="Awa Marie",
        birth_date=date(1990, 5, 17),
        nationality="CIV",
        category="Carte de résident",
        card_number="IR0001",
        valid_from=date(2026, 1, 1),
        valid_until=date(2036, 1, 1),
        storage_slot="B-14",
        fee_cents=22500,
        previous_card_expected=True,
        state="notified",
        state_reason=None,
        notified_at=None,
        closed_at=None,
    )


def sample_verdicts() -> dict[str, Verdict]:
    """One verdict per state the panel shows, with the data the core gives it."""
    p = permit()
    closed = WindowStatus(
        False,
        next_opening=datetime(2026, 11, 30, 9, 0, tzinfo=PARIS),
        reason="Guichet fermé depuis 11 h 00",
    )
    prior = PriorHandover(
        7, "R2026-0000007", datetime(2026, 11, 24, 8, 41, tzinfo=UTC), "Guichet 2", "C. M.", "AG-1"
    )
    returned_at = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)
    return {
        "ready": Verdict(VerdictKind.READY, permit=p, can_hand_over=True),
        "not_notified": Verdict(VerdictKind.NOT_NOTIFIED, permit=replace(p, state="received")),
        "already": Verdict(VerdictKind.ALREADY_HANDED_OVER, permit=p, prior=prior),
        "blocked": Verdict(
            VerdictKind.BLOCKED, permit=replace(p, state="blocked", state_reason="fraude")
        ),
        "returned": Verdict(VerdictKind.RETURNED, permit=replace(p, closed_at=returned_at)),
        "not_arrived": Verdict(VerdictKind.NOT_ARRIVED, permit=replace(p, storage_slot=None)),
        "unknown": Verdict(VerdictKind.UNKNOWN, looked_up="référence", read="K3P9-7QXA-M"),
        "several": Verdict(VerdictKind.SEVERAL_MATCHES, candidates=(p, permit(2))),
        "closed": Verdict(VerdictKind.COUNTER_CLOSED, permit=p, window=closed),
        "invalid": Verdict(
            VerdictKind.INVALID_SCAN,
            scan_problem=ScanProblem.INVALID,
            scan_kind="reference",
            read="K3P9-7QXA-B",
            errors=("Caractère de contrôle faux.",),
        ),
        "unreadable": Verdict(
            VerdictKind.INVALID_SCAN, scan_problem=ScanProblem.UNREADABLE, read="bonjour"
        ),
        "card_ok": Verdict(VerdictKind.CARD_OK, permit=p),
        "wrong_card": Verdict(VerdictKind.WRONG_CARD, permit=p, differences=("nom",)),
    }


@pytest.mark.parametrize("name", list(sample_verdicts()))
def test_every_verdict_shows_its_words_its_icon_and_a_large_headline(qtbot, name) -> None:
    verdict = sample_verdicts()[name]
    panel = VerdictPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_verdict(verdict)
    assert panel.headline == verdict_text.headline(verdict)
    assert panel.details == "\n".join(verdict_text.details(verdict))
    assert panel.tone == verdict_tone(verdict)
    assert not panel._icon.pixmap().isNull()
    panel._headline.ensurePolished()
    assert panel._headline.font().pixelSize() >= 28


def test_every_kind_has_a_sample_and_a_tone() -> None:
    assert {v.kind for v in sample_verdicts().values()} == set(VerdictKind)
    assert set(VERDICT_TONES) == set(VerdictKind)


def test_the_states_an_agent_tells_apart_each_have_their_own_icon() -> None:
    samples = sample_verdicts()
    apart = ("ready", "already", "blocked", "returned", "not_arrived", "unknown", "several")
    tones = [verdict_tone(samples[name]) for name in (*apart, "closed", "invalid", "unreadable")]
    icons = [tone.icon for tone in tones]
    assert len(set(icons)) == len(icons)
    drawings = {get_resource_path("icons", f"{icon}.svg").read_bytes() for icon in icons}
    assert len(drawings) == len(icons)  # not one drawing under several names


def test_ready_and_handed_over_differ_in_colour_and_icon() -> None:
    assert TONE_READY.background != TONE_HANDED.background
    assert TONE_READY.icon != TONE_HANDED.icon


def test_an_authorised_permit_shows_who_why_the_holder_and_the_casier(qtbot) -> None:
    panel = VerdictPanel()
    qtbot.addWidget(panel)
    blocked = replace(permit(), state="blocked", state_reason="carte signalée")
    panel.show_verdict(Verdict(VerdictKind.BLOCKED, permit=blocked, needs_supervisor=True))
    assert panel.tone == TONE_BLOCKED
    grant = OverrideGrant(
        9, "blocked", "Carte vérifiée avec le service", "CH-2M8P", datetime.now(UTC), 1
    )

    panel.show_authorised(grant, blocked)

    assert panel.tone == TONE_AUTHORISED
    assert panel.headline == "AUTORISÉ par CH-2M8P — casier B-14"
    assert "Motif : Carte vérifiée avec le service" in panel.details
    assert "Awa Marie N'GUESSAN-MÜLLER" in panel.details
    assert "remise d'un titre bloqué" in panel.details


@pytest.mark.parametrize("width", [1024, 1093])  # 1280 and 1366 px screens at 125 %
def test_the_banner_countdown_is_whole_beside_a_long_desk_name(qtbot, width: int) -> None:
    banner = WindowBanner("Europe/Paris")
    qtbot.addWidget(banner)
    banner.set_desk("Guichet 1 · Marie-Christine Vandenberghe-Oliveira")
    banner.set_count(123)
    closes = datetime(2026, 11, 27, 11, 0, tzinfo=PARIS)
    banner.resize(width, 60)
    banner.show()
    for left in (timedelta(hours=1, minutes=58), timedelta(minutes=9, seconds=58)):
        banner.set_status(WindowStatus(True, closes_at=closes), closes - left)
        qtbot.waitUntil(lambda: not banner._state.is_elided())
    assert banner.state_text == "OUVERT jusqu'à 11:00 (9 min 58 s)"
    assert banner._desk.is_elided()  # the name gives way, not the countdown


def test_banner_counts_down_to_closing_and_says_when_it_reopens(qtbot) -> None:
    banner = WindowBanner("Europe/Paris")
    qtbot.addWidget(banner)
    closes = datetime(2026, 11, 27, 11, 0, tzinfo=PARIS)
    banner.set_status(WindowStatus(True, closes_at=closes), closes - timedelta(minutes=72))
    assert banner.state_text == "OUVERT jusqu'à 11:00 (1 h 12 min)"
    banner.tick(closes - timedelta(minutes=4, seconds=30))
    assert banner.state_text.endswith("(4 min 30 s)")
    reopens = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    banner.set_status(
        WindowStatus(False, next_opening=reopens, reason="Guichet fermé depuis 11 h 00"),
        closes + timedelta(minutes=1),
    )
    assert banner.state_text == "FERMÉ — réouverture lundi 30/11 à 9 h 00"
    banner.set_count(12)
    assert banner.count_text == "Remises aujourd'hui : 12"


def grant_value() -> OverrideGrant:
    return OverrideGrant(7, "window", "File", "chef#1", datetime(2026, 11, 27, 11, 30))


def test_supervisor_dialog_needs_a_reason_before_asking(qtbot) -> None:
    asked: list[SupervisorAnswer] = []
    dialog = SupervisorDialog(
        None, title="T", explanation="E", grant=lambda a: asked.append(a) or grant_value()
    )
    qtbot.addWidget(dialog)
    QTest.keyClicks(dialog.username, "chef")
    QTest.keyClicks(dialog.password, "secret-password")
    dialog._on_accept()
    assert asked == []
    assert dialog.problem.isVisibleTo(dialog)
    QTest.keyClicks(dialog.reason, "Personnes dans la file")
    dialog._on_accept()
    assert [a.reason for a in asked] == ["Personnes dans la file"]
    assert dialog.result_grant == grant_value()


def test_supervisor_dialog_shows_a_refusal_and_stays_open(qtbot) -> None:
    def refuse(answer: SupervisorAnswer) -> OverrideGrant:
        raise HandoverError("Identifiant ou mot de passe incorrect.")

    dialog = SupervisorDialog(None, title="T", explanation="E", grant=refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.username, "chef")
    QTest.keyClicks(dialog.password, "wrong-password")
    QTest.keyClicks(dialog.reason, "Personnes dans la file")
    dialog._on_accept()
    assert dialog.result_grant is None
    assert dialog.isVisible()
    assert dialog.problem.text() == "Identifiant ou mot de passe incorrect."
    assert dialog.password.text() == ""


def record(n: int, minute: int) -> HandoverRecord:
    return HandoverRecord(
        handover_id=n,
        handover_number=f"R2026-{n:07d}",
        permit=permit(n),
        at=datetime(2026, 11, 27, 8, minute, tzinfo=ZoneInfo("UTC")),
        desk_name="Guichet 1",
        agent_pseudonym="a1",
        agent_name="Camille Martin",
        identity_kind="passport",
        stamps=(("1234", 22500),),
        stamps_total_cents=22500,
        previous_card=PreviousCardReturn(PreviousCardOutcome.NONE),
        audit_hash="0" * 64,
        signature_png=None,
    )


def test_today_dialog_lists_initials_only_and_reprints_the_chosen_one(qtbot) -> None:
    reprinted: list[HandoverRecord] = []
    records = [record(2, 40), record(1, 5)]
    dialog = TodayDialog(
        None, records, reprint=lambda r: reprinted.append(r) or "Duplicata demandé."
    )
    qtbot.addWidget(dialog)
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert cells == ["09:40", "R2026-0000002", "K3P9-7QXA-M", "A.M.N.M."]
    dialog.table.selectRow(1)
    dialog.reprint_button.click()
    assert reprinted == [records[1]]
    assert dialog.status.text() == "Duplicata demandé."


def test_the_app_module_loads_no_heavy_module() -> None:
    code = (
        "import sys; import ui.app, ui.main_window, ui.presenters.counter, "
        "handover.services.counter; "
        "heavy = [m for m in ('cv2', 'reportlab', 'numpy', 'zxingcpp', 'pyzbar') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
