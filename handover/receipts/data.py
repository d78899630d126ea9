"""Plain values a receipt or a closing sheet is drawn from: the services fill them in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

ReceiptLayout = Literal["a4", "a5", "roll80"]


@dataclass(frozen=True)
class StampLine:
    """One electronic tax stamp consumed by the handover; only its last 4 digits travel."""

    number_last4: str
    amount_cents: int


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on the holder's receipt (récépissé de remise)."""

    prefecture_name: str
    site_name: str
    handover_number: str  # what the barcode encodes
    handed_over_at: datetime  # aware, UTC
    timezone: str  # shown in this zone, e.g. "Europe/Paris"
    desk_name: str
    agent_pseudonym: str  # never the agent's name
    holder_surname: str
    holder_given_names: str
    holder_birth_date: date
    permit_category: str
    card_number: str
    valid_from: date
    valid_until: date
    stamps: tuple[StampLine, ...]
    stamps_total_cents: int
    previous_card: str  # a French sentence, e.g. "Première délivrance"
    signature_png: bytes | None  # static image only (no pen dynamics: that is biometric data)
    audit_hash_prefix: str
    duplicate: bool = False
    # One French sentence per supervisor override that lifted a rule for this handover.
    overrides: tuple[str, ...] = ()
    # One French sentence per supervisor's correction: the receipt then says RECTIFIÉ.
    corrections: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeskTotal:
    """One desk's line on the closing sheet."""

    desk_name: str
    handover_count: int
    stamps_total_cents: int


@dataclass(frozen=True)
class OverrideLine:
    """A supervisor override: with the handover it travelled with, or granted and unused."""

    at: datetime  # aware, UTC: the handover's time, or the grant's when unused
    supervisor_pseudonym: str
    reason: str
    kind: str = ""  # in French, e.g. "remise d'un titre bloqué"
    handover_number: str = ""  # empty: granted that day, used by no handover


@dataclass(frozen=True)
class ReprintLine:
    """A receipt printed again that day."""

    at: datetime  # aware, UTC
    handover_number: str
    agent_pseudonym: str


@dataclass(frozen=True)
class DaySheetData:
    """The daily closing sheet (état de clôture journalière) of one site."""

    day: date
    prefecture_name: str
    site_name: str
    timezone: str
    desks: tuple[DeskTotal, ...]
    overrides: tuple[OverrideLine, ...]
    reprints: tuple[ReprintLine, ...]
    audit_head_hash: str  # full hex digest of the chain head
    audit_verified_entries: int
    audit_problem: str = ""  # the break, when the chain does not verify: then no head

    @property
    def total_handovers(self) -> int:
        """Handovers of all desks."""
        return sum(desk.handover_count for desk in self.desks)

    @property
    def total_stamps_cents(self) -> int:
        """Stamps consumed at all desks, in cents."""
        return sum(desk.stamps_total_cents for desk in self.desks)
