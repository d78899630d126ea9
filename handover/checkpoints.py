"""Checkpoints of the audit chain, kept outside the database (points de contrôle).

A checkpoint is one line appended to a text file that lives elsewhere (a share, a removable
medium): the chain's sequence number, its head hash, its anchor and the start of the key
signature, each line chained to the previous one by SHA-256. An editor of the database
cannot reach it, so a cut tail, deleted first entries, an emptied table, a rewritten
chain or a database swapped for an older copy no longer match it.

Honest operations that move the chain write a line too: a retention purge (the anchor
moves forward) and a restore (history after the backup's head is replaced, then the
later handovers replayed). ``verify`` reads them as such.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from handover import audit
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import AuditHead
from handover.persistence.uow import UnitOfWork

ACTION = "audit.checkpoint"
EVENTS = {
    "checkpoint": "point de contrôle",
    "day_report": "état de clôture",
    "purge": "purge de conservation",
    "restore": "restauration",
}


class CheckpointsError(HandoverError):
    """The checkpoints file cannot be read or written."""


@dataclass(frozen=True)
class CheckpointLine:
    number: int  # line number in the file, from 1
    at: str
    event: str
    seq: int
    head: str
    anchor_id: int
    anchor_hash: str
    key_from: int | None
    base_seq: int | None  # restore: the restored backup's head; later history was replaced
    note: str
    digest: str


def _digest(prev: str, body: Mapping[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + text).encode()).hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[IO[str]]:
    """The file opened for reading and appending, locked against other desks when possible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CheckpointsError(
            f"Impossible d'écrire le fichier de points de contrôle {path} "
            f"({exc.strerror or exc}) : vérifiez le partage ou le support amovible."
        ) from exc
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except ImportError:  # Windows: desks on one share append rarely; no lock there
            pass
        yield handle
    finally:
        handle.close()


def ensure_writable(path: Path) -> None:
    """Raise now, before anything changes, when the line could not be appended afterwards."""
    with _locked(path):
        pass


