"""Values that travel from the core to the screen and the CLI: verdicts, requests, records."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from handover.domain.opening_window import WindowStatus


class VerdictKind(enum.StrEnum):
    READY = "ready"
    NOT_NOTIFIED = "not_notified"  # filed, SMS not sent yet: may be handed over
    NOT_ARRIVED = "not_arrived"
    ALREADY_HANDED_OVER = "already_handed_over"
    BLOCKED = "blocked"
    RETURNED = "returned"
    UNKNOWN = "unknown"
    SEVERAL_MATCHES = "several_matches"
    COUNTER_CLOSED = "counter_closed"
    INVALID_SCAN = "invalid_scan"
    CARD_OK = "card_ok"  # the card scanned from the drawer is this permit's card
    WRONG_CARD = "wrong_card"


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class DeskContext:
    """Where the work happens: the site and the desk, as rows of the database."""

    site_id: int
    site_code: str
    site_name: str
    desk_id: int
    desk_name: str
    timezone: str = "Europe/Paris"


@dataclass(frozen=True)
class AgentIdentity:
    """Who is logged in at the desk."""

    agent_id: int
    username: str
    display_name: str
    pseudonym: str
    role: Role

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class PermitSummary:
    permit_id: int
    reference: str | None  # formatted, e.g. K3P9-7QXA-M
    surname: str
    given_names: str
    birth_date: date
    nationality: str
    category: str
    card_number: str
    valid_from: date
    valid_until: date
    storage_slot: str | None
    fee_cents: int
    previous_card_expected: bool
    state: str
    state_reason: str | None
    notified_at: datetime | None
    closed_at: datetime | None

    @property
    def initials(self) -> str:
        parts = [*self.given_names.split(), *self.surname.replace("-", " ").split()]
        return "".join(p[0].upper() + "." for p in parts if p)


@dataclass(frozen=True)
class PriorHandover:
    handover_id: int
    handover_number: str
    at: datetime
    desk_name: str
    agent_name: str
    agent_pseudonym: str


@dataclass(frozen=True)
class IdentityMatch:
    """How the identity document that was scanned compares with the permit's holder."""

    document_kind: str
    issuing_country: str
    document_number: str
    surname: str
    given_names: str
    birth_date: date | None
    name_matches: bool
    birth_date_matches: bool

    @property
    def matches(self) -> bool:
        return self.name_matches and self.birth_date_matches


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    headline: str  # one big French line, readable from a metre away
    details: tuple[str, ...] = ()
    permit: PermitSummary | None = None
    prior: PriorHandover | None = None
    candidates: tuple[PermitSummary, ...] = ()
    identity: IdentityMatch | None = None
    window: WindowStatus | None = None
    looked_up: str = ""
    repaired: str | None = None  # what the AZERTY repair changed, shown to the agent
    can_hand_over: bool = False
    needs_supervisor: bool = False


class IdentityDocumentKind(enum.StrEnum):
    PASSPORT = "passport"
    RESIDENCE_CARD = "residence_card"
    ID_CARD = "id_card"
    RECEPISSE = "recepisse"
    ANEF_ATTESTATION = "anef_attestation"
    OTHER = "other"


IDENTITY_DOCUMENT_LABELS = {
    IdentityDocumentKind.PASSPORT: "Passeport",
    IdentityDocumentKind.RESIDENCE_CARD: "Titre de séjour",
    IdentityDocumentKind.ID_CARD: "Carte d'identité",
    IdentityDocumentKind.RECEPISSE: "Récépissé",
    IdentityDocumentKind.ANEF_ATTESTATION: "Attestation ANEF",
    IdentityDocumentKind.OTHER: "Autre document",
}


class PreviousCardOutcome(enum.StrEnum):
    NONE = "none"
    TAKEN_BACK = "taken_back"
    LOST_OR_STOLEN = "lost_or_stolen"


@dataclass(frozen=True)
class IdentityDocument:
    kind: IdentityDocumentKind
    issuing_country: str
    number: str  # only its last 4 characters are stored
    from_scan: bool = False
    name_matches: bool | None = None
    birth_date_matches: bool | None = None


@dataclass(frozen=True)
class StampEntry:
    number: str  # 16 digits
    amount_cents: int


@dataclass(frozen=True)
class PreviousCardReturn:
    outcome: PreviousCardOutcome
    card_number: str | None = None
    police_report_number: str | None = None


@dataclass(frozen=True)
class HandoverRequest:
    permit_id: int
    identity: IdentityDocument
    signature_png: bytes
    stamps: tuple[StampEntry, ...] = ()
    previous_card: PreviousCardReturn = field(
        default_factory=lambda: PreviousCardReturn(PreviousCardOutcome.NONE)
    )
    override_id: int | None = None
    scan_started_at: datetime | None = None


@dataclass(frozen=True)
class HandoverRecord:
    handover_id: int
    handover_number: str
    permit: PermitSummary
    at: datetime
    desk_name: str
    agent_pseudonym: str
    agent_name: str
    identity_kind: str
    stamps: tuple[tuple[str, int], ...]  # (last 4 digits, amount in cents)
    stamps_total_cents: int
    previous_card: PreviousCardReturn
    audit_hash: str
    signature_png: bytes | None


@dataclass(frozen=True)
class OverrideGrant:
    override_id: int
    kind: str
    reason: str
    supervisor_pseudonym: str
    expires_at: datetime
    permit_id: int | None = None


def handover_number(handover_id: int, at: datetime) -> str:
    """The number printed on the receipt and encoded in its barcode."""
    return f"R{at.year}-{handover_id:07d}"
