"""Permits notified but not collected: list them, remind their holders, send them back."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from handover import audit
from handover.backoffice.sms import (
    DEFAULT_REMINDER,
    REMINDER_PLACEHOLDERS,
    GatewayLine,
    SmsTemplate,
    check_length,
    check_template,
    message_values,
    write_gateway_file,
)
from handover.config import Config
from handover.domain.values import AgentIdentity
from handover.persistence.engine import server_now
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import SUPERVISORS, acting_account
from handover.services.permits import SkippedPermit, change_states

REMIND = "écrire les SMS de rappel"
RETURN = "marquer des titres « retournés »"


@dataclass(frozen=True)
class UnclaimedPermit:
    permit_id: int
    reference: str | None
    card_number: str
    storage_slot: str | None
    surname: str
    given_names: str
    notified_at: datetime
    reminded_at: datetime | None
    days_waiting: int


@dataclass(frozen=True)
class ReminderBatch:
    path: Path
    messages: int
    without_phone: int


@dataclass(frozen=True)
class ReturnBatch:
    permits: tuple[UnclaimedPermit, ...]  # returned (on a dry run: would be)
    done: bool  # False on a dry run
    skipped: tuple[SkippedPermit, ...] = ()  # changed underneath: left as they are


def _unclaimed(uow: UnitOfWork, before: datetime) -> list[Permit]:
    return list(
        uow.session.execute(
            select(Permit)
            .where(Permit.state == PermitState.NOTIFIED, Permit.notified_at <= before)
            .order_by(Permit.notified_at, Permit.id)
        ).scalars()
    )


def _value(p: Permit, now: datetime) -> UnclaimedPermit:
    assert p.notified_at is not None
    return UnclaimedPermit(
        permit_id=p.id,
        reference=p.handover_reference,
        card_number=p.card_number,
        storage_slot=p.storage_slot,
        surname=p.surname,
        given_names=p.given_names,
        notified_at=p.notified_at,
        reminded_at=p.reminded_at,
        days_waiting=(now - p.notified_at).days,
    )


def list_unclaimed(
    engine: Engine, config: Config, *, days: int | None = None, now: datetime | None = None
) -> tuple[UnclaimedPermit, ...]:
    """Notified permits not collected ``days`` days after the SMS (default: reminder delay)."""
    days = config.retention.reminder_after_days if days is None else days
    with UnitOfWork(engine, read_only=True) as uow:
        at = now or server_now(uow.session)
        return tuple(_value(p, at) for p in _unclaimed(uow, at - timedelta(days=days)))


def remind_unclaimed(
    engine: Engine,
    config: Config,
    dest: Path,
    *,
    days: int | None = None,
    template: SmsTemplate | None = None,
    now: datetime | None = None,
    actor: AgentIdentity,
) -> ReminderBatch:
    """Write a reminder SMS for each unclaimed permit not reminded yet; mark them reminded."""
    days = config.retention.reminder_after_days if days is None else days
    template = template or SmsTemplate(DEFAULT_REMINDER, REMINDER_PLACEHOLDERS)
    check_template(config, template)
    zone = ZoneInfo(config.schedule.timezone)
    lines: list[GatewayLine] = []
    without_phone = 0
    with UnitOfWork(engine) as uow:
        agent = acting_account(uow.session, actor, SUPERVISORS, doing=REMIND).pseudonym
        at = now or server_now(uow.session)
        for p in _unclaimed(uow, at - timedelta(days=days)):
            if p.reminded_at is not None:
                continue
            if p.phone is None or p.handover_reference is None:
                without_phone += 1
                continue
            assert p.notified_at is not None
            deadline = (
                p.notified_at + timedelta(days=config.retention.return_after_days)
            ).astimezone(zone)
            values = message_values(
                config,
                reference=p.handover_reference,
                fee_cents=p.fee_cents,
                previous_card=p.previous_card_expected,
            ) | {"date_limite": f"{deadline:%d/%m/%Y}"}
            message = template.render(values)
            check_length(message, template.source)
            lines.append(GatewayLine(p.phone, message, p.handover_reference))
            p.reminded_at = at
            p.updated_at = at
        if lines:
            audit.append(
                uow.session,
                at=at,
                desk=config.desk.name,
                agent=agent,
                action="sms_reminder",
                subject=f"sms:{at:%Y%m%dT%H%M%S}",
                details={"messages": len(lines), "days": days, "without_phone": without_phone},
            )
        uow.session.flush()
        write_gateway_file(dest, lines)
        try:
            uow.commit()
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
    return ReminderBatch(dest, len(lines), without_phone)


def return_unclaimed(
    engine: Engine,
    config: Config,
    *,
    days: int | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    actor: AgentIdentity,
    permit_ids: Collection[int] | None = None,
) -> ReturnBatch:
    """Mark as returned the permits still uncollected ``days`` days after the SMS.

    The permits are listed first (a read, no write lock), then each is returned only if it
    is still notified and due (a conditional update): one handed over, blocked or returned
    in between is skipped and listed in ``skipped`` with its new state. ``permit_ids``
    returns only those (the list an operator confirmed after a dry run).
    """
    days = config.retention.return_after_days if days is None else days
    reason = f"Non réclamé {days} jours après le SMS : renvoyé"
    with UnitOfWork(engine, read_only=True) as uow:
        acting_account(uow.session, actor, SUPERVISORS, doing=RETURN)  # dry runs too
        at = now or server_now(uow.session)
        due = at - timedelta(days=days)
        if permit_ids is None:
            values = tuple(_value(p, at) for p in _unclaimed(uow, due))
        else:
            values = tuple(
                _value(p, at)
                for p in uow.session.execute(
                    select(Permit)
                    .where(Permit.id.in_(list(permit_ids)), Permit.notified_at.is_not(None))
                    .order_by(Permit.notified_at, Permit.id)
                ).scalars()
            )
    if dry_run or not values:
        return ReturnBatch(values, False)
    with UnitOfWork(engine) as uow:
        s = uow.session
        agent = acting_account(s, actor, SUPERVISORS, doing=RETURN).pseudonym
        changed, skipped = change_states(
            s,
            [v.permit_id for v in values],
            expected=(PermitState.NOTIFIED,),
            values={
                "state": PermitState.RETURNED.value,
                "state_reason": reason,
                "closed_at": at,
                "updated_at": at,
            },
            extra=(Permit.notified_at <= due,),
        )
        if changed:
            audit.append(
                s,
                at=at,
                desk=config.desk.name,
                agent=agent,
                action="permits_return",
                subject=f"return:{at:%Y%m%dT%H%M%S}",
                details={
                    "days": days,
                    "count": len(changed),
                    "permits": changed,
                    "skipped": [x.permit_id for x in skipped],
                },
            )
        uow.commit()
    returned = set(changed)
    return ReturnBatch(tuple(v for v in values if v.permit_id in returned), True, tuple(skipped))
