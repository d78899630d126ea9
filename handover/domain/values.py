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

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    VerdictKind.READY: "Prêt à remettre",
    VerdictKind.NOT_NOTIFIED: "Prêt, SMS non envoyé",
    VerdictKind.NOT_ARRIVED: "Pas encore arrivé",
    VerdictKind.ALREADY_HANDED_OVER: "Déjà remis",
    VerdictKind.BLOCKED: "Bloqué",
    VerdictKind.RETURNED: "Renvoyé",
    VerdictKind.UNKNOWN: "Inconnu",
    VerdictKind.SEVERAL_MATCHES: "Plusieurs titres possibles",
    VerdictKind.COUNTER_CLOSED: "Guichet fermé",
    VerdictKind.INVALID_SCAN: "Scan illisible",
    VerdictKind.CARD_OK: "Carte vérifiée",
    VerdictKind.WRONG_CARD: "Mauvaise carte",
}


class OverrideKind(enum.StrEnum):
    """Every rule a supervisor may lift, each by an override of its own kind."""

    WINDOW = "window"  # hand over outside the opening hours (a desk-wide extension)
    BLOCKED = "blocked"  # hand over a blocked permit
    NOT_NOTIFIED = "not_notified"  # hand over a permit whose SMS was not sent
    IDENTITY = "identity"  # the identity document does not match the holder
    PROXY = "proxy"  # a parent collects a minor's document
    CARD = "card"  # the card from the drawer could not be checked
    PREVIOUS_CARD = "previous_card"  # the previous card is neither back nor declared lost
    FEE = "fee"  # the stamps do not cover the fee
    QUEUE_LIMIT = "queue_limit"  # a ticket beyond the day's predicted capacity

    @property
    def label(self) -> str:
        return OVERRIDE_LABELS[self]


OVERRIDE_LABELS = {
    OverrideKind.WINDOW: "remise hors horaires d'ouverture",
    OverrideKind.BLOCKED: "remise d'un titre bloqué",
    OverrideKind.NOT_NOTIFIED: "remise d'un titre non notifié",
    OverrideKind.IDENTITY: "pièce d'identité non concordante",
    OverrideKind.PROXY: "remise à un représentant",
    OverrideKind.CARD: "poursuite malgré une carte non vérifiée",
    OverrideKind.PREVIOUS_CARD: "ancienne carte ni reprise ni déclarée perdue",
    OverrideKind.FEE: "timbres insuffisants",
    OverrideKind.QUEUE_LIMIT: "ticket au-delà de la capacité du jour",
}


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    DOOR = "door"  # agent d'accueil: issues tickets at the door, may not hand over


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
    differences: tuple[str, ...] = ()  # in French: "nom", "prénom", "date de naissance"

    @property
    def matches(self) -> bool:
        return self.name_matches and self.birth_date_matches


class ScanProblem(enum.StrEnum):
    """Why an ``INVALID_SCAN`` verdict: each is shown with its own icon."""

    UNREADABLE = "unreadable"  # no known kind of code
    INVALID = "invalid"  # a known kind whose check character or format is wrong
    TAX_STAMP = "tax_stamp"  # a stamp scanned where a reference is expected
    NOT_A_CARD = "not_a_card"  # the drawer-card step read something else than a card MRZ


@dataclass(frozen=True)
class CardReading:
    """What the MRZ of the card taken from the drawer says."""

    document_number: str
    surname: str
    birth_date: date | None


@dataclass(frozen=True)
class Verdict:
    """What a scan means, as a kind and its data; the French text is ``handover.verdict_text``'s."""

    kind: VerdictKind
    permit: PermitSummary | None = None
    prior: PriorHandover | None = None
    candidates: tuple[PermitSummary, ...] = ()
    identity: IdentityMatch | None = None
    window: WindowStatus | None = None
    looked_up: str = ""  # how the permit was searched for, in French ("numéro étranger")
    repaired: str | None = None  # what the AZERTY repair changed, shown to the agent
    can_hand_over: bool = False
    needs_supervisor: bool = False
    timezone: str = "Europe/Paris"  # the site's, to show dates the agent's way
    read: str = ""  # what was read (printable, cut), echoed for an unknown or invalid scan
    scan_problem: ScanProblem | None = None  # INVALID_SCAN only
    scan_kind: str = ""  # the parser's ScanKind value, for an INVALID one
    errors: tuple[str, ...] = ()  # the parser's French messages
    card: CardReading | None = None  # WRONG_CARD / CARD_OK: the drawer card's MRZ
    differences: tuple[str, ...] = ()  # WRONG_CARD: "numéro", "nom", "date de naissance"

    @property
    def headline(self) -> str:
        """One big French line (formatted by ``handover.verdict_text``)."""
        from handover import verdict_text

        return verdict_text.headline(self)

    @property
    def details(self) -> tuple[str, ...]:
        """The French lines under the headline (formatted by ``handover.verdict_text``)."""
        from handover import verdict_text

        return verdict_text.details(self)


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
    # What the screen saw; the core ignores both and compares ``scan`` itself.
    name_matches: bool | None = None
    birth_date_matches: bool | None = None
    scan: str | None = None  # the MRZ or 2D-Doc as read; None: typed, checked by eye


@dataclass(frozen=True)
class StampEntry:
    number: str  # 16 digits
    amount_cents: int


@dataclass(frozen=True)
class PreviousCardReturn:
    outcome: PreviousCardOutcome
    card_number: str | None = None
    police_report_number: str | None = None
    police_report_date: date | None = None
    scan: str | None = None  # the previous card's MRZ as read (outcome TAKEN_BACK)


@dataclass(frozen=True)
class HandoverRequest:
    permit_id: int
    identity: IdentityDocument
    signature_png: bytes
    stamps: tuple[StampEntry, ...] = ()
    previous_card: PreviousCardReturn = field(
        default_factory=lambda: PreviousCardReturn(PreviousCardOutcome.NONE)
    )
    override_ids: tuple[int, ...] = ()
    scan_started_at: datetime | None = None
    drawer_card_scan: str | None = None  # the MRZ of the card taken from the storage slot


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
    overrides: tuple[OverrideUse, ...] = ()
    # Supervisors' corrections, oldest first; the values above are already the corrected ones.
    corrections: tuple[HandoverCorrection, ...] = ()


@dataclass(frozen=True)
class HandoverCorrection:
    """A supervisor's correction of a recorded handover: a stamp's amount or the document type.

    ``old_value`` and ``new_value`` are cents for an amount, an ``IdentityDocumentKind``
    value for a document type.
    """

    at: datetime
    field: str  # "stamp_amount" | "document_type"
    stamp_last4: str | None
    old_value: str
    new_value: str
    supervisor_pseudonym: str


@dataclass(frozen=True)
class OverrideUse:
    """An override that lifted a rule for a handover: printed on its receipt."""

    kind: OverrideKind
    supervisor_name: str
    reason: str


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
