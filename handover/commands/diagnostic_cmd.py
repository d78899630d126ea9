"""``handover diagnostic``: what support needs in one page, without secrets or personal data.

Versions (application, Python, Qt, database library and server, schema), the
configuration in force with secrets masked, where the logs are and their last lines. It
reads only: a missing SQLite file is reported, never created; a database that does not
answer is a line of the report, not a failure of the command.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from handover import __version__, logs
from handover.commands._common import config
from handover.commands.config_cmd import _emit
from handover.config import Config, config_path, data_dir, mask_secret
from handover.errors import HandoverError
from handover.logs import LogFiles

LIBRARIES = ("PySide6-Essentials", "SQLAlchemy", "alembic", "psycopg", "zxing-cpp", "reportlab")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "diagnostic", help="versions, base, configuration et journal, pour l'assistance"
    )
    p.add_argument(
        "-n",
        "--lines",
        type=int,
        default=20,
        metavar="LIGNES",
        help="lignes de journal montrées (défaut : 20)",
    )
    p.set_defaults(func=_diagnostic)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def versions() -> list[str]:
    """Installed versions; Qt's is PySide6's (the wheels bundle the Qt of their version)."""
    lines = [
        f"Guichet (handover) {__version__}",
        f"Python {platform.python_version()} ({sys.executable}) sur {platform.platform()}",
        f"Bibliothèque SQLite {sqlite3.sqlite_version}",
    ]
    lines += [f"{name} {_version(name)}" for name in LIBRARIES]
    return lines


def database(cfg: Config) -> list[str]:
    """Server, version and schema revision of the configured database, or why not."""
    from sqlalchemy.engine import make_url

    from handover.persistence.db import schema_status
    from handover.persistence.engine import describe_engine, make_engine

    url = cfg.database_url
    lines = [f"Adresse : {mask_secret(url)}"]
    try:
        parsed = make_url(url)
    except Exception:
        return [*lines, "Adresse illisible."]
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        if not path.exists():
            return [*lines, f"Fichier absent : {path} (« handover db upgrade » le crée)."]
    try:
        engine = make_engine(url, busy_timeout_ms=cfg.database.busy_timeout_ms)
    except HandoverError as error:
        return [*lines, logs.redact(error.message)]
    try:
        lines.append(describe_engine(engine))
        status = schema_status(engine)
        if status.up_to_date:
            lines.append(f"Schéma : révision {status.current} (à jour)")
        else:
            lines.append(
                f"Schéma : révision {status.current or 'aucune (base vide)'}, "
                f"attendue {status.head} : lancez « handover db upgrade »"
            )
    except Exception as error:  # the report is most needed when the database fails
        reason = getattr(error, "orig", None) or error
        lines.append(f"Base injoignable : {type(error).__name__} : {logs.redact(str(reason))}")
    finally:
        engine.dispose()
    return lines


def last_crash(path: Path) -> list[str]:
    """The last run in the crash file that left more than its start line: a fatal error."""
    lines = logs.tail(path, 400)
    starts = [i for i, line in enumerate(lines) if line.startswith("--- ")]
    ends = [*starts[1:], len(lines)] if starts else []
    runs = [lines[b:e] for b, e in zip(starts, ends, strict=True)]
    crashes = [run for run in runs if len(run) > 1]
    return crashes[-1][:40] if crashes else ["(aucun plantage enregistré)"]


def _diagnostic(args: argparse.Namespace) -> int:
    print("# Guichet — diagnostic (secrets et données personnelles masqués)")
    print()
    print("## Versions")
    for line in versions():
        print(line)
    print()
    try:
        cfg: Config | None = config()
        problem = ""
    except HandoverError as error:
        cfg, problem = None, error.message
    print("## Chemins")
    print(f"Configuration : {config_path()}{'' if config_path().exists() else ' (absent)'}")
    print(f"Données : {data_dir()}")
    counter, cli = LogFiles.of(logs.COUNTER, cfg), LogFiles.of(logs.CLI, cfg)
    print(f"Journal du guichet : {counter.log_file}")
    print(f"Plantages du guichet : {counter.crash_file}")
    print(f"Journal des commandes : {cli.log_file}")
    print()
    print("## Base de données")
    if cfg is None:
        print(f"Configuration illisible : {logs.redact(problem)}")
    else:
        for line in database(cfg):
            print(line)
    print()
    if cfg is not None:
        print("## Configuration")
        lines: list[str] = []
        for section, values in cfg.to_mapping(mask_secrets=True).items():
            _emit(section, values, lines)
        print("\n".join(lines))
    print(f"## Journal du guichet : {max(args.lines, 0)} dernières lignes")
    for line in logs.tail(counter.log_file, args.lines) or ["(vide)"]:
        print(line)
    print()
    print("## Dernier plantage du guichet")
    for line in last_crash(counter.crash_file):
        print(line)
    return 0
