"""The queue's use cases: issue tickets at the door, call them at the desks, predict capacity.

Every decision is taken inside one transaction on the shared database: numbering locks the
day's counter row (``queue_days``), a call is a conditional update of the ticket's status
(the gate: of two desks racing for a ticket, one changes the row), and PostgreSQL desks pick
candidates with ``FOR UPDATE SKIP LOCKED``. SQLite writers are serialized by BEGIN IMMEDIATE.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handover import audit
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.opening_window import format_next_opening
from handover.domain.values import AgentIdentity, OverrideKind, Role, Verdict, VerdictKind
from handover.persistence.engine import server_now
from handover.persistence.models import (
    Desk,
    DeskHeartbeat,
    DoorEvent,
    Override,
    Permit,
    QueueCall,
    QueueDay,
    QueueTicket,
)
from handover.persistence.uow import UnitOfWork
from handover.queue import capacity
from handover.queue.errors import CallNotFound, NoOpeningToday, QueueError, TicketNotFound
from handover.queue.served import LIVE
from handover.queue.values import (
    CallRecord,
    QueueStatus,
    Ticket,
    TicketOutcome,
    TicketStatus,
    ticket_label,
)
from handover.queue.watch import NOTIFY_CHANNEL
from handover.scanning.mrz import Mrz
from handover.scanning.numbers import AnefRequestNumber, NumeroEtranger
from handover.scanning.twoddoc import TwoDDoc
from handover.services import verdicts
from handover.services.accounts import SYSTEM
from handover.services.counter import CounterService
from handover.services.handovers import acting_agent as _acting_agent

# Who acts from the command line (support, tests): no account; the audit says SYSTEME.
COMMAND_LINE = AgentIdentity(0, "cli", "ligne de commande", SYSTEM, Role.ADMIN)
READY_KINDS = (VerdictKind.READY, VerdictKind.NOT_NOTIFIED)
OUTSTANDING = (TicketStatus.WAITING.value, *LIVE)


@dataclasses.dataclass(frozen=True)
class DoorDay:
    """The opening day the door works for: its local date and its periods (aware UTC)."""

    day: date
    periods: tuple[tuple[datetime, datetime], ...]

    @property
    def opens(self) -> datetime:
        return self.periods[0][0]

    @property
    def closes(self) -> datetime:
        return self.periods[-1][1]

    def coming_start(self, at: datetime) -> datetime:
        """The start of the period under way or coming (what the door judges against)."""
        for start, end in self.periods:
            if at < end:
                return max(start, at)
        return self.closes


def _ticket(row: Any, desk_name: str | None) -> Ticket:
    """A Ticket from a row carrying the ticket's and its permit's columns."""
    from handover.scanning.reference import format_reference

    return Ticket(
        ticket_id=row.id,
        number=row.number,
        day=row.day,
        permit_id=row.permit_id,
        reference=format_reference(row.handover_reference) if row.handover_reference else None,
        status=TicketStatus(row.status),
        priority=row.priority,
        issued_at=row.issued_at,
        called_at=row.called_at,
        desk_name=desk_name,
        fee_cents=row.fee_cents,
        needs_previous_card=row.previous_card_expected,
        reprints=row.reprints,
    )


_TICKET_COLUMNS = (
    QueueTicket.id,
    QueueTicket.number,
    QueueTicket.day,
    QueueTicket.permit_id,
    QueueTicket.status,
    QueueTicket.priority,
    QueueTicket.issued_at,
    QueueTicket.called_at,
    QueueTicket.reprints,
    QueueTicket.head_since,
    Permit.handover_reference,
    Permit.fee_cents,
    Permit.previous_card_expected,
    Desk.name.label("desk_name"),
)


def _tickets() -> Any:
    return (
        select(*_TICKET_COLUMNS)
        .join(Permit, Permit.id == QueueTicket.permit_id)
        .outerjoin(Desk, Desk.id == QueueTicket.desk_id)
    )


def acting_agent(s: Session, agent: AgentIdentity) -> AgentIdentity:
    """The acting account, refused if disabled; the command line acts as itself."""
    if agent.agent_id == COMMAND_LINE.agent_id:
        return agent
    _acting_agent(s, agent)
    return agent


def _agent_id(agent: AgentIdentity) -> int | None:
    return None if agent.agent_id == COMMAND_LINE.agent_id else agent.agent_id


class QueueService:
    """The door's, the desks' and the display's view of the day's queue."""

    def __init__(self, engine: Engine, config: Config, *, clock: Clock | None = None) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self.q = config.queue
        # The desk's reading of scans (trust store, scanner substitutes), window and desk.
        self.counter = CounterService(engine, config, clock=clock)
        self.window = self.counter.window
        self.tz = config.schedule.timezone
        self.place = self.counter.desk  # this machine's desk row (the door's own name)
        self.site_id = self.place.site_id

    def _audit(
        self,
        s: Session,
        at: datetime,
        who: str,
        action: str,
        subject: str,
        details: dict[str, Any],
        *,
        desk: str | None = None,
    ) -> None:
        """One audit entry in the caller's transaction (the last lock it takes)."""
        audit.append(
            s,
            at=at,
            desk=desk or self.place.desk_name,
            agent=who,
            action=action,
            subject=subject,
            details=details,
        )

    # -- time -----------------------------------------------------------------------------
    def _now(self, session: Session) -> datetime:
        return self.clock.now() if self.clock is not None else server_now(session)

    def door_day(self, at: datetime) -> DoorDay | None:
        """Today's opening periods, while the last has not ended; None otherwise."""
        today = at.astimezone(ZoneInfo(self.tz)).date()
        periods = tuple(self.window.periods_on(today))
        if not periods or at >= periods[-1][1]:
            return None
        return DoorDay(today, periods)

    def _next_opening_after(self, at: datetime) -> datetime | None:
        """The first opening of a later day (what a holder turned away is told)."""
        day = self.door_day(at)
        return self.window.status(day.closes if day else at).next_opening

    def next_opening(self) -> datetime | None:
        with UnitOfWork(self.engine, read_only=True) as uow:
            return self._next_opening_after(self._now(uow.session))

    def _next_opening_text(self, at: datetime) -> tuple[datetime | None, str]:
        nxt = self._next_opening_after(at)
        if nxt is None:
            return None, "aucune ouverture n'est prévue"
        status = self.window.status(nxt - timedelta(seconds=1))
        return nxt, format_next_opening(status, self.tz)

    # -- the door -------------------------------------------------------------------------
    def issue(
        self,
        raw: str,
        agent: AgentIdentity,
        *,
        visual_check: bool = False,
        priority: str | None = None,
    ) -> TicketOutcome:
        """Issue (or reprint) the ticket of the permit the door scanned or typed."""
        self._check_priority(priority)
        result = self.counter.parse(raw.strip())
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at = self._now(s)
            acting_agent(s, agent)
            outcome = self._issue(s, at, result.value, result.errors, agent, visual_check, priority)
            self._door_event(s, at, outcome)
            uow.commit()
        return outcome

    def _check_priority(self, priority: str | None) -> None:
        if priority is not None and priority not in self.q.priority_reasons:
            keys = ", ".join(self.q.priority_reasons) or "aucun motif configuré"
            raise QueueError(
                f"Motif de priorité inconnu « {priority} » : motifs possibles : {keys}."
            )

    def _refused(self, reason: str, kind: VerdictKind | None, **more: Any) -> TicketOutcome:
        return TicketOutcome(False, None, False, reason, verdict_kind=kind, **more)

    def _issue(
        self,
        s: Session,
        at: datetime,
        value: object,
        errors: Sequence[str],
        agent: AgentIdentity,
        visual_check: bool,
        priority: str | None,
    ) -> TicketOutcome:
        day = self.door_day(at)
        if day is None:
            nxt, when = self._next_opening_text(at)
            reason = self.window.status(at).reason or "Guichet fermé aujourd'hui."
            return self._refused(
                f"Pas de ticket aujourd'hui. {reason} Prochaine ouverture : {when}.",
                VerdictKind.COUNTER_CLOSED,
                next_opening=nxt,
            )
        doors_open = day.opens - timedelta(minutes=self.q.door_opens_before_minutes)
        if at < doors_open:
            local = doors_open.astimezone(ZoneInfo(self.tz))
            return self._refused(
                f"Les tickets sont distribués à partir de {local:%H} h {local:%M}.",
                VerdictKind.COUNTER_CLOSED,
            )
        if value is None:
            detail = " ".join(errors) or "Code illisible."
            return self._refused(
                f"Scan non reconnu : {detail} Scannez le SMS ou la pièce d'identité à nouveau.",
                VerdictKind.INVALID_SCAN,
            )
        verdict = verdicts.verdict_for(
            s, value, window=self.window.status(day.coming_start(at)), timezone=self.tz
        )
        refusal = self._judge(verdict, value, visual_check)
        if refusal is not None:
            return refusal
        assert verdict.permit is not None
        return self._ticket_for(s, at, day, verdict.permit.permit_id, agent, priority)

    def _judge(self, verdict: Verdict, value: object, visual_check: bool) -> TicketOutcome | None:
        """Why the permit gets no ticket (None: it gets one)."""
        if verdict.kind not in READY_KINDS:
            said = " ".join(verdict.details[:2])
            return self._refused(
                f"Pas de ticket : {verdict.headline}. {said}".strip(), verdict.kind
            )
        if isinstance(value, Mrz | TwoDDoc):
            identity = verdict.identity
            if identity is None or not identity.matches:
                what = ", ".join(identity.differences) if identity else "nom"
                return self._refused(
                    "Pas de ticket : le document présenté ne correspond pas au titulaire du "
                    f"titre (ce qui diffère : {what}). Demandez le SMS ou une autre pièce.",
                    VerdictKind.UNKNOWN,
                )
        if isinstance(value, NumeroEtranger | AnefRequestNumber) and not visual_check:
            return TicketOutcome(
                False,
                None,
                False,
                "Numéro saisi : comparez la pièce d'identité de la personne au titulaire "
                "(nom, date de naissance), puis confirmez pour imprimer le ticket.",
                needs_visual_check=True,
            )
        return None

    def _day_row(self, s: Session, day: date) -> QueueDay:
        """The day's counter row, created if missing, locked until the transaction ends."""
        values = {"site_id": self.site_id, "day": day, "last_number": 0, "limit_extra": 0}
        if s.get_bind().dialect.name == "postgresql":
            s.execute(pg_insert(QueueDay).values(**values).on_conflict_do_nothing())
        else:
            s.execute(sqlite_insert(QueueDay).values(**values).on_conflict_do_nothing())
        return s.execute(
            select(QueueDay)
            .where(QueueDay.site_id == self.site_id, QueueDay.day == day)
            .with_for_update()
        ).scalar_one()

    def _ticket_for(
        self,
        s: Session,
        at: datetime,
        day: DoorDay,
        permit_id: int,
        agent: AgentIdentity,
        priority: str | None,
    ) -> TicketOutcome:
        row = self._day_row(s, day.day)  # locked: one door at a time numbers and judges
        existing = s.execute(
            select(QueueTicket).where(
                QueueTicket.site_id == self.site_id,
                QueueTicket.day == day.day,
                QueueTicket.permit_id == permit_id,
            )
        ).scalar_one_or_none()
        if existing is not None:
            return self._reprint(s, at, existing, agent)
        pred = capacity.predict(s, self, at, day, limit_extra=row.limit_extra)
        if pred.cutoff_reached:
            nxt, when = self._next_opening_text(at)
            return self._refused(
                "Complet pour aujourd'hui : les personnes déjà en file occupent les guichets "
                f"jusqu'à la fermeture. Pas de ticket ; revenez à la {when}.",
                None,
                next_opening=nxt,
            )
        row.last_number += 1
        ticket = QueueTicket(
            site_id=self.site_id,
            day=day.day,
            number=row.last_number,
            permit_id=permit_id,
            status=TicketStatus.WAITING.value,
            priority=priority,
            issued_at=at,
            issued_by=_agent_id(agent),
            reprints=0,
            predicted_wait_s=pred.wait_s,
        )
        s.add(ticket)
        try:
            s.flush()
        except IntegrityError as exc:  # the unique constraints are the backstop
            raise QueueError(
                "Ce ticket vient d'être émis par une autre porte : scannez à nouveau."
            ) from exc
        self._audit(
            s,
            at,
            agent.pseudonym,
            "ticket_issue",
            f"permit:{permit_id}",
            {"day": day.day.isoformat(), "number": ticket.number, "priority": priority},
        )
        made = self._load(s, ticket.id)
        return TicketOutcome(True, made.number, False, f"Ticket {made.label} imprimé.", made)

    def _reprint(
        self, s: Session, at: datetime, ticket: QueueTicket, agent: AgentIdentity
    ) -> TicketOutcome:
        """The same number again; a no-show who comes back goes to the head of the queue."""
        ticket.reprints += 1
        back = ticket.status == TicketStatus.NO_SHOW.value
        if back:
            ticket.status = TicketStatus.WAITING.value
            ticket.head_since = at
        s.flush()
        self._audit(
            s,
            at,
            agent.pseudonym,
            "ticket_reprint",
            f"permit:{ticket.permit_id}",
            {"number": ticket.number, "reprints": ticket.reprints, "returned": back},
        )
        made = self._load(s, ticket.id)
        said = f"Ticket {made.label} réimprimé (réimpression n° {made.reprints})."
        if back:
            said += " Absent à l'appel, de retour : il repasse en tête de file."
        elif made.status != TicketStatus.WAITING:
            said += f" Ce ticket est {_status_fr(made.status)}."
        return TicketOutcome(True, made.number, True, said, made)

    def _door_event(self, s: Session, at: datetime, outcome: TicketOutcome) -> None:
        if outcome.issued:
            kind, verdict = ("reprint" if outcome.reprint else "issued"), VerdictKind.READY.value
        elif outcome.needs_visual_check:
            kind, verdict = "visual_check", VerdictKind.READY.value
        elif outcome.verdict_kind is None:
            kind, verdict = "cutoff", "cutoff"
        else:
            kind, verdict = "refused", outcome.verdict_kind.value
        s.add(DoorEvent(at=at, site_id=self.site_id, verdict=verdict, outcome=kind))
        s.flush()

    def _load(self, s: Session, ticket_id: int) -> Ticket:
        row = s.execute(_tickets().where(QueueTicket.id == ticket_id)).one_or_none()
        if row is None:
            raise TicketNotFound(f"Ticket n° {ticket_id} introuvable.")
        return _ticket(row, row.desk_name)

    def set_priority(self, ticket_id: int, priority: str | None, agent: AgentIdentity) -> Ticket:
        self._check_priority(priority)
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at = self._now(s)
            acting_agent(s, agent)
            changed = (
                s.connection()
                .execute(
                    update(QueueTicket)
                    .where(QueueTicket.id == ticket_id, QueueTicket.site_id == self.site_id)
                    .values(priority=priority)
                )
                .rowcount
            )
            if changed != 1:
                raise TicketNotFound(f"Ticket n° {ticket_id} introuvable.")
            ticket = self._load(s, ticket_id)
            self._audit(
                s,
                at,
                agent.pseudonym,
                "ticket_priority",
                f"permit:{ticket.permit_id}",
                {"number": ticket.number, "priority": priority},
            )
            uow.commit()
            return ticket

    # -- status and capacity --------------------------------------------------------------
    def status(self) -> QueueStatus:
        self._sweep_if_stale()
        with UnitOfWork(self.engine, read_only=True) as uow:
            s = uow.session
            at = self._now(s)
            day = self.door_day(at)
            if day is None:
                return QueueStatus(None, 0, 0, 0, 0, 0, 0, True, None, None, ())
            counts = dict(
                s.execute(
                    select(QueueTicket.status, func.count())
                    .where(QueueTicket.site_id == self.site_id, QueueTicket.day == day.day)
                    .group_by(QueueTicket.status)
                ).all()
            )
            extra = s.execute(
                select(QueueDay.limit_extra).where(
                    QueueDay.site_id == self.site_id, QueueDay.day == day.day
                )
            ).scalar_one_or_none()
            pred = capacity.predict(s, self, at, day, limit_extra=extra or 0)

        def n(status: TicketStatus) -> int:
            return int(counts.get(status.value, 0))

        return QueueStatus(
            day=day.day,
            issued=sum(int(v) for v in counts.values()),
            waiting=n(TicketStatus.WAITING),
            called=n(TicketStatus.CALLED) + n(TicketStatus.OPENED),
            served=n(TicketStatus.SERVED),
            no_shows=n(TicketStatus.NO_SHOW),
            capacity=max(0, pred.capacity),
            cutoff_reached=pred.cutoff_reached,
            predicted_last_number=pred.last_number,
            estimated_wait_minutes=pred.wait_minutes,
            active_desks=pred.desks,
            limit_raised_by=extra or 0,
        )

    def raise_limit(
        self, extra: int, reason: str, agent: AgentIdentity, supervisor: AgentIdentity
    ) -> QueueStatus:
        """A supervisor lets ``extra`` more tickets past the prediction (audited override)."""
        if extra <= 0:
            raise QueueError("Indiquez un nombre de tickets supplémentaires supérieur à zéro.")
        if not reason.strip():
            raise QueueError("Indiquez le motif du dépassement (il est enregistré au journal).")
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at = self._now(s)
            acting_agent(s, agent)
            if supervisor.agent_id == COMMAND_LINE.agent_id or acting_agent(
                s, supervisor
            ).role not in (Role.SUPERVISOR, Role.ADMIN):
                raise QueueError(
                    "Seul un chef d'accueil peut dépasser la capacité du jour : faites-le venir."
                )
            day = self.door_day(at)
            if day is None:
                raise NoOpeningToday("Pas d'ouverture aujourd'hui : aucune limite à relever.")
            row = self._day_row(s, day.day)
            row.limit_extra += extra
            s.add(
                Override(
                    kind=OverrideKind.QUEUE_LIMIT.value,
                    supervisor_id=supervisor.agent_id,
                    desk_id=self.place.desk_id,
                    permit_id=None,
                    reason=f"+{extra} ticket(s) : {reason.strip()}",
                    created_at=at,
                    expires_at=day.closes,
                    used_at=at,
                )
            )
            self._audit(
                s,
                at,
                supervisor.pseudonym,
                "override",
                f"queue:{day.day.isoformat()}",
                {
                    "kind": OverrideKind.QUEUE_LIMIT.value,
                    "extra": extra,
                    "limit_extra": row.limit_extra,
                    "reason": reason.strip(),
                    "door_agent": agent.pseudonym,
                },
            )
            uow.commit()
        return self.status()

    # -- desks ----------------------------------------------------------------------------
    def _desk_id(self, s: Session, desk_name: str) -> int:
        name = desk_name.strip()
        if not name:
            raise QueueError("Nom de guichet vide : indiquez le guichet (ex. « Guichet 2 »).")
        found = s.execute(
            select(Desk.id).where(Desk.site_id == self.site_id, Desk.name == name)
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
        desk = Desk(site_id=self.site_id, name=name)
        s.add(desk)
        s.flush()
        return desk.id

    def _beat(self, s: Session, desk_id: int, at: datetime) -> None:
        values = {"desk_id": desk_id, "seen_at": at}
        stmt: Any = (
            pg_insert(DeskHeartbeat)
            if s.get_bind().dialect.name == "postgresql"
            else sqlite_insert(DeskHeartbeat)
        )
        s.execute(
            stmt.values(**values).on_conflict_do_update(
                index_elements=["desk_id"], set_={"seen_at": at}
            )
        )

    def heartbeat(self, desk_name: str) -> None:
        with UnitOfWork(self.engine, relaxed_sync=True) as uow:
            s = uow.session
            self._beat(s, self._desk_id(s, desk_name), self._now(s))
            uow.commit()

    # -- calls ----------------------------------------------------------------------------
    def _desk_agent(self, s: Session, agent: AgentIdentity) -> None:
        if acting_agent(s, agent).role == Role.DOOR:
            raise QueueError(
                "Un agent d'accueil n'appelle pas de ticket : c'est le guichet qui appelle."
            )

    def _stale_calls(self, at: datetime) -> Any:
        """Live calls not opened within ``call_open_timeout_s``, or whose desk's heartbeat
        is older than ``heartbeat_timeout_s``."""
        beat_limit = at - timedelta(seconds=self.q.heartbeat_timeout_s)
        open_limit = at - timedelta(seconds=self.q.call_open_timeout_s)
        seen = (
            select(DeskHeartbeat.seen_at)
            .where(DeskHeartbeat.desk_id == QueueCall.desk_id)
            .scalar_subquery()
        )
        return (
            select(QueueCall.id, QueueCall.ticket_id, QueueCall.opened_at)
            .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
            .where(
                QueueTicket.site_id == self.site_id,
                QueueCall.ended_at.is_(None),
                QueueTicket.status.in_(LIVE),
                (QueueCall.opened_at.is_(None) & (QueueCall.called_at < open_limit))
                | (
                    (QueueCall.called_at < beat_limit)
                    & (func.coalesce(seen, QueueCall.called_at) < beat_limit)
                ),
            )
            .order_by(QueueCall.id)
        )

    def _sweep(self, s: Session, at: datetime) -> int:
        """Stale calls go back to the head of the queue. Returns how many."""
        stale = self._stale_calls(at)
        if s.get_bind().dialect.name == "postgresql":
            stale = stale.with_for_update(of=QueueCall, skip_locked=True)
        rows = s.execute(stale).all()
        requeued = []
        for call_id, ticket_id, opened_at in rows:
            s.execute(
                update(QueueCall)
                .where(QueueCall.id == call_id, QueueCall.ended_at.is_(None))
                .values(ended_at=at, outcome="expired")
            )
            back = (
                s.connection()
                .execute(
                    update(QueueTicket)
                    .where(QueueTicket.id == ticket_id, QueueTicket.status.in_(LIVE))
                    .values(status=TicketStatus.WAITING.value, head_since=at)
                )
                .rowcount
            )
            if back:
                requeued.append((call_id, ticket_id, opened_at))
        # Audited once every row is changed: the audit head is the last lock taken.
        for call_id, ticket_id, opened_at in requeued:
            self._audit(
                s,
                at,
                "-",
                "ticket_requeue",
                f"ticket:{ticket_id}",
                {
                    "call": call_id,
                    "why": "not_opened" if opened_at is None else "desk_silent",
                },
            )
        return len(rows)

    def _sweep_if_stale(self) -> None:
        """The door's polling writes only when a call went stale (SQLite: no write lock)."""
        with UnitOfWork(self.engine, read_only=True) as uow:
            stale = uow.session.execute(self._stale_calls(self._now(uow.session))).first()
        if stale is None:
            return
        with UnitOfWork(self.engine) as uow:
            if self._sweep(uow.session, self._now(uow.session)):
                uow.commit()

    def _head_order(self) -> tuple[Any, ...]:
        return (
            case((QueueTicket.head_since.is_(None), 1), else_=0),
            QueueTicket.head_since,
            QueueTicket.number,
        )

    def _candidate(self, s: Session, day: date, where: Any) -> int | None:
        stmt = (
            select(QueueTicket.id)
            .where(
                QueueTicket.site_id == self.site_id,
                QueueTicket.day == day,
                QueueTicket.status == TicketStatus.WAITING.value,
                where,
            )
            .order_by(*self._head_order())
            .limit(1)
        )
        if s.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        found = s.execute(stmt).scalar_one_or_none()
        return None if found is None else int(found)

    def _priority_due(self, s: Session, day: date) -> bool:
        """The rule: while priority tickets wait, at most ``priority_every - 1`` calls in a
        row go to ordinary tickets; the next one is a priority call."""
        recent = s.execute(
            select(QueueCall.priority_call)
            .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
            .where(QueueTicket.site_id == self.site_id, QueueTicket.day == day)
            .order_by(QueueCall.id.desc())
            .limit(max(self.q.priority_every - 1, 0))
        ).scalars()
        return not any(recent)

    def _choose(self, s: Session, day: date) -> tuple[int, bool] | None:
        """The next ticket to call and whether the call is a priority call."""
        head = self._candidate(s, day, QueueTicket.head_since.is_not(None))
        if head is not None:
            return head, False
        is_priority = QueueTicket.priority.is_not(None)
        if self._priority_due(s, day):
            first = self._candidate(s, day, is_priority)
            if first is not None:
                return first, True
        ordinary = self._candidate(s, day, QueueTicket.priority.is_(None))
        if ordinary is not None:
            return ordinary, False
        other = self._candidate(s, day, is_priority)
        return None if other is None else (other, True)

    def _at_desk(
        self, s: Session, desk_name: str, agent: AgentIdentity
    ) -> tuple[datetime, int, DoorDay | None]:
        """A desk about to call: it is alive (heartbeat), stale calls go back first."""
        at = self._now(s)
        self._desk_agent(s, agent)
        desk_id = self._desk_id(s, desk_name)
        self._beat(s, desk_id, at)
        day = self.door_day(at)
        if day is not None:
            # The day's row first, locked (the order every queue writer follows: day row,
            # tickets, audit head): desks choose one after the other, so the priority rule
            # sees every earlier call. SQLite: BEGIN IMMEDIATE already serializes.
            s.execute(
                select(QueueDay.id)
                .where(QueueDay.site_id == self.site_id, QueueDay.day == day.day)
                .with_for_update()
            )
        self._sweep(s, at)
        return at, desk_id, day

    def call_next(self, desk_name: str, agent: AgentIdentity) -> CallRecord | None:
        """Call the next ticket to this desk; None when nobody waits."""
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at, desk_id, day = self._at_desk(s, desk_name, agent)
            if day is None:
                uow.commit()
                return None
            for _ in range(20):  # a candidate taken by another desk meanwhile: the next one
                chosen = self._choose(s, day.day)
                if chosen is None:
                    uow.commit()
                    return None
                record = self._call(s, at, chosen[0], desk_id, desk_name, agent, chosen[1], None)
                if record is not None:
                    uow.commit()
                    return record
            raise QueueError("Les guichets appellent tous en même temps : réessayez.")

    def call_number(
        self, number: int, desk_name: str, agent: AgentIdentity, reason: str
    ) -> CallRecord:
        """Call a given ticket out of order (a reason is required and audited)."""
        if not reason.strip():
            raise QueueError("Indiquez pourquoi ce ticket est appelé hors de son tour.")
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at, desk_id, day = self._at_desk(s, desk_name, agent)
            found = (
                None
                if day is None
                else s.execute(
                    select(QueueTicket.id, QueueTicket.status).where(
                        QueueTicket.site_id == self.site_id,
                        QueueTicket.day == day.day,
                        QueueTicket.number == number,
                    )
                ).one_or_none()
            )
            if found is None:
                raise TicketNotFound(f"Pas de ticket {ticket_label(number)} aujourd'hui.")
            status = TicketStatus(found.status)
            if status not in (TicketStatus.WAITING, TicketStatus.NO_SHOW):
                raise QueueError(
                    f"Le ticket {ticket_label(number)} est {_status_fr(status)} : "
                    "il ne peut pas être appelé."
                )
            record = self._call(
                s, at, found.id, desk_id, desk_name, agent, False, reason.strip(), status
            )
            if record is None:
                raise QueueError(
                    f"Le ticket {ticket_label(number)} vient d'être appelé par un autre guichet."
                )
            uow.commit()
            return record

    def _call(
        self,
        s: Session,
        at: datetime,
        ticket_id: int,
        desk_id: int,
        desk_name: str,
        agent: AgentIdentity,
        priority_call: bool,
        reason: str | None,
        from_status: TicketStatus = TicketStatus.WAITING,
    ) -> CallRecord | None:
        # The gate: the ticket changes only if it is still where we found it.
        changed = (
            s.connection()
            .execute(
                update(QueueTicket)
                .where(QueueTicket.id == ticket_id, QueueTicket.status == from_status.value)
                .values(
                    status=TicketStatus.CALLED.value, called_at=at, desk_id=desk_id, head_since=None
                )
            )
            .rowcount
        )
        if changed != 1:
            return None
        call = QueueCall(
            ticket_id=ticket_id,
            desk_id=desk_id,
            agent_id=_agent_id(agent),
            called_at=at,
            priority_call=priority_call,
            out_of_order_reason=reason,
        )
        s.add(call)
        s.flush()
        ticket = self._load(s, ticket_id)
        self._audit(
            s,
            at,
            agent.pseudonym,
            "ticket_call_out_of_order" if reason else "ticket_call",
            f"permit:{ticket.permit_id}",
            {
                "number": ticket.number,
                "call": call.id,
                "priority": ticket.priority,
                "reason": reason,
            },
            desk=desk_name,
        )
        if s.get_bind().dialect.name == "postgresql":  # delivered at commit, never before
            s.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {
                    "channel": NOTIFY_CHANNEL,
                    "payload": str(call.id),
                },
            )
        return CallRecord(call.id, ticket, desk_name, at, reason)

    def mark_opened(self, call_id: int, agent: AgentIdentity) -> None:
        """The desk opened the called ticket's permit (the holder came)."""
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at = self._now(s)
            self._desk_agent(s, agent)
            gone = CallNotFound(
                "Cet appel n'est plus valable (le ticket est retourné en tête de file ou "
                "a été servi) : appelez le suivant."
            )
            conn = s.connection()
            # Lock order of every queue writer: calls, then tickets, then the audit head.
            if (
                conn.execute(
                    update(QueueCall)
                    .where(QueueCall.id == call_id, QueueCall.ended_at.is_(None))
                    .values(opened_at=func.coalesce(QueueCall.opened_at, at))
                ).rowcount
                != 1
            ):
                raise gone
            ticket_id = s.execute(
                select(QueueCall.ticket_id).where(QueueCall.id == call_id)
            ).scalar_one()
            changed = conn.execute(
                update(QueueTicket)
                .where(QueueTicket.id == ticket_id, QueueTicket.status.in_(LIVE))
                .values(status=TicketStatus.OPENED.value)
            ).rowcount
            if changed != 1:
                raise gone
            self._audit(
                s, at, agent.pseudonym, "ticket_open", f"ticket:{ticket_id}", {"call": call_id}
            )
            uow.commit()

    def mark_no_show(self, ticket_id: int, agent: AgentIdentity) -> None:
        """The called holder did not come (after ``no_show_after_s``); the ticket stays
        valid until the window closes: scanned again at the door, it goes to the head."""
        with UnitOfWork(self.engine) as uow:
            s = uow.session
            at = self._now(s)
            self._desk_agent(s, agent)
            ticket = s.get(QueueTicket, ticket_id)
            if ticket is None or ticket.site_id != self.site_id:
                raise TicketNotFound(f"Ticket n° {ticket_id} introuvable.")
            if ticket.status not in LIVE or ticket.called_at is None:
                raise QueueError(
                    f"Le ticket {ticket_label(ticket.number)} n'est pas appelé : "
                    "il ne peut pas être déclaré absent."
                )
            waited = (at - ticket.called_at).total_seconds()
            if waited < self.q.no_show_after_s:
                left = int(self.q.no_show_after_s - waited) + 1
                raise QueueError(
                    f"Appelé il y a {int(waited)} s : attendez encore {left} s avant de "
                    "déclarer la personne absente."
                )
            s.execute(  # calls before tickets: the queue writers' lock order
                update(QueueCall)
                .where(QueueCall.ticket_id == ticket_id, QueueCall.ended_at.is_(None))
                .values(ended_at=at, outcome="no_show")
            )
            ticket.status = TicketStatus.NO_SHOW.value
            ticket.no_show_at = at
            s.flush()
            self._audit(
                s,
                at,
                agent.pseudonym,
                "ticket_no_show",
                f"permit:{ticket.permit_id}",
                {"number": ticket.number},
            )
            uow.commit()

    # -- the display ----------------------------------------------------------------------
    def recent_calls(self, limit: int = 6) -> list[CallRecord]:
        """The day's last calls, newest first (for the waiting-room display)."""
        with UnitOfWork(self.engine, read_only=True) as uow:
            s = uow.session
            today = self._now(s).astimezone(ZoneInfo(self.tz)).date()
            rows = s.execute(
                select(
                    QueueCall.id.label("call_id"),
                    QueueCall.called_at.label("call_at"),
                    QueueCall.out_of_order_reason,
                    *_TICKET_COLUMNS[:-1],
                    Desk.name.label("desk_name"),
                )
                .join(QueueTicket, QueueTicket.id == QueueCall.ticket_id)
                .join(Permit, Permit.id == QueueTicket.permit_id)
                .join(Desk, Desk.id == QueueCall.desk_id)
                .where(QueueTicket.site_id == self.site_id, QueueTicket.day == today)
                .order_by(QueueCall.id.desc())
                .limit(limit)
            ).all()
        return [
            CallRecord(
                r.call_id, _ticket(r, r.desk_name), r.desk_name, r.call_at, r.out_of_order_reason
            )
            for r in rows
        ]

    def last_call_id(self) -> int:
        with UnitOfWork(self.engine, read_only=True) as uow:
            found = uow.session.execute(select(func.max(QueueCall.id))).scalar_one_or_none()
            return int(found or 0)


def _status_fr(status: TicketStatus) -> str:
    return {
        TicketStatus.WAITING: "en attente",
        TicketStatus.CALLED: "déjà appelé",
        TicketStatus.OPENED: "déjà au guichet",
        TicketStatus.SERVED: "déjà servi",
        TicketStatus.NO_SHOW: "déclaré absent",
    }[status]
