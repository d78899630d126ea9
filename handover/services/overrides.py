"""Supervisor overrides: a written reason, a role check, a time limit, an audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from handover import audit
from handover.domain.values import AgentIdentity, DeskContext, OverrideGrant, OverrideKind
from handover.persistence.engine import server_now
from handover.persistence.models import Agent, Override
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import SUPERVISORS, PermissionDenied, acting_account

MIN_REASON = 10
MAX_MINUTES = 240


def grant_override(
    uow: UnitOfWork,
    supervisor: AgentIdentity,
    *,
    kind: OverrideKind | str,
    reason: str,
    minutes: int,
    desk: DeskContext,
    permit_id: int | None = None,
    requested_by: AgentIdentity | None = None,
    now: datetime | None = None,
) -> OverrideGrant:
    """Record a supervisor's decision; ``supervisor`` must already be authenticated."""
    if not supervisor.is_supervisor:
        raise PermissionDenied(
            f"{supervisor.display_name} n'est pas chef d'accueil : seul un chef d'accueil peut "
            "autoriser cette dérogation."
        )
    if kind not in OverrideKind.__members__.values():
        raise PermissionDenied(f"Dérogation inconnue : {kind}.")
    kind = OverrideKind(kind)
    if requested_by is not None and requested_by.agent_id == supervisor.agent_id:
        raise PermissionDenied(
            "Une dérogation ne s'accorde pas à soi-même : faites venir un autre chef d'accueil."
        )
    if kind != OverrideKind.WINDOW and permit_id is None:
        raise PermissionDenied("Cette dérogation vaut pour un titre : scannez-le d'abord.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise PermissionDenied(
            f"Motif trop court : écrivez pourquoi (au moins {MIN_REASON} caractères), "
            "par exemple « usagers dans la file à 11 h »."
        )
    if not 1 <= minutes <= MAX_MINUTES:
        raise PermissionDenied(f"Durée de dérogation entre 1 et {MAX_MINUTES} minutes.")
    with uow:
        s = uow.session
        # The stored accounts decide: a chef demoted or disabled since logging in cannot grant.
        acting_account(s, supervisor, SUPERVISORS, doing="autoriser une dérogation")
        if requested_by is not None:
            acting_account(s, requested_by)
        at = now or server_now(s)
        o = Override(
            kind=kind.value,
            supervisor_id=supervisor.agent_id,
            desk_id=desk.desk_id,
            permit_id=permit_id,
            reason=reason,
            created_at=at,
            expires_at=at + timedelta(minutes=minutes),
        )
        s.add(o)
        s.flush()
        audit.append(
            s,
            at=at,
            desk=desk.desk_name,
            agent=supervisor.pseudonym,
            action=f"override.{kind.value}",
            subject=f"permit:{permit_id}" if permit_id else f"desk:{desk.desk_id}",
            details={
                "override": o.id,
                "minutes": minutes,
                # The text lives in the override row, which the retention purge erases.
                "reason_digest": audit.text_digest(reason),
                "requested_by": requested_by.pseudonym if requested_by else None,
            },
        )
        uow.commit()
        return OverrideGrant(
            o.id, kind.value, reason, supervisor.pseudonym, o.expires_at, permit_id
        )


def active_window_override(
    uow: UnitOfWork, desk: DeskContext, at: datetime | None = None
) -> OverrideGrant | None:
    with uow:
        s = uow.session
        now = at or server_now(s)
        row = s.execute(
            select(Override, Agent.pseudonym)
            .join(Agent, Agent.id == Override.supervisor_id)
            .where(
                Override.desk_id == desk.desk_id,
                Override.kind == OverrideKind.WINDOW.value,
                Override.expires_at > now,
                Override.created_at <= now,
            )
            .order_by(Override.expires_at.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        o, pseudonym = row
        return OverrideGrant(o.id, o.kind, o.reason, pseudonym, o.expires_at, o.permit_id)
