"""A reference mangled by an AZERTY layout is repaired, and the screen says so."""

from __future__ import annotations

from PySide6.QtCore import Qt

from handover.domain.values import VerdictKind
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    log_in,
    ready_permit,
    seeded_template_fixture,
)

FIXTURES = (counter_fixture, seeded_template_fixture)
# What a US-layout scanner's keys print on a French AZERTY PC (written out by hand).
AZERTY = {
    "1": "&",
    "2": "é",
    "3": '"',
    "4": "'",
    "5": "(",
    "6": "-",
    "7": "è",
    "8": "_",
    "9": "ç",
    "0": "à",
    "A": "Q",
    "Q": "A",
    "Z": "W",
    "W": "Z",
    "M": ",",
}


def test_pasted_mangled_reference_is_repaired_and_shown(counter: Counter, qtbot) -> None:
    window = counter.window
    log_in(counter)
    permit = ready_permit(counter.engine)
    mangled = "".join(AZERTY.get(c, c) for c in permit.reference)
    assert mangled != permit.reference
    window.scan_field.setText(mangled)  # pasted, or typed without scan codes
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict_signal:
        qtbot.keyClick(window.scan_field, Qt.Key.Key_Return)
    verdict = verdict_signal.args[0]
    assert verdict.kind == VerdictKind.READY
    assert verdict.permit.permit_id == permit.permit_id
    assert verdict.repaired and mangled in verdict.repaired
    assert "Saisie corrigée" in window.verdict_panel.details
