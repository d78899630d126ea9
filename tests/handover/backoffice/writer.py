"""A desk in another process handing permits over until told to stop (backup tests)."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

from sqlalchemy.exc import NoResultFound

from handover.config import Config
from handover.domain.clock import FakeClock
from handover.persistence.engine import make_engine
from handover.persistence.models import PermitState
from handover.services.counter import CounterService
from handover.services.demo import DEMO_ACCOUNTS
from tests.handover.services.helpers import OPEN_AT, permit_in_state, request_for


def write_handovers(url: str, ready: Event, stop: Event, committed: Queue[int]) -> None:
    """Hand permits over one by one; put each permit id once its handover is committed."""
    engine = make_engine(url)
    try:
        service = CounterService(engine, Config(), clock=FakeClock(OPEN_AT))
        agent = service.login("agent1", DEMO_ACCOUNTS["agent1"][2])
        count = 0
        while not stop.is_set():
            try:
                permit = permit_in_state(engine, PermitState.NOTIFIED)
            except NoResultFound:
                break
            request = request_for(permit, stamps=(f"{8000000000000000 + permit.id:016d}",))
            service.hand_over(request, agent)
            committed.put(permit.id)
            count += 1
            if count == 3:
                ready.set()
    finally:
        engine.dispose()
