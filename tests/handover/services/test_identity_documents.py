"""The site's list of identity documents (``[identity] documents``), enforced by the record."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from handover.config import Config, IdentityConfig, load_config
from handover.domain.clock import FakeClock
from handover.domain.values import IdentityDocument, IdentityDocumentKind
from handover.errors import ConfigError, HandoverError
from handover.persistence.models import Handover, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz_build import residence_card_mrz
from handover.services.counter import CounterService
from handover.services.handovers import HandoverPolicy
from tests.handover.services.helpers import OPEN_AT, login, make_counter, request_for


def _notified(engine: Engine, offset: int = 0) -> Permit:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(
            select(Permit)
            .where(Permit.state == PermitState.NOTIFIED)
            .order_by(Permit.id)
            .offset(offset)
            .limit(1)
        ).scalar_one()


def _handovers(engine: Engine) -> int:
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(select(func.count(Handover.id))).scalar_one()


def _site_accepting(engine: Engine, *documents: str) -> tuple[CounterService, dict[str, str]]:
    seeded, passwords = make_counter(engine)
    config = replace(seeded.config, identity=IdentityConfig(documents=documents))
    return CounterService(engine, config, clock=FakeClock(OPEN_AT)), passwords


def test_a_typed_document_of_a_kind_the_site_does_not_accept_is_refused(engine: Engine) -> None:
    counter, pw = _site_accepting(engine, "passport", "residence_card")
    agent = login(counter, pw)
    permit = _notified(engine)
    typed = replace(
        request_for(permit),
        identity=IdentityDocument(IdentityDocumentKind.RECEPISSE, "FRA", "R75-123456"),
    )
    before = _handovers(engine)
    with pytest.raises(HandoverError, match=r"Récépissé.*n'est pas accepté"):
        counter.hand_over(typed, agent)
    assert _handovers(engine) == before
    # The same holder with an accepted document: recorded.
    counter.hand_over(request_for(permit), agent)
    assert _handovers(engine) == before + 1


def test_a_scanned_document_is_judged_by_what_its_mrz_says_it_is(engine: Engine) -> None:
    counter, pw = _site_accepting(engine, "passport")
    agent = login(counter, pw)
    permit = _notified(engine, offset=1)
    # The screen says « passport », the MRZ is a residence card: the MRZ decides.
    card = residence_card_mrz("IR7777777", permit.surname, permit.given_names, permit.birth_date)
    scanned = replace(
        request_for(permit),
        identity=IdentityDocument(IdentityDocumentKind.PASSPORT, "FRA", "IR7777777", scan=card),
    )
    before = _handovers(engine)
    with pytest.raises(HandoverError, match=r"Titre de séjour.*n'est pas accepté"):
        counter.hand_over(scanned, agent)
    assert _handovers(engine) == before


def test_the_counter_passes_the_configured_list_to_the_record(engine: Engine) -> None:
    counter, _pw = _site_accepting(engine, "passport", "id_card")
    assert counter.identity_documents == frozenset({"passport", "id_card"})
    assert isinstance(counter.policy, HandoverPolicy)
    assert counter.policy.identity_documents == frozenset({"passport", "id_card"})


def test_the_default_list_leaves_out_other_documents() -> None:
    assert "other" not in Config().identity.documents
    assert "passport" in Config().identity.documents


def test_a_document_kind_that_does_not_exist_is_a_french_configuration_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[identity]\ndocuments = ["passport", "passeport"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"identity\.documents contient 'passeport'"):
        load_config(path, environ={})
    path.write_text("[identity]\ndocuments = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="liste de textes non vide"):
        load_config(path, environ={})


def test_the_list_may_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    config = load_config(path, environ={"HANDOVER_IDENTITY_DOCUMENTS": "passport, recepisse"})
    assert config.identity.documents == ("passport", "recepisse")
