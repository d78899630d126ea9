"""Changing a permit's state outside the counter: block, unblock, and the batches' gate.

Every change is conditional (``UPDATE … WHERE state IN (expected)``): a desk that hands a
permit over while a supervisor blocks it, or while a back-office batch runs, is never
overwritten. On PostgreSQL the update waits for the desk's transaction and re-reads the
row; on SQLite writers take turns. A permit that changed underneath is skipped and
reported with its new state.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.text import is_hidden
from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import SUPERVISORS, acting_account

STATE_NAMES = {
    PermitState.EXPECTED: "attendu",
    PermitState.RECEIVED: "arrivé",
    PermitState.NOTIFIED: "prévenu",
    PermitState.HANDED_OVER: "remis",
    PermitState.BLOCKED: "bloqué",
    PermitState.RETURNED: "retourné",
}
BLOCKABLE = (PermitState.RECEIVED, PermitState.NOTIFIED)
MIN_REASON = 10
MAX_REASON = 500


def state_name(state: PermitState | str) -> str:
    return STATE_NAMES.get(PermitState(state), str(state))


class PermitChangeRefused(HandoverError):
    """The permit's state was not changed; the message says why."""


@dataclass(frozen=True)
class SkippedPermit:
    """A permit a batch left alone because it changed underneath (e.g. handed over)."""

    permit_id: int
    card_number: str
    storage_slot: str | None
    state: PermitState | None  # None: the permit no longer exists

    def __str__(self) -> str:
        now = "supprimé" if self.state is None else f"désormais « {state_name(self.state)} »"
        return (
            f"titre n° {self.permit_id} (carte {self.card_number}, casier "
            f"{self.storage_slot or '?'}) : {now}, laissé tel quel"
        )


def _permits() -> Table:
    table = Permit.__table__
    assert isinstance(table, Table)
    return table


def change_states(
    session: Session,
    ids: Sequence[int],
    *,
    expected: Collection[PermitState],
    values: Mapping[str, Any],
    extra: Sequence[Any] = (),
) -> tuple[list[int], list[SkippedPermit]]:
    """Set ``values`` on the permits still in an ``expected`` state; report the others.

    One conditional update per permit, in id order (the order every writer locks rows in,
    so two batches cannot deadlock). ``extra`` adds conditions (e.g. on ``notified_at``).
    """
    table = _permits()
    states = [PermitState(s).value for s in expected]
    changed: list[int] = []
    missed: list[int] = []
    conn = session.connection()
    for permit_id in sorted(set(ids)):
        statement = (
            update(table)
            .where(table.c.id == permit_id, table.c.state.in_(states), *extra)
            .values(**values)
        )
        if conn.execute(statement).rowcount == 1:
            changed.append(permit_id)
        else:
            missed.append(permit_id)
    skipped: list[SkippedPermit] = []
    if missed:
        found = {
            row.id: row
            for row in conn.execute(
                select(table.c.id, table.c.card_number, table.c.storage_slot, table.c.state).where(
                    table.c.id.in_(missed)
                )
            )
        }
        for permit_id in missed:
            row = found.get(permit_id)
            skipped.append(
                SkippedPermit(permit_id, "?", None, None)
                if row is None
                else SkippedPermit(
                    permit_id, row.card_number, row.storage_slot, PermitState(row.state)
                )
            )
    return changed, skipped


# -- block and unblock --------------------------------------------------------------------


@dataclass(frozen=True)
class PermitChange:
    permit_id: int
    card_number: str
    state: PermitState
    audit_entry: int


def reason_digest(reason: str) -> str:
    """What the audit keeps of a free-text reason: a digest, never the words (they may name
    people, and no purge reaches the audit)."""
    return audit.text_digest(reason)


def clean_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if len(text) < MIN_REASON:
        raise PermitChangeRefused(
            f"Motif obligatoire : écrivez pourquoi (au moins {MIN_REASON} caractères), par "
            "exemple « alerte fraude transmise par le service titres »."
        )
    if len(text) > MAX_REASON:
        raise PermitChangeRefused(f"Motif trop long : {MAX_REASON} caractères au plus.")
    if any(is_hidden(c) for c in text):
        raise PermitChangeRefused("Le motif contient des caractères de contrôle : retapez-le.")
    return text


def find_permit_id(uow: UnitOfWork, ref: str) -> int:
    """The permit named by a card number, a handover reference or an internal number."""
    from handover.scanning.errors import ScanParseError
    from handover.scanning.reference import parse_reference

    raw = ref.strip()
    if not raw or len(raw) > 40 or any(is_hidden(c) for c in raw):
        raise PermitChangeRefused(
            "Titre illisible : donnez un numéro de carte, une référence du SMS ou un n° interne."
        )
    with uow:
        s = uow.session
        card = "".join(raw.split()).replace("-", "").upper()
        found = s.execute(select(Permit.id).where(Permit.card_number == card)).scalar()
        if found is None:
            try:
                code = parse_reference(raw).code
            except ScanParseError:
                code = None
            if code is not None:
                found = s.execute(
                    select(Permit.id).where(Permit.handover_reference == code)
                ).scalar()
        if found is None and raw.isdigit() and len(raw) < 10:
            found = s.execute(select(Permit.id).where(Permit.id == int(raw))).scalar()
    if found is None:
        raise PermitChangeRefused(
            "Aucun titre ne correspond (numéro de carte, référence du SMS ou n° interne)."
        )
    return int(found)


def set_blocked(
    uow: UnitOfWork,
    permit_id: int,
    block: bool,
    *,
    reason: str,
    by: AgentIdentity,
    desk_name: str,
    now: datetime | None = None,
) -> PermitChange:
    """Block a received or notified permit (fraud alert, faulty card…), or unblock a blocked
    one, which goes back to notified (the SMS went out) or received."""
    verb = "bloquer" if block else "débloquer"
    text = clean_reason(reason)
    expected = BLOCKABLE if block else (PermitState.BLOCKED,)
    with uow:
        s = uow.session
        author = acting_account(s, by, SUPERVISORS, doing=f"{verb} un titre")
        at = now or server_now(s)
        if block:
            values: dict[str, Any] = {
                "state": PermitState.BLOCKED.value,
                "state_reason": text,
                "updated_at": at,
            }
        else:
            # Back to where it was: notified when the SMS went out, else received.
            notified = s.execute(select(Permit.notified_at).where(Permit.id == permit_id)).scalar()
            back = PermitState.NOTIFIED if notified is not None else PermitState.RECEIVED
            values = {"state": back.value, "state_reason": None, "updated_at": at}
        changed, skipped = change_states(s, [permit_id], expected=expected, values=values)
        if not changed:
            now_in = skipped[0].state
            if now_in is None:
                raise PermitChangeRefused("Ce titre n'existe plus.")
            raise PermitChangeRefused(
                f"Titre « {state_name(now_in)} » : impossible de le {verb} (seul un titre "
                + ("arrivé ou prévenu" if block else "bloqué")
                + " peut l'être). Rien n'a été modifié."
            )
        entry = audit.append(
            s,
            at=at,
            desk=desk_name,
            agent=author.pseudonym,
            action="permit.block" if block else "permit.unblock",
            subject=f"permit:{permit_id}",
            details={"reason_digest": reason_digest(text), "state": values["state"]},
        )
        card = s.execute(select(Permit.card_number).where(Permit.id == permit_id)).scalar_one()
        uow.commit()
    return PermitChange(permit_id, card, PermitState(values["state"]), entry.id)
