"""A handover with a signature that is not a valid image is refused and writes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine

from handover.persistence.models import PermitState
from handover.services.handovers import InvalidRequest
from tests.handover.backoffice.conftest import snapshot
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for


def test_a_damaged_signature_is_refused_before_anything_is_written(engine: Engine) -> None:
    counter, passwords = make_counter(engine, permits=20)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    request = request_for(permit)
    before = snapshot(engine)
    damaged = request.signature_png[:-30]  # cut: the receipt could never be drawn from it
    with pytest.raises(InvalidRequest, match="illisible"):
        counter.hand_over(replace(request, signature_png=damaged), agent)
    assert snapshot(engine) == before
    record = counter.hand_over(request, agent)  # signed again: recorded
    assert record.signature_png == request.signature_png
