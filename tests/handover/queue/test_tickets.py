"""The door: tickets bound to permits, on both databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from handover.domain.values import VerdictKind
from handover.persistence.models import DoorEvent, Override, PermitState, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.queue.errors import QueueError
from handover.queue.values import TicketStatus
from handover.scanning.mrz_build import passport_mrz
from tests.handover.queue.helpers import (
    BEFORE_DOOR,
    CLOSED_DAY,
    DOOR_OPEN,
    audit_actions,
    make_queue,
    permits_in,
    sms,
)


def _tickets(engine) -> int:  # type: ignore[no-untyped-def]
    with UnitOfWork(engine, read_only=True) as uow:
        return int(uow.session.execute(select(func.count()).select_from(QueueTicket)).scalar_one())


def test_one_ticket_per_permit_per_day_second_scan_reprints(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]

    first = env.queue.issue(sms(permit), env.door)
    again = env.queue.issue(sms(permit).lower().replace("-", ""), env.door)

    assert first.issued and not first.reprint and first.number == 1
    assert first.reason == "Ticket 001 imprimé."
    assert first.ticket is not None and first.ticket.permit_id == permit.id
    assert first.ticket.reference == sms(permit)
    assert first.ticket.fee_cents == permit.fee_cents
    assert first.ticket.needs_previous_card == permit.previous_card_expected
    assert again.issued and again.reprint and again.number == 1
    assert again.ticket is not None and again.ticket.reprints == 1
    assert "réimprimé" in again.reason
    assert _tickets(engine) == 1
    assert audit_actions(engine, "ticket_issue") == 1
    assert audit_actions(engine, "ticket_reprint") == 1


def test_numbers_run_from_one_per_opening_day_and_are_never_reused(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permits = permits_in(engine, PermitState.NOTIFIED, 4)

    numbers = [env.queue.issue(sms(p), env.door).number for p in permits[:3]]
    env.clock.advance(timedelta(days=1))  # Tuesday: a new opening day
    tuesday = env.queue.issue(sms(permits[3]), env.door)
    monday_again = env.queue.issue(sms(permits[0]), env.door)

    assert numbers == [1, 2, 3]
    assert tuesday.number == 1
    # Monday's ticket does not carry over: a new ticket, numbered after Tuesday's first.
    assert monday_again.number == 2 and not monday_again.reprint


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (PermitState.BLOCKED, VerdictKind.BLOCKED),
        (PermitState.RETURNED, VerdictKind.RETURNED),
        (PermitState.HANDED_OVER, VerdictKind.ALREADY_HANDED_OVER),
    ],
)
def test_a_permit_not_ready_is_refused_at_once_without_a_ticket(engine, state, kind) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = permits_in(engine, state)[0]

    outcome = env.queue.issue(sms(permit), env.door)

    assert not outcome.issued and outcome.number is None and outcome.ticket is None
    assert outcome.verdict_kind == kind
    assert outcome.reason.startswith("Pas de ticket")
    assert _tickets(engine) == 0
    with UnitOfWork(engine, read_only=True) as uow:
        events = uow.session.execute(select(DoorEvent.verdict, DoorEvent.outcome)).all()
    assert events == [(kind.value, "refused")]


def test_unknown_reference_and_garbage_are_refused(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    unknown = env.queue.issue("ZZZZ-ZZZZ-Z", env.door)
    garbage = env.queue.issue("%%%", env.door)
    assert not unknown.issued and unknown.verdict_kind in (
        VerdictKind.UNKNOWN,
        VerdictKind.INVALID_SCAN,
    )
    assert not garbage.issued and garbage.verdict_kind in (
        VerdictKind.UNKNOWN,
        VerdictKind.INVALID_SCAN,
    )
    assert _tickets(engine) == 0


def test_no_ticket_on_a_closed_day_the_holder_hears_the_next_opening(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, at=CLOSED_DAY)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]

    outcome = env.queue.issue(sms(permit), env.door)

    assert not outcome.issued and outcome.verdict_kind == VerdictKind.COUNTER_CLOSED
    assert outcome.next_opening is not None and outcome.next_opening > CLOSED_DAY
    assert "réouverture vendredi 27/11 à 9 h 00" in outcome.reason
    assert env.queue.status().day is None


def test_the_door_opens_before_the_counter_and_judges_the_coming_period(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, at=BEFORE_DOOR)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]

    too_early = env.queue.issue(sms(permit), env.door)
    env.clock.set(DOOR_OPEN)  # 08:45 Paris: counter closed, door open since 08:30
    assert not env.counter.window_status().is_open
    ticket = env.queue.issue(sms(permit), env.door)

    assert not too_early.issued and "8 h 30" in too_early.reason
    assert ticket.issued and ticket.number == 1


def test_a_typed_numero_etranger_needs_the_door_agents_visual_check(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = next(p for p in permits_in(engine, PermitState.NOTIFIED, 10) if p.numero_etranger)
    assert permit.numero_etranger is not None

    unchecked = env.queue.issue(permit.numero_etranger, env.door)
    checked = env.queue.issue(permit.numero_etranger, env.door, visual_check=True)

    assert not unchecked.issued and unchecked.needs_visual_check
    assert checked.issued and checked.number == 1


def test_an_identity_document_gives_a_ticket_only_when_it_matches_the_holder(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]
    own = passport_mrz(permit.surname, permit.given_names, permit.birth_date, number="AB1234567")
    other_birth = permit.birth_date.replace(year=permit.birth_date.year - 3)
    other = passport_mrz(permit.surname, permit.given_names, other_birth, number="AB1234567")

    refused = env.queue.issue(other, env.door)
    issued = env.queue.issue(own, env.door)

    assert not refused.issued
    assert issued.issued and issued.ticket is not None and issued.ticket.permit_id == permit.id


def test_priority_is_a_configured_reason_and_its_change_is_audited(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    a, b = permits_in(engine, PermitState.NOTIFIED, 2)
    with pytest.raises(QueueError, match="Motif de priorité inconnu"):
        env.queue.issue(sms(a), env.door, priority="vip")
    ticket = env.queue.issue(sms(a), env.door, priority="grossesse").ticket
    other = env.queue.issue(sms(b), env.door).ticket
    assert ticket is not None and other is not None and ticket.priority == "grossesse"

    changed = env.queue.set_priority(other.ticket_id, "handicap", env.door)

    assert changed.priority == "handicap"
    assert audit_actions(engine, "ticket_priority") == 1


def test_cutoff_then_a_supervisor_raises_the_limit(engine) -> None:  # type: ignore[no-untyped-def]
    # 10:50 Paris, ten minutes before closing, one expected desk: a handful of slots.
    late = DOOR_OPEN + timedelta(hours=2, minutes=5)
    env = make_queue(engine, at=late, expected_desks=1)
    room = env.queue.status().capacity
    assert 0 < room <= 10
    permits = permits_in(engine, PermitState.NOTIFIED, room + 3)

    for p in permits[:room]:
        assert env.queue.issue(sms(p), env.door).issued
    status = env.queue.status()
    refused = env.queue.issue(sms(permits[room]), env.door)

    assert status.cutoff_reached and status.capacity == 0 and status.issued == room
    assert not refused.issued and refused.ticket is None and refused.verdict_kind is None
    assert refused.next_opening is not None and refused.next_opening > late + timedelta(hours=12)
    assert "Complet" in refused.reason
    with pytest.raises(QueueError, match="chef d'accueil"):
        env.queue.raise_limit(1, "fin de matinée", env.door, env.agent)

    raised = env.queue.raise_limit(1, "servir ceux qui attendent", env.door, env.supervisor)
    extra = env.queue.issue(sms(permits[room]), env.door)
    after = env.queue.issue(sms(permits[room + 1]), env.door)

    assert raised.limit_raised_by == 1 and not raised.cutoff_reached
    assert extra.issued and extra.number == room + 1
    assert not after.issued
    with UnitOfWork(engine, read_only=True) as uow:
        kinds = uow.session.execute(select(Override.kind)).scalars().all()
    assert "queue_limit" in kinds
    assert audit_actions(engine, "override") >= 1


def test_status_counts_what_the_door_shows(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permits = permits_in(engine, PermitState.NOTIFIED, 3)
    for p in permits:
        env.queue.issue(sms(p), env.door)
    env.queue.heartbeat("Guichet 1")

    status = env.queue.status()

    assert (status.issued, status.waiting, status.served) == (3, 3, 0)
    assert status.active_desks == ("Guichet 1",)
    assert status.estimated_wait_minutes is not None and status.estimated_wait_minutes > 0
    assert status.predicted_last_number is not None and status.predicted_last_number >= 3
    assert status.day == env.clock.now().date()
    assert TicketStatus.WAITING.value == "waiting"


def test_a_door_that_loses_the_database_issues_nothing_half(sqlite_url: str) -> None:
    """Another process holds the write lock past the door's patience: a French error, no
    ticket, no counter step, no audit entry; the next scan gets number 1."""
    import sqlite3

    from handover.errors import DatabaseUnavailable
    from handover.persistence.engine import make_engine
    from handover.persistence.models import QueueDay
    from handover.queue.service import QueueService

    engine = make_engine(sqlite_url)
    env = make_queue(engine)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]
    impatient = make_engine(sqlite_url, busy_timeout_ms=200)
    door = QueueService(impatient, env.queue.config, clock=env.clock)
    blocker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseUnavailable) as failed:
            door.issue(sms(permit), env.door)
        blocker.execute("ROLLBACK")
        assert failed.value.message and "base" in failed.value.message.lower()
        assert _tickets(engine) == 0 and audit_actions(engine, "ticket_issue") == 0
        with UnitOfWork(engine, read_only=True) as uow:
            assert uow.session.execute(select(func.count()).select_from(QueueDay)).scalar() == 0
            assert uow.session.execute(select(func.count()).select_from(DoorEvent)).scalar() == 0
        assert door.issue(sms(permit), env.door).number == 1
    finally:
        blocker.close()
        impatient.dispose()
        engine.dispose()
