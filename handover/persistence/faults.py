"""Database faults, told in French: what happened, whether anything was written, what to do.

A driver error (SQLite or PostgreSQL) is turned into one of the ``DatabaseUnavailable``
subclasses below by ``classify``. The messages name the database file (never a holder's
data: engines run with ``hide_parameters``) and say what the IT staff should do; the
README's table "When the database fails" explains each of them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from handover.errors import DatabaseUnavailable

NOTHING_SAVED = "Rien n'a été enregistré."


class DatabaseMissing(DatabaseUnavailable):
    """The SQLite file is not there (never created, mistyped path, deleted)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"La base de données {path} n'existe pas. Première installation : créez-la avec "
            "« handover db upgrade ». Sinon, vérifiez le chemin (HANDOVER_DB_URL ou "
            "[database] url) ou restaurez la dernière sauvegarde (handover restore)."
        )
        self.path = path


class DatabaseVanished(DatabaseUnavailable):
    """The SQLite file was deleted, moved or replaced while the program was using it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Le fichier de la base de données {path} a disparu (supprimé, déplacé ou "
            f"remplacé) pendant que le programme l'utilisait. {NOTHING_SAVED} Fermez le "
            "programme et appelez l'assistance : la base doit être remise en place ou "
            "restaurée (handover restore) avant de reprendre."
        )
        self.path = path


class DatabaseCorrupted(DatabaseUnavailable):
    """SQLite found the file damaged (not a database, malformed pages)."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(
            f"La base de données {where} est endommagée ({detail}). Ne continuez pas sur ce "
            "poste : appelez l'assistance, qui la vérifiera avec « handover db check » et "
            "restaurera la dernière sauvegarde (handover restore)."
        )


class DiskFull(DatabaseUnavailable):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"Le disque de la base de données est plein ({where}). {NOTHING_SAVED} Faites "
            "libérer de la place sur ce disque par l'assistance, puis recommencez."
        )


class DatabaseReadOnly(DatabaseUnavailable):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"La base de données {where} est en lecture seule (fichier, dossier ou disque "
            f"protégé en écriture). {NOTHING_SAVED} L'assistance doit rendre le fichier et "
            "son dossier modifiables par le compte qui lance le programme."
        )


class DatabaseAccessDenied(DatabaseUnavailable):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"Accès refusé à la base de données {where}. {NOTHING_SAVED} L'assistance doit "
            "donner au compte qui lance le programme le droit de lire et d'écrire le fichier "
            "de la base et son dossier (ou, avec PostgreSQL, les droits sur la base)."
        )


class DatabaseBusy(DatabaseUnavailable):
    """A lock held too long by another session, or a statement over its time limit."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"La base de données est occupée : {what}. {NOTHING_SAVED} Réessayez dans un "
            "instant ; si cela se répète, appelez l'assistance (une opération d'administration "
            "ou un autre poste bloque peut-être la base)."
        )


class DatabaseIoError(DatabaseUnavailable):
    def __init__(self, where: str, detail: str) -> None:
        super().__init__(
            f"Erreur de lecture ou d'écriture sur le disque de la base de données {where} "
            f"({detail}). {NOTHING_SAVED} Appelez l'assistance : le disque est peut-être "
            "défaillant ou débranché."
        )


LOST = (
    "La base de données ne répond plus ({detail}). Rien n'a été enregistré. Vérifiez le réseau "
    "ou le serveur, puis recommencez ; si le problème persiste, appelez l'assistance."
)

# PostgreSQL SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_LOCK_TIMEOUT = "55P03"
_PG_QUERY_CANCELED = "57014"
_PG_DISK_FULL = "53100"
_PG_READ_ONLY = "25006"
_PG_PRIVILEGE = "42501"
_PG_CONNECTION_CLASSES = ("08", "57P")  # connection exception, operator intervention


def short(exc: BaseException) -> str:
    """The first line of a driver error, without SQL or parameters."""
    text = str(getattr(exc, "orig", exc)).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def classify(
    exc: DBAPIError,
    *,
    where: str,
    lock_timeout_ms: int | None = None,
    statement_timeout_ms: int | None = None,
) -> DatabaseUnavailable | None:
    """The French error for a driver error, or None when it is not a database fault.

    ``where`` names the database in messages (the SQLite file's path, or "PostgreSQL").
    """
    orig = exc.orig
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    if name:
        return _classify_sqlite(name, exc, where)
    sqlstate = str(getattr(orig, "sqlstate", "") or "")
    if sqlstate == _PG_LOCK_TIMEOUT:
        held = f" plus de {_seconds(lock_timeout_ms)}" if lock_timeout_ms else ""
        return DatabaseBusy(f"un autre poste tient un verrou{held}")
    if sqlstate == _PG_QUERY_CANCELED:
        limit = f" en {_seconds(statement_timeout_ms)}" if statement_timeout_ms else " à temps"
        return DatabaseBusy(f"l'opération n'a pas abouti{limit}")
    if sqlstate == _PG_DISK_FULL:
        return DiskFull("serveur PostgreSQL")
    if sqlstate == _PG_READ_ONLY:
        return DatabaseReadOnly("PostgreSQL (serveur en lecture seule)")
    if sqlstate == _PG_PRIVILEGE:
        return DatabaseAccessDenied("PostgreSQL")
    if is_connection_error(exc) or sqlstate.startswith(_PG_CONNECTION_CLASSES):
        return DatabaseUnavailable(LOST.format(detail=short(exc)))
    return None


def _classify_sqlite(name: str, exc: DBAPIError, where: str) -> DatabaseUnavailable | None:
    if name == "SQLITE_READONLY_DBMOVED":
        return DatabaseVanished(Path(where))
    if name.startswith("SQLITE_FULL"):
        return DiskFull(where)
    if name.startswith("SQLITE_READONLY"):
        return DatabaseReadOnly(where)
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")):
        return DatabaseAccessDenied(where)
    if name.startswith("SQLITE_CANTOPEN"):
        return (
            DatabaseAccessDenied(where) if Path(where).exists() else DatabaseVanished(Path(where))
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return DatabaseCorrupted(where, short(exc))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy("un autre programme écrit dans la base depuis trop longtemps")
    if name.startswith("SQLITE_IOERR"):
        return DatabaseIoError(where, short(exc))
    return None


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g} s"


def is_connection_error(exc: DBAPIError) -> bool:
    """The connection to the server was lost (PostgreSQL), as opposed to a refused statement."""
    if exc.connection_invalidated:
        return True
    text = str(exc.orig).lower()
    return any(s in text for s in ("connection", "server closed", "terminating"))
