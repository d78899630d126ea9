"""Configuration: one TOML file, every value overridable by an environment variable.

The file is ``config.toml`` in the platform's user config folder, or the path in
``HANDOVER_CONFIG``. A value ``[section] key`` is overridden by ``HANDOVER_SECTION_KEY``
(e.g. ``HANDOVER_DESK_NAME``, ``HANDOVER_PRINTER_KIND``); ``HANDOVER_DB_URL`` is a short
alias of ``HANDOVER_DATABASE_URL``. Values from the environment are read as TOML literals
when they parse as such (``5``, ``true``), else as plain strings.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_origin, get_type_hints

import platformdirs

from handover.domain.opening_window import Schedule
from handover.errors import ConfigError

APP_NAME = "handover"
SECRET_KEYS = frozenset({("database", "url"), ("printer", "escpos_host")})


def installed() -> bool:
    """An installed desk (the bundle, or a wheel in an environment), not a source checkout.

    An installed desk is shared by the agents of a PC, each with their own system account:
    its configuration and data are machine-wide, so that every agent works on the same
    database. A checkout (editable install included) keeps the per-user folders.
    """
    if getattr(sys, "frozen", False):
        return True
    return not (Path(__file__).resolve().parent.parent / "pyproject.toml").is_file()


def config_dir() -> Path:
    """Installed: ``/etc/xdg/handover``, ``C:\\ProgramData\\handover``; source: per user."""
    if installed():
        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """``HANDOVER_DATA_DIR``; installed: ``/var/lib/handover``, ``C:\\ProgramData\\handover``."""
    if os.environ.get("HANDOVER_DATA_DIR"):
        return Path(os.environ["HANDOVER_DATA_DIR"])
    if installed():
        if sys.platform == "win32":
            return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
        return Path("/var/lib") / APP_NAME
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Installed: ``/var/log/handover``, ``C:\\ProgramData\\handover\\Logs``; source: per user."""
    if installed():
        if sys.platform == "win32":
            return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False)) / "Logs"
        return Path("/var/log") / APP_NAME
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'handover.sqlite3'}"


@dataclass(frozen=True)
class SiteConfig:
    prefecture: str = "Préfecture de l'Isère"
    name: str = "Grenoble — remise des titres de séjour"
    code: str = "GRE"


@dataclass(frozen=True)
class DeskConfig:
    name: str = "Guichet 1"


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = ""
    busy_timeout_ms: int = 30000
    allow_network_filesystem: bool = False
    # PostgreSQL: how long a counter's statement may wait for a lock / run (0 = no limit);
    # the back office (imports, reports, command line) has limits of its own.
    lock_timeout_ms: int = 5000
    statement_timeout_ms: int = 15000
    backoffice_lock_timeout_ms: int = 30000
    backoffice_statement_timeout_ms: int = 600000


@dataclass(frozen=True)
class PrinterConfig:
    kind: str = "pdf"  # pdf | system | escpos
    name: str = ""
    paper: str = "A4"  # A4 | A5 | roll80
    archive_dir: str = ""
    escpos_host: str = ""
    escpos_port: int = 9100


@dataclass(frozen=True)
class CameraConfig:
    enabled: bool = False
    index: int = 0
    backend: str = "zxing"  # zxing | pyzbar
    width: int = 1280
    height: int = 720


@dataclass(frozen=True)
class ScannerConfig:
    burst_max_gap_ms: int = 50
    burst_min_length: int = 4
    terminator: str = "enter"  # enter | tab | crlf: the scanner's suffix
    mrz_line_wait_ms: int = 400  # how long a multi-line MRZ waits for its next line
    prefix: str = ""
    gs_substitute: str = ""
    rs_substitute: str = ""
    us_substitute: str = ""
    certificates_dir: str = ""  # trusted 2D-Doc certificates (ANTS trust list), DER or PEM


