"""The door's window as a process of its own under a real X server (French layout):
a scanner burst gives a ticket; a typed numéro étranger asks for the visual check, which
Enter confirms. Outcomes are read from the database and the ticket archive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from handover.domain.values import Role
from handover.persistence.models import Permit, PermitState, QueueTicket
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import format_reference
from handover.services import accounts
from tests.support.realx import RealX, missing_tools

DOOR_PASSWORD = "porte-de-la-salle-2026"


class DoorX(RealX):
    """The door's window (``python -m ui.door``) on its own display, with a door agent."""

    app_module = "ui.door"
    demo_args = ("--demo",)  # the seeded data is a demonstration: the door in demo mode

    def prepare_data(self) -> None:
        super().prepare_data()
        accounts.add_agent(
            UnitOfWork(self.engine), "accueil1", DOOR_PASSWORD, role=Role.DOOR, provisioning=True
        )
        self.passwords["accueil1"] = DOOR_PASSWORD


@pytest.fixture(name="door")
def door_fixture(tmp_path: Path):
    missing = missing_tools()
    if missing:
        reason = f"outils X absents ({', '.join(missing)})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with DoorX(tmp_path / "door", layout="fr", permits=60) as door:
        door.login("accueil1")
        yield door


def tickets(door: RealX) -> list[tuple[int, int]]:
    with door.engine.connect() as connection:
        return [
            (int(number), int(permit))
            for number, permit in connection.execute(
                select(QueueTicket.number, QueueTicket.permit_id).order_by(QueueTicket.number)
            )
        ]


def ready_permits(door: RealX, count: int) -> list[tuple[int, str, str]]:
    with door.engine.connect() as connection:
        rows = connection.execute(
            select(Permit.id, Permit.handover_reference, Permit.numero_etranger)
            .where(Permit.state == PermitState.NOTIFIED, Permit.numero_etranger.is_not(None))
            .order_by(Permit.id)
            .limit(count)
        ).all()
    return [(int(i), format_reference(str(ref)), str(number)) for i, ref, number in rows]


def archived_tickets(door: RealX) -> list[str]:
    return sorted(path.name for path in (door.folder / "receipts").glob("ticket_*.pdf"))


@pytest.mark.realx
def test_a_scanned_sms_and_a_typed_checked_number_give_tickets(door: DoorX) -> None:
    (first_id, first_sms, _), (second_id, _, second_number) = ready_permits(door, 2)

    door.type_scan(first_sms)  # a French-set scanner: one burst, then Enter
    door.wait_until(lambda: tickets(door) == [(1, first_id)], "ticket 001")
    door.wait_until(lambda: len(archived_tickets(door)) == 1, "ticket 001 archived as PDF")

    door.type_slowly(second_number)  # a person types; the visual-check question opens
    door._x("search", "--sync", "--onlyvisible", "--name", "Vérification visuelle")
    door.key("Return")  # "Vérifié : imprimer le ticket (Entrée)"
    door.wait_until(lambda: tickets(door) == [(1, first_id), (2, second_id)], "ticket 002")

    with UnitOfWork(door.engine, read_only=True) as uow:
        count = uow.session.execute(select(func.count(QueueTicket.id))).scalar_one()
    assert count == 2
    assert door.alive()
