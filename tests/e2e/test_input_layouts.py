"""Every payload kind, scanned on the real application under each desk layout.

One application process per PC layout (fr, us, be); a scanner set to the PC's layout is
``xdotool type`` of the clean text. Outcomes come from the audit trail: each scan's kind,
whether it was scanned or typed, whether it was repaired. A US-set scanner on an AZERTY
PC is covered by ``tests/handover/scanning/test_input_layouts.py`` (the system's xkb
keymaps): typed here, xdotool loses an accented key now and then (« è »).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from handover.persistence.models import AuditEntry, Permit
from tests.e2e.conftest import RealXFactory
from tests.handover.scanning.test_input_layouts import TD1, TD2, TD3  # ICAO specimens
from tests.support.realx import RealX

pytestmark = pytest.mark.realx

# A 2D-Doc of type 13 with its separators, as a scanner that types GS as "<GS>" sends it.
TWODDOC = (
    "DC04FR0500011CE91CEA1301FR6J26K01234567890123456786L150120256MCARTE DE SEJOUR "
    "TEMPORAIRE<GS>6N010220256O310120266PAUTORISE A TRAVAILLER<GS>6Q001374891160AMINA "
    "FATOU<GS>62DIALLO<GS>68F6912081990"
)
STAMP = "1234567890123456"


@dataclass(frozen=True)
class Scanned:
    kind: str
    input: str
    repaired: bool
    verdict: str


def audit_scans(desk: RealX) -> list[Scanned]:
    with desk.engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.details)
            .where(AuditEntry.action == "scan.verdict")
            .order_by(AuditEntry.id)
        ).scalars()
        out = []
        for row in rows:
            details = json.loads(row) if row else {}
            out.append(
                Scanned(
                    details.get("scan", ""),
                    details.get("input", ""),
                    bool(details.get("repaired")),
                    details.get("verdict", ""),
                )
            )
        return out


def numbers_of(desk: RealX) -> tuple[str, str]:
    """A numéro étranger and an ANEF request number of permits not yet handed over."""
    with desk.engine.connect() as connection:
        foreigner = connection.execute(
            select(Permit.numero_etranger).where(Permit.numero_etranger.is_not(None)).limit(1)
        ).scalar_one()
        anef = connection.execute(
            select(Permit.anef_request_number)
            .where(Permit.anef_request_number.is_not(None))
            .limit(1)
        ).scalar_one_or_none()
    return foreigner, anef or "1234567890123456789"


def payloads(desk: RealX) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(kind the audit must say, the lines a reader sends)."""
    holder = desk.holders(1)[0]
    foreigner, anef = numbers_of(desk)
    yield "reference", (holder.reference,)
    yield "numero_etranger", (foreigner,)
    yield "anef_request", (anef,)
    yield "tax_stamp", (STAMP,)
    for lines in (TD1, TD2, TD3):
        yield "mrz", ("".join(lines),)  # one burst, no separator
        yield "mrz", lines  # line by line, each ended by Return
    yield "2d_doc", (TWODDOC,)


def scan_lines(desk: RealX, lines: tuple[str, ...], *, pause: bool) -> None:
    for line in lines:
        if pause and len(line) > 4:
            desk.type_with_pause((line[:4], line[4:]), pause_s=0.25)
        else:
            desk.type_scan(line)


def scan_and_read(desk: RealX, lines: tuple[str, ...], *, pause: bool = False) -> Scanned:
    before = len(audit_scans(desk))
    scan_lines(desk, lines, pause=pause)
    desk.wait_until(lambda: len(audit_scans(desk)) > before, f"the verdict of {lines[0][:12]}")
    time.sleep(0.2)
    scans = audit_scans(desk)
    assert len(scans) == before + 1, "one document, one verdict"
    desk.key("Escape")  # back to the scan field, whatever the verdict opened
    time.sleep(0.15)
    return scans[-1]


@pytest.mark.parametrize("layout", ["fr", "us", "be"])
def test_every_payload_kind_reads_whole_on_each_layout(
    realx_factory: RealXFactory, layout: str
) -> None:
    desk = realx_factory(layout=layout)
    for index, (kind, lines) in enumerate(payloads(desk)):
        # A scanner set to the PC's layout; every other one pauses mid-burst.
        got = scan_and_read(desk, lines, pause=index % 2 == 1)
        assert (got.kind, got.input) == (kind, "burst"), lines
        if kind != "tax_stamp":  # a stamp alone at the scan field is no look-up
            assert got.verdict != "invalid_scan", lines  # read whole and valid
        assert not got.repaired, lines
    assert desk.audit_report().ok
    assert desk.alive()


def test_a_scan_on_the_lock_screen_or_in_a_message_box_triggers_nothing(
    realx_factory: RealXFactory,
) -> None:
    desk = realx_factory(layout="fr")
    holder = desk.holders(1)[0]

    desk.key("ctrl+l")
    desk.wait_until(lambda: "session.lock" in desk.audit_actions(), "the lock")
    before = desk.audit_actions().count("login.failure")
    desk.type_scan(holder.reference)
    time.sleep(0.5)
    assert desk.audit_actions().count("login.failure") == before
    desk.type_slowly(desk.passwords["agent1"], delay_ms=150)  # a person
    desk.wait_until(lambda: "session.unlock" in desk.audit_actions(), "the unlock")

    desk.key("F10")  # an agent: « back-office réservé », a message box
    time.sleep(0.5)
    desk.type_scan(STAMP)  # its Enter must not close the box
    time.sleep(0.3)
    boxes = desk._x("search", "--onlyvisible", "--name", "^Back-office$").split()
    assert boxes, "the message box closed on a scanner's Enter"
    desk.key("Escape")
    time.sleep(0.3)
    got = scan_and_read(desk, (holder.reference,))
    assert (got.kind, got.input) == ("reference", "burst")
    assert [
        json.loads(d or "{}").get("detail")
        for d in desk.engine.connect()
        .execute(select(AuditEntry.details).where(AuditEntry.action == "session.lock"))
        .scalars()
    ] == ["manuel"]
