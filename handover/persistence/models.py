"""The database schema (SQLAlchemy 2 declarative, typed). Times are stored in UTC."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from handover.domain.values import PreviousCardOutcome, Role

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in Python; naive UTC in the database, whatever the backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware UTC instants")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite text from a raw function such as CURRENT_TIMESTAMP
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PermitState(enum.StrEnum):
    EXPECTED = "expected"  # announced by the production centre, not in the building yet
    RECEIVED = "received"  # filed in a storage slot, holder not notified yet
    NOTIFIED = "notified"  # SMS sent: ready to hand over
    HANDED_OVER = "handed_over"
    BLOCKED = "blocked"
    RETURNED = "returned"  # unclaimed, sent back


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Desk(Base):
    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("site_id", "name", name="site_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(String(60))


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    badge_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Permit(Base):
    __tablename__ = "permits"
    __table_args__ = (
        Index("ix_permits_birth_name", "birth_date", "name_key"),
        CheckConstraint("fee_cents >= 0", name="fee_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_reference: Mapped[str | None] = mapped_column(String(9), unique=True)
    numero_etranger: Mapped[str | None] = mapped_column(String(10), index=True)
    anef_request_number: Mapped[str | None] = mapped_column(String(19), index=True)
    card_number: Mapped[str] = mapped_column(String(20), unique=True)
    surname: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(200))  # normalised surname for look-ups
    birth_date: Mapped[date] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(3))
    sex: Mapped[str] = mapped_column(String(1), default="X")
    category: Mapped[str] = mapped_column(String(120))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    storage_slot: Mapped[str | None] = mapped_column(String(20))
    fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    previous_card_expected: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[PermitState] = mapped_column(_enum(PermitState, "permit_state"), index=True)
    state_reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # handed over or returned
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    import_batch: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Handover(Base):
    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), unique=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    handed_over_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    override_id: Mapped[int | None] = mapped_column(ForeignKey("overrides.id"))
    stamps_total_cents: Mapped[int] = mapped_column(Integer, default=0)
    scan_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    audit_hash: Mapped[str] = mapped_column(String(64))
    # Set on a handover put back after a restore, from its receipt sidecar.
    replayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdentityCheck(Base):
    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), unique=True)
    document_type: Mapped[str] = mapped_column(String(30))
    issuing_country: Mapped[str] = mapped_column(String(3))
    number_last4: Mapped[str] = mapped_column(String(4))
    from_scan: Mapped[bool] = mapped_column(Boolean, default=False)
    name_matches: Mapped[bool | None] = mapped_column(Boolean)
    birth_date_matches: Mapped[bool | None] = mapped_column(Boolean)


class TaxStamp(Base):
    __tablename__ = "tax_stamps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp_number: Mapped[str] = mapped_column(String(16), unique=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)


class PreviousCard(Base):
    __tablename__ = "previous_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), unique=True)
    outcome: Mapped[PreviousCardOutcome] = mapped_column(
        _enum(PreviousCardOutcome, "previous_card_outcome")
    )
    card_number_last4: Mapped[str | None] = mapped_column(String(4))
    police_report_number: Mapped[str | None] = mapped_column(String(40))
    police_report_date: Mapped[date | None] = mapped_column(Date)


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), unique=True)
    png: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once purged
    sha256: Mapped[str] = mapped_column(String(64))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Override(Base):
    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # an OverrideKind value
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permits.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by the handover it lifted a rule for: an override is used once (a window
    # extension excepted, which serves the whole desk until it expires).
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HandoverOverride(Base):
    """Every override that lifted a rule for a handover (receipt, closing sheet, audit)."""

    __tablename__ = "handover_overrides"
    __table_args__ = (UniqueConstraint("handover_id", "override_id", name="handover_override"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    override_id: Mapped[int] = mapped_column(ForeignKey("overrides.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))


class HandoverCorrection(Base):
    """A supervisor's correction of a recorded handover: appended, never changed.

    The handover's own rows stay as recorded; the latest correction of a field is its
    current value (reprints say RECTIFIÉ). ``stamp_id`` names the stamp whose amount is
    corrected; None for the identity document's type.
    """

    __tablename__ = "handover_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id"), index=True)
    field: Mapped[str] = mapped_column(String(30))  # stamp_amount | document_type
    stamp_id: Mapped[int | None] = mapped_column(ForeignKey("tax_stamps.id"))
    old_value: Mapped[str] = mapped_column(String(40))
    new_value: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ScheduleExceptionRow(Base):
    __tablename__ = "schedule_exceptions"
    __table_args__ = (UniqueConstraint("site_id", "day", name="site_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean)
    hours: Mapped[str | None] = mapped_column(String(120))  # "09:00-10:00,14:00-15:00"
    reason: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    desk: Mapped[str] = mapped_column(String(60))
    agent: Mapped[str] = mapped_column(String(16))  # pseudonym, never a name
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(80))  # pseudonymous reference
    details: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row, locked by every audit writer: the chain has one writer at a time."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))
    # Where verification starts: entry ``anchor_id + 1`` must chain from ``anchor_hash``.
    # Both move forward only when a retention purge deletes the oldest entries.
    anchor_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64), default="0" * 64)
    # The site key's fingerprint and the "clé introduite" entry: from it on, entries are
    # HMAC-SHA256 with the key (kept outside the database); before it, plain SHA-256.
    key_id: Mapped[str | None] = mapped_column(String(16))
    key_from: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class ScanEvent(Base):
    """Anonymous statistics of verdicts (kind, desk, time); no payload, no person."""

    __tablename__ = "scan_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    verdict: Mapped[str] = mapped_column(String(30))


# -- the queue at the door (issue #16) ---------------------------------------------------


class QueueDay(Base):
    """One row per site and opening day: the ticket counter (locked to number), and the
    supervisors' raise of the day's limit."""

    __tablename__ = "queue_days"
    __table_args__ = (UniqueConstraint("site_id", "day", name="queue_day_site_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date] = mapped_column(Date)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    limit_extra: Mapped[int] = mapped_column(Integer, default=0)


class QueueTicket(Base):
    """A ticket of the day, bound to one permit; numbers are never reused."""

    __tablename__ = "queue_tickets"
    __table_args__ = (
        UniqueConstraint("site_id", "day", "number", name="queue_ticket_site_day_number"),
        UniqueConstraint("site_id", "day", "permit_id", name="queue_ticket_site_day_permit"),
        Index("ix_queue_tickets_day_status", "site_id", "day", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # a TicketStatus value
    priority: Mapped[str | None] = mapped_column(String(30))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))  # None: command line
    # Set when the ticket goes back to the head of the queue (a call that expired, a
    # returning no-show): such tickets are called first, oldest first.
    head_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desks.id"))
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("handovers.id"))
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reprints: Mapped[int] = mapped_column(Integer, default=0)
    # The capacity predicted when the ticket was issued (prediction quality).
    predicted_wait_s: Mapped[int | None] = mapped_column(Integer)


class QueueCall(Base):
    """One call of a ticket to a desk: called → opened → ended (served, no-show, expired)."""

    __tablename__ = "queue_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_tickets.id"), index=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))  # None: command line
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))  # served | no_show | expired
    priority_call: Mapped[bool] = mapped_column(Boolean, default=False)
    out_of_order_reason: Mapped[str | None] = mapped_column(Text)


class DeskHeartbeat(Base):
    """When each desk last announced itself (it counts for the capacity while fresh)."""

    __tablename__ = "desk_heartbeats"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DoorEvent(Base):
    """Anonymous statistics of the door's scans, kept apart from the desks' scan_events."""

    __tablename__ = "door_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    verdict: Mapped[str] = mapped_column(String(30))  # a VerdictKind value, or "cutoff"
    outcome: Mapped[str] = mapped_column(String(20))  # issued | reprint | refused | …
