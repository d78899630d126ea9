"""Which commits sync (SQLite WAL): scans may be lost in a power cut, handovers never.

SQLite's own statement trace is read: it shows the ``synchronous`` level each write
transaction runs with, as the database receives it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from handover.cli import main
from handover.persistence.engine import make_engine
from handover.persistence.models import PermitState
from handover.persistence.uow import make_durable
from tests.handover.services.helpers import login, make_counter, permit_in_state, request_for


@pytest.fixture
def trace() -> Iterator[list[str]]:
    """Every SQL statement any SQLite connection opened from now on executes."""
    statements: list[str] = []

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(statements.append)

    event.listen(Engine, "connect", on_connect)
    yield statements
    event.remove(Engine, "connect", on_connect)


def transactions(statements: list[str]) -> list[tuple[str, list[str]]]:
    """Each committed write transaction: the synchronous level in force, and its statements."""
    level = "FULL"
    found: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for sql in statements:
        text = " ".join(sql.split())
        if text.startswith("PRAGMA synchronous = "):
            level = text.removeprefix("PRAGMA synchronous = ")
        elif text == "BEGIN IMMEDIATE":
            current = []
        elif text == "COMMIT" and current is not None:
            found.append((level, current))
            current = None
        elif current is not None:
            current.append(text)
    return found


def first_table(statements: list[str]) -> str:
    """The table a transaction writes first (``INSERT INTO t`` / ``UPDATE t``)."""
    for sql in statements:
        words = sql.split()
        if words[0] == "INSERT":
            return words[2]
        if words[0] == "UPDATE":
            return words[1]
    return ""


def test_scans_commit_without_their_own_sync_and_handovers_with_it(
    sqlite_url: str, trace: list[str]
) -> None:
    engine = make_engine(sqlite_url)
    counter, passwords = make_counter(engine)
    agent = login(counter, passwords)
    permit = permit_in_state(engine, PermitState.NOTIFIED)
    trace.clear()

    counter.check(permit.handover_reference or "", agent)
    counter.hand_over(request_for(permit), agent)
    counter.check(permit.handover_reference or "", agent)
    make_durable(engine)

    levels = [(level, first_table(stmts)) for level, stmts in transactions(trace)]
    assert levels[0] == ("NORMAL", "audit_entries")  # the scan
    assert levels[1] == ("FULL", "permits")  # the handover: the permit taken first
    assert levels[-2] == ("NORMAL", "audit_entries")  # the second scan
    assert levels[-1] == ("FULL", "audit_head")  # made durable
    engine.dispose()


def test_audit_verify_makes_the_head_durable_before_printing_it(
    sqlite_url: str,
    trace: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = make_engine(sqlite_url)
    counter, passwords = make_counter(engine)
    counter.check("K3P9-7QXA-M", login(counter, passwords))
    engine.dispose()
    monkeypatch.setenv("HANDOVER_DB_URL", sqlite_url)
    monkeypatch.setenv("HANDOVER_CONFIG", os.devnull)
    trace.clear()
    assert main(["audit", "verify"]) == 0
    assert "Tête de chaîne" in capsys.readouterr().out
    level, statements = transactions(trace)[-1]
    assert level == "FULL" and statements[0].startswith("UPDATE audit_head")
