"""The ``handover`` command line: one sub-command module per capability.

Each module in ``handover/commands/`` exposes ``register(subparsers)``, which adds its
sub-commands and sets ``func`` on them; ``func(args) -> int`` returns the exit code.
Errors of the core (``HandoverError``) end as a French message on stderr and exit code 2,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from handover import __version__
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
    "handover.commands.report_cmd",
    "handover.commands.backoffice_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handover",
        description="Guichet — remise des titres de séjour (outil en ligne de commande).",
    )
    parser.add_argument("--version", action="version", version=f"handover {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a capability not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        code: int = args.func(args)
    except HandoverError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the person at the keyboard
        print(
            f"Erreur inattendue ({type(exc).__name__} : {exc}). Rien n'a été enregistré "
            "au-delà de ce que la commande a déjà annoncé. Signalez ce message à l'assistance.",
            file=sys.stderr,
        )
        return 3
    finally:
        from handover.commands._common import close_all

        close_all()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
