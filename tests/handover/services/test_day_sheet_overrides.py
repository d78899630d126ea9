"""The closing sheet lists each override with the handover it travelled with (both databases)."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from handover.persistence.models import Agent, PermitState
from handover.persistence.uow import UnitOfWork
from handover.receipts.render import render_day_sheet
from handover.services.receipts import day_sheet_data, receipt_data
from tests.handover.receipts.pdf_reading import page_texts
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for

BLOCKED_REASON = "Alerte levée par téléphone avec le service des titres"
FEE_REASON = "Usager reviendra avec les timbres : accord du chef de bureau"


def test_overrides_of_the_day_come_from_the_link_table(engine: Engine) -> None:
    counter, pw = make_counter(engine)
    agent = login(counter, pw)
    blocked = permit_in_state(engine, PermitState.BLOCKED)
    other = permit_in_state(engine, PermitState.NOTIFIED)

    def grant(kind: str, permit_id: int, reason: str) -> int:
        return counter.grant_override(
            "chef",
            pw["chef"],
            kind=kind,
            reason=reason,
            minutes=10,
            permit_id=permit_id,
            agent=agent,
        ).override_id

    lifted = grant("blocked", blocked.id, BLOCKED_REASON)
    fee = grant("fee", blocked.id, FEE_REASON)
    grant("not_notified", other.id, "Accordé puis l'usager est reparti")
    short = replace(request_for(blocked), stamps=())
    record = counter.hand_over(replace(short, override_ids=(lifted, fee)), agent)
    with UnitOfWork(engine, read_only=True) as uow:
        chef = uow.session.execute(
            select(Agent.pseudonym).where(Agent.username == "chef")
        ).scalar_one()
    day = record.at.astimezone(ZoneInfo(counter.tz)).date()

    sheet = day_sheet_data(engine, counter.config, day)

    rows = [(o.handover_number, o.kind, o.supervisor_pseudonym, o.reason) for o in sheet.overrides]
    assert rows == [
        (record.handover_number, "Remise d'un titre bloqué", chef, BLOCKED_REASON),
        (record.handover_number, "Timbres insuffisants", chef, FEE_REASON),
        ("", "Remise d'un titre non notifié", chef, "Accordé puis l'usager est reparti"),
    ]
    assert sheet.overrides[0].at == record.at
    text = " ".join(" ".join(page_texts(render_day_sheet(sheet))).split())
    assert "Dérogations du chef d'accueil (3)" in text
    assert f"{record.handover_number} Remise d'un titre bloqué" in text
    assert "non utilisée" in text
    # The receipt names the kinds (not the reasons, which may name people).
    receipt = receipt_data(record, counter.config, duplicate=False)
    assert receipt.overrides == (
        "Remise autorisée par un chef d'accueil : remise d'un titre bloqué",
        "Remise autorisée par un chef d'accueil : timbres insuffisants",
    )
