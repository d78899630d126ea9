"""The tamper-evident audit trail: a hash chain with one writer at a time.

Each entry stores ``hash = sha256(prev_hash + canonical(entry))`` where the canonical form
holds the entry's number, time, desk, agent pseudonym, action, pseudonymous subject and
details. Entries are numbered without gaps, so a deleted entry is seen as a gap, a changed
one as a hash mismatch, swapped ones as both. Writers lock the single ``audit_head`` row
(PostgreSQL ``SELECT … FOR UPDATE``; SQLite's BEGIN IMMEDIATE already admits one writer),
so desks sharing a database extend one chain. Subjects are pseudonymous (``permit:123``,
``scan:<hmac>``): a retention purge of personal data leaves the chain verifiable.

From the "clé introduite" entry on (``audit_head.key_from``), the hash is an HMAC-SHA256
with the site key (``handover.sitekey``), kept outside the database: an editor of the
database alone can no longer recompute the chain. Entries before it verify as SHA-256.
Pseudonyms and digests of free text are keyed with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from handover import sitekey
from handover.persistence.models import AuditEntry, AuditHead, Base

if TYPE_CHECKING:
    from handover.config import Config

GENESIS = "0" * 64
KEY_INTRODUCED = "audit.key_introduced"  # the "clé introduite" entry


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


def chain_hash(prev_hash: str, body: bytes, key: bytes | None = None) -> str:
    """SHA-256 of the link and the entry; an HMAC-SHA256 with the site key once keyed."""
    data = prev_hash.encode("ascii") + body
    return sitekey.mac(key, data) if key is not None else hashlib.sha256(data).hexdigest()


def details_json(details: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(details or {}), sort_keys=True, separators=(",", ":"), default=str)


def keyed_digest(kind: str, value: str) -> str:
    """A digest of something personal, keyed with the site key when there is one.

    Without the key, trying every possible value (every numéro étranger) finds nothing.
    Before a key exists (a database not yet set up with ``db upgrade``) it is plain SHA-256.
    """
    data = f"handover:{kind}:{value}".encode()
    key = sitekey.configured_key()
    return sitekey.mac(key, data) if key is not None else hashlib.sha256(data).hexdigest()


def _keyed_badge(key: bytes, unkeyed: str) -> str:
    return sitekey.mac(key, f"handover-badge:{unkeyed}".encode())


def keyed_badge_digest(unkeyed: str) -> str:
    """A badge's stored digest: the SHA-256 one, keyed with the site key once there is one.

    Built on the SHA-256 digest so that introducing the key can convert stored digests.
    """
    key = sitekey.configured_key()
    return _keyed_badge(key, unkeyed) if key is not None else unkeyed


def pseudonymous(kind: str, value: str) -> str:
    """A stable, non-reversible reference to something personal (a scanned number)."""
    return f"{kind}:{keyed_digest(kind, value)[:16]}"


def text_digest(text: str) -> str:
    """What the audit keeps of a free text (a supervisor's reason): a keyed digest.

    The text itself lives in a row that the retention purge erases.
    """
    return keyed_digest("text", " ".join(text.split()))[:32]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Built once: SQLAlchemy then reuses their cache keys and compiled forms on every append,
# which is on every scan's path.
_HEAD = (
    select(AuditHead.last_id, AuditHead.last_hash, AuditHead.key_id)
    .where(AuditHead.id == 1)
    .with_for_update()
)
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
    last_id, last_hash, key_id = conn.execute(_HEAD).one()
    key = None
    if key_id is not None:
        key = sitekey.key_for(key_id)
        if key is None:
            raise sitekey.AuditKeyMissing(sitekey.missing_key_message(key_id))
    entry_id = int(last_id) + 1
    text = details_json(details)
    # Microsecond precision is what both databases keep; hash what will be read back.
    at = at.astimezone(UTC)
    body = canonical(entry_id, at, desk, agent, action, subject, text)
    digest = chain_hash(last_hash, body, key)
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


def introduce_key(
    session: Session, key: bytes, *, at: datetime, desk: str, agent: str
) -> int | None:
    """Sign the chain with ``key`` from a new "clé introduite" entry on; its id, or None.

    None when the chain already has this key. Badge digests stored so far (SHA-256) are
    keyed at the same time, so a badge still opens its account.
    """
    from handover.persistence.models import Agent

    session.flush()
    conn = session.connection()
    head = _table(AuditHead)
    current = conn.execute(_HEAD).one()
    key_id = sitekey.register(key)
    if current.key_id == key_id:
        return None
    if current.key_id is not None:
        raise sitekey.AuditKeyMissing(
            f"Ce journal d'audit est déjà signé par une autre clé de site (empreinte "
            f"{current.key_id}) : la clé {key_id} ne la remplace pas. "
            + sitekey.missing_key_message(current.key_id)
        )
    conn.execute(update(head).where(head.c.id == 1).values(key_id=key_id))
    agents = _table(Agent)
    for agent_id, badge_hash in conn.execute(
        select(agents.c.id, agents.c.badge_hash).where(agents.c.badge_hash.is_not(None))
    ).all():
        conn.execute(
            update(agents)
            .where(agents.c.id == agent_id)
            .values(badge_hash=_keyed_badge(key, badge_hash))
        )
    entry = append(
        session,
        at=at,
        desk=desk,
        agent=agent,
        action=KEY_INTRODUCED,
        subject=f"key:{key_id}",
        details={"key_id": key_id},
    )
    conn.execute(update(head).where(head.c.id == 1).values(key_from=entry.id))
    return entry.id


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    verified: int
    head_hash: str
    head_id: int
    broken_at: int | None = None
    problem: str = ""
    unverifiable: bool = False  # the key is missing: nothing can be said (exit code 2)
    anchor_id: int = 0
    key_from: int | None = None
    hashes: Mapping[int, str] | None = None  # the entries' hashes asked for by ``want``


def _broken(count: int, running: str, last_id: int, at: int, problem: str) -> ChainReport:
    return ChainReport(False, count, running, last_id, at, problem)


def verify(
    session: Session,
    *,
    batch: int = 5000,
    key: bytes | None = None,
    want: frozenset[int] = frozenset(),
) -> ChainReport:
    """Walk the whole chain; report the first broken entry or the verified count and head.

    ``key`` is the site key found on this computer, if any: a chain that has none while a
    key exists was stripped of it. Without ``key``, a keyed chain looks its key up by
    fingerprint. ``want``: entry ids whose hashes the report returns (checkpoints).
    """
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        first = session.execute(select(func.min(AuditEntry.id))).scalar()
        return _broken(
            0,
            GENESIS,
            0,
            int(first) if first is not None else 1,
            "la ligne de tête du journal (audit_head) a été supprimée",
        )
    anchor_id, key_from = head.anchor_id, head.key_from
    chain_key: bytes | None = None
    if head.key_id is None:
        if key is not None:
            return _broken(
                0,
                head.anchor_hash,
                anchor_id,
                anchor_id + 1,
                "le journal n'est pas signé alors qu'une clé de site existe pour lui "
                "(signature retirée de la base ?)",
            )
    else:
        chain_key = key if key is not None else sitekey.key_for(head.key_id)
        if chain_key is None or sitekey.fingerprint(chain_key) != head.key_id:
            return ChainReport(
                False,
                0,
                head.anchor_hash,
                anchor_id,
                None,
                sitekey.missing_key_message(head.key_id),
                unverifiable=True,
            )
        if key_from is None or key_from > head.last_id:
            return _broken(
                0,
                head.anchor_hash,
                anchor_id,
                anchor_id + 1,
                "la tête du journal ne dit pas d'où part la signature par clé",
            )
    expected_id = anchor_id + 1
    running = head.anchor_hash
    count = 0
    last_id = anchor_id
    found: dict[int, str] = {}
    if anchor_id in want:
        found[anchor_id] = running
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
                return _broken(
                    count,
                    running,
                    last_id,
                    expected_id,
                    f"entrée n° {expected_id} manquante (la suivante est la n° {e.id})",
                )
            if e.prev_hash != running:
                return _broken(
                    count,
                    running,
                    last_id,
                    e.id,
                    f"entrée n° {e.id} : le lien vers l'entrée précédente est rompu "
                    "(entrée déplacée, supprimée ou remplacée)",
                )
            keyed = key_from is not None and e.id >= key_from
            if keyed and e.id == key_from and e.action != KEY_INTRODUCED:
                return _broken(
                    count,
                    running,
                    last_id,
                    e.id,
                    f"entrée n° {e.id} : la signature par clé devrait partir d'ici",
                )
            body = canonical(e.id, e.at, e.desk, e.agent, e.action, e.subject, e.details)
            if chain_hash(e.prev_hash, body, chain_key if keyed else None) != e.hash:
                return _broken(
                    count,
                    running,
                    last_id,
                    e.id,
                    f"entrée n° {e.id} : contenu modifié après écriture",
                )
            running = e.hash
            last_id = e.id
            if last_id in want:
                found[last_id] = running
            expected_id += 1
            count += 1
        session.expunge_all()
    if last_id != head.last_id or running != head.last_hash:
        return _broken(
            count,
            running,
            last_id,
            last_id + 1,
            f"la chaîne s'arrête à l'entrée n° {last_id} alors que la tête annonce "
            f"l'entrée n° {head.last_id} (entrées finales supprimées)",
        )
    return ChainReport(
        True, count, running, last_id, anchor_id=anchor_id, key_from=key_from, hashes=found
    )


def ensure_site_key(engine: Engine, config: Config) -> str:
    """First setup: create the site key if needed and sign the chain with it; what was done.

    A second desk on a shared (PostgreSQL) database finds the chain already signed: it must
    receive a copy of the key, never make its own.
    """
    from handover.persistence.engine import server_now
    from handover.persistence.uow import UnitOfWork

    key_path = config.audit_key_path
    with UnitOfWork(engine) as uow:
        head = uow.session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
        key = sitekey.read_key_file(key_path)
        if head.key_id is not None:
            if key is not None and sitekey.fingerprint(key) == head.key_id:
                return f"Journal d'audit signé par la clé de site {key_path}."
            raise sitekey.AuditKeyMissing(sitekey.missing_key_message(head.key_id))
        created = key is None
        if key is None:
            key = sitekey.create_key_file(key_path)
        entry_id = introduce_key(
            uow.session, key, at=server_now(uow.session), desk=config.desk.name, agent="admin-cli"
        )
        uow.commit()
    made = "créée" if created else "trouvée"
    return (
        f"Clé de site {made} : {key_path} (lisible par son seul propriétaire). Le journal "
        f"d'audit est signé avec elle à partir de l'entrée n° {entry_id}. Gardez-en une copie "
        "hors de ce poste : sans elle, le journal ne peut plus être vérifié ni prolongé."
    )
