"""What every command needs: the configuration, the database, the desk, printing helpers."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from handover import audit
from handover.config import Config, load_config
from handover.domain.values import AgentIdentity, Role
from handover.errors import HandoverError
from handover.persistence.db import open_configured
from handover.persistence.uow import UnitOfWork
from handover.services import accounts
from handover.services.desks import ensure_desk


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


# -- the acting account (``--as COMPTE``) -----------------------------------------------

PASSWORD_FILE_ENV = "HANDOVER_PASSWORD_FILE"


def account_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--as COMPTE`` and ``--password-file``: the account a changing command runs as."""
    parser.add_argument(
        "--as",
        dest="as_account",
        metavar="COMPTE",
        required=required,
        help="compte au nom duquel agir (son mot de passe est demandé ; l'audit le nomme)",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FICHIER",
        help=f"pour un script : fichier contenant le mot de passe de COMPTE, lisible par son "
        f"seul propriétaire (chmod 600) ; ou la variable {PASSWORD_FILE_ENV}",
    )


def _password_from_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise HandoverError(
            f"Fichier de mot de passe {path} illisible ({exc.strerror or exc}). Rien n'a été fait."
        ) from None
    if os.name == "posix" and info.st_mode & 0o077:
        raise HandoverError(
            f"Le fichier de mot de passe {path} est lisible par d'autres comptes (droits "
            f"{stat.S_IMODE(info.st_mode):04o}) : rendez-le privé avec « chmod 600 {path} », "
            "puis relancez. Rien n'a été fait."
        )
    if os.name == "posix" and info.st_uid != os.getuid():
        raise HandoverError(
            f"Le fichier de mot de passe {path} appartient à un autre compte du système : "
            "il doit appartenir au compte qui lance la commande. Rien n'a été fait."
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines else ""


def _password(file: Path | None, name: str) -> str:
    if file is not None:
        return _password_from_file(file)
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Mot de passe de {name} : ")
    raise HandoverError(
        f"Pas de terminal pour demander le mot de passe de {name} : dans un script, "
        f"donnez-le dans un fichier privé (--password-file FICHIER ou {PASSWORD_FILE_ENV}). "
        "Rien n'a été fait."
    )


def _named_account(args: argparse.Namespace) -> tuple[str, Path | None]:
    name = getattr(args, "as_account", None)
    if not name:
        raise HandoverError(
            "Cette commande modifie la base : indiquez le compte qui agit avec --as COMPTE "
            "(son mot de passe sera demandé). Rien n'a été fait."
        )
    file = args.password_file or (
        Path(os.environ[PASSWORD_FILE_ENV]) if os.environ.get(PASSWORD_FILE_ENV) else None
    )
    return name, file


def acting_in_copy(args: argparse.Namespace, eng: Engine, *, doing: str) -> AgentIdentity:
    """``--as`` checked in a database that is only read (a backup about to be restored): an
    administrator's password and role, nothing written there."""
    name, file = _named_account(args)
    password = _password(file, name)
    return accounts.check_password(
        UnitOfWork(eng, read_only=True), name, password, accounts.ADMINS, doing=doing
    )


def acting(args: argparse.Namespace, eng: Engine, cfg: Config | None = None) -> AgentIdentity:
    """The account named by ``--as``, its password checked (asked, or read from a file).

    The login is audited like a desk's (failures counted and throttled); what the account
    may do is checked by each use case against the stored role.
    """
    cfg = cfg or config()
    name, file = _named_account(args)
    password = _password(file, name)
    sec = cfg.security
    return accounts.authenticate(
        UnitOfWork(eng),
        name,
        password,
        ensure_desk(UnitOfWork(eng), cfg),
        throttle_after=sec.login_throttle_after,
        throttle_seconds=sec.login_throttle_seconds,
    )


def system_user() -> AgentIdentity:
    """Who runs a read-only command or a reprint: the operating-system account, named in the
    audit by a keyed pseudonym only (never its login name). It can change nothing: its id
    matches no account, so every use case that reads the acting account refuses it."""
    import getpass

    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = f"uid-{os.getuid()}" if hasattr(os, "getuid") else "inconnu"
    return AgentIdentity(
        agent_id=0,
        username="",
        display_name="utilisateur du système",
        # Short enough for the audit's agent column (16), keyed: not reversible by guessing.
        pseudonym="OS-" + audit.keyed_digest("os-user", login)[:12],
        role=Role.AGENT,
    )
