"""Every payload kind, scanned on the real application under each desk layout.

One application process per PC layout (fr, us, be). A scanner sends key positions: the
X11 key codes (with Shift) where its own layout has each character, found in the
system's xkb keymap, sent with ``xdotool key``; the PC's layout and Caps Lock make the
text, as on a desk. So a French-set scanner types digits as Shift + the top row, and a
US-set scanner on an AZERTY PC sends ``àà&"è'!ç&&`` for ``0013748911``. Each pair is
tried with Caps Lock off and on. Outcomes come from the audit trail: each scan's kind,
whether it was scanned or typed, whether it was repaired (exactly when the PC made
other text of the keys than the scanner meant).
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
from tests.handover.scanning.xkb_oracle import XkbLayout, scanner_types
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


def xkb(name: str) -> XkbLayout:
    loaded = XkbLayout.load(name)
    assert loaded is not None, f"no xkb keymap for {name}"
    return loaded


def scanner_keys(text: str, scanner: str) -> list[tuple[int, bool]]:
    """The key positions a scanner set to ``scanner`` presses for ``text`` (xkb's keymap).

    Found in the system's own keymap (``xkb_oracle``), never the project's tables: on
    AZERTY a digit is Shift + the top-row key, as scanners type it.
    """
    return [xkb(scanner).keys[char] for char in text]


def delivered(text: str, scanner: str, pc: str, *, caps_lock: bool) -> str:
    """What the PC makes of those keys (the oracle), to know whether a repair is due."""
    typed = scanner_types(text, xkb(scanner), xkb(pc), caps_lock=caps_lock)
    assert typed is not None, text
    return "".join(key.text for key in typed)


def scan_lines(desk: RealX, lines: tuple[str, ...], scanner: str, *, pause: bool) -> None:
    for line in lines:
        desk.press_keys(scanner_keys(line, scanner), pause_after=4 if pause else None)


def scan_and_read(
    desk: RealX, lines: tuple[str, ...], scanner: str | None = None, *, pause: bool = False
) -> Scanned:
    before = len(audit_scans(desk))
    scan_lines(desk, lines, scanner or desk.layout, pause=pause)
    desk.wait_until(lambda: len(audit_scans(desk)) > before, f"the verdict of {lines[0][:12]}")
    time.sleep(0.2)
    scans = audit_scans(desk)
    assert len(scans) == before + 1, "one document, one verdict"
    desk.key("Escape")  # back to the scan field, whatever the verdict opened
    time.sleep(0.15)
    return scans[-1]


# Scanner settings tried on each PC layout: its own, and a US-set scanner on AZERTY.
SCANNERS = {"fr": ("fr", "us"), "us": ("us",), "be": ("be", "us")}
# With Caps Lock on, the kinds that differ in what the keys make (letters, digits, "<").
CAPS_KINDS = ("reference", "numero_etranger", "anef_request", "tax_stamp", "mrz", "2d_doc")


@pytest.mark.parametrize("layout", ["fr", "us", "be"])
def test_every_payload_kind_reads_whole_on_each_layout(
    realx_factory: RealXFactory, layout: str
) -> None:
    # xdotool's 3 ms between keys stretches on a loaded machine: a 100 ms burst gap
    # (`[scanner] burst_max_gap_ms`) keeps "scanned" from depending on the machine's load.
    desk = realx_factory(layout=layout, scanner_gap_ms=100)
    assert desk.keyboard_layout() == layout  # the X server really types with it
    wrong: list[str] = []
    for scanner in SCANNERS[layout]:
        for caps_lock in (False, True):
            if desk.caps_lock_on() != caps_lock:
                desk.key("Caps_Lock")
            assert desk.caps_lock_on() is caps_lock
            seen_mrz = 0
            for index, (kind, lines) in enumerate(payloads(desk)):
                if caps_lock and (kind not in CAPS_KINDS or (kind == "mrz" and seen_mrz > 1)):
                    continue
                seen_mrz += kind == "mrz"
                # Every other payload pauses mid-burst (a hub's hiccup).
                got = scan_and_read(desk, lines, scanner, pause=index % 2 == 1)
                # A repair is due when the PC made other text of the keys; a change of
                # case only matters to a 2D-Doc (C40 has no lower case).
                made = [delivered(line, scanner, layout, caps_lock=caps_lock) for line in lines]
                mangled = any(
                    text != line and (kind == "2d_doc" or text.upper() != line)
                    for text, line in zip(made, lines, strict=True)
                )
                ok = (got.kind, got.input, got.repaired) == (kind, "burst", mangled)
                # A stamp alone at the scan field is no look-up: only its kind is checked.
                if kind != "tax_stamp":
                    ok = ok and got.verdict != "invalid_scan"  # read whole and valid
                if not ok:
                    where = f"{scanner}-set scanner, Caps Lock {'on' if caps_lock else 'off'}"
                    wrong.append(f"{where}: {lines[0][:20]!r} → {got}, repair due: {mangled}")
    if desk.caps_lock_on():
        desk.key("Caps_Lock")
    assert wrong == []
    assert desk.audit_report().ok
    assert desk.alive()


def test_a_scan_on_the_login_or_lock_screen_or_in_a_message_box_triggers_nothing(
    realx_factory: RealXFactory,
) -> None:
    desk = realx_factory(layout="fr", login=None)
    holder = desk.holders(1)[0]

    desk.type_slowly("agent1", delay_ms=150)  # the name, Enter, then the habitual scan
    desk.press_keys(scanner_keys(holder.reference, "fr"))
    time.sleep(0.5)
    assert [a for a in desk.audit_actions() if a.startswith("login.")] == []
    desk.key("ctrl+a", "BackSpace")
    desk.key("shift+Tab")  # back to the name: login() types it again
    desk.key("ctrl+a", "BackSpace")
    desk.login()

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
