"""The log a support technician reads after the fact: rotating file, crash file, hooks.

``setup(program, config)`` is the first thing ``handover`` (the CLI) and the counter do:

- ``<log folder>/<program>.log``: every record of the application (level ``[log] level``)
  and third-party warnings, rotated at 10 MB, 10 files kept;
- ``<log folder>/<program>-crash.log``: ``faulthandler``'s Python stacks after a fatal
  C-level error (abort, segmentation fault), opened once and kept open for the process life;
- the terminal gets the application's records too, but never third-party INFO chatter.

Nothing personal reaches any of them: every line goes through ``redact`` (identifiers,
phone numbers, MRZ lines, SQL parameters and passwords masked).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from handover import __version__

if TYPE_CHECKING:
    from handover.config import Config

MAX_BYTES = 10 * 1024 * 1024
FILES_KEPT = 10  # the current file and 9 rotated ones
CRASH_MAX_BYTES = 1024 * 1024
COUNTER = "guichet"  # the counter's files: guichet.log, guichet-crash.log
CLI = "cli"  # the ``handover`` command's: cli.log, cli-crash.log
OWN_LOGGERS = ("handover", "ui", "__main__")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)

# -- personal data ----------------------------------------------------------------------

_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # SQLAlchemy's "[parameters: (...)]" (before hide_parameters) holds the row's values.
    (re.compile(r"\[parameters: .*?\]( \(Background|$)", re.MULTILINE), r"[paramètres masqués]\1"),
    # Passwords in database URLs and DSNs.
    (re.compile(r"(\w://[^\s:/@]+:)[^\s@]+@"), r"\1***@"),
    (re.compile(r"((?:password|passwd|pwd)=)[^\s&'\",)]+", re.IGNORECASE), r"\1***"),
    # MRZ lines (names, document number, birth date): long runs with '<' fillers.
    (re.compile(r"[A-Z0-9<]*<<[A-Z0-9<]*"), "[MRZ masquée]"),
    # French phone numbers: +33 6 12 34 56 78, 06.12.34.56.78, 0612345678.
    (
        re.compile(r"(?<![\w+])(?:\+33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)"),
        "[téléphone masqué]",
    ),
    # Handover references as printed in the SMS: K3P9-7QXA-M, or typed K3P9 7QXA M (with a
    # digit, so that French words "pour cela a" stay).
    (
        re.compile(
            r"(?<![\w-])(?:[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]"
            r"|(?=[0-9A-Z ]{0,10}\d)[0-9A-Z]{4} [0-9A-Z]{4} [0-9A-Z])(?![\w-])",
            re.IGNORECASE,
        ),
        "[référence masquée]",
    ),
    # Numéro étranger (9-10 digits), ANEF request (19), tax stamps (16), card numbers.
    (re.compile(r"(?<!\w)\d{9,}(?!\w)"), "[numéro masqué]"),
    # Letters and digits mixed, as references and card numbers: AB1234567, k3p97qxam
    # (hexadecimal addresses go with them: harmless).
    (
        re.compile(
            r"(?<![\w-])(?=[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,20}(?!\w)",
            re.IGNORECASE,
        ),
        "[identifiant masqué]",
    ),
)


def redact(text: str) -> str:
    """``text`` without the personal data a log line could carry.

    Names cannot be recognised in free text: they are kept out of messages at the source
    (log lines name permits by internal number, the engine hides SQL parameters); here the
    identifiers that can be recognised are masked, including in MRZ lines, which hold names.
    """
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, traceback included, then masks personal data in the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _OwnOrWarning(logging.Filter):
    """The application's records at the configured level; other libraries' from WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.startswith(OWN_LOGGERS)


# -- set-up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFiles:
    folder: Path
    log_file: Path
    crash_file: Path

    @classmethod
    def of(cls, program: str, config: Config | None) -> LogFiles:
        folder = log_folder(config)
        return cls(folder, folder / f"{program}.log", folder / f"{program}-crash.log")


_state: dict[str, object] = {}


def current() -> LogFiles | None:
    """The files ``setup`` opened in this process, if it ran."""
    files = _state.get("files")
    return files if isinstance(files, LogFiles) else None


def where() -> str:
    """The log file's path as messages show it, or a plain phrase before ``setup``."""
    files = current()
    return str(files.log_file) if files else "journal de l'application"


def with_log_path(message: str) -> str:
    """``message`` followed by where the detail is: every "Erreur inattendue" says it."""
    return f"{message} Détail dans le journal : {where()}"


