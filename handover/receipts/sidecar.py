"""Receipt sidecars: a small JSON file beside the archived receipts, for each handover.

It says what a restore needs to know that a handover happened (number, permit id, time,
desk, agent pseudonym, full stamp numbers) and nothing about the holder: no name, no
birth date, no card number, no signature image (only its SHA-256). It outlives the PDF,
which the retention purge deletes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from handover.domain.values import HandoverRecord
from handover.receipts.files import write_atomically

log = logging.getLogger(__name__)
VERSION = 1
SUFFIX = ".remise.json"


@dataclass(frozen=True)
class ReceiptSidecar:
    handover_number: str
    handover_id: int
    permit_id: int
    handed_over_at: datetime  # aware, UTC
    desk: str
    agent: str  # pseudonym, never a name
    stamps: tuple[tuple[str, int], ...]  # (full stamp number, amount in cents)
    stamps_total_cents: int
    previous_card: str  # PreviousCardOutcome value
    identity: str  # identity document kind
    signature_sha256: str
    audit_hash: str

    def to_json(self) -> str:
        data = asdict(self)
        data["handed_over_at"] = self.handed_over_at.isoformat()
        data["stamps"] = [{"number": n, "amount_cents": c} for n, c in self.stamps]
        return json.dumps({"version": VERSION, **data}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ReceiptSidecar:
        data = json.loads(text)
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        return cls(
            handover_number=str(data["handover_number"]),
            handover_id=int(data["handover_id"]),
            permit_id=int(data["permit_id"]),
            handed_over_at=datetime.fromisoformat(data["handed_over_at"]),
            desk=str(data["desk"]),
            agent=str(data["agent"]),
            stamps=tuple((str(x["number"]), int(x["amount_cents"])) for x in data["stamps"]),
            stamps_total_cents=int(data["stamps_total_cents"]),
            previous_card=str(data["previous_card"]),
            identity=str(data["identity"]),
            signature_sha256=str(data["signature_sha256"]),
            audit_hash=str(data["audit_hash"]),
        )


def sidecar_of(record: HandoverRecord, stamp_numbers: tuple[str, ...]) -> ReceiptSidecar:
    """The sidecar of a committed handover; ``stamp_numbers`` in the record's stamp order."""
    return ReceiptSidecar(
        handover_number=record.handover_number,
        handover_id=record.handover_id,
        permit_id=record.permit.permit_id,
        handed_over_at=record.at,
        desk=record.desk_name,
        agent=record.agent_pseudonym,
        stamps=tuple(
            (number, cents)
            for number, (_l4, cents) in zip(stamp_numbers, record.stamps, strict=True)
        ),
        stamps_total_cents=record.stamps_total_cents,
        previous_card=record.previous_card.outcome.value,
        identity=record.identity_kind,
        signature_sha256=hashlib.sha256(record.signature_png or b"").hexdigest(),
        audit_hash=record.audit_hash,
    )


def write_sidecar(folder: Path, sidecar: ReceiptSidecar) -> Path:
    """Write (atomically) ``<number>.remise.json`` in the receipt archive folder."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sidecar.handover_number}{SUFFIX}"
    write_atomically(target, sidecar.to_json().encode("utf-8"))
    return target


def record_sidecar(folder: Path, record: HandoverRecord, stamp_numbers: tuple[str, ...]) -> None:
    """``write_sidecar`` after a commit: a failure is logged, never raised (the handover is
    recorded; a restore would then miss it, which its report says)."""
    try:
        write_sidecar(folder, sidecar_of(record, stamp_numbers))
    except OSError as exc:
        log.warning(
            "Fiche de remise %s non écrite dans %s : %s",
            record.handover_number,
            folder,
            exc.strerror or exc,
        )


@dataclass(frozen=True)
class SidecarScan:
    sidecars: tuple[ReceiptSidecar, ...]  # sorted by handover id
    unreadable: tuple[Path, ...]


def read_sidecars(folder: Path) -> SidecarScan:
    found: dict[int, ReceiptSidecar] = {}
    bad: list[Path] = []
    if folder.is_dir():
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            try:
                sidecar = ReceiptSidecar.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError):
                bad.append(path)
                continue
            found[sidecar.handover_id] = sidecar
    return SidecarScan(tuple(found[k] for k in sorted(found)), tuple(bad))
