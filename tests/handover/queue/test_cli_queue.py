"""``handover ticket``, ``handover queue status|call|simulate`` through the real entry point."""

from __future__ import annotations

import json
import os

import pytest

from handover.cli import main
from handover.commands import ticket_cmd
from handover.domain.clock import FakeClock
from handover.persistence.models import PermitState
from tests.handover.queue.helpers import OPEN, make_queue, permits_in, sms
from tests.support.accounts import run_as


@pytest.fixture
def cli_env(engine, db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HANDOVER_DB_URL", db_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    monkeypatch.setattr(ticket_cmd, "clock", FakeClock(OPEN))
    return make_queue(engine)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip().startswith("{") else {"text": out}, err


def test_ticket_status_and_call_from_the_command_line(cli_env, capsys) -> None:  # type: ignore[no-untyped-def]
    ready = permits_in(cli_env.engine, PermitState.NOTIFIED)[0]
    blocked = permits_in(cli_env.engine, PermitState.BLOCKED)[0]

    code, first, _ = _run(capsys, "ticket", sms(ready), "--json", "--priority", "enfant")
    code2, again, _ = _run(capsys, "ticket", sms(ready), "--json")
    code3, refused, _ = _run(capsys, "ticket", sms(blocked), "--json")
    _, status, _ = _run(capsys, "queue", "status", "--json")
    _, call, _ = _run(capsys, "queue", "call", "--desk", "Guichet 3", "--json")
    _, empty, _ = _run(capsys, "queue", "call", "--desk", "Guichet 3", "--json")

    assert (code, first["issued"], first["number"], first["reprint"]) == (0, True, 1, False)
    assert first["ticket"]["priority"] == "enfant" and first["reason"] == "Ticket 001 imprimé."
    assert (code2, again["number"], again["reprint"]) == (0, 1, True)
    assert (code3, refused["issued"], refused["number"]) == (2, False, None)
    assert refused["verdict_kind"] == "blocked"
    assert (status["issued"], status["waiting"], status["served"]) == (1, 1, 0)
    assert status["capacity"] > 0 and status["cutoff_reached"] is False
    assert call["called"] and call["number"] == 1 and call["desk"] == "Guichet 3"
    assert call["permit"]["permit_id"] == ready.id and call["permit"]["reference"] == sms(ready)
    assert empty == {"called": False, "reason": "Personne n'attend."}


def test_the_text_outputs_are_french(cli_env, capsys) -> None:  # type: ignore[no-untyped-def]
    ready = permits_in(cli_env.engine, PermitState.NOTIFIED)[0]
    code, out, _ = _run(capsys, "ticket", sms(ready))
    _, status, _ = _run(capsys, "queue", "status")
    assert code == 0 and out["text"].strip() == "Ticket 001 imprimé."
    assert "Tickets émis      : 1" in status["text"]
    assert "Capacité restante" in status["text"]


def test_a_bad_priority_is_a_french_error(cli_env, capsys) -> None:  # type: ignore[no-untyped-def]
    ready = permits_in(cli_env.engine, PermitState.NOTIFIED)[0]
    code, _, err = _run(capsys, "ticket", sms(ready), "--priority", "vip")
    assert code == 2 and "Motif de priorité inconnu" in err


def test_agent_add_role_door_creates_an_agent_d_accueil(  # type: ignore[no-untyped-def]
    cli_env, capsys, monkeypatch, tmp_path
) -> None:
    import io

    as_admin = run_as(cli_env.engine, tmp_path, monkeypatch)  # the administrator creates it
    monkeypatch.setattr("sys.stdin", io.StringIO("une porte bien gardee\n"))
    code, out, _ = _run(capsys, "agent", "add", "portier", "--role", "door", *as_admin)
    _, listing, _ = _run(capsys, "agent", "list")
    assert code == 0 and "agent d'accueil" in out["text"]
    assert "portier" in listing["text"] and "agent d'accueil" in listing["text"]
