"""Correcting a recorded handover: append-only, by a supervisor, with a reason, audited.

A handover is the prefecture's proof and is never rewritten: a mistyped stamp amount or
identity document type is corrected by adding a ``handover_corrections`` row. The latest
correction of a value is its current value; reprints show it and say RECTIFIÉ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    AgentIdentity,
    HandoverCorrection,
    IdentityDocumentKind,
)
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import (
    Agent,
    Handover,
    IdentityCheck,
    TaxStamp,
)
from handover.persistence.models import (
    HandoverCorrection as CorrectionRow,
)
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import SUPERVISORS, acting_account
from handover.services.permits import clean_reason

STAMP_AMOUNT = "stamp_amount"
DOCUMENT_TYPE = "document_type"
MAX_AMOUNT_CENTS = 100_000  # 1 000 €: far above any fee; a typo with two zeros too many


class CorrectionRefused(HandoverError):
    """Nothing was corrected; the message says why."""


@dataclass(frozen=True)
class CurrentValues:
    """A handover's corrected values: amounts by stamp id, the document type, the history."""

    amounts: dict[int, int]
    document_type: str | None
    corrections: tuple[HandoverCorrection, ...]


def current_values(session: Session, handover_id: int) -> CurrentValues:
    """What the corrections of a handover say now (the latest of each value wins)."""
    rows = session.execute(
        select(CorrectionRow, Agent.pseudonym, TaxStamp.stamp_number)
        .join(Agent, Agent.id == CorrectionRow.supervisor_id)
        .outerjoin(TaxStamp, TaxStamp.id == CorrectionRow.stamp_id)
        .where(CorrectionRow.handover_id == handover_id)
        .order_by(CorrectionRow.id)
    ).all()
    amounts: dict[int, int] = {}
    document_type: str | None = None
    history: list[HandoverCorrection] = []
    for row, pseudonym, stamp_number in rows:
        if row.field == STAMP_AMOUNT and row.stamp_id is not None:
            amounts[row.stamp_id] = int(row.new_value)
        elif row.field == DOCUMENT_TYPE:
            document_type = row.new_value
        history.append(
            HandoverCorrection(
                at=row.corrected_at,
                field=row.field,
                stamp_last4=stamp_number[-4:] if stamp_number else None,
                old_value=row.old_value,
                new_value=row.new_value,
                supervisor_pseudonym=pseudonym,
            )
        )
    return CurrentValues(amounts, document_type, tuple(history))


def document_kind(text: str) -> IdentityDocumentKind:
    """A document type given by its value (``passport``) or its French label."""
    wanted = " ".join(text.split()).casefold()
    for kind, label in IDENTITY_DOCUMENT_LABELS.items():
        if wanted in (kind.value, label.casefold()):
            return kind
    known = ", ".join(f"{k.value} ({label})" for k, label in IDENTITY_DOCUMENT_LABELS.items())
    raise CorrectionRefused(f"Type de pièce inconnu « {text.strip()} » : {known}.")


def _stamp(stamps: list[TaxStamp], last4: str | None) -> TaxStamp:
    if not stamps:
        raise CorrectionRefused("Cette remise n'a aucun timbre : pas de montant à rectifier.")
    if last4 is None:
        if len(stamps) > 1:
            raise CorrectionRefused(
                f"Cette remise a {len(stamps)} timbres : précisez lequel par ses 4 derniers "
                "chiffres (--stamp 1234)."
            )
        return stamps[0]
    found = [t for t in stamps if t.stamp_number.endswith(last4.strip())]
    if len(found) != 1:
        raise CorrectionRefused(
            f"Aucun timbre unique de cette remise ne finit par « {last4.strip()} » : donnez les "
            "4 derniers chiffres d'un de ses timbres."
        )
    return found[0]


def correct_handover(
    uow: UnitOfWork,
    handover_id: int,
    *,
    by: AgentIdentity,
    reason: str,
    desk_name: str,
    amount_cents: int | None = None,
    stamp_last4: str | None = None,
    document_type: IdentityDocumentKind | None = None,
    now: datetime | None = None,
) -> tuple[HandoverCorrection, ...]:
    """Append the corrections asked for, or refuse and write nothing; returns the history."""
    if amount_cents is None and document_type is None:
        raise CorrectionRefused(
            "Rien à rectifier : donnez un montant (--amount) ou un type de pièce (--document-type)."
        )
    if amount_cents is not None and not 0 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise CorrectionRefused(
            f"Montant hors limites : entre 0 et {MAX_AMOUNT_CENTS // 100} € attendu."
        )
    text = clean_reason(reason)
    with uow:
        s = uow.session
        author = acting_account(s, by, SUPERVISORS, doing="rectifier une remise")
        h = s.get(Handover, handover_id)
        if h is None:
            raise CorrectionRefused(f"Aucune remise n° {handover_id} : rien n'a été rectifié.")
        if h.agent_id == author.id:
            raise CorrectionRefused(
                "Une remise ne se rectifie pas par l'agent qui l'a enregistrée : demandez à un "
                "autre chef d'accueil. Rien n'a été rectifié."
            )
        at = now or server_now(s)
        now_values = current_values(s, handover_id)
        rows: list[CorrectionRow] = []
        if amount_cents is not None:
            stamps = list(
                s.execute(
                    select(TaxStamp).where(TaxStamp.handover_id == h.id).order_by(TaxStamp.id)
                ).scalars()
            )
            stamp = _stamp(stamps, stamp_last4)
            old = now_values.amounts.get(stamp.id, stamp.amount_cents)
            rows.append(_row(h, STAMP_AMOUNT, stamp.id, str(old), str(amount_cents)))
        if document_type is not None:
            ident = s.execute(
                select(IdentityCheck).where(IdentityCheck.handover_id == h.id)
            ).scalar_one()
            old_kind = now_values.document_type or ident.document_type
            rows.append(_row(h, DOCUMENT_TYPE, None, old_kind, document_type.value))
        for row in rows:
            if row.old_value == row.new_value:
                raise CorrectionRefused(
                    "La remise porte déjà cette valeur : rien n'a été rectifié."
                )
            row.reason = text
            row.supervisor_id = author.id
            row.corrected_at = at
            s.add(row)
            s.flush()
            audit.append(
                s,
                at=at,
                desk=desk_name,
                agent=author.pseudonym,
                action="handover.correct",
                subject=f"permit:{h.permit_id}",
                details={
                    "handover": h.id,
                    "correction": row.id,
                    "field": row.field,
                    "old": row.old_value,
                    "new": row.new_value,
                    # The words live in the correction row; the audit keeps a keyed digest.
                    "reason_digest": audit.text_digest(text),
                },
            )
        history = current_values(s, handover_id).corrections
        uow.commit()
    return history


def _row(h: Handover, field: str, stamp_id: int | None, old: str, new: str) -> CorrectionRow:
    return CorrectionRow(
        handover_id=h.id, field=field, stamp_id=stamp_id, old_value=old, new_value=new
    )
