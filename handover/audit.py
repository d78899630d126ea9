"""The tamper-evident audit trail: a SHA-256 hash chain with one writer at a time.

Each entry stores ``hash = sha256(prev_hash + canonical(entry))`` where the canonical form
holds the entry's number, time, desk, agent pseudonym, action, pseudonymous subject and
details. Entries are numbered without gaps, so a deleted entry is seen as a gap, a changed
one as a hash mismatch, swapped ones as both. Writers lock the single ``audit_head`` row
(PostgreSQL ``SELECT … FOR UPDATE``; SQLite's BEGIN IMMEDIATE already admits one writer),
so desks sharing a database extend one chain. Subjects are pseudonymous (``permit:123``,
``scan:<hash>``): a retention purge of personal data leaves the chain verifiable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from handover.persistence.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical(
    entry_id: int,
    at: datetime,
    desk: str,
    agent: str,
    action: str,
    subject: str,
    details: str,
) -> bytes:
    """The bytes that are hashed: a fixed JSON form of every field but the hashes."""
    at_text = at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    body = {
        "id": entry_id,
        "at": at_text,
        "desk": desk,
        "agent": agent,
        "action": action,
        "subject": subject,
        "details": details,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


def details_json(details: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(details or {}), sort_keys=True, separators=(",", ":"), default=str)


def pseudonymous(kind: str, value: str) -> str:
    """A stable, non-reversible reference to something personal (a scanned number)."""
    digest = hashlib.sha256(f"handover:{kind}:{value}".encode()).hexdigest()[:16]
    return f"{kind}:{digest}"


def _table(model: type[AuditEntry] | type[AuditHead]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Built once: SQLAlchemy then reuses their cache keys and compiled forms on every append,
# which is on every scan's path.
_HEAD = select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == 1).with_for_update()
_INSERT = insert(_table(AuditEntry))
_MOVE_HEAD = (
    update(_table(AuditHead))
    .where(_table(AuditHead).c.id == 1)
    .values(last_id=bindparam("new_id"), last_hash=bindparam("new_hash"))
)
_HEAD_KEY = identity_key(AuditHead, 1)


def append(
    session: Session,
    *,
    at: datetime,
    desk: str,
    agent: str,
    action: str,
    subject: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry at the end of the chain, inside the caller's transaction.

    The returned entry is not attached to the session: it was written with plain SQL.
    """
    # What the caller added goes first, so its constraint errors still surface here.
    session.flush()
    conn = session.connection()
    last_id, last_hash = conn.execute(_HEAD).one()
    entry_id = int(last_id) + 1
    text = details_json(details)
    # Microsecond precision is what both databases keep; hash what will be read back.
    at = at.astimezone(UTC)
    digest = chain_hash(last_hash, canonical(entry_id, at, desk, agent, action, subject, text))
    values = {
        "id": entry_id,
        "at": at,
        "desk": desk,
        "agent": agent,
        "action": action,
        "subject": subject,
        "details": text,
        "prev_hash": last_hash,
        "hash": digest,
    }
    conn.execute(_INSERT, values)
    conn.execute(_MOVE_HEAD, {"new_id": entry_id, "new_hash": digest})
    held = session.identity_map.get(_HEAD_KEY)
    if held is not None:  # a caller that loaded the head must not keep stale values
        session.expire(held, ["last_id", "last_hash"])
    return AuditEntry(**values)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    verified: int
    head_hash: str
    head_id: int
    broken_at: int | None = None
    problem: str = ""


def verify(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the whole chain; report the first broken entry or the verified count and head."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    expected_id = head.anchor_id + 1
    running = head.anchor_hash
    count = 0
    last_id = head.anchor_id
    while True:
        rows = (
            session.execute(
                select(AuditEntry)
                .where(AuditEntry.id > last_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for e in rows:
            if e.id != expected_id:
                return ChainReport(
                    False,
                    count,
                    running,
                    last_id,
                    expected_id,
                    f"entrée n° {expected_id} manquante (la suivante est la n° {e.id})",
                )
            if e.prev_hash != running:
                return ChainReport(
                    False,
                    count,
                    running,
                    last_id,
                    e.id,
                    f"entrée n° {e.id} : le lien vers l'entrée précédente est rompu "
                    "(entrée déplacée, supprimée ou remplacée)",
                )
            body = canonical(e.id, e.at, e.desk, e.agent, e.action, e.subject, e.details)
            if chain_hash(e.prev_hash, body) != e.hash:
                return ChainReport(
                    False,
                    count,
                    running,
                    last_id,
                    e.id,
                    f"entrée n° {e.id} : contenu modifié après écriture",
                )
            running = e.hash
            last_id = e.id
            expected_id += 1
            count += 1
        session.expunge_all()
    if last_id != head.last_id or running != head.last_hash:
        return ChainReport(
            False,
            count,
            running,
            last_id,
            last_id + 1,
            f"la chaîne s'arrête à l'entrée n° {last_id} alors que la tête annonce "
            f"l'entrée n° {head.last_id} (entrées finales supprimées)",
        )
    return ChainReport(True, count, running, last_id)
