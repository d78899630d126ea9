"""Acceptance: a newcomer hands a demo permit over from the training sheet, at any hour.

The payloads are what a scanner reads off the printed sheet: the PDF of ``handover demo
--sheet`` is rendered to pixels and its barcodes decoded with zxing-cpp; nothing is taken
from the database. The counter is the demonstration counter at an hour when the real one
is closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import Qt
from sqlalchemy import select

from handover.domain.values import PreviousCardOutcome
from handover.persistence.models import Handover, PreviousCard, TaxStamp
from handover.services.demo import demo_holders, old_card_number
from handover.services.training_sheet import render_training_sheet
from tests.handover.receipts.pdf_reading import render
from tests.ui.counter_fixtures import (
    PARIS,
    Counter,
    build_counter,
    draw_signature,
    focused,
    handover_count,
    log_in,
    press,
    scan,
    seeded_template_fixture,
    shown_counter,
    type_by_hand,
)

FIXTURES = (seeded_template_fixture,)
REFERENCE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]")  # as the SMS shows it
SUNDAY_NIGHT = datetime(2026, 11, 29, 3, 0, tzinfo=PARIS)  # the real counter is closed


@dataclass(frozen=True)
class SheetPage:
    """What the scanner reads off one page, top to bottom."""

    references: set[str]  # the Code128 and the QR of the SMS reference
    passport: str
    stamp: str | None
    card_mrzs: list[str]  # the old card (when one comes back), then the drawer's card


def read_page(pdf: bytes, page: int) -> SheetPage:
    found = sorted(
        zxingcpp.read_barcodes(render(pdf, 200, page)), key=lambda r: r.position.top_left.y
    )
    texts = [(r.format.name, r.text) for r in found]
    references = {t for _f, t in texts if REFERENCE.fullmatch(t)}
    passports = [t for _f, t in texts if t.startswith("P<")]
    stamps = [t for f, t in texts if f == "Code128" and t.isdigit() and len(t) == 16]
    cards = [t for f, t in texts if f == "QRCode" and t.startswith("IR")]
    assert len(passports) == 1 and len(stamps) <= 1 and cards, texts
    return SheetPage(references, passports[0], stamps[0] if stamps else None, cards)


@pytest.fixture(name="demo_counter")
def demo_counter_fixture(qtbot, tmp_path: Path, seeded_template) -> Iterator[Counter]:
    counter = build_counter(tmp_path, seeded_template, at=SUNDAY_NIGHT, demo=True)
    yield from shown_counter(qtbot, counter)


def test_a_whole_handover_from_the_training_sheet_at_any_hour(demo_counter: Counter, qtbot) -> None:
    counter, window = demo_counter, demo_counter.window
    holders = demo_holders(counter.engine)
    # The holder who brings the most: a stamp to pay and an old card to give back.
    page = next(i for i, h in enumerate(holders) if h.previous_card_expected and h.fee_cents)
    holder = holders[page]
    sheet = read_page(render_training_sheet(holders), page)
    assert len(sheet.references) == 1, sheet.references  # Code128 and QR say the same
    assert sheet.stamp is not None and len(sheet.card_mrzs) == 2
    old_card, drawer_card = sheet.card_mrzs
    before = handover_count(counter.engine)

    log_in(counter)
    with qtbot.waitSignal(counter.presenter.verdict_ready) as verdict:
        scan(window.scan_field, next(iter(sheet.references)), counter.keys)
    assert "PRÊT" in window.verdict_panel.headline, verdict.args[0]
    scan(focused(), sheet.passport, counter.keys)
    scan(focused(), sheet.stamp, counter.keys)
    # The amount printed beside the stamp, typed by the agent.
    focused().clear()
    fee = holder.fee_cents
    type_by_hand(focused(), f"{fee // 100},{fee % 100:02d}", counter.keys)
    press(focused(), Qt.Key.Key_Return, counter.keys)
    scan(focused(), old_card, counter.keys)
    scan(focused(), drawer_card, counter.keys)  # checked before the holder signs
    draw_signature(window.wizard.signature_pad)
    with qtbot.waitSignal(counter.presenter.handover_completed):
        press(focused(), Qt.Key.Key_Return, counter.keys)

    assert "REMIS" in window.verdict_panel.headline
    assert handover_count(counter.engine) == before + 1
    with counter.engine.connect() as connection:
        handover_id = connection.execute(
            select(Handover.id).where(Handover.permit_id == holder.permit_id)
        ).scalar_one()
        stamps = connection.execute(
            select(TaxStamp.stamp_number, TaxStamp.amount_cents).where(
                TaxStamp.handover_id == handover_id
            )
        ).all()
        returned = connection.execute(
            select(PreviousCard.outcome, PreviousCard.card_number_last4).where(
                PreviousCard.handover_id == handover_id
            )
        ).one()
    assert stamps == [(sheet.stamp, fee)]
    assert tuple(returned) == (
        PreviousCardOutcome.TAKEN_BACK,
        old_card_number(holder.permit_id)[-4:],
    )
