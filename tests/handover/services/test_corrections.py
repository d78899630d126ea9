"""A supervisor corrects a recorded handover: appended, audited, the reprint says RECTIFIÉ."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from handover.backoffice.retention import PURGED_NAME, purge
from handover.config import Config
from handover.domain.values import IdentityDocumentKind
from handover.persistence.models import (
    AuditEntry,
    Handover,
    HandoverCorrection,
    IdentityCheck,
    PermitState,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.services.accounts import PermissionDenied
from handover.services.corrections import CorrectionRefused, correct_handover, document_kind
from tests.handover.receipts.pdf_reading import page_texts
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for
from tests.support.accounts import staff

REASON = "Timbre de 25 € saisi 225 € par erreur (vérifié sur le timbre)"


def recorded(engine: Engine, handover_id: int) -> tuple[list[int], str, int, int]:
    """The handover's own rows: stamp amounts, document type, total; and the corrections."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        return (
            list(
                s.execute(
                    select(TaxStamp.amount_cents).where(TaxStamp.handover_id == handover_id)
                ).scalars()
            ),
            s.execute(
                select(IdentityCheck.document_type).where(IdentityCheck.handover_id == handover_id)
            ).scalar_one(),
            s.execute(
                select(Handover.stamps_total_cents).where(Handover.id == handover_id)
            ).scalar_one(),
            s.execute(select(func.count(HandoverCorrection.id))).scalar_one(),
        )


def test_a_correction_keeps_the_original_and_the_reprint_says_rectifie(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    agent, chef = login(counter, pw, "agent1"), login(counter, pw, "chef")
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    record = counter.hand_over(request_for(permit, stamps=("1111222233334444",)), agent)
    original = recorded(engine, record.handover_id)
    amount = original[0][0]
    assert original[1] == "passport" and original[3] == 0

    # Refused, nothing written: an agent, nothing asked, the same value, a short reason.
    with pytest.raises(PermissionDenied, match="rectifier une remise"):
        correct_handover(
            UnitOfWork(engine), record.handover_id, by=agent, reason=REASON, desk_name="G1",
            amount_cents=2500,
        )  # fmt: skip
    for kwargs, message in (
        ({}, "Rien à rectifier"),
        ({"amount_cents": amount}, "déjà cette valeur"),
        ({"amount_cents": 2500, "stamp_last4": "9999"}, "ne finit par « 9999 »"),
        ({"amount_cents": 10_000_000}, "hors limites"),
    ):
        with pytest.raises(CorrectionRefused, match=message):
            correct_handover(
                UnitOfWork(engine), record.handover_id, by=chef, reason=REASON, desk_name="G1",
                **kwargs,  # type: ignore[arg-type]
            )  # fmt: skip
    assert recorded(engine, record.handover_id) == original

    history = correct_handover(
        UnitOfWork(engine),
        record.handover_id,
        by=chef,
        reason=REASON,
        desk_name="G1",
        amount_cents=2500,
        stamp_last4="4444",
        document_type=document_kind("Titre de séjour"),
    )
    assert [(c.field, c.old_value, c.new_value) for c in history] == [
        ("stamp_amount", str(amount), "2500"),
        ("document_type", "passport", "residence_card"),
    ]
    assert recorded(engine, record.handover_id)[:3] == original[:3]  # the proof is untouched

    fixed = counter.handover_record(record.handover_id)
    assert fixed.stamps == (("4444", 2500),) and fixed.stamps_total_cents == 2500
    assert fixed.identity_kind == IdentityDocumentKind.RESIDENCE_CARD
    pdf = counter.receipt_pdf(record.handover_id, duplicate=True, agent=agent)  # F9's reprint
    text = " ".join(page_texts(pdf)[0].split())  # the lines as printed, wrapping aside
    assert "RECTIFIÉ" in text and "DUPLICATA" in text
    assert "pièce d'identité « Passeport » → « Titre de séjour »" in text
    assert f"par le chef d'accueil {chef.pseudonym}" in text
    assert f"montant du timbre …4444 {amount // 100},00 € → 25,00 €" in text
    assert "•••• •••• •••• 4444 25,00 € Total 25,00 €" in text

    with UnitOfWork(engine, read_only=True) as uow:
        entries = uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == "handover.correct")
        ).scalars()
        audited = [(e.agent, json.loads(e.details)) for e in entries]
    assert [(who, d["field"], d["new"]) for who, d in audited] == [
        (chef.pseudonym, "stamp_amount", "2500"),
        (chef.pseudonym, "document_type", "residence_card"),
    ]
    assert all("Timbre" not in json.dumps(d) for _w, d in audited)  # the reason: a digest

    # The reason may name people: the retention purge erases it with the holder's data.
    later = record.at + timedelta(days=Config().retention.personal_data_days + 1)
    purge(engine, Config(), now=later, actor=staff(engine))
    with UnitOfWork(engine, read_only=True) as uow:
        reasons = set(uow.session.execute(select(HandoverCorrection.reason)).scalars())
    assert reasons == {PURGED_NAME}


def test_a_supervisor_does_not_correct_their_own_handover(engine: Engine) -> None:
    counter, pw = make_counter(engine, permits=20)
    chef = login(counter, pw, "chef")
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    record = counter.hand_over(request_for(permit), chef)
    with pytest.raises(CorrectionRefused, match="autre chef d'accueil"):
        correct_handover(
            UnitOfWork(engine), record.handover_id, by=chef, reason=REASON, desk_name="G1",
            document_type=IdentityDocumentKind.ID_CARD,
        )  # fmt: skip
    assert recorded(engine, record.handover_id)[3] == 0
