"""An agent disabled while logged in: the next scan is refused and the session ends."""

from __future__ import annotations

from handover.persistence.uow import UnitOfWork
from handover.services import accounts
from tests.support.accounts import staff
from tests.ui.counter_fixtures import (
    Counter,
    counter_fixture,
    log_in,
    ready_permit,
    scan,
    seeded_template_fixture,
)

FIXTURES = (counter_fixture, seeded_template_fixture)


def test_a_disabled_agents_next_scan_ends_the_session(counter: Counter, qtbot) -> None:
    log_in(counter)
    window = counter.window
    permit = ready_permit(counter.engine)
    admin = staff(counter.engine)  # an administrator, at another desk
    accounts.set_active(UnitOfWork(counter.engine), "agent1", False, by=admin)
    with qtbot.waitSignal(counter.presenter.logged_out):
        scan(window.scan_field, permit.reference, counter.keys)
    assert counter.presenter.agent is None
    assert window.stack.currentWidget() is window.login_page
    assert "désactivé" in window.login_page.problem.text()
    window.grab().save("/tmp/core-rules-disabled.png")
