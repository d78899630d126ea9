"""Unclaimed permits: list after N days, reminder batch, return to sender."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from handover import audit
from handover.backoffice.imports import import_permits
from handover.backoffice.sms import confirm_notifications, export_notifications
from handover.backoffice.unclaimed import list_unclaimed, remind_unclaimed, return_unclaimed
from handover.config import Config
from handover.persistence.models import AuditEntry, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from tests.handover.backoffice.conftest import snapshot
from tests.handover.backoffice.delivery import row, write
from tests.support.accounts import staff

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _notify(engine: Engine, tmp_path: Path, cards: list[int], at: datetime) -> None:
    import_permits(
        engine,
        Config(),
        write(tmp_path / f"in{at:%j}.csv", [row(i) for i in cards]),
        now=at,
        actor=staff(engine),
    )
    out = tmp_path / f"sms{at:%j}.csv"
    export_notifications(engine, Config(), out, now=at, actor=staff(engine))
    assert confirm_notifications(engine, Config(), out, now=at, actor=staff(engine)).marked == len(
        cards
    )


def _setup(engine: Engine, tmp_path: Path) -> None:
    _notify(engine, tmp_path, [1, 2], NOW - timedelta(days=100))
    _notify(engine, tmp_path, [3], NOW - timedelta(days=40))
    _notify(engine, tmp_path, [4], NOW - timedelta(days=5))


def test_list_remind_and_return(engine: Engine, tmp_path: Path) -> None:
    _setup(engine, tmp_path)
    config = Config()  # reminder after 30 days, return after 90
    listed = list_unclaimed(engine, config, now=NOW)
    assert [u.card_number for u in listed] == ["IR000000001", "IR000000002", "IR000000003"]
    assert [u.days_waiting for u in listed] == [100, 100, 40]
    assert [u.card_number for u in list_unclaimed(engine, config, days=60, now=NOW)] == [
        "IR000000001",
        "IR000000002",
    ]

    out = tmp_path / "rappel.csv"
    batch = remind_unclaimed(engine, config, out, now=NOW, actor=staff(engine))
    assert batch.messages == 3
    lines = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=";"))
    deadline = f"{(NOW - timedelta(days=40) + timedelta(days=90)):%d/%m/%Y}"
    assert f"jusqu'au {deadline}" in lines[2]["message"]
    assert lines[2]["message"].startswith("Rappel Préfecture de l'Isère")
    # A second run reminds nobody twice.
    assert (
        remind_unclaimed(engine, config, tmp_path / "r2.csv", now=NOW, actor=staff(engine)).messages
        == 0
    )

    staff(engine)  # the acting account exists before the snapshot
    before = snapshot(engine)
    dry = return_unclaimed(engine, config, dry_run=True, now=NOW, actor=staff(engine))
    assert [u.card_number for u in dry.permits] == ["IR000000001", "IR000000002"] and not dry.done
    assert snapshot(engine) == before
    done = return_unclaimed(engine, config, now=NOW, actor=staff(engine))
    assert done.done and len(done.permits) == 2
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        permits = {p.card_number: p for p in s.execute(select(Permit)).scalars()}
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.action == "permits_return")
        ).scalar_one()
        assert audit.verify(s).ok
    for card in ("IR000000001", "IR000000002"):
        p = permits[card]
        assert p.state == PermitState.RETURNED and p.closed_at == NOW
        assert p.state_reason is not None and "90 jours" in p.state_reason
    assert permits["IR000000003"].state == PermitState.NOTIFIED
    assert permits["IR000000003"].reminded_at == NOW
    assert json.loads(entry.details)["count"] == 2
    assert list_unclaimed(engine, config, days=60, now=NOW) == ()
