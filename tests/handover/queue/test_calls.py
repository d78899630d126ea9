"""The desks' calls: priority rule, out of order, expiry, no-show, served (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handover.persistence.models import Handover, PermitState, QueueCall, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.queue.errors import CallNotFound, QueueError
from handover.queue.values import TicketStatus
from handover.services.handovers import DoorAgentCannotHandOver
from tests.handover.queue.helpers import audit_actions, make_queue, permits_in, sms
from tests.handover.services.helpers import request_for


def _status(engine, ticket_id: int) -> TicketStatus:  # type: ignore[no-untyped-def]
    with UnitOfWork(engine, read_only=True) as uow:
        value = uow.session.execute(
            select(QueueTicket.status).where(QueueTicket.id == ticket_id)
        ).scalar_one()
    return TicketStatus(value)


def test_priority_rule_one_priority_call_in_every_three(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, priority_every=3)
    permits = permits_in(engine, PermitState.NOTIFIED, 8)
    numbers = {}
    for i, p in enumerate(permits):
        priority = "age" if i in (2, 5, 6) else None  # tickets 3, 6 and 7 are priority
        outcome = env.queue.issue(sms(p), env.door, priority=priority)
        numbers[outcome.number] = priority

    called = []
    while (call := env.queue.call_next("Guichet 1", env.agent)) is not None:
        called.append(call.ticket.number)
        env.queue.mark_opened(call.call_id, env.agent)

    # P first (no priority call yet), then two ordinary calls, then P, two ordinary, P…
    assert called == [3, 1, 2, 6, 4, 5, 7, 8]
    assert sorted(called) == list(range(1, 9))
    assert audit_actions(engine, "ticket_call") == 8


def test_a_call_not_opened_in_time_goes_back_to_the_head(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, call_open_timeout_s=60, heartbeat_timeout_s=600)
    for p in permits_in(engine, PermitState.NOTIFIED, 3):
        env.queue.issue(sms(p), env.door)
    first = env.queue.call_next("Guichet 1", env.agent)
    assert first is not None and first.ticket.number == 1

    assert (env.queue.status().waiting, env.queue.status().called) == (2, 1)
    env.clock.advance(timedelta(seconds=61))
    status = env.queue.status()  # the door's polling puts the stale call back too
    again = env.queue.call_next("Guichet 2", env.agent)

    assert (status.waiting, status.called) == (3, 0)

    assert again is not None and again.ticket.number == 1 and again.desk_name == "Guichet 2"
    with pytest.raises(CallNotFound):
        env.queue.mark_opened(first.call_id, env.agent)
    env.queue.mark_opened(again.call_id, env.agent)
    assert audit_actions(engine, "ticket_requeue") == 1


def test_a_desk_whose_heartbeat_stops_loses_its_call_to_the_head(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, heartbeat_timeout_s=30, call_open_timeout_s=60)
    for p in permits_in(engine, PermitState.NOTIFIED, 2):
        env.queue.issue(sms(p), env.door)
    lost = env.queue.call_next("Guichet 1", env.agent)
    assert lost is not None
    env.queue.mark_opened(lost.call_id, env.agent)

    env.clock.advance(timedelta(seconds=20))
    env.queue.heartbeat("Guichet 1")  # still alive: its call stays
    env.clock.advance(timedelta(seconds=20))
    kept = env.queue.call_next("Guichet 2", env.agent)
    env.clock.advance(timedelta(seconds=31))  # Guichet 1 silent for 31 s
    env.queue.heartbeat("Guichet 2")
    taken = env.queue.call_next("Guichet 2", env.agent)

    assert kept is not None and kept.ticket.number == 2
    assert taken is not None and taken.ticket.number == 1


def test_no_show_after_the_delay_and_a_returning_no_show_goes_to_the_head(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine, no_show_after_s=180, call_open_timeout_s=600)
    permits = permits_in(engine, PermitState.NOTIFIED, 3)
    for p in permits:
        env.queue.issue(sms(p), env.door)
    call = env.queue.call_next("Guichet 1", env.agent)
    assert call is not None
    env.queue.mark_opened(call.call_id, env.agent)

    with pytest.raises(QueueError, match="attendez encore"):
        env.queue.mark_no_show(call.ticket.ticket_id, env.agent)
    env.clock.advance(timedelta(seconds=181))
    env.queue.mark_no_show(call.ticket.ticket_id, env.agent)
    assert _status(engine, call.ticket.ticket_id) == TicketStatus.NO_SHOW
    second = env.queue.call_next("Guichet 1", env.agent)
    back = env.queue.issue(sms(permits[0]), env.door)  # the holder comes back to the door
    third = env.queue.call_next("Guichet 1", env.agent)

    assert second is not None and second.ticket.number == 2
    assert back.reprint and back.number == 1 and "tête de file" in back.reason
    assert third is not None and third.ticket.number == 1
    assert env.queue.status().no_shows == 0


def test_call_number_out_of_order_needs_a_reason_and_is_audited(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    for p in permits_in(engine, PermitState.NOTIFIED, 3):
        env.queue.issue(sms(p), env.door)
    with pytest.raises(QueueError, match="hors de son tour"):
        env.queue.call_number(3, "Guichet 1", env.agent, "  ")

    call = env.queue.call_number(3, "Guichet 1", env.agent, "personne malade")
    with pytest.raises(QueueError, match="déjà appelé"):
        env.queue.call_number(3, "Guichet 2", env.agent, "erreur")
    following = env.queue.call_next("Guichet 2", env.agent)

    assert call.ticket.number == 3 and call.out_of_order_reason == "personne malade"
    assert following is not None and following.ticket.number == 1
    assert audit_actions(engine, "ticket_call_out_of_order") == 1
    assert [c.ticket.number for c in env.queue.recent_calls()] == [1, 3]
    assert env.queue.last_call_id() == following.call_id


def test_the_handover_serves_the_ticket_and_dates_the_service_from_the_call(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]
    env.queue.issue(sms(permit), env.door)
    call = env.queue.call_next("Guichet 1", env.agent)
    assert call is not None
    env.queue.mark_opened(call.call_id, env.agent)
    env.clock.advance(timedelta(seconds=200))

    record = env.counter.hand_over(request_for(permit), env.agent)

    assert _status(engine, call.ticket.ticket_id) == TicketStatus.SERVED
    with UnitOfWork(engine, read_only=True) as uow:
        started = uow.session.execute(
            select(Handover.scan_started_at).where(Handover.id == record.handover_id)
        ).scalar_one()
        outcome = uow.session.execute(
            select(QueueCall.outcome).where(QueueCall.id == call.call_id)
        ).scalar_one()
    assert started == call.called_at
    assert outcome == "served"
    assert env.queue.status().served == 1


def test_the_door_agent_neither_calls_nor_hands_over(engine) -> None:  # type: ignore[no-untyped-def]
    env = make_queue(engine)
    permit = permits_in(engine, PermitState.NOTIFIED)[0]
    env.queue.issue(sms(permit), env.door)

    with pytest.raises(QueueError, match="agent d'accueil"):
        env.queue.call_next("Accueil", env.door)
    with pytest.raises(DoorAgentCannotHandOver):
        env.counter.hand_over(request_for(permit), env.door)
