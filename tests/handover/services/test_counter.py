"""The counter's use cases against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from handover import audit
from handover.domain.clock import FakeClock
from handover.domain.values import VerdictKind
from handover.persistence.models import (
    Handover,
    HandoverOverride,
    IdentityCheck,
    Permit,
    PermitState,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import format_reference
from handover.services.accounts import LoginFailed, LoginThrottled, PermissionDenied
from handover.services.handovers import (
    AlreadyHandedOver,
    CounterClosed,
    InvalidRequest,
    PermitNotAvailable,
    StampAlreadyUsed,
)
from tests.handover.services.helpers import (
    CLOSED_AT,
    login,
    make_counter,
    permit_in_state,
    request_for,
)


def _count(engine: Engine, model: type) -> int:
    with UnitOfWork(engine, read_only=True) as uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def test_ready_verdict_then_handover_then_already_handed_over(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert permit.handover_reference is not None
    verdict = counter.check(format_reference(permit.handover_reference).lower(), agent)
    assert verdict.kind == VerdictKind.READY
    assert verdict.permit is not None
    assert verdict.permit.permit_id == permit.id
    assert permit.storage_slot
    assert permit.storage_slot in verdict.headline
    before = {m: _count(engine, m) for m in (Handover, TaxStamp, Signature, IdentityCheck)}

    record = counter.hand_over(request_for(permit), agent)

    assert record.permit.permit_id == permit.id
    for model, n in before.items():
        assert _count(engine, model) == n + 1
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.session.get(Permit, permit.id).state == PermitState.HANDED_OVER  # type: ignore[union-attr]
        report = audit.verify(uow.session)
    assert report.ok
    assert report.head_hash == record.audit_hash
    again = counter.check(permit.handover_reference, agent)
    assert again.kind == VerdictKind.ALREADY_HANDED_OVER
    assert again.prior is not None
    assert again.prior.handover_number == record.handover_number
    assert "Guichet 1" in again.headline
    with pytest.raises(AlreadyHandedOver) as err:
        counter.hand_over(request_for(permit, stamps=("9999888877776666",)), agent)
    assert record.handover_number in err.value.message


def test_stamp_is_consumed_once_across_the_database(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    first = permit_in_state(engine, PermitState.NOTIFIED, offset=0)
    second = permit_in_state(engine, PermitState.NOTIFIED, offset=1)
    record = counter.hand_over(request_for(first, stamps=("1111222233334444",)), agent)
    with pytest.raises(StampAlreadyUsed) as err:
        counter.check_stamp("1111 2222 3333 4444")
    assert record.handover_number in err.value.message
    handovers = _count(engine, Handover)
    with pytest.raises(StampAlreadyUsed):
        counter.hand_over(request_for(second, stamps=("1111222233334444",)), agent)
    assert _count(engine, Handover) == handovers
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.session.get(Permit, second.id).state == PermitState.NOTIFIED  # type: ignore[union-attr]


def test_invalid_request_writes_nothing(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    entries = _count(engine, Handover)
    bad = request_for(permit)
    from dataclasses import replace

    with pytest.raises(InvalidRequest, match="signature"):
        counter.hand_over(replace(bad, signature_png=b""), agent)
    with pytest.raises(InvalidRequest, match="16 chiffres"):
        counter.hand_over(replace(bad, stamps=(replace(bad.stamps[0], number="123"),)), agent)
    assert _count(engine, Handover) == entries


def test_closed_counter_refuses_until_a_supervisor_overrides(engine: Engine) -> None:
    counter, pw = make_counter(engine, at=CLOSED_AT)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert permit.handover_reference is not None
    verdict = counter.check(permit.handover_reference, agent)
    assert verdict.kind == VerdictKind.COUNTER_CLOSED
    assert "vendredi" in verdict.headline  # Thursday → reopens Friday 9:00
    with pytest.raises(CounterClosed):
        counter.hand_over(request_for(permit), agent)
    with pytest.raises(PermissionDenied):
        counter.grant_override(
            "agent1",
            pw["agent1"],
            kind="window",
            reason="file d'attente à 11 h",
            minutes=30,
            permit_id=None,
            agent=agent,
        )
    with pytest.raises(PermissionDenied, match="Motif"):
        counter.grant_override(
            "chef", pw["chef"], kind="window", reason="ok", minutes=30, permit_id=None, agent=agent
        )
    grant = counter.grant_override(
        "chef",
        pw["chef"],
        kind="window",
        reason="Usagers dans la file à 11 h",
        minutes=30,
        permit_id=None,
        agent=agent,
    )
    assert counter.check(permit.handover_reference, agent).kind == VerdictKind.READY
    record = counter.hand_over(request_for(permit), agent)
    with UnitOfWork(engine, read_only=True) as uow:
        assert uow.session.get(Handover, record.handover_id).override_id == grant.override_id  # type: ignore[union-attr]
    # Once the override has expired, the counter is closed again.
    assert isinstance(counter.clock, FakeClock)
    from datetime import timedelta

    counter.clock.advance(timedelta(minutes=31))
    other = permit_in_state(engine, PermitState.NOTIFIED)
    with pytest.raises(CounterClosed):
        counter.hand_over(request_for(other, stamps=("5555666677778888",)), agent)


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (PermitState.BLOCKED, VerdictKind.BLOCKED),
        (PermitState.RETURNED, VerdictKind.RETURNED),
        (PermitState.RECEIVED, VerdictKind.NOT_NOTIFIED),
    ],
)
def test_verdict_per_state(engine: Engine, state: PermitState, kind: VerdictKind) -> None:
    counter, pw = make_counter(engine, permits=150)
    agent = login(counter, pw)
    permit = permit_in_state(engine, state)
    assert permit.handover_reference is not None
    verdict = counter.check(permit.handover_reference, agent)
    assert verdict.kind == kind
    if state in (PermitState.BLOCKED, PermitState.RETURNED):
        with pytest.raises(PermitNotAvailable):
            counter.hand_over(request_for(permit), agent)


def test_lookup_by_numero_etranger_and_unknown(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    assert permit.numero_etranger is not None
    assert counter.check(permit.numero_etranger, agent).permit.permit_id == permit.id  # type: ignore[union-attr]
    unknown = counter.check("0000000001", agent)
    assert unknown.kind == VerdictKind.UNKNOWN
    assert "numéro étranger" in unknown.details[0]
    garbage = counter.check("%%%", agent)
    assert garbage.kind == VerdictKind.INVALID_SCAN


def test_login_failures_are_throttled_and_audited(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            counter.login("agent1", "not-the-password")
    with pytest.raises(LoginThrottled):
        counter.login("agent1", pw["agent1"])
    with UnitOfWork(engine, read_only=True) as uow:
        from handover.persistence.models import AuditEntry

        actions = uow.session.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("login.failure") == 3
    assert "login.throttled" in actions


def test_only_a_blocked_override_unblocks_a_blocked_permit(engine: Engine) -> None:
    from dataclasses import replace

    counter, pw = make_counter(engine, permits=150)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.BLOCKED)
    card = counter.grant_override(
        "chef",
        pw["chef"],
        kind="card",
        reason="Carte vérifiée à la main",
        minutes=10,
        permit_id=permit.id,
        agent=agent,
    )
    with pytest.raises(PermitNotAvailable):
        counter.hand_over(replace(request_for(permit), override_ids=(card.override_id,)), agent)
    unblock = counter.grant_override(
        "chef",
        pw["chef"],
        kind="blocked",
        reason="Alerte levée par le service",
        minutes=10,
        permit_id=permit.id,
        agent=agent,
    )
    record = counter.hand_over(
        replace(request_for(permit), override_ids=(unblock.override_id,)), agent
    )
    assert record.permit.permit_id == permit.id


def test_card_override_while_the_window_is_extended(engine: Engine) -> None:
    """Outside hours, a card override does not hide the desk's window extension."""
    from dataclasses import replace

    counter, pw = make_counter(engine, at=CLOSED_AT)
    agent = login(counter, pw)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    counter.grant_override(
        "chef",
        pw["chef"],
        kind="window",
        reason="Usagers dans la file",
        minutes=30,
        permit_id=None,
        agent=agent,
    )
    card = counter.grant_override(
        "chef",
        pw["chef"],
        kind="card",
        reason="Carte vérifiée à la main",
        minutes=10,
        permit_id=permit.id,
        agent=agent,
    )
    # The card could not be scanned: the card override lifts that rule, the window
    # extension the hours; both travel with the handover.
    unscanned = replace(
        request_for(permit), drawer_card_scan=None, override_ids=(card.override_id,)
    )
    record = counter.hand_over(unscanned, agent)
    assert [use.kind for use in record.overrides] == ["window", "card"]
    with UnitOfWork(engine, read_only=True) as uow:
        linked = uow.session.execute(
            select(HandoverOverride.kind).where(HandoverOverride.handover_id == record.handover_id)
        ).scalars()
        assert sorted(linked) == ["card", "window"]
