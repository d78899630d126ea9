"""Accounts for tests that act as someone: a stored account, and its private password file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from handover.commands._common import PASSWORD_FILE_ENV
from handover.domain.values import AgentIdentity, Role
from handover.persistence.models import Agent
from handover.persistence.uow import UnitOfWork
from handover.services import accounts

PASSWORD = "phrase-de-passe-du-test-38"
NAMES = {Role.AGENT: "agent-test", Role.SUPERVISOR: "chef-test", Role.ADMIN: "admin-test"}


def staff(engine: Engine, role: Role = Role.ADMIN, name: str | None = None) -> AgentIdentity:
    """The stored account of that role (created once per database, like a real one)."""
    name = name or NAMES[role]
    with UnitOfWork(engine, read_only=True) as uow:
        row = uow.session.execute(select(Agent).where(Agent.username == name)).scalar_one_or_none()
        if row is not None:
            return accounts.identity_of(row)
    return accounts.add_agent(
        UnitOfWork(engine), name, PASSWORD, role=role, display_name=name, provisioning=True
    )


def password_file(folder: Path, password: str = PASSWORD) -> Path:
    """A password file as a script would keep it: readable by its owner only."""
    path = folder / "mot-de-passe-chef.txt"
    path.write_text(password + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def run_as(
    engine: Engine,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    role: Role = Role.ADMIN,
) -> list[str]:
    """``--as NAME`` for a command line, its password in a private file named by the
    environment (as a scheduled script does)."""
    who = staff(engine, role)
    monkeypatch.setenv(PASSWORD_FILE_ENV, str(password_file(folder)))
    return ["--as", who.username]
