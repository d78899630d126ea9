"""Batches and block/unblock racing desks' handovers: nothing a desk committed is undone.

On PostgreSQL the window is held open on purpose: a session locks the audit head, so each
desk's handover stops after it has taken its permit (conditional update done, not committed)
and the batch, which read the permits as still notified, reaches the same rows and waits.
The lock is then released: the desks commit first, and the batch must skip their permits
and report them. On both databases, a handover made between a batch's preview and its
confirmation is skipped the same way.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from handover import audit
from handover.backoffice.imports import import_permits
from handover.backoffice.sms import confirm_notifications, export_notifications
from handover.backoffice.unclaimed import return_unclaimed
from handover.config import Config
from handover.domain.values import AgentIdentity, Role
from handover.persistence.models import AuditEntry, AuditHead, Handover, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.services.counter import CounterService
from handover.services.permits import (
    PermitChangeRefused,
    set_blocked,
)
from tests.handover.backoffice.delivery import row, write
from tests.handover.services.helpers import login, make_counter, request_for
from tests.support.accounts import staff

LATER = datetime.now(UTC) + timedelta(days=1000)  # every demo notification is due by then
DESKS = 4
_stamps = itertools.count(1)


def _ids(engine: Engine, state: PermitState, n: int) -> list[int]:
    with UnitOfWork(engine, read_only=True) as uow:
        ids = list(
            uow.session.execute(
                select(Permit.id).where(Permit.state == state).order_by(Permit.id).limit(n)
            ).scalars()
        )
    assert len(ids) == n
    return ids


def _hand_over(counter: CounterService, agent: AgentIdentity, permit_id: int) -> None:
    with UnitOfWork(counter.engine, read_only=True) as uow:
        permit = uow.session.get(Permit, permit_id)
    assert permit is not None
    counter.hand_over(
        request_for(permit, stamps=(f"{7000000000000000 + next(_stamps):016d}",)), agent
    )


def _states(engine: Engine, ids: list[int]) -> dict[int, PermitState]:
    with UnitOfWork(engine, read_only=True) as uow:
        rows = uow.session.execute(select(Permit.id, Permit.state).where(Permit.id.in_(ids)))
        return {i: PermitState(s) for i, s in rows}


def _no_handover_undone(engine: Engine) -> None:
    """Every permit with a handover row is in state handed over; the audit verifies."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        wrong = s.execute(
            select(func.count())
            .select_from(Handover)
            .join(Permit, Permit.id == Handover.permit_id)
            .where(Permit.state != PermitState.HANDED_OVER)
        ).scalar_one()
        assert wrong == 0
        assert audit.verify(s).ok


class _Thread(threading.Thread):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work()
        except BaseException as exc:  # reported by the test
            self.error = exc


