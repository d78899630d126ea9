"""The handover use case: everything recorded in one transaction, exactly once per permit."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.opening_window import OpeningWindow, WindowStatus, format_next_opening
from handover.domain.signature import SignatureRejected, check_signature
from handover.domain.values import (
    AgentIdentity,
    DeskContext,
    HandoverRecord,
    HandoverRequest,
    OverrideKind,
    OverrideUse,
    PreviousCardReturn,
    PriorHandover,
    Role,
    StampEntry,
    handover_number,
)
from handover.errors import AccountDisabled as AccountDisabled  # re-exported
from handover.errors import CommitOutcomeUnknown, DatabaseUnavailable
from handover.persistence.engine import server_now
from handover.persistence.models import (
    Agent,
    Base,
    Desk,
    Handover,
    HandoverOverride,
    IdentityCheck,
    Override,
    Permit,
    PermitState,
    PreviousCard,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.queue import served as queue_served
from handover.scanning.errors import ScanParseError
from handover.scanning.numbers import parse_tax_stamp
from handover.scanning.payloads import ScanResult, parse_scan
from handover.services import lookup
from handover.services.accounts import acting_account
from handover.services.handover_rules import HandoverRefused, check_request

log = logging.getLogger(__name__)
HANDOVER_STATES = (PermitState.NOTIFIED, PermitState.RECEIVED)


class AlreadyHandedOver(HandoverRefused):
    def __init__(self, prior: PriorHandover, tz: str = "Europe/Paris") -> None:
        from zoneinfo import ZoneInfo

        local = prior.at.astimezone(ZoneInfo(tz))
        super().__init__(
            f"Ce titre a déjà été remis le {local:%d/%m/%Y à %H:%M}, {prior.desk_name}, par "
            f"{prior.agent_name} (remise {prior.handover_number}). Ne le remettez pas une "
            "seconde fois."
        )
        self.prior = prior


class PermitNotAvailable(HandoverRefused):
    pass


class CounterClosed(HandoverRefused):
    def __init__(self, status: WindowStatus, tz: str) -> None:
        nxt = format_next_opening(status, tz) if status.next_opening else ""
        super().__init__(
            f"{status.reason or 'Guichet fermé.'} {nxt}".strip()
            + " Une remise hors horaires demande l'accord d'un chef d'accueil."
        )
        self.status = status


class StampAlreadyUsed(HandoverRefused):
    def __init__(self, number: str, where: str) -> None:
        super().__init__(
            f"Le timbre fiscal …{number[-4:]} a déjà été utilisé ({where}). Un timbre ne sert "
            "qu'une fois : demandez un autre timbre."
        )
        self.number = number


class InvalidRequest(HandoverRefused):
    pass


_STAMP_USAGE = (
    select(Handover.id, Handover.handed_over_at, Desk.name)
    .join(TaxStamp, TaxStamp.handover_id == Handover.id)
    .join(Desk, Desk.id == Handover.desk_id)
    .where(TaxStamp.stamp_number == bindparam("number"))
)


def stamp_usage(session: Session, number: str, tz: str = "Europe/Paris") -> str | None:
    """Where a stamp was consumed before, in words, or None if it is unused."""
    from zoneinfo import ZoneInfo

    row = session.execute(_STAMP_USAGE, {"number": number}).first()
    if row is None:
        return None
    hid, at, desk = row
    local = at.astimezone(ZoneInfo(tz))
    return f"remise {handover_number(hid, at)} du {local:%d/%m/%Y à %H:%M}, {desk}"


def validate_stamps(stamps: tuple[StampEntry, ...]) -> tuple[StampEntry, ...]:
    seen: set[str] = set()
    clean: list[StampEntry] = []
    for s in stamps:
        try:
            digits = parse_tax_stamp(s.number).digits
        except ScanParseError as exc:
            raise InvalidRequest(exc.message) from exc
        if digits in seen:
            raise InvalidRequest(f"Le timbre …{digits[-4:]} est saisi deux fois.")
        if s.amount_cents < 0:
            raise InvalidRequest("Le montant d'un timbre ne peut pas être négatif.")
        seen.add(digits)
        clean.append(StampEntry(digits, s.amount_cents))
    return tuple(clean)


def _validate(request: HandoverRequest) -> tuple[StampEntry, ...]:
    """What needs no database: the signature's image and the stamps' numbers."""
    try:
        check_signature(request.signature_png)
    except SignatureRejected as exc:
        raise InvalidRequest(exc.message) from None
    return validate_stamps(request.stamps)


def _parse(raw: str) -> ScanResult:
    return parse_scan(raw)


@dataclass(frozen=True)
class HandoverPolicy:
    window: OpeningWindow
    timezone: str = "Europe/Paris"
    # How the desk reads a scan (its trust store, its scanner's control substitutes).
    parse: Callable[[str], ScanResult] = _parse
    # The site's ``[identity] documents``; None accepts every kind (demo data, restores).
    identity_documents: frozenset[str] | None = None


class OverrideRefused(HandoverRefused):
    """An override sent with the handover cannot serve it."""


def acting_agent(session: Session, agent: AgentIdentity) -> Agent:
    """The acting account as the database holds it now; refused if disabled."""
    return acting_account(session, agent)


class DoorAgentCannotHandOver(HandoverRefused):
    """An agent d'accueil issues tickets at the door; handing over is a desk's act."""


def _overrides(
    session: Session,
    ids: tuple[int, ...],
    *,
    agent: AgentIdentity,
    desk: DeskContext,
    permit_id: int,
    at: datetime,
) -> dict[OverrideKind, Override]:
    """The request's overrides by kind, each checked: for this permit at this desk, granted
    by someone else, not expired, not used before (a window extension serves many)."""
    found: dict[OverrideKind, Override] = {}
    for override_id in dict.fromkeys(ids):
        o = session.get(Override, override_id)
        if o is None or o.kind not in OverrideKind.__members__.values():
            raise OverrideRefused(f"Dérogation n° {override_id} introuvable.")
        kind = OverrideKind(o.kind)
        if o.supervisor_id == agent.agent_id:
            raise OverrideRefused(
                "Une dérogation ne s'accorde pas à soi-même : faites venir un autre chef d'accueil."
            )
        if o.desk_id != desk.desk_id:
            raise OverrideRefused("Cette dérogation a été accordée à un autre guichet.")
        if o.created_at > at or o.expires_at <= at:
            raise OverrideRefused("Cette dérogation a expiré : demandez-la à nouveau.")
        if kind != OverrideKind.WINDOW:
            if o.permit_id != permit_id:
                raise OverrideRefused("Cette dérogation a été accordée pour un autre titre.")
            if o.used_at is not None:
                raise OverrideRefused(
                    "Cette dérogation a déjà servi : une dérogation vaut pour une seule remise."
                )
        found[kind] = o
    return found


def record_handover(
    uow: UnitOfWork,
    request: HandoverRequest,
    *,
    agent: AgentIdentity,
    desk: DeskContext,
    policy: HandoverPolicy,
    now: datetime | None = None,
) -> HandoverRecord:
    """Record the handover whole, or raise a HandoverRefused and write nothing."""
    return record_handover_at_counter(uow, request, agent=agent, desk=desk, policy=policy, now=now)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Built once: the handover's rows are written with plain inserts (no ORM flush), and
# SQLAlchemy reuses these statements' compiled forms from one handover to the next.
_INSERT_HANDOVER = insert(_table(Handover))
_INSERT_IDENTITY = insert(_table(IdentityCheck))
_INSERT_STAMP = insert(_table(TaxStamp))
_INSERT_PREVIOUS_CARD = insert(_table(PreviousCard))
_INSERT_SIGNATURE = insert(_table(Signature))
_SET_AUDIT_HASH = (
    update(_table(Handover))
    .where(_table(Handover).c.id == bindparam("handover_id"))
    .values(audit_hash=bindparam("hash"))
)
_TAKE_PERMIT = (
    update(_table(Permit))
    .where(
        _table(Permit).c.id == bindparam("permit_id"),
        _table(Permit).c.state.in_(bindparam("allowed", expanding=True)),
    )
    .values(state=PermitState.HANDED_OVER, closed_at=bindparam("at"), updated_at=bindparam("at"))
)
_PERMIT = select(Permit).where(Permit.id == bindparam("permit_id"))
_ACTIVE_WINDOW_OVERRIDE = (
    select(Override)
    .where(
        Override.desk_id == bindparam("desk_id"),
        Override.kind == OverrideKind.WINDOW.value,
        Override.supervisor_id != bindparam("agent_id"),
        Override.expires_at > bindparam("at"),
        Override.created_at <= bindparam("at"),
    )
    .order_by(Override.expires_at.desc())
    .limit(1)
)


def record_handover_at_counter(
    uow: UnitOfWork,
    request: HandoverRequest,
    *,
    agent: AgentIdentity,
    desk: DeskContext,
    policy: HandoverPolicy,
    now: datetime | None = None,
    active_window_override: bool = False,
) -> HandoverRecord:
    """``record_handover``; with ``active_window_override``, a request without an override
    uses the desk's active window override when the counter is closed (looked up in the
    same transaction, as ``overrides.active_window_override`` finds it).
    """
    stamps = _validate(request)
    with uow:
        s = uow.session
        at = now or server_now(s)
        if acting_agent(s, agent).role == Role.DOOR:
            raise DoorAgentCannotHandOver(
                "Un agent d'accueil ne remet pas de titre : la remise se fait à un guichet, "
                "par un agent de guichet."
            )
        status = policy.window.status(at)
        granted = _overrides(
            s,
            request.override_ids,
            agent=agent,
            desk=desk,
            permit_id=request.permit_id,
            at=at,
        )
        if not status.is_open and OverrideKind.WINDOW not in granted:
            # At the counter, the desk's active window extension (granted by someone else).
            active = (
                s.execute(
                    _ACTIVE_WINDOW_OVERRIDE,
                    {"desk_id": desk.desk_id, "at": at, "agent_id": agent.agent_id},
                ).scalar_one_or_none()
                if active_window_override
                else None
            )
            if active is None:
                raise CounterClosed(status, policy.timezone)
            granted[OverrideKind.WINDOW] = active
        lifted: set[OverrideKind] = set() if status.is_open else {OverrideKind.WINDOW}
        permit = s.execute(_PERMIT, {"permit_id": request.permit_id}).scalar_one_or_none()
        if permit is None:
            raise PermitNotAvailable("Titre introuvable : scannez à nouveau la référence.")
        allowed = list(HANDOVER_STATES)
        if OverrideKind.BLOCKED in granted:
            allowed.append(PermitState.BLOCKED)
            if permit.state == PermitState.BLOCKED:
                lifted.add(OverrideKind.BLOCKED)
        conn = s.connection()
        # The conditional update is the gate: of two desks racing, one changes the row and
        # the other changes nothing (PostgreSQL makes it wait for the first, then re-checks).
        changed = conn.execute(
            _TAKE_PERMIT, {"permit_id": permit.id, "allowed": allowed, "at": at}
        ).rowcount
        if changed != 1:
            s.expire_all()
            prior = lookup.prior_handover(s, permit.id)
            if prior is not None:
                raise AlreadyHandedOver(prior, policy.timezone)
            state = s.execute(select(Permit.state).where(Permit.id == permit.id)).scalar_one()
            raise PermitNotAvailable(_not_available_message(PermitState(state)))
        summary = lookup.summary(permit)
        checked = check_request(
            request,
            summary,
            stamps,
            parse=policy.parse,
            today=at.astimezone(ZoneInfo(policy.timezone)).date(),
            granted=frozenset(granted),
            accepted_documents=policy.identity_documents,
        )
        lifted |= checked.lifted
        for stamp in stamps:
            where = stamp_usage(s, stamp.number, policy.timezone)
            if where is not None:
                raise StampAlreadyUsed(stamp.number, where)
        total = checked.stamps_total_cents
        used = [granted[k] for k in OverrideKind if k in lifted]
        # The server's time of the ticket's call at this desk, when the desk called it;
        # else what the desk saw (its first scan of this permit), never after the record.
        tickets = queue_served.open_tickets(conn, permit.id)
        started = queue_served.call_started_at(conn, tickets, desk.desk_id)
        if started is None and request.scan_started_at is not None:
            started = min(request.scan_started_at, at)
        used_override_id = used[0].id if used else None
        try:
            inserted = conn.execute(
                _INSERT_HANDOVER,
                {
                    "permit_id": permit.id,
                    "desk_id": desk.desk_id,
                    "agent_id": agent.agent_id,
                    "handed_over_at": at,
                    "override_id": used_override_id,
                    "stamps_total_cents": total,
                    "scan_started_at": started,
                    "audit_hash": "",
                },
            )
        except IntegrityError as exc:  # the unique constraint is the backstop
            raise PermitNotAvailable("Ce titre vient d'être remis à un autre guichet.") from exc
        key = inserted.inserted_primary_key
        assert key is not None
        handover_id = int(key[0])
        ident = checked.identity
        conn.execute(
            _INSERT_IDENTITY,
            {
                "handover_id": handover_id,
                "document_type": ident.kind,
                "issuing_country": ident.issuing_country.upper()[:3],
                "number_last4": ident.number.strip()[-4:].upper(),
                "from_scan": ident.from_scan,
                # Typed: checked by eye, nothing compared.
                "name_matches": not {"nom", "prénom"} & set(ident.differences)
                if ident.from_scan
                else None,
                "birth_date_matches": "date de naissance" not in ident.differences
                if ident.from_scan
                else None,
            },
        )
        uses = _use_overrides(s, used, handover_id, at)
        queue_served.mark_served(conn, tickets, handover_id, at)
        if stamps:
            try:
                conn.execute(
                    _INSERT_STAMP,
                    [
                        {
                            "stamp_number": stamp.number,
                            "handover_id": handover_id,
                            "amount_cents": stamp.amount_cents,
                        }
                        for stamp in stamps
                    ],
                )
            except IntegrityError as exc:
                # Another desk consumed one of these stamps between our check and our insert.
                raise StampAlreadyUsed(stamps[0].number, "à l'instant, à un autre guichet") from exc
        prev = checked.previous_card
        conn.execute(
            _INSERT_PREVIOUS_CARD,
            {
                "handover_id": handover_id,
                "outcome": prev.outcome,
                "card_number_last4": prev.card_number.strip()[-4:].upper()
                if prev.card_number
                else None,
                "police_report_number": prev.police_report_number,
                "police_report_date": prev.police_report_date,
            },
        )
        conn.execute(
            _INSERT_SIGNATURE,
            {
                "handover_id": handover_id,
                "png": request.signature_png,
                "sha256": hashlib.sha256(request.signature_png).hexdigest(),
                "purged_at": None,
            },
        )
        entry = audit.append(
            s,
            at=at,
            desk=desk.desk_name,
            agent=agent.pseudonym,
            action="handover",
            subject=f"permit:{permit.id}",
            details={
                "handover": handover_number(handover_id, at),
                "stamps": len(stamps),
                "stamps_total_cents": total,
                "previous_card": prev.outcome.value,
                "override": used_override_id,
                "overrides": [{"id": o.id, "kind": o.kind} for o in used],
                "identity": ident.kind,
                "identity_checked": "scan" if ident.from_scan else "visual",
                "identity_match": ident.from_scan and not ident.differences,
            },
        )
        conn.execute(_SET_AUDIT_HASH, {"handover_id": handover_id, "hash": entry.hash})
        _commit_or_find_out(
            uow, handover_id=handover_id, permit_id=permit.id, audit_hash=entry.hash
        )
        return HandoverRecord(
            handover_id=handover_id,
            handover_number=handover_number(handover_id, at),
            permit=lookup.summary(permit),
            at=at,
            desk_name=desk.desk_name,
            agent_pseudonym=agent.pseudonym,
            agent_name=agent.display_name,
            identity_kind=ident.kind,
            stamps=tuple((x.number[-4:], x.amount_cents) for x in stamps),
            stamps_total_cents=total,
            previous_card=PreviousCardReturn(
                prev.outcome,
                prev.card_number.strip()[-4:] if prev.card_number else None,
                prev.police_report_number,
                prev.police_report_date,
            ),
            audit_hash=entry.hash,
            signature_png=request.signature_png,
            overrides=uses,
        )


_INSERT_HANDOVER_OVERRIDE = insert(_table(HandoverOverride))
_USE_OVERRIDE = (
    update(_table(Override))
    .where(_table(Override).c.id == bindparam("override_id"), _table(Override).c.used_at.is_(None))
    .values(used_at=bindparam("at"))
)


def _use_overrides(
    session: Session, used: list[Override], handover_id: int, at: datetime
) -> tuple[OverrideUse, ...]:
    """Link the overrides that lifted a rule to the handover; each but a window extension is
    spent (conditionally: of two desks racing for one override, one gets it)."""
    conn = session.connection()
    uses = []
    for o in used:
        if o.kind != OverrideKind.WINDOW and (
            conn.execute(_USE_OVERRIDE, {"override_id": o.id, "at": at}).rowcount != 1
        ):
            raise OverrideRefused(
                "Cette dérogation a déjà servi : une dérogation vaut pour une seule remise."
            )
        conn.execute(
            _INSERT_HANDOVER_OVERRIDE,
            {"handover_id": handover_id, "override_id": o.id, "kind": o.kind},
        )
        supervisor = session.get(Agent, o.supervisor_id)
        name = supervisor.display_name if supervisor is not None else "?"
        uses.append(OverrideUse(OverrideKind(o.kind), name, o.reason))
    return tuple(uses)


OUTCOME_UNKNOWN = (
    "Résultat inconnu : la liaison avec la base de données a été coupée pendant "
    "l'enregistrement de la remise, et la base ne répond pas pour dire si la remise est "
    "enregistrée. Gardez le titre ; le guichet vérifiera dès que la base répondra (F9 : "
    "remises du jour). Ne refaites pas la remise avant cette vérification."
)
_OUR_HANDOVER = select(Handover.audit_hash).where(
    Handover.id == bindparam("handover_id"), Handover.permit_id == bindparam("permit_id")
)


def _commit_or_find_out(
    uow: UnitOfWork, *, handover_id: int, permit_id: int, audit_hash: str
) -> None:
    """Commit; when the COMMIT fails, ask the database whether it went through anyway.

    A connection lost during COMMIT leaves the outcome unknown to the client. The row is
    ours only with our id and our audit hash. Committed: nothing to report. Not committed:
    the commit's own error ("Rien n'a été enregistré") is now the truth. No answer:
    ``CommitOutcomeUnknown``, and the screen asks again later (``find_handover``).
    """
    try:
        uow.commit()
    except DatabaseUnavailable:
        found = _our_audit_hash(uow.engine, handover_id, permit_id)
        if found != audit_hash:
            raise
        log.warning("Remise du titre %s : COMMIT signalé en échec mais enregistré", permit_id)


def _our_audit_hash(engine: Engine, handover_id: int, permit_id: int) -> str | None:
    # Twice: the first try may meet another pooled connection that died with the one that
    # failed (no ping before checkout); SQLAlchemy then discards the pool.
    for attempt in (1, 2):
        try:
            with UnitOfWork(engine, read_only=True) as check:
                found: str | None = check.session.execute(
                    _OUR_HANDOVER, {"handover_id": handover_id, "permit_id": permit_id}
                ).scalar_one_or_none()
                return found
        except (DatabaseUnavailable, DBAPIError) as unreachable:
            if attempt == 2:
                log.warning("Remise du titre %s : résultat du COMMIT inconnu", permit_id)
                raise CommitOutcomeUnknown(OUTCOME_UNKNOWN, permit_id=permit_id) from unreachable
    raise AssertionError("unreachable")


def _not_available_message(state: PermitState) -> str:
    return {
        PermitState.BLOCKED: "Ce titre est bloqué : voyez le chef d'accueil.",
        PermitState.RETURNED: "Ce titre a été retourné (non réclamé) : il n'est plus au guichet.",
        PermitState.EXPECTED: "Ce titre n'est pas encore arrivé en préfecture.",
    }.get(state, "Ce titre ne peut pas être remis dans son état actuel.")
