"""The handover's rules on the real application: typed, scanned and read from the database.

Each case scans and types as a desk does (xdotool on a real X server); what happened is
read from the database and the audit, never from the widgets.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from handover.scanning.mrz_build import passport_mrz
from tests.e2e.conftest import RealXFactory
from tests.support.realx import Holder, RealX

pytestmark = pytest.mark.realx


def _at_the_identity_step(realx_factory: RealXFactory) -> tuple[RealX, Holder]:
    """A desk, logged in, whose first holder's reference was scanned: READY, identity next."""
    desk = realx_factory()
    holder = desk.holders(1)[0]
    desk.type_scan(holder.reference)
    desk.wait_until(lambda: desk.scan_verdicts()[-1:] == ["ready"], "the verdict")
    time.sleep(0.2)
    return desk, holder


def test_a_mismatched_passport_then_enter_five_times_does_not_advance(
    realx_factory: RealXFactory,
) -> None:
    desk, holder = _at_the_identity_step(realx_factory)
    desk.type_scan(passport_mrz("MARTIN", "PAUL", date(1970, 1, 1), number="19FR99999"))
    time.sleep(0.5)
    for _ in range(5):
        desk.key("Return")
        time.sleep(0.15)
    # Still at the identity step: the holder's own passport is read there, and the rest
    # of the handover is recorded on it. Had an Enter passed the other passport, this
    # scan would have been refused at the stamps step and the record refused by the core.
    desk.type_scan(holder.identity_mrz)
    desk.finish_from_stamps(holder)
    [row] = desk.wait_for_handovers(1)
    assert row.permit_id == holder.permit_id
    assert row.identity_from_scan and row.identity_matches
    assert row.stamp_numbers == holder.stamps
    assert desk.alive()


def test_a_rescan_after_an_unrecognised_identity_scan_lands_in_the_identity_field(
    realx_factory: RealXFactory,
) -> None:
    desk, holder = _at_the_identity_step(realx_factory)
    desk.type_scan("XQ7Z2ABCD")  # a code that is nothing the desk knows
    time.sleep(0.5)
    desk.type_scan(holder.identity_mrz)  # the agent's natural re-scan
    desk.finish_from_stamps(holder)
    [row] = desk.wait_for_handovers(1)
    assert row.permit_id == holder.permit_id
    # Recorded on the scanned passport, not on the garbage as a typed document.
    assert row.identity_from_scan and row.identity_matches


def test_another_holder_s_reference_mid_wizard_offers_to_switch(
    realx_factory: RealXFactory,
) -> None:
    desk = realx_factory()
    first, second = desk.holders(2)
    desk.type_scan(first.reference)
    desk.wait_until(lambda: desk.scan_verdicts()[-1:] == ["ready"], "the first verdict")
    time.sleep(0.2)
    desk.type_scan(first.identity_mrz)
    time.sleep(0.3)
    verdicts = len(desk.scan_verdicts())
    desk.type_scan(second.reference)  # the next holder's SMS, scanned mid-wizard
    time.sleep(0.5)
    assert len(desk.scan_verdicts()) == verdicts  # offered, not acted on
    assert "handover.discarded" not in desk.audit_actions()
    desk.key("Return")  # one key: serve the next holder
    desk.wait_until(lambda: "handover.discarded" in desk.audit_actions(), "the discard")
    desk.wait_until(lambda: len(desk.scan_verdicts()) > verdicts, "the second verdict")
    assert desk.scan_verdicts()[-1] == "ready"
    time.sleep(0.3)
    desk.type_scan(second.identity_mrz)
    desk.finish_from_stamps(second)
    [row] = desk.wait_for_handovers(1)
    assert row.permit_id == second.permit_id  # the first holder's draft wrote nothing
    assert desk.audit_report().ok
