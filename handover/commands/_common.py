"""What every command needs: the configuration, the database, the desk, printing helpers."""

from __future__ import annotations

import json
import sys
from typing import Any

from sqlalchemy import Engine

from handover.config import Config, load_config
from handover.persistence.db import open_configured


def config() -> Config:
    return load_config()


_OPEN: list[Engine] = []


def engine(cfg: Config | None = None, *, migrate: bool = True) -> Engine:
    """The configured database, schema at head; closed by ``close_all`` when the command ends."""
    cfg = cfg or config()
    eng = open_configured(cfg, backoffice=True, migrate=migrate)
    _OPEN.append(eng)
    return eng


def close_all() -> None:
    while _OPEN:
        _OPEN.pop().dispose()


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def read_secret(prompt: str) -> str:
    """A password from the terminal (not echoed) or from standard input when piped."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")