@dataclass(frozen=True)
class RetentionConfig:
    personal_data_days: int = 365
    audit_days: int = 365
    reminder_after_days: int = 30
    return_after_days: int = 90


@dataclass(frozen=True)
class SecurityConfig:
    inactivity_lock_minutes: int = 5
    login_throttle_after: int = 3
    login_throttle_seconds: int = 30
    override_minutes: int = 30
    badge_login: bool = False  # agents may log in by scanning their badge


@dataclass(frozen=True)
class FeesConfig:
    default_cents: int = 22500


@dataclass(frozen=True)
class LogConfig:
    level: str = "INFO"  # DEBUG | INFO | WARNING | ERROR
    dir: str = ""  # empty: the platform's user log folder (log_dir())


@dataclass(frozen=True)
class AuditConfig:
    key_file: str = ""  # the site key (HMAC of the audit chain); default in the data folder
    checkpoints_file: str = ""  # outside checkpoints; default in the data folder: move it


# The identity documents a site accepts at the desk (``IdentityDocumentKind`` values).
IDENTITY_DOCUMENT_CHOICES = (
    "passport",
    "residence_card",
    "id_card",
    "recepisse",
    "anef_attestation",
    "other",
)


def _default_priority_reasons() -> dict[str, str]:
    return {
        "handicap": "Handicap",
        "grossesse": "Grossesse",
        "age": "Âge avancé",
        "enfant": "Parent avec un jeune enfant",
    }


@dataclass(frozen=True)
class QueueConfig:
    """The queue at the door (issue #16); durations in seconds unless named otherwise."""

    door_opens_before_minutes: int = 30  # tickets from this long before the opening
    # Key → French label of each reason a ticket may be called first.
    priority_reasons: dict[str, str] = field(default_factory=_default_priority_reasons)
    priority_every: int = 3  # one priority call in every N calls while priority tickets wait
    heartbeat_timeout_s: int = 30  # a desk unseen this long no longer counts
    call_open_timeout_s: int = 60  # a call not opened this long goes back to the head
    no_show_after_s: int = 180  # a called holder absent this long is a no-show
    expected_desks: int = 2  # desks counted before the opening, when none has announced itself
    default_service_s: int = 240  # service time when neither today nor history has one
    chime: bool = True
    display_calls: int = 6  # calls shown on the waiting-room display


@dataclass(frozen=True)
class IdentityConfig:
    # passport: passeport · residence_card: titre de séjour · id_card: carte nationale
    # d'identité · recepisse: récépissé · anef_attestation: attestation ANEF (2D-Doc) ·
    # other: autre document. The core refuses a handover on a type not in the list.
    documents: tuple[str, ...] = (
        "passport",
        "residence_card",
        "id_card",
        "recepisse",
        "anef_attestation",
    )


SECTIONS: dict[str, type[Any]] = {
    "site": SiteConfig,
    "desk": DeskConfig,
    "database": DatabaseConfig,
    "printer": PrinterConfig,
    "camera": CameraConfig,
    "scanner": ScannerConfig,
    "retention": RetentionConfig,
    "security": SecurityConfig,
    "fees": FeesConfig,
    "identity": IdentityConfig,
    "log": LogConfig,
    "audit": AuditConfig,
    "queue": QueueConfig,
}
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("printer", "kind"): ("pdf", "system", "escpos"),
    ("printer", "paper"): ("A4", "A5", "roll80"),
    ("camera", "backend"): ("zxing", "pyzbar"),
    ("log", "level"): ("DEBUG", "INFO", "WARNING", "ERROR"),
    ("scanner", "terminator"): ("enter", "tab", "crlf"),
}
LIST_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("identity", "documents"): IDENTITY_DOCUMENT_CHOICES,
}


