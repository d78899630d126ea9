"""The demonstration data is self-consistent: a newcomer meets every case and can scan it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from handover.config import Config
from handover.domain.names import icao_spelling
from handover.persistence.db import open_database
from handover.persistence.models import Handover, Permit, PermitState
from handover.scanning.mrz import parse_mrz
from handover.scanning.mrz_build import residence_card_mrz
from handover.services.demo import (
    DemoRefused,
    demo_holders,
    refuse_demonstration,
    remove_demo,
    seed_demo,
)


def seeded(tmp_path: Path, permits: int, seed: int) -> tuple[Engine, Config]:
    engine = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}", create=True)
    config = Config()
    seed_demo(engine, config, permits=permits, seed=seed)
    return engine, config


@pytest.mark.parametrize(("permits", "seed"), [(12, 1), (60, 7), (300, 1), (300, 42)])
def test_every_case_is_in_the_demo_whatever_its_size_and_seed(
    tmp_path: Path, permits: int, seed: int
) -> None:
    engine, _ = seeded(tmp_path, permits, seed)
    with engine.connect() as connection:
        states = dict(
            connection.execute(select(Permit.state, func.count()).group_by(Permit.state)).all()
        )
        handovers = connection.execute(select(func.count(Handover.id))).scalar_one()
        old_cards = connection.execute(
            select(func.count()).where(
                Permit.state == PermitState.NOTIFIED, Permit.previous_card_expected.is_(True)
            )
        ).scalar_one()
    for state in (PermitState.BLOCKED, PermitState.RETURNED, PermitState.EXPECTED):
        assert states.get(state, 0) >= 1, (state, states)  # expected: not arrived yet
    assert handovers >= 1 and states.get(PermitState.HANDED_OVER, 0) == handovers
    assert states.get(PermitState.NOTIFIED, 0) >= 1
    assert old_cards >= 1  # some holders still have an old card to bring back


def test_every_card_of_the_demo_has_its_mrz(tmp_path: Path) -> None:
    engine, _ = seeded(tmp_path, 300, 1)
    with engine.connect() as connection:
        cards = connection.execute(
            select(Permit.card_number, Permit.surname, Permit.given_names, Permit.birth_date)
        ).all()
    assert len(cards) == 300
    for number, surname, given, birth in cards:
        mrz = parse_mrz(residence_card_mrz(number, surname, given, birth))
        assert mrz.valid, (number, mrz.errors)
        assert mrz.document_number == number
        assert mrz.birth_date == birth
        assert mrz.surname == icao_spelling(surname).replace("<", " ").strip()


def test_the_printed_holders_include_stamps_and_an_old_card(tmp_path: Path) -> None:
    engine, _ = seeded(tmp_path, 300, 1)
    holders = demo_holders(engine)
    assert len(holders) == 3
    assert any(h.stamp and not h.old_card for h in holders)
    with_old = [h for h in holders if h.old_card]
    assert with_old and all(h.previous_card_expected for h in with_old)
    for holder in holders:
        for mrz in (holder.passport, holder.card, *([holder.old_card] if holder.old_card else [])):
            assert parse_mrz(mrz).valid, (holder.name, mrz)
    with engine.connect() as connection:
        states = connection.execute(
            select(Permit.state).where(Permit.id.in_([h.permit_id for h in holders]))
        ).scalars()
        assert set(states) == {PermitState.NOTIFIED}  # waiting at the counter, not handed


def test_the_production_side_refuses_a_demonstration_until_it_is_removed(tmp_path: Path) -> None:
    engine, config = seeded(tmp_path, 12, 1)
    with pytest.raises(DemoRefused, match="base de démonstration"):
        refuse_demonstration(engine)
    remove_demo(engine, config)
    assert refuse_demonstration(engine) == "vide"  # emptied: ready to go live