def log_folder(config: Config | None) -> Path:
    """``[log] dir`` (``HANDOVER_LOG_DIR``), else the platform's user log folder."""
    from handover.config import log_dir

    if config is not None:
        return config.log_folder
    return Path(os.environ.get("HANDOVER_LOG_DIR") or log_dir())


def setup(program: str, config: Config | None, *, console: bool = True) -> LogFiles | None:
    """Log to ``<folder>/<program>.log`` (rotating) and, unless taken, crashes to a file.

    ``config`` may be None when the configuration itself could not be read: the defaults
    apply (the environment's ``HANDOVER_LOG_DIR``/``HANDOVER_LOG_LEVEL`` still count).
    Calling it again replaces what the previous call installed. Returns None when the
    folder cannot be written: the program still runs, logging to the terminal only.
    """
    level_name = config.log.level if config is not None else os.environ.get("HANDOVER_LOG_LEVEL")
    level = logging.getLevelName((level_name or "INFO").upper())
    if not isinstance(level, int):
        level = logging.INFO
    wanted = LogFiles.of(program, config)
    files: LogFiles | None = wanted
    handlers: list[logging.Handler] = []
    problem = ""
    try:
        wanted.folder.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                wanted.log_file,
                maxBytes=MAX_BYTES,
                backupCount=FILES_KEPT - 1,
                encoding="utf-8",
            )
        )
    except OSError as error:
        files = None
        problem = f"Journal impossible à écrire dans {wanted.folder} : {error.strerror or error}."
    if console and sys.stderr is not None:  # a windowed Windows build has no stderr
        handlers.append(logging.StreamHandler(sys.stderr))
    reset()
    root = logging.getLogger()
    root.setLevel(max(level, logging.WARNING))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    formatter = RedactingFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(_OwnOrWarning())
        root.addHandler(handler)
    _state["handlers"] = handlers
    _state["files"] = files
    if problem:
        log.warning(problem)
    if files is not None:
        _enable_crash_file(files.crash_file, program)
    return files


def reset() -> None:
    """Remove and close the handlers ``setup`` installed (the crash file stays enabled)."""
    previous = _state.get("handlers")
    if isinstance(previous, list):
        root = logging.getLogger()
        for handler in previous:
            root.removeHandler(handler)
            handler.close()
    _state.pop("handlers", None)
    _state.pop("files", None)


def _enable_crash_file(path: Path, program: str) -> None:
    """``faulthandler`` into ``path``, unless someone enabled it already (pytest, ``-X``)."""
    if faulthandler.is_enabled():
        return
    try:
        if path.exists() and path.stat().st_size > CRASH_MAX_BYTES:
            path.replace(path.with_suffix(".log.1"))
        crash: IO[str] = path.open("a", encoding="utf-8")  # kept open: see below
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        crash.write(f"--- {stamp} : {program} {__version__} démarré (pid {os.getpid()}) ---\n")
        crash.flush()
        faulthandler.enable(crash, all_threads=True)
    except OSError as error:
        log.warning("Fichier de plantage impossible à ouvrir (%s) : %s", path, error)
        return
    _state["crash"] = crash  # kept open, and referenced, for the process life


# -- uncaught exceptions ----------------------------------------------------------------

UNCAUGHT = (
    "Erreur inattendue : l'opération en cours n'a peut-être pas abouti. Vérifiez ce qui est "
    "enregistré (F9 : remises du jour) avant de recommencer ; si cela se reproduit, notez "
    "l'heure et prévenez le support."
)

Notify = Callable[[str], None]


def install_excepthooks(notify: Notify | None = None) -> None:
    """Log every uncaught exception (any thread), then let ``notify`` tell the person.

    ``notify`` receives the French message with the log path; it may be called from any
    thread (the counter queues it to the screen's thread).
    """

    def report(
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        where_: str,
    ) -> None:
        info = (exc_type, exc, tb) if exc is not None else True
        log.critical("Exception non rattrapée (%s)", where_, exc_info=info)
        if notify is not None:
            try:
                notify(with_log_path(UNCAUGHT))
            except Exception:  # the hook must never raise itself
                log.exception("Message d'erreur impossible à afficher")

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report(exc_type, exc, tb, threading.current_thread().name)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        report(args.exc_type, args.exc_value, args.exc_traceback, name)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def tail(path: Path, lines: int) -> list[str]:
    """The last ``lines`` lines of a text file, masked again (older files predate masking)."""
    if lines <= 0 or not path.exists():
        return []
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 256 * 1024))
        text = handle.read().decode("utf-8", errors="replace")
    return [redact(line) for line in text.splitlines()[-lines:]]