@dataclass(frozen=True)
class Config:
    source: str = "(valeurs par défaut)"
    site: SiteConfig = field(default_factory=SiteConfig)
    desk: DeskConfig = field(default_factory=DeskConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    fees: FeesConfig = field(default_factory=FeesConfig)
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    log: LogConfig = field(default_factory=LogConfig)
    audit: AuditConfig = field(default_factory=AuditConfig)
    queue: QueueConfig = field(default_factory=QueueConfig)
    schedule: Schedule = field(default_factory=Schedule)

    @property
    def database_url(self) -> str:
        return self.database.url or default_database_url()

    @property
    def log_folder(self) -> Path:
        return Path(self.log.dir) if self.log.dir else log_dir()

    @property
    def archive_dir(self) -> Path:
        return (
            Path(self.printer.archive_dir) if self.printer.archive_dir else data_dir() / "receipts"
        )

    @property
    def audit_key_path(self) -> Path:
        return Path(self.audit.key_file) if self.audit.key_file else data_dir() / "audit.key"

    @property
    def checkpoints_path(self) -> Path:
        default = data_dir() / "points-de-controle.txt"
        return Path(self.audit.checkpoints_file) if self.audit.checkpoints_file else default

    def to_mapping(self, *, mask_secrets: bool = True) -> dict[str, Any]:
        """Every value as a TOML-shaped mapping, secrets masked, for ``config show``."""
        out: dict[str, Any] = {}
        for name in SECTIONS:
            section = dataclasses.asdict(getattr(self, name))
            for key, value in section.items():
                if mask_secrets and (name, key) in SECRET_KEYS and value:
                    section[key] = mask_secret(str(value))
            out[name] = section
        if not out["database"]["url"]:
            out["database"]["url"] = self.database_url
        out["schedule"] = self.schedule.to_mapping()
        return out


_QUERY_SECRET = re.compile(r"([?&](?:password|passwd|pwd|sslpassword)=)[^&#]*", re.IGNORECASE)


def mask_secret(value: str) -> str:
    """Hide passwords in URLs (``postgresql://user:***@host/db``, ``?password=***``)."""
    if "://" in value:
        scheme, rest = value.split("://", 1)
        if "@" in rest.split("?", 1)[0]:
            creds, host = rest.split("?", 1)[0].rsplit("@", 1)
            query = rest[len(creds) + 1 + len(host) :]
            if ":" in creds:
                rest = f"{creds.split(':', 1)[0]}:***@{host}{query}"
        return f"{scheme}://" + _QUERY_SECRET.sub(r"\1***", rest)
    return "***" if value else value


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    explicit = env.get("HANDOVER_CONFIG")
    return Path(explicit) if explicit else config_dir() / "config.toml"


def _env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _coerce(section: str, key: str, value: Any, expected: type[Any], where: str) -> Any:
    if get_origin(expected) is dict:  # a table of texts, e.g. [queue.priority_reasons]
        if isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            return dict(value)
        raise ConfigError(
            f'{where} vaut {value!r} : attendu une table de textes (clé = "libellé").'
        )
    if expected is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where} vaut {value!r} : attendu true ou false.")
    if expected is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise ConfigError(f"{where} vaut {value!r} : attendu un nombre entier positif.")
    if expected == tuple[str, ...]:
        return _coerce_list(section, key, value, where)
    if not isinstance(value, str):
        raise ConfigError(f"{where} vaut {value!r} : attendu un texte entre guillemets.")
    choices = CHOICES.get((section, key))
    if choices and value not in choices:
        raise ConfigError(f"{where} vaut {value!r} : valeurs possibles : {', '.join(choices)}.")
    return value


def _coerce_list(section: str, key: str, value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):  # from the environment: « passport,id_card »
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{where} vaut {value!r} : attendu une liste de textes non vide, par exemple "
            '["passport", "residence_card"].'
        )
    choices = LIST_CHOICES.get((section, key))
    for item in value:
        if choices and item not in choices:
            raise ConfigError(
                f"{where} contient {item!r} : valeurs possibles : {', '.join(choices)}."
            )
    return tuple(value)


