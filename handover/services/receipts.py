"""From the database to receipt and closing-sheet values, and to PDF bytes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, exists, func, select
from sqlalchemy.orm import Session

from handover import checkpoints, sitekey
from handover.config import Config
from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    HandoverCorrection,
    HandoverRecord,
    IdentityDocumentKind,
    OverrideKind,
    PreviousCardOutcome,
    handover_number,
)
from handover.persistence.models import (
    Agent,
    AuditEntry,
    Desk,
    Handover,
    HandoverOverride,
    Override,
)
from handover.persistence.uow import UnitOfWork, make_durable
from handover.receipts import format as fmt
from handover.receipts.data import (
    DaySheetData,
    DeskTotal,
    OverrideLine,
    ReceiptData,
    ReceiptLayout,
    ReprintLine,
    StampLine,
)
from handover.receipts.render import render_receipt

PAPER_LAYOUT: dict[str, ReceiptLayout] = {
    "A4": "a4",
    "A5": "a5",
    "roll80": "roll80",
    "a4": "a4",
    "a5": "a5",
}


def previous_card_sentence(record: HandoverRecord) -> str:
    prev = record.previous_card
    if prev.outcome == PreviousCardOutcome.TAKEN_BACK:
        return f"Carte précédente n° …{prev.card_number or '????'} restituée"
    if prev.outcome == PreviousCardOutcome.LOST_OR_STOLEN:
        number = prev.police_report_number
        when = f" du {prev.police_report_date:%d/%m/%Y}" if prev.police_report_date else ""
        return f"Carte précédente déclarée perdue ou volée (déclaration n° {number}{when})"
    return "Première délivrance : pas de carte précédente"


def receipt_data(record: HandoverRecord, config: Config, *, duplicate: bool) -> ReceiptData:
    p = record.permit
    return ReceiptData(
        prefecture_name=config.site.prefecture,
        site_name=config.site.name,
        handover_number=record.handover_number,
        handed_over_at=record.at,
        timezone=config.schedule.timezone,
        desk_name=record.desk_name,
        agent_pseudonym=record.agent_pseudonym,
        holder_surname=p.surname,
        holder_given_names=p.given_names,
        holder_birth_date=p.birth_date,
        permit_category=p.category,
        card_number=p.card_number,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        stamps=tuple(StampLine(last4, cents) for last4, cents in record.stamps),
        stamps_total_cents=record.stamps_total_cents,
        previous_card=previous_card_sentence(record),
        signature_png=record.signature_png,
        audit_hash_prefix=record.audit_hash[:12],
        duplicate=duplicate,
        # The kind only: the reason may name people and stays on the closing sheet.
        overrides=tuple(
            f"Remise autorisée par un chef d'accueil : {use.kind.label}" for use in record.overrides
        ),
        corrections=tuple(
            correction_sentence(c, config.schedule.timezone) for c in record.corrections
        ),
    )


def correction_sentence(c: HandoverCorrection, timezone: str) -> str:
    """One correction as the receipt prints it (the values shown above are the new ones)."""
    day, time = fmt.day_and_time(c.at, timezone)
    if c.field == "document_type":
        what = f"pièce d'identité « {_kind_label(c.old_value)} » → « {_kind_label(c.new_value)} »"
    else:
        what = (
            f"montant du timbre …{c.stamp_last4} {fmt.euros(int(c.old_value))} → "
            f"{fmt.euros(int(c.new_value))}"
        )
    return f"Rectifié le {day} à {time} par le chef d'accueil {c.supervisor_pseudonym} : {what}"


def _kind_label(value: str) -> str:
    try:
        return IDENTITY_DOCUMENT_LABELS[IdentityDocumentKind(value)]
    except ValueError:
        return value


def render(data: ReceiptData, paper: str) -> bytes:
    return render_receipt(data, PAPER_LAYOUT.get(paper, "a4"))


def day_sheet_data(engine: Engine, config: Config, day: date) -> DaySheetData:
    """Handovers per desk, overrides with reasons, reprints and the chain head for a day."""
    tz = ZoneInfo(config.schedule.timezone)
    start = datetime.combine(day, time(0), tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tz).astimezone(UTC)
    make_durable(engine)  # the sheet prints the chain head: no scan entry may vanish later
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        desks = s.execute(
            select(
                Desk.name,
                func.count(Handover.id),
                func.coalesce(func.sum(Handover.stamps_total_cents), 0),
            )
            .join(Handover, Handover.desk_id == Desk.id)
            .where(Handover.handed_over_at >= start, Handover.handed_over_at < end)
            .group_by(Desk.name)
            .order_by(Desk.name)
        ).all()
        overrides = _day_overrides(s, start, end)
        reprints = s.execute(
            select(AuditEntry.at, AuditEntry.agent, AuditEntry.details)
            .where(
                AuditEntry.action == "receipt.reprint", AuditEntry.at >= start, AuditEntry.at < end
            )
            .order_by(AuditEntry.id)
        ).all()
        # Against the outside checkpoints too: a sheet must not vouch for a rewritten chain.
        outcome = checkpoints.verify(
            s, config.checkpoints_path, key=sitekey.configured_key(), missing_ok=True
        )
    report = outcome.chain
    problem = ""
    if outcome.code != 0:
        where = f"entrée n° {outcome.broken_at} : " if outcome.broken_at is not None else ""
        problem = f"{where}{outcome.problem}".rstrip(".") + "."
    return DaySheetData(
        day=day,
        prefecture_name=config.site.prefecture,
        site_name=config.site.name,
        timezone=config.schedule.timezone,
        desks=tuple(DeskTotal(name, int(n), int(cents)) for name, n, cents in desks),
        overrides=overrides,
        reprints=tuple(
            ReprintLine(at, str(json.loads(details).get("handover", "?")), who)
            for at, who, details in reprints
        ),
        audit_head_hash=report.head_hash if report is not None and not problem else "",
        audit_verified_entries=_verified_before(outcome)
        if problem or report is None
        else report.verified,
        audit_problem=problem,
    )


def _override_label(kind: str) -> str:
    try:
        label = OverrideKind(kind).label
    except ValueError:
        label = kind  # a kind this version does not know: shown as stored
    return label[:1].upper() + label[1:]


def _day_overrides(s: Session, start: datetime, end: datetime) -> tuple[OverrideLine, ...]:
    """Each override that travelled with a handover of the day (``handover_overrides``),
    then those granted that day that no handover used."""
    travelled = s.execute(
        select(
            Handover.id,
            Handover.handed_over_at,
            HandoverOverride.kind,
            Agent.pseudonym,
            Override.reason,
        )
        .join(HandoverOverride, HandoverOverride.handover_id == Handover.id)
        .join(Override, Override.id == HandoverOverride.override_id)
        .join(Agent, Agent.id == Override.supervisor_id)
        .where(Handover.handed_over_at >= start, Handover.handed_over_at < end)
        .order_by(Handover.handed_over_at, Handover.id, Override.id)
    ).all()
    unused = s.execute(
        select(Override.created_at, Override.kind, Agent.pseudonym, Override.reason)
        .join(Agent, Agent.id == Override.supervisor_id)
        .where(
            Override.created_at >= start,
            Override.created_at < end,
            ~exists().where(HandoverOverride.override_id == Override.id),
        )
        .order_by(Override.created_at, Override.id)
    ).all()
    return tuple(
        OverrideLine(at, who, reason, _override_label(kind), handover_number(hid, at))
        for hid, at, kind, who, reason in travelled
    ) + tuple(
        OverrideLine(at, who, reason, _override_label(kind)) for at, kind, who, reason in unused
    )


def _verified_before(outcome: checkpoints.CheckpointReport) -> int:
    """Entries verified before the first bad one (from the chain's start)."""
    chain = outcome.chain
    if chain is None or outcome.broken_at is None:
        return 0
    return max(0, outcome.broken_at - 1 - chain.anchor_id)


__all__ = ["day_sheet_data", "receipt_data", "render"]
