"""The site key: a secret kept outside the database that signs the audit chain (HMAC-SHA256).

One key per site. ``handover db upgrade`` creates it on first setup (file readable by its
owner only) and introduces it into the chain; desks sharing a PostgreSQL database share
the same file (copied, never recreated). The database stores only its fingerprint.
Whoever holds both the key and the database can forge the chain: the checkpoints kept
outside the database (``handover.checkpoints``) are the real protection.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from handover.errors import ConfigError, HandoverError

KEY_BYTES = 32


class AuditKeyMissing(HandoverError):
    """The chain is signed with a site key that this computer does not have."""


def fingerprint(key: bytes) -> str:
    """What the database may know of the key: enough to tell two keys apart, nothing more."""
    return hmac.new(key, b"handover:site-key-id", hashlib.sha256).hexdigest()[:16]


def mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def create_key_file(path: Path) -> bytes:
    """Write a new random key to ``path`` (mode 0600); refuse to replace an existing file."""
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(f"La clé de site {path} existe déjà : elle reste telle quelle.") from None
    except OSError as exc:
        raise ConfigError(
            f"Impossible de créer la clé de site {path} ({exc.strerror or exc})."
        ) from exc
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key.hex() + "\n")
        out.flush()
        os.fsync(out.fileno())
    _CACHE.pop(str(path), None)
    return key


_CACHE: dict[str, tuple[int, bytes]] = {}


def read_key_file(path: Path) -> bytes | None:
    """The key in ``path``, or None when the file does not exist."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"Impossible de lire la clé de site {path} ({exc.strerror}).") from exc
    cached = _CACHE.get(str(path))
    if cached is not None and cached[0] == stat.st_mtime_ns:
        return cached[1]
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"La clé de site {path} est illisible ou abîmée : restaurez-la depuis sa copie de "
            "sauvegarde."
        ) from exc
    if len(key) != KEY_BYTES:
        raise ConfigError(
            f"La clé de site {path} n'a pas la bonne longueur : restaurez-la depuis sa copie."
        )
    _CACHE[str(path)] = (stat.st_mtime_ns, key)
    _KEYRING[fingerprint(key)] = key
    return key


# Keys this process has read, by fingerprint: a database names its key by fingerprint.
_KEYRING: dict[str, bytes] = {}


def register(key: bytes) -> str:
    """Make ``key`` known to this process (tests, or a key given on the command line)."""
    fp = fingerprint(key)
    _KEYRING[fp] = key
    return fp


_PATH: list[tuple[tuple[object, ...], Path]] = []


def configured_path() -> Path:
    """``[audit] key_file`` in force; the configuration is read again only when it changed.

    Reading it costs about a millisecond, and a pseudonym is computed on a scan's path.
    """
    from handover.config import config_path, load_config

    file = config_path()
    try:
        mtime: int | None = file.stat().st_mtime_ns
    except OSError:
        mtime = None
    marker = (
        str(file),
        mtime,
        os.environ.get("HANDOVER_DATA_DIR"),
        os.environ.get("HANDOVER_AUDIT_KEY_FILE"),
    )
    if _PATH and _PATH[0][0] == marker:
        return _PATH[0][1]
    path = load_config().audit_key_path
    _PATH[:] = [(marker, path)]
    return path


def configured_key() -> bytes | None:
    """The key at the configured path (``[audit] key_file``), or None when there is none."""
    return read_key_file(configured_path())


def key_for(key_id: str) -> bytes | None:
    """The key whose fingerprint is ``key_id``: one already read, else the configured one."""
    key = _KEYRING.get(key_id)
    if key is not None:
        return key
    key = configured_key()
    return key if key is not None and fingerprint(key) == key_id else None


def missing_key_message(key_id: str) -> str:
    path = configured_path()
    return (
        f"La clé de site du journal d'audit (empreinte {key_id}) est introuvable ou différente "
        f"dans {path}. Copiez sur ce poste le fichier de clé du site (celui des autres guichets "
        "ou sa copie de sauvegarde), ou indiquez son chemin dans [audit] key_file."
    )