def _where(section: str, key: str, source: str, variable: str | None) -> str:
    """Where a bad value came from: the environment variable's name, or the file's."""
    if variable is not None:
        return f"La variable d'environnement {variable} (clé {section}.{key})"
    return f"Dans {source}, la clé {section}.{key}"


def _build_section(
    name: str, data: Any, source: str, variables: Mapping[str, str] | None = None
) -> Any:
    """One section's dataclass; ``variables``: key → the environment variable that set it."""
    variables = variables or {}
    cls = SECTIONS[name]
    if not isinstance(data, Mapping):
        raise ConfigError(f"Dans {source}, [{name}] doit être une section (table TOML).")
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"Dans {source}, clé inconnue {name}.{unknown[0]} ; clés possibles : "
            f"{', '.join(sorted(known))}."
        )
    values = {
        k: _coerce(name, k, v, hints[k], _where(name, k, source, variables.get(k)))
        for k, v in data.items()
    }
    return cls(**values)


RETIRED_UI_VARIABLE = "HANDOVER_UI_LANGUAGE"


def _check_retired_ui(section: Any, source: str, variable: str | None) -> None:
    """The former ``[ui] language``: "fr" (what happens anyway) passes, anything else is refused.

    The agents' interface is French only; a file saying so keeps working after the upgrade,
    one asking for English is told why it cannot be.
    """
    why = (
        "l'interface des agents est uniquement en français (les textes lus par l'usager "
        "restent bilingues français/anglais)"
    )
    if variable is not None and _env_value(variable) != "fr":
        raise ConfigError(
            f"La variable d'environnement {RETIRED_UI_VARIABLE} vaut {variable!r} : {why}. "
            "Supprimez cette variable."
        )
    if section is None:
        return
    if not isinstance(section, Mapping) or dict(section) != {"language": "fr"}:
        raise ConfigError(
            f'Dans {source}, la section [ui] : {why}. Seul language = "fr" y est encore '
            "accepté ; supprimez la section [ui]."
        )


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read the TOML file, then apply environment overrides.

    The default file may be absent (defaults then); a file named explicitly, by ``path`` or
    ``HANDOVER_CONFIG``, must exist: a mistyped name never runs a desk on the defaults.
    """
    env = os.environ if environ is None else environ
    file = path or config_path(env)
    source = str(file)
    data: dict[str, Any] = {}
    explicit = path is not None or bool(env.get("HANDOVER_CONFIG"))
    if explicit and not file.exists():
        named = "" if path is not None else " (nommé par HANDOVER_CONFIG)"
        raise ConfigError(
            f"Le fichier de configuration {source}{named} n'existe pas : corrigez le chemin "
            "ou créez le fichier."
        )
    if file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"Le fichier de configuration {source} est illisible : {exc}."
            ) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Impossible de lire {source} : {exc}.") from exc
    _check_retired_ui(data.pop("ui", None), source, env.get(RETIRED_UI_VARIABLE))
    unknown = sorted(set(data) - set(SECTIONS) - {"schedule"})
    if unknown:
        raise ConfigError(
            f"Dans {source}, section inconnue [{unknown[0]}] ; sections possibles : "
            f"{', '.join([*SECTIONS, 'schedule'])}."
        )
    sections: dict[str, dict[str, Any]] = {n: dict(data.get(n, {})) for n in SECTIONS}
    variables: dict[str, dict[str, str]] = {n: {} for n in SECTIONS}
    if "HANDOVER_DB_URL" in env:
        sections["database"]["url"] = env["HANDOVER_DB_URL"]
        variables["database"]["url"] = "HANDOVER_DB_URL"
    for name, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            var = f"HANDOVER_{name.upper()}_{f.name.upper()}"
            if var in env:
                sections[name][f.name] = _env_value(env[var])
                variables[name][f.name] = var
    built = {
        name: _build_section(name, sections[name], source, variables[name]) for name in SECTIONS
    }
    schedule = Schedule.from_mapping(data.get("schedule", {}), source=source)
    return Config(source=source, schedule=schedule, **built)
