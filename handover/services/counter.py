"""The counter's use cases behind one object: what the screen (and tests) call."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, func, insert, select

from handover import audit
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.opening_window import OpeningWindow, WindowStatus
from handover.domain.values import (
    AgentIdentity,
    HandoverRecord,
    HandoverRequest,
    IdentityMatch,
    OverrideGrant,
    OverrideKind,
    OverrideUse,
    PreviousCardOutcome,
    PreviousCardReturn,
    StampEntry,
    Verdict,
    VerdictKind,
    handover_number,
)
from handover.persistence.engine import server_now
from handover.persistence.models import (
    Handover,
    HandoverOverride,
    IdentityCheck,
    Override,
    Permit,
    PreviousCard,
    ScanEvent,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import JoinedUnitOfWork, UnitOfWork
from handover.receipts.sidecar import record_sidecar
from handover.scanning.errors import ScanParseError
from handover.scanning.numbers import parse_tax_stamp
from handover.scanning.payloads import ScanResult, parse_scan
from handover.scanning.twoddoc import TrustStore
from handover.services import accounts, lookup, overrides, permits, verdicts
from handover.services.corrections import current_values
from handover.services.desks import ensure_desk
from handover.services.handovers import (
    HandoverPolicy,
    InvalidRequest,
    StampAlreadyUsed,
    acting_agent,
    record_handover_at_counter,
    stamp_usage,
    validate_stamps,
)

InvalidStamp = InvalidRequest

_SCAN_EVENTS = ScanEvent.__table__
assert isinstance(_SCAN_EVENTS, Table)
_INSERT_SCAN_EVENT = insert(_SCAN_EVENTS)


class CounterService:
    """One desk's view of the database. ``clock`` fixes the time (tests, screenshots)."""

    def __init__(self, engine: Engine, config: Config, *, clock: Clock | None = None) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self.tz = config.schedule.timezone
        self.window = OpeningWindow(config.schedule)
        self.desk = ensure_desk(UnitOfWork(engine), config)
        certs = config.scanner.certificates_dir
        self.trust = TrustStore(certs) if certs else None
        s = config.scanner
        self.substitutes = {
            k: v
            for k, v in (
                (s.gs_substitute, "\x1d"),
                (s.rs_substitute, "\x1e"),
                (s.us_substitute, "\x1f"),
            )
            if k
        }
        # The record re-reads every scan the way this desk reads it.
        # The identity documents the site accepts: the wizard offers them, the record refuses
        # any other.
        self.identity_documents = frozenset(config.identity.documents)
        self.policy = HandoverPolicy(self.window, self.tz, self.parse, self.identity_documents)

    # -- time ---------------------------------------------------------------------------
    def now(self) -> datetime:
        if self.clock is not None:
            return self.clock.now()
        with UnitOfWork(self.engine, read_only=True) as uow:
            return server_now(uow.session)

    def _now_in(self, uow: UnitOfWork) -> datetime:
        return self.clock.now() if self.clock is not None else server_now(uow.session)

    def window_status(self) -> WindowStatus:
        return self.window.status(self.now())

    # -- accounts -------------------------------------------------------------------------
    def login(self, username: str, password: str) -> AgentIdentity:
        sec = self.config.security
        return accounts.authenticate(
            UnitOfWork(self.engine),
            username,
            password,
            self.desk,
            throttle_after=sec.login_throttle_after,
            throttle_seconds=sec.login_throttle_seconds,
            now=self.clock.now() if self.clock else None,
        )

    def login_badge(self, badge: str) -> AgentIdentity:
        return accounts.authenticate_badge(UnitOfWork(self.engine), badge, self.desk)

    def logout(self, agent: AgentIdentity) -> None:
        self.record_event(agent, "logout")

    def record_event(self, agent: AgentIdentity | None, action: str, detail: str = "") -> None:
        with UnitOfWork(self.engine) as uow:
            audit.append(
                uow.session,
                at=self._now_in(uow),
                desk=self.desk.desk_name,
                agent=agent.pseudonym if agent else "?",
                action=action,
                subject=f"agent:{agent.pseudonym}" if agent else "",
                details={"detail": detail} if detail else None,
            )
            uow.commit()

    # -- scans ----------------------------------------------------------------------------
    def parse(self, raw: str) -> ScanResult:
        return parse_scan(raw, trust=self.trust, substitutes=self.substitutes or None)

    def check(
        self,
        raw: str,
        agent: AgentIdentity | None,
        *,
        entry: str = "",
        repair: str | None = None,
    ) -> Verdict:
        """The verdict for a scan; the verdict is logged (audit and anonymous statistics).

        ``entry`` says how the text came (``burst``: scanned, ``typed``), for the audit;
        ``repair`` is the scan field's note when it rebuilt the text from scan codes.
        The scan's audit entry is committed without a sync of its own (SQLite WAL,
        ``synchronous=NORMAL``): a power cut may lose the last scan entries, never a
        handover, whose commit syncs everything before it.
        """
        result = self.parse(raw)
        if repair and not result.repaired:
            result = dataclasses.replace(result, repaired=repair)
        with UnitOfWork(self.engine, relaxed_sync=True) as uow:
            if agent is not None:
                acting_agent(uow.session, agent)  # disabled since login: refused, session ends
            at = self._now_in(uow)
            status = self.window.status(at)
            overridden = not status.is_open and self._window_override_at(uow, at) is not None
            if not result.valid or result.value is None:
                verdict = verdicts.invalid_scan(result, raw, window=status)
            else:
                verdict = verdicts.verdict_for(
                    uow.session,
                    result.value,
                    window=status,
                    timezone=self.tz,
                    window_overridden=overridden,
                    repaired=result.repaired,
                )
            subject = (
                f"permit:{verdict.permit.permit_id}"
                if verdict.permit
                else audit.pseudonymous("scan", raw.strip()[:64])
            )
            audit.append(
                uow.session,
                at=at,
                desk=self.desk.desk_name,
                agent=agent.pseudonym if agent else "?",
                action="scan.verdict",
                subject=subject,
                details={
                    "verdict": verdict.kind.value,
                    "scan": result.kind.value,
                    **({"input": entry} if entry else {}),
                    **({"repaired": True} if result.repaired else {}),
                },
            )
            uow.session.connection().execute(
                _INSERT_SCAN_EVENT,
                {"at": at, "desk_id": self.desk.desk_id, "verdict": verdict.kind.value},
            )
            uow.commit()
            return verdict

    def check_permit(self, permit_id: int, agent: AgentIdentity | None) -> Verdict:
        """The verdict for one permit chosen from a list of several matches."""
        with UnitOfWork(self.engine, read_only=True) as uow:
            if agent is not None:
                acting_agent(uow.session, agent)
            at = self._now_in(uow)
            status = self.window.status(at)
            permit = lookup.by_id(uow.session.connection(), permit_id)
            if permit is None:
                return Verdict(VerdictKind.UNKNOWN, window=status, timezone=self.tz)
            overridden = not status.is_open and self._window_override_at(uow, at) is not None
            return verdicts.verdict_for_permit(
                uow.session,
                permit,
                window=status,
                timezone=self.tz,
                window_overridden=overridden,
            )

    def check_card(self, permit_id: int, raw: str, agent: AgentIdentity | None) -> Verdict:
        result = self.parse(raw)
        with UnitOfWork(self.engine, read_only=True) as uow:
            if agent is not None:
                acting_agent(uow.session, agent)
            permit = uow.session.get(Permit, permit_id)
            if permit is None:
                return Verdict(VerdictKind.UNKNOWN, timezone=self.tz)
            summary = lookup.summary(permit)
        value = result.value if result.valid else None
        verdict = verdicts.card_verdict(summary, value)
        if verdict.kind == VerdictKind.WRONG_CARD:
            self.record_event(agent, "card.wrong", f"permit:{permit_id}")
        return verdict

    def identity_from_scan(self, raw: str, permit_id: int) -> IdentityMatch | None:
        result = self.parse(raw)
        if not result.valid or result.value is None:
            return None
        identity = verdicts.identity_from(result.value)
        if identity is None:
            return None
        with UnitOfWork(self.engine, read_only=True) as uow:
            permit = uow.session.get(Permit, permit_id)
            if permit is None:
                return identity
            return verdicts.compare_identity(identity, lookup.summary(permit))

    def check_stamp(self, raw: str) -> StampEntry | None:
        """A scanned or typed stamp, checked at once against every stamp ever consumed."""
        try:
            digits = parse_tax_stamp(raw).digits
        except ScanParseError as exc:
            raise InvalidStamp(exc.message) from exc
        with UnitOfWork(self.engine, read_only=True) as uow:
            where = stamp_usage(uow.session, digits, self.tz)
        if where is not None:
            raise StampAlreadyUsed(digits, where)
        return StampEntry(digits, 0)

    # -- handover -------------------------------------------------------------------------
    def hand_over(self, request: HandoverRequest, agent: AgentIdentity) -> HandoverRecord:
        # A request without an override uses the desk's active window override, if any
        # (looked up inside the handover's own transaction).
        record = record_handover_at_counter(
            UnitOfWork(self.engine),
            request,
            agent=agent,
            desk=self.desk,
            policy=self.policy,
            now=self.clock.now() if self.clock else None,
            active_window_override=True,
        )
        # What a restore needs to refuse this permit and these stamps again (no personal data).
        stamps = tuple(x.number for x in validate_stamps(request.stamps))
        record_sidecar(self.config.archive_dir, record, stamps)
        return record

    def grant_override(
        self,
        supervisor_username: str,
        password: str,
        *,
        kind: str,
        reason: str,
        minutes: int,
        permit_id: int | None,
        agent: AgentIdentity,
    ) -> OverrideGrant:
        supervisor = self.login(supervisor_username, password)
        return overrides.grant_override(
            UnitOfWork(self.engine),
            supervisor,
            kind=kind,
            reason=reason,
            minutes=minutes,
            desk=self.desk,
            permit_id=permit_id,
            requested_by=agent,
            now=self.clock.now() if self.clock else None,
        )

    def set_blocked(
        self,
        permit_id: int,
        block: bool,
        *,
        reason: str,
        agent: AgentIdentity,
        supervisor_username: str = "",
        password: str = "",
    ) -> permits.PermitChange:
        """Block or unblock a permit from the desk: as the supervisor who logs in here, or
        as the logged-in account (its stored role decides, in ``permits.set_blocked``)."""
        acting = self.login(supervisor_username, password) if supervisor_username else agent
        return permits.set_blocked(
            UnitOfWork(self.engine),
            permit_id,
            block,
            reason=reason,
            by=acting,
            desk_name=self.desk.desk_name,
            now=self.clock.now() if self.clock else None,
        )

    def _window_override_at(self, uow: UnitOfWork, at: datetime) -> OverrideGrant | None:
        return overrides.active_window_override(JoinedUnitOfWork(uow), self.desk, at)

    def active_window_override(self) -> OverrideGrant | None:
        return overrides.active_window_override(
            UnitOfWork(self.engine, read_only=True),
            self.desk,
            self.clock.now() if self.clock else None,
        )

    # -- the day --------------------------------------------------------------------------
    def _day_bounds(self) -> tuple[datetime, datetime]:
        local = self.now().astimezone(ZoneInfo(self.tz))
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)

    def count_today(self) -> int:
        start, end = self._day_bounds()
        with UnitOfWork(self.engine, read_only=True) as uow:
            return int(
                uow.session.execute(
                    select(func.count(Handover.id)).where(
                        Handover.desk_id == self.desk.desk_id,
                        Handover.handed_over_at >= start,
                        Handover.handed_over_at < end,
                    )
                ).scalar_one()
            )

    def today(self) -> list[HandoverRecord]:
        start, end = self._day_bounds()
        with UnitOfWork(self.engine, read_only=True) as uow:
            ids = (
                uow.session.execute(
                    select(Handover.id)
                    .where(
                        Handover.desk_id == self.desk.desk_id,
                        Handover.handed_over_at >= start,
                        Handover.handed_over_at < end,
                    )
                    .order_by(Handover.handed_over_at.desc())
                )
                .scalars()
                .all()
            )
        return [self.handover_record(i, with_signature=False) for i in ids]

    def find_handover(self, permit_id: int) -> HandoverRecord | None:
        """This desk's handover of the permit, if the database holds one.

        After ``CommitOutcomeUnknown`` the screen asks this once the database answers: a
        record means the handover was committed, None that it was not (by this desk).
        """
        with UnitOfWork(self.engine, read_only=True) as uow:
            handover_id = uow.session.execute(
                select(Handover.id).where(
                    Handover.permit_id == permit_id, Handover.desk_id == self.desk.desk_id
                )
            ).scalar_one_or_none()
            numbers = tuple(
                uow.session.execute(
                    select(TaxStamp.stamp_number)
                    .where(TaxStamp.handover_id == handover_id)
                    .order_by(TaxStamp.id)
                ).scalars()
            )
        if handover_id is None:
            return None
        record = self.handover_record(handover_id)
        # hand_over() could not write it: the commit's outcome was unknown then.
        record_sidecar(self.config.archive_dir, record, numbers)
        return record

    def handover_record(self, handover_id: int, *, with_signature: bool = True) -> HandoverRecord:
        from handover.persistence.models import Agent, Desk

        with UnitOfWork(self.engine, read_only=True) as uow:
            s = uow.session
            h = s.get(Handover, handover_id)
            if h is None:
                raise InvalidRequest(f"Aucune remise n° {handover_id}.")
            permit = s.get(Permit, h.permit_id)
            agent = s.get(Agent, h.agent_id)
            desk = s.get(Desk, h.desk_id)
            assert permit is not None
            assert agent is not None
            assert desk is not None
            ident = s.execute(
                select(IdentityCheck).where(IdentityCheck.handover_id == h.id)
            ).scalar_one()
            stamps = (
                s.execute(
                    select(TaxStamp).where(TaxStamp.handover_id == h.id).order_by(TaxStamp.id)
                )
                .scalars()
                .all()
            )
            prev = s.execute(
                select(PreviousCard).where(PreviousCard.handover_id == h.id)
            ).scalar_one()
            uses = tuple(
                OverrideUse(OverrideKind(kind), name, reason)
                for kind, name, reason in s.execute(
                    select(HandoverOverride.kind, Agent.display_name, Override.reason)
                    .join(Override, Override.id == HandoverOverride.override_id)
                    .join(Agent, Agent.id == Override.supervisor_id)
                    .where(HandoverOverride.handover_id == h.id)
                    .order_by(HandoverOverride.id)
                )
            )
            fixed = current_values(s, h.id)  # supervisors' corrections, if any
            amounts = [
                (t.stamp_number[-4:], fixed.amounts.get(t.id, t.amount_cents)) for t in stamps
            ]
            png = None
            if with_signature:
                png = s.execute(
                    select(Signature.png).where(Signature.handover_id == h.id)
                ).scalar_one_or_none()
            return HandoverRecord(
                handover_id=h.id,
                handover_number=handover_number(h.id, h.handed_over_at),
                permit=lookup.summary(permit),
                at=h.handed_over_at,
                desk_name=desk.name,
                agent_pseudonym=agent.pseudonym,
                agent_name=agent.display_name,
                identity_kind=fixed.document_type or ident.document_type,
                stamps=tuple(amounts),
                stamps_total_cents=h.stamps_total_cents
                + sum(c for _n, c in amounts)
                - sum(t.amount_cents for t in stamps),
                previous_card=PreviousCardReturn(
                    PreviousCardOutcome(prev.outcome),
                    prev.card_number_last4,
                    prev.police_report_number,
                    prev.police_report_date,
                ),
                audit_hash=h.audit_hash,
                signature_png=png,
                overrides=uses,
                corrections=fixed.corrections,
            )

    def receipt_pdf(
        self,
        handover_id: int,
        *,
        duplicate: bool,
        agent: AgentIdentity | None,
        layout: str | None = None,
    ) -> bytes:
        from handover.services.receipts import receipt_data, render

        record = self.handover_record(handover_id)
        data = receipt_data(record, self.config, duplicate=duplicate)
        pdf = render(data, layout or self.config.printer.paper)
        if duplicate:
            with UnitOfWork(self.engine) as uow:
                if agent is not None and agent.agent_id:  # 0: the system user of a command
                    acting_agent(uow.session, agent)
                audit.append(
                    uow.session,
                    at=self._now_in(uow),
                    desk=self.desk.desk_name,
                    agent=agent.pseudonym if agent else "?",
                    action="receipt.reprint",
                    subject=f"permit:{record.permit.permit_id}",
                    details={"handover": record.handover_number},
                )
                uow.commit()
        return pdf
