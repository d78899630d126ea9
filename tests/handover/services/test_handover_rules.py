"""Every rule of a handover, re-checked by the record from raw inputs, without a screen.

Each rule: refused with nothing written (no handover, permit unchanged, no audit entry,
override unspent), then accepted with the override of its kind, linked and audited.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from handover.domain.values import (
    IdentityDocument,
    IdentityDocumentKind,
    OverrideGrant,
    PreviousCardOutcome,
    PreviousCardReturn,
    StampEntry,
)
from handover.errors import HandoverError
from handover.persistence.models import (
    AuditEntry,
    Handover,
    HandoverOverride,
    Override,
    Permit,
    PermitState,
    PreviousCard,
)
from handover.persistence.uow import UnitOfWork
from handover.services import accounts, overrides
from handover.services.accounts import PermissionDenied
from handover.services.counter import CounterService
from handover.services.handovers import AccountDisabled, OverrideRefused
from tests.handover.receipts.pdf_reading import page_texts
from tests.handover.services.helpers import (
    OPEN_AT,
    holder_passport,
    login,
    make_counter,
    previous_card_mrz,
    request_for,
)


def _renewal(engine: Engine) -> Permit:
    """A notified permit with a fee whose previous card must come back."""
    with UnitOfWork(engine, read_only=True) as uow:
        return uow.session.execute(
            select(Permit)
            .where(
                Permit.state == PermitState.NOTIFIED,
                Permit.fee_cents > 0,
                Permit.previous_card_expected.is_(True),
            )
            .order_by(Permit.id)
            .limit(1)
        ).scalar_one()


def _written(engine: Engine, permit_id: int) -> tuple[int, str, int]:
    """Handovers, the permit's state, handover audit entries."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        return (
            s.execute(select(func.count(Handover.id))).scalar_one(),
            s.execute(select(Permit.state).where(Permit.id == permit_id)).scalar_one(),
            s.execute(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "handover")
            ).scalar_one(),
        )


def _refused(
    engine: Engine, counter: CounterService, request: object, agent: object, match: str
) -> None:
    permit_id = request.permit_id  # type: ignore[attr-defined]
    before = _written(engine, permit_id)
    with pytest.raises(HandoverError, match=match):
        counter.hand_over(request, agent)  # type: ignore[arg-type]
    assert _written(engine, permit_id) == before


def _grant(
    counter: CounterService, pw: dict[str, str], agent: object, kind: str, permit: Permit
) -> OverrideGrant:
    return counter.grant_override(
        "chef",
        pw["chef"],
        kind=kind,
        reason="Vu avec l'usager, pièces contrôlées",
        minutes=10,
        permit_id=permit.id,
        agent=agent,  # type: ignore[arg-type]
    )


def _linked_and_audited(engine: Engine, handover_id: int, grant: OverrideGrant) -> None:
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        kinds = s.execute(
            select(HandoverOverride.kind).where(HandoverOverride.handover_id == handover_id)
        ).scalars()
        assert list(kinds) == [grant.kind]
        used = s.execute(select(Override.used_at).where(Override.id == grant.override_id))
        assert used.scalar_one() is not None
        details = s.execute(
            select(AuditEntry.details)
            .where(AuditEntry.action == "handover")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).scalar_one()
    assert {"id": grant.override_id, "kind": grant.kind} in json.loads(details)["overrides"]


