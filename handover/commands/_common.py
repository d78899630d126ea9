"""What every command needs: the configuration, the database, the desk, printing helpers."""

from __future__ import annotations

import json
import sys
from typing import Any

from sqlalchemy import Engine

from handover.config import Config, load_config
from handover.persistence.db import open_database


def config() -> Config:
    return load_config()


def engine(cfg: Config | None = None, *, migrate: bool = True) -> Engine:
    cfg = cfg or config()
    return open_database(
        cfg.database_url, busy_timeout_ms=cfg.database.busy_timeout_ms, migrate=migrate
    )


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