def _waiting(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "select count(*) from pg_stat_activity where datname = current_database() "
                    "and wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )


def _until_waiting(engine: Engine, n: int) -> None:
    deadline = time.monotonic() + 30
    while _waiting(engine) < n:
        assert time.monotonic() < deadline, f"{n} sessions never waited on a lock"
        time.sleep(0.02)


def race(engine: Engine, desks: list[Callable[[], Any]], batch: Callable[[], Any]) -> Any:
    """Run the desks' handovers and the batch with the window held open; the batch's result."""
    assert engine.dialect.name == "postgresql"
    with engine.connect() as locker:
        locker.execute(select(AuditHead.id).where(AuditHead.id == 1).with_for_update())
        threads = [_Thread(d) for d in desks]
        for t in threads:
            t.start()
        _until_waiting(engine, len(desks))  # each desk holds its permit, waits for the head
        batch_thread = _Thread(batch)
        batch_thread.start()
        _until_waiting(engine, len(desks) + 1)  # the batch waits for a desk's permit
        locker.rollback()
    for t in [*threads, batch_thread]:
        t.join(60)
        assert not t.is_alive()
        if t.error is not None:
            raise t.error
    return batch_thread.result


def _supervisor(engine: Engine, permit_id: int, *, block: bool) -> Callable[[], str]:
    """A supervisor's block or unblock, as a call that returns "fait" or the refusal."""
    chef = staff(engine, Role.SUPERVISOR)  # before the race: creating it writes the audit

    def call() -> str:
        try:
            set_blocked(
                UnitOfWork(engine),
                permit_id,
                block,
                reason="Alerte du service titres, vérifiée",
                by=chef,
                desk_name="bureau",
            )
        except PermitChangeRefused as refused:
            return refused.message
        return "fait"

    return call


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("a race needs concurrent writers: PostgreSQL (SQLite writers take turns)")
    return engine


def test_return_batch_skips_permits_handed_over_meanwhile(pg_engine: Engine) -> None:
    counter, passwords = make_counter(pg_engine, permits=60)
    agent = login(counter, passwords)
    raced = _ids(pg_engine, PermitState.NOTIFIED, DESKS)
    desks = [lambda i=i: _hand_over(counter, agent, i) for i in raced]  # type: ignore[misc]
    admin = staff(pg_engine)  # before the race: creating it writes the audit
    result = race(
        pg_engine, desks, lambda: return_unclaimed(pg_engine, Config(), now=LATER, actor=admin)
    )
    assert sorted(x.permit_id for x in result.skipped) == raced
    assert {x.state for x in result.skipped} == {PermitState.HANDED_OVER}
    assert result.permits, "the demo data has other notified permits to return"
    assert not {p.permit_id for p in result.permits} & set(raced)
    assert set(_states(pg_engine, raced).values()) == {PermitState.HANDED_OVER}
    returned = [p.permit_id for p in result.permits]
    assert set(_states(pg_engine, returned).values()) == {PermitState.RETURNED}
    _no_handover_undone(pg_engine)


def test_sms_confirmation_skips_permits_handed_over_meanwhile(
    pg_engine: Engine, tmp_path: Path
) -> None:
    counter, passwords = make_counter(pg_engine, permits=30)
    agent = login(counter, passwords)
    delivery = write(tmp_path / "livraison.csv", [row(i) for i in range(900_001, 900_009)])
    admin = staff(pg_engine)
    assert import_permits(pg_engine, Config(), delivery, actor=admin).imported == 8
    sent = tmp_path / "envoi.csv"
    assert export_notifications(pg_engine, Config(), sent, actor=staff(pg_engine)).messages >= 8
    with UnitOfWork(pg_engine, read_only=True) as uow:
        raced = list(
            uow.session.execute(
                select(Permit.id)
                .where(Permit.state == PermitState.RECEIVED, Permit.handover_reference.is_not(None))
                .order_by(Permit.id)
                .limit(DESKS)
            ).scalars()
        )
    assert len(raced) == DESKS  # in the gateway file, about to be confirmed
    desks = [lambda i=i: _hand_over(counter, agent, i) for i in raced]  # type: ignore[misc]
    result = race(
        pg_engine,
        desks,
        lambda: confirm_notifications(pg_engine, Config(), sent, actor=admin),
    )
    assert sorted(x.permit_id for x in result.skipped) == raced
    assert {x.state for x in result.skipped} == {PermitState.HANDED_OVER}
    assert len([p for p in result.problems if "désormais « remis »" in p]) == DESKS
    assert result.marked > 0
    assert set(_states(pg_engine, raced).values()) == {PermitState.HANDED_OVER}
    _no_handover_undone(pg_engine)


def test_block_waits_for_the_desk_then_refuses(pg_engine: Engine) -> None:
    counter, passwords = make_counter(pg_engine, permits=30)
    agent = login(counter, passwords)
    (raced,) = _ids(pg_engine, PermitState.NOTIFIED, 1)

    block = _supervisor(pg_engine, raced, block=True)
    message = race(pg_engine, [lambda: _hand_over(counter, agent, raced)], block)
    assert "Titre « remis » : impossible de le bloquer" in message
    assert _states(pg_engine, [raced]) == {raced: PermitState.HANDED_OVER}
    _no_handover_undone(pg_engine)


def test_unblock_of_a_permit_handed_over_under_override_is_refused(pg_engine: Engine) -> None:
    counter, passwords = make_counter(pg_engine, permits=30)
    agent = login(counter, passwords)
    (raced,) = _ids(pg_engine, PermitState.NOTIFIED, 1)
    assert _supervisor(pg_engine, raced, block=True)() == "fait"
    grant = counter.grant_override(
        "chef",
        passwords["chef"],
        kind="blocked",
        reason="Carte vérifiée au guichet",
        minutes=10,
        agent=agent,
        permit_id=raced,
    )

    def desk() -> None:
        with UnitOfWork(pg_engine, read_only=True) as uow:
            permit = uow.session.get(Permit, raced)
        assert permit is not None
        request = request_for(permit, stamps=(f"{7100000000000000 + raced:016d}",))
        from dataclasses import replace

        counter.hand_over(replace(request, override_ids=(grant.override_id,)), agent)

    message = race(pg_engine, [desk], _supervisor(pg_engine, raced, block=False))
    assert "Titre « remis » : impossible de le débloquer" in message
    assert _states(pg_engine, [raced]) == {raced: PermitState.HANDED_OVER}
    _no_handover_undone(pg_engine)


def test_return_confirmed_after_a_preview_skips_a_permit_handed_over_in_between(
    engine: Engine,
) -> None:
    counter, passwords = make_counter(engine, permits=60)
    agent = login(counter, passwords)
    preview = return_unclaimed(engine, Config(), now=LATER, dry_run=True, actor=staff(engine))
    assert len(preview.permits) >= 2 and not preview.done
    gone = preview.permits[0].permit_id
    _hand_over(counter, agent, gone)
    done = return_unclaimed(
        engine,
        Config(),
        now=LATER,
        permit_ids=[p.permit_id for p in preview.permits],
        actor=staff(engine),
    )
    assert [(x.permit_id, x.state) for x in done.skipped] == [(gone, PermitState.HANDED_OVER)]
    assert "désormais « remis », laissé tel quel" in str(done.skipped[0])
    assert len(done.permits) == len(preview.permits) - 1
    with UnitOfWork(engine, read_only=True) as uow:
        entry = uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == "permits_return")
        ).scalar_one()
    assert f'"skipped":[{gone}]' in entry.details
    _no_handover_undone(engine)