def test_too_few_stamps_refused_then_lifted_by_a_fee_override(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    short = replace(request_for(permit), stamps=(StampEntry("1234567890123456", 2500),))
    _refused(engine, counter, short, agent, "Timbres insuffisants")
    nothing = replace(request_for(permit), stamps=())
    _refused(engine, counter, nothing, agent, "Timbres insuffisants")
    grant = _grant(counter, pw, agent, "fee", permit)
    record = counter.hand_over(replace(short, override_ids=(grant.override_id,)), agent)
    assert record.stamps_total_cents == 2500
    assert [(u.kind, u.supervisor_name) for u in record.overrides] == [("fee", "Dominique Garnier")]
    _linked_and_audited(engine, record.handover_id, grant)
    # On the receipt, and on its reprint (read back from the link table).
    pdf = counter.receipt_pdf(record.handover_id, duplicate=True, agent=agent)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "autorisée par un chef d'accueil : timbres insuffisants" in text


def test_no_previous_card_outcome_refused_then_lifted(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    none = replace(request_for(permit), previous_card=PreviousCardReturn(PreviousCardOutcome.NONE))
    _refused(engine, counter, none, agent, "Ancienne carte")
    typed = replace(
        request_for(permit),
        previous_card=PreviousCardReturn(PreviousCardOutcome.TAKEN_BACK, "IR0000001"),
    )
    _refused(engine, counter, typed, agent, "scannez sa bande MRZ")
    grant = _grant(counter, pw, agent, "previous_card", permit)
    record = counter.hand_over(replace(none, override_ids=(grant.override_id,)), agent)
    _linked_and_audited(engine, record.handover_id, grant)


def test_a_police_report_needs_its_number_and_date(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    lost = PreviousCardReturn(PreviousCardOutcome.LOST_OR_STOLEN, police_report_number="PV-2026-1")
    _refused(engine, counter, replace(request_for(permit), previous_card=lost), agent, "date")
    future = replace(lost, police_report_date=OPEN_AT.date() + timedelta(days=2))
    _refused(engine, counter, replace(request_for(permit), previous_card=future), agent, "futur")
    dated = replace(lost, police_report_date=date(2026, 11, 3))
    record = counter.hand_over(replace(request_for(permit), previous_card=dated), agent)
    assert record.previous_card.police_report_date == date(2026, 11, 3)
    with UnitOfWork(engine, read_only=True) as uow:
        stored = uow.session.execute(
            select(PreviousCard).where(PreviousCard.handover_id == record.handover_id)
        ).scalar_one()
    assert (stored.outcome, stored.police_report_number, stored.police_report_date) == (
        PreviousCardOutcome.LOST_OR_STOLEN,
        "PV-2026-1",
        date(2026, 11, 3),
    )


def test_another_persons_previous_card_is_refused(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    others = PreviousCardReturn(
        PreviousCardOutcome.TAKEN_BACK,
        "IR0000001",
        scan=previous_card_mrz(permit, surname="Zorglub", birth=date(1970, 1, 1)),
    )
    request = replace(request_for(permit), previous_card=others)
    _refused(engine, counter, request, agent, "n'est pas celle du titulaire")
    grant = _grant(counter, pw, agent, "previous_card", permit)
    record = counter.hand_over(replace(request, override_ids=(grant.override_id,)), agent)
    _linked_and_audited(engine, record.handover_id, grant)


def test_a_mismatched_identity_is_refused_whatever_the_flags_say(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    other = holder_passport(permit, surname="Zorglub", birth=date(1970, 1, 1))
    lying = IdentityDocument(
        IdentityDocumentKind.PASSPORT,
        "SEN",
        "AB1234567",
        from_scan=True,
        name_matches=True,
        birth_date_matches=True,
        scan=other,
    )
    request = replace(request_for(permit), identity=lying)
    _refused(engine, counter, request, agent, "nom, date de naissance")
    given = holder_passport(permit, given_names="Zébulon")
    _refused(
        engine,
        counter,
        replace(request, identity=replace(lying, scan=given)),
        agent,
        "prénom",
    )
    grant = _grant(counter, pw, agent, "identity", permit)
    record = counter.hand_over(replace(request, override_ids=(grant.override_id,)), agent)
    _linked_and_audited(engine, record.handover_id, grant)


def test_a_typed_document_needs_its_country_and_is_checked_by_eye(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    typed = IdentityDocument(IdentityDocumentKind.RECEPISSE, "", "R12345678")
    _refused(engine, counter, replace(request_for(permit), identity=typed), agent, "pays")
    record = counter.hand_over(
        replace(request_for(permit), identity=replace(typed, issuing_country="dza")), agent
    )
    assert record.identity_kind == "recepisse"
    with UnitOfWork(engine, read_only=True) as uow:
        details = uow.session.execute(
            select(AuditEntry.details)
            .where(AuditEntry.action == "handover")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).scalar_one()
    assert json.loads(details)["identity_checked"] == "visual"


def test_no_drawer_card_check_refused_then_lifted(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    unchecked = replace(request_for(permit), drawer_card_scan=None)
    _refused(engine, counter, unchecked, agent, "carte sortie du casier")
    wrong = replace(request_for(permit), drawer_card_scan=previous_card_mrz(permit))
    _refused(engine, counter, wrong, agent, "MAUVAISE CARTE")
    grant = _grant(counter, pw, agent, "card", permit)
    record = counter.hand_over(replace(unchecked, override_ids=(grant.override_id,)), agent)
    _linked_and_audited(engine, record.handover_id, grant)


def test_no_signature_is_refused(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    _refused(engine, counter, replace(request_for(permit), signature_png=b""), agent, "ignature")


def test_a_self_granted_override_is_refused(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    chef = login(counter, pw, "chef")
    permit = _renewal(engine)
    with pytest.raises(PermissionDenied, match="soi-même"):
        _grant(counter, pw, chef, "fee", permit)
    # Granted without saying for whom, then used by the supervisor at the desk.
    grant = overrides.grant_override(
        UnitOfWork(counter.engine),
        chef,
        kind="fee",
        reason="Vu avec l'usager, pièces contrôlées",
        minutes=10,
        desk=counter.desk,
        permit_id=permit.id,
        now=OPEN_AT,
    )
    short = replace(
        request_for(permit),
        stamps=(StampEntry("1234567890123456", 100),),
        override_ids=(grant.override_id,),
    )
    _refused(engine, counter, short, chef, "soi-même")


def test_an_override_is_used_once_for_its_own_permit(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    grant = _grant(counter, pw, agent, "fee", permit)
    short = replace(
        request_for(permit),
        stamps=(StampEntry("1234567890123456", 100),),
        override_ids=(grant.override_id,),
    )
    with UnitOfWork(engine, read_only=True) as uow:
        second = uow.session.execute(
            select(Permit)
            .where(
                Permit.state == PermitState.NOTIFIED,
                Permit.fee_cents > 0,
                Permit.id != permit.id,
            )
            .order_by(Permit.id)
            .limit(1)
        ).scalar_one()
    elsewhere = replace(
        request_for(second),
        stamps=(StampEntry("6543210987654321", 100),),
        override_ids=(grant.override_id,),
    )
    _refused(engine, counter, elsewhere, agent, "autre titre")
    counter.hand_over(short, agent)
    # Reused for the same holder (say, after a restore): spent.
    with UnitOfWork(engine) as uow:
        row = uow.session.get(Override, grant.override_id)
        assert row is not None
        row.permit_id = second.id
        uow.commit()
    _refused(engine, counter, elsewhere, agent, "déjà servi")


def test_a_disabled_agent_is_refused_at_the_next_handover(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    admin = login(counter, pw, "admin")
    accounts.set_active(UnitOfWork(engine), "agent1", False, by=admin)
    with pytest.raises(AccountDisabled, match="désactivé"):
        counter.hand_over(request_for(permit), agent)
    assert _written(engine, permit.id)[0] == 2  # the demo's two, nothing more
    with pytest.raises(AccountDisabled, match="session se termine"):
        counter.check(str(permit.handover_reference), agent)


def test_the_screen_cannot_skip_the_rules(engine: Engine) -> None:
    """The flags and the typed card number a screen may send are no evidence."""
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    permit = _renewal(engine)
    unreadable = replace(
        request_for(permit),
        identity=replace(request_for(permit).identity, scan="PAS UNE MRZ"),
    )
    _refused(engine, counter, unreadable, agent, "illisible")
    bad_override = replace(request_for(permit), override_ids=(987654,))
    with pytest.raises(OverrideRefused, match="introuvable"):
        counter.hand_over(bad_override, agent)
