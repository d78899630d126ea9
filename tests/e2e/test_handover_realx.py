"""A whole handover on the real application, typed and drawn as a desk does it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import RealXFactory

pytestmark = pytest.mark.realx


@pytest.mark.parametrize("layout", ["fr", "us"])
def test_a_whole_handover_is_recorded_from_scans_keys_and_a_drawn_signature(
    realx_factory: RealXFactory, layout: str
) -> None:
    desk = realx_factory(layout=layout)
    holder = desk.holders(1)[0]
    assert holder.stamps and holder.previous_card_mrz  # the seven actions, all of them

    desk.hand_over(holder)

    [row] = desk.handovers()
    assert row.permit_id == holder.permit_id
    assert row.identity_from_scan and row.identity_matches
    assert row.stamp_numbers == holder.stamps
    assert row.stamps_total_cents == holder.fee_cents
    assert row.previous_card == "taken_back"
    assert row.signature_png.startswith(b"\x89PNG")
    assert desk.scan_verdicts()[-1] == "ready"
    assert desk.audit_actions()[-1] == "handover"
    assert desk.audit_report().ok
    assert desk.alive()


def test_a_reference_typed_slowly_by_a_person_is_checked_too(realx_factory: RealXFactory) -> None:
    desk = realx_factory()
    holder = desk.holders(1)[0]
    before = len(desk.scan_verdicts())

    desk.type_slowly(holder.reference, delay_ms=90)

    desk.wait_until(lambda: len(desk.scan_verdicts()) > before, "the verdict")
    assert desk.scan_verdicts()[-1] == "ready"
    assert desk.handovers() == []  # Esc-free: nothing recorded before the card is scanned