def read(path: Path) -> list[CheckpointLine]:
    """Every line of the file, its chain checked; raises when a line was changed or removed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointsError(f"Fichier de points de contrôle {path} illisible ({exc}).") from exc
    out: list[CheckpointLine] = []
    prev = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            body = {k: v for k, v in data.items() if k != "digest"}
            line = CheckpointLine(
                number,
                str(data["at"]),
                str(data["event"]),
                int(data["seq"]),
                str(data["head"]),
                int(data["anchor_id"]),
                str(data["anchor_hash"]),
                None if data["key_from"] is None else int(data["key_from"]),
                None if data.get("base_seq") is None else int(data["base_seq"]),
                str(data.get("note", "")),
                str(data["digest"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CheckpointsError(
                f"{path}, ligne {number} : ligne illisible (fichier modifié ?)."
            ) from exc
        if body.get("prev") != prev or _digest(prev, body) != line.digest:
            raise CheckpointsError(
                f"{path}, ligne {number} : le chaînage des points de contrôle est rompu "
                "(ligne modifiée, supprimée ou insérée)."
            )
        prev = line.digest
        out.append(line)
    return out


def _append(
    path: Path, head: Mapping[str, Any], *, at: datetime, event: str, note: str
) -> CheckpointLine:
    with _locked(path) as handle:
        handle.seek(0)
        lines = [raw for raw in handle.read().splitlines() if raw.strip()]
        prev = str(json.loads(lines[-1])["digest"]) if lines else ""
        body = {
            "at": at.astimezone(UTC).isoformat(timespec="seconds"),
            "event": event,
            **head,
            "note": note,
            "prev": prev,
        }
        digest = _digest(prev, body)
        handle.seek(0, os.SEEK_END)
        handle.write(json.dumps({**body, "digest": digest}, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return CheckpointLine(
        len(lines) + 1,
        str(body["at"]),
        event,
        int(head["seq"]),
        str(head["head"]),
        int(head["anchor_id"]),
        str(head["anchor_hash"]),
        head["key_from"],
        head.get("base_seq"),
        note,
        digest,
    )


def checkpoint(
    where: Engine | UnitOfWork,
    path: Path,
    *,
    desk: str,
    agent: str,
    event: str = "checkpoint",
    note: str = "",
    base_seq: int | None = None,
    at: datetime | None = None,
) -> CheckpointLine:
    """Append an audit entry, commit it, then write the line that pins it.

    Given a unit of work, its transaction is committed here (with what the caller did in
    it): a checkpoint is only worth a durable head. Given an engine, a transaction of its own.
    """
    if isinstance(where, Engine):
        with UnitOfWork(where) as uow:
            return checkpoint(
                uow, path, desk=desk, agent=agent, event=event, note=note, base_seq=base_seq, at=at
            )
    session = where.session
    when = at or server_now(session)
    entry = audit.append(
        session,
        at=when,
        desk=desk,
        agent=agent,
        action=ACTION,
        subject=f"checkpoint:{event}",
        details={"event": event, **({"base_seq": base_seq} if base_seq is not None else {})},
    )
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    state: dict[str, Any] = {
        "seq": entry.id,
        "head": entry.hash,
        "anchor_id": head.anchor_id,
        "anchor_hash": head.anchor_hash,
        "key_from": head.key_from,
    }
    if base_seq is not None:
        state["base_seq"] = base_seq
    where.commit()
    return _append(path, state, at=when, event=event, note=note)


@dataclass(frozen=True)
class CheckpointReport:
    code: int  # 0 intact, 1 broken or tampered, 2 cannot verify
    problem: str
    broken_at: int | None
    chain: audit.ChainReport | None
    lines: int


def verify(
    session: Session, path: Path, *, key: bytes | None, missing_ok: bool = False
) -> CheckpointReport:
    """The chain checked on its own, then against every checkpoint that still applies.

    ``missing_ok``: a file that does not exist yet (first checkpoint) is no checkpoint.
    A new checkpoint is only written after this passes: it must never bless tampering.
    """
    try:
        lines = read(path)
    except FileNotFoundError:
        if missing_ok:
            lines = []
        else:
            return CheckpointReport(
                2, f"fichier de points de contrôle {path} introuvable", None, None, 0
            )
    except CheckpointsError as exc:
        return CheckpointReport(1, exc.message, None, None, 0)
    if not lines and not missing_ok:
        return CheckpointReport(
            2, f"le fichier {path} ne contient aucun point de contrôle", None, None, 0
        )
    expected: dict[int, CheckpointLine] = {}
    for line in lines:
        if line.base_seq is not None:  # a restore replaced history after the backup's head
            expected = {seq: x for seq, x in expected.items() if seq <= line.base_seq}
        expected[line.seq] = line
    last = lines[-1] if lines else None
    if last is not None:
        expected = {seq: x for seq, x in expected.items() if seq >= last.anchor_id}
    chain = audit.verify(session, key=key, want=frozenset(expected))
    if chain.unverifiable:
        return CheckpointReport(2, chain.problem, None, chain, len(lines))
    if not chain.ok:
        return CheckpointReport(1, chain.problem, chain.broken_at, chain, len(lines))
    problems: list[tuple[int, str]] = []
    if last is not None and chain.anchor_id != last.anchor_id:
        first = min(chain.anchor_id, last.anchor_id) + 1
        problems.append(
            (
                first,
                f"le début du journal est à l'entrée n° {chain.anchor_id + 1} alors que le "
                f"dernier point de contrôle (ligne {last.number}, {last.at}) le place à "
                f"l'entrée n° {last.anchor_id + 1} (premières entrées supprimées, ou base "
                "remplacée)",
            )
        )
    if last is not None and last.key_from is not None and chain.key_from != last.key_from:
        problems.append(
            (
                min(last.key_from, chain.key_from or last.key_from),
                f"la signature par clé part de l'entrée n° {chain.key_from} au lieu de "
                f"l'entrée n° {last.key_from}",
            )
        )
    good = chain.anchor_id
    for seq in sorted(expected):
        line = expected[seq]
        if seq > chain.head_id:
            problems.append(
                (
                    chain.head_id + 1,
                    f"l'entrée n° {seq}, attestée par le point de contrôle du {line.at} (ligne "
                    f"{line.number}), n'existe plus : le journal s'arrête à l'entrée n° "
                    f"{chain.head_id} (fin coupée, table vidée ou base remplacée par une copie "
                    "plus ancienne)",
                )
            )
            break
        found = (chain.hashes or {}).get(seq)
        if found != line.head:
            problems.append(
                (
                    good + 1,
                    f"l'entrée n° {seq} ne correspond plus au point de contrôle du {line.at} "
                    f"(ligne {line.number}) : le journal a été réécrit entre l'entrée n° "
                    f"{good + 1} et l'entrée n° {seq}",
                )
            )
            break
        good = seq
    if problems:
        first, text = min(problems)
        return CheckpointReport(1, text, first, chain, len(lines))
    return CheckpointReport(0, "", None, chain, len(lines))
