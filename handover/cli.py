"""The ``handover`` command line: one sub-command module per capability.

Each module in ``handover/commands/`` exposes ``register(subparsers)``, which adds its
sub-commands and sets ``func`` on them; ``func(args) -> int`` returns the exit code.
Errors of the core (``HandoverError``) end as a French message on stderr and exit code 2,
never as a traceback; an unexpected error says where the log file is (the traceback is
there, personal data masked). The log gets no terminal handler here: what the person at
the keyboard reads is what the commands print. A closed pipe (``handover … | head``) ends
the command silently.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from handover import __version__, logs
from handover.argparse_fr import FrenchArgumentParser, version_argument
from handover.errors import HandoverError

COMMAND_MODULES = (
    "handover.commands.config_cmd",
    "handover.commands.db_cmd",
    "handover.commands.demo_cmd",
    "handover.commands.agent_cmd",
    "handover.commands.scan_cmd",
    "handover.commands.window_cmd",
    "handover.commands.check_cmd",
    "handover.commands.audit_cmd",
    "handover.commands.receipt_cmd",
    "handover.commands.correct_cmd",
    "handover.commands.report_cmd",
    "handover.commands.backoffice_cmd",
    "handover.commands.diagnostic_cmd",
    "handover.commands.ticket_cmd",
    "handover.commands.queue_cmd",
)

log = logging.getLogger("handover.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="handover",
        description="Guichet — remise des titres de séjour (outil en ligne de commande).",
    )
    version_argument(parser, f"handover {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        # No command is optional: a module missing (a frozen build without it) is an error,
        # never a command silently gone.
        importlib.import_module(name).register(subparsers)
    return parser


def start_logging() -> None:
    """The CLI's log file, from the configuration when it can be read (else the defaults)."""
    from handover.config import load_config

    try:
        cfg = load_config()
    except HandoverError:
        cfg = None  # the command itself reports the configuration problem
    logs.setup(logs.CLI, cfg, console=False)


def main(argv: Sequence[str] | None = None) -> int:
    start_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    log.info("handover %s %s", __version__, args.command)  # no arguments: they may be personal
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except HandoverError as exc:
        log.warning("handover %s : %s", args.command, exc.message)
        print(f"Erreur : {logs.redact(exc.message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1  # as Python's documentation does: the output was cut short
    except Exception as exc:  # never a traceback for the person at the keyboard
        log.exception("handover %s : erreur inattendue", args.command)
        message = (
            f"Erreur inattendue ({type(exc).__name__} : {logs.redact(str(exc))}). Rien n'a été "
            "enregistré au-delà de ce que la commande a déjà annoncé. Signalez ce message à "
            "l'assistance."
        )
        print(logs.with_log_path(message), file=sys.stderr)
        return 3
    finally:
        from handover.commands._common import close_all

        close_all()
    return code


def _silence_stdout() -> None:
    """The reader went away (``| head``): drop what is left instead of failing at exit.

    Python's documented recipe: point stdout at devnull so the interpreter's last flush
    does not raise BrokenPipeError again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests, embedding)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
