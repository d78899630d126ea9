"""argparse in French: its own texts ("usage:", "options", errors) translated.

argparse writes its texts through ``gettext`` (module-level ``_`` and ``ngettext``) and
ships no French catalogue. ``FrenchArgumentParser`` lends argparse a French catalogue
(``MESSAGES``) only while it formats help or parses, then gives the originals back: no
other user of argparse in the process is affected. Sub-parsers are made with the parent's
class, so ``handover``'s sub-commands are French too. A message missing from the catalogue
(a newer Python's) stays English, and the language test (``tests/test_language.py``)
finds it.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

# argparse's message identifiers (Python 3.11 to 3.14) and their French text.
MESSAGES: dict[str, str] = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix inconnu : %(value)r (possibles : %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "choix inconnu : %(value)r, vouliez-vous dire %(closest)r ? (possibles : %(choices)s)"
    ),
    "expected one argument": "une valeur attendue après l'option",
    "expected at least one argument": "au moins une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur incorrecte : %(value)r",
    "not allowed with argument %s": "incompatible avec %s",
    "one of the arguments %s is required": "il faut l'un de ces arguments : %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "ignored explicit argument %r": "valeur %r refusée : cette option n'en prend pas",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue : %(parser_name)r (possibles : %(choices)s)"
    ),
    "option '%(option)s' is deprecated": "l'option « %(option)s » est obsolète",
    "argument '%(argument_name)s' is deprecated": "l'argument « %(argument_name)s » est obsolète",
    "command '%(parser_name)s' is deprecated": "la commande « %(parser_name)s » est obsolète",
    "show program's version number and exit": "afficher la version et quitter",
}
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): (
        "%s valeur attendue",
        "%s valeurs attendues",
    ),
    ("conflicting option string: %s", "conflicting option strings: %s"): (
        "option déjà définie : %s",
        "options déjà définies : %s",
    ),
}


def french(message: str) -> str:
    return MESSAGES.get(message, message)


def french_plural(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def _speaking_french() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = french, french_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, usage and errors are French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The automatic -h/--help is created here, with its help text: in French too.
        with _speaking_french():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", "commandes")
        return super().add_subparsers(**kwargs)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with _speaking_french():
            return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with _speaking_french():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with _speaking_french():
            return super().format_usage()

    def format_help(self) -> str:
        with _speaking_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """Usage, the French error, and where to read the help (what to do next)."""
        with _speaking_french():
            self.print_usage(sys.stderr)
            text = french("%(prog)s: error: %(message)s\n") % {
                "prog": self.prog,
                "message": message,
            }
            self.exit(2, f"{text}Aide : {self.prog} --help\n")


def version_argument(parser: argparse.ArgumentParser, version: str) -> None:
    """``--version`` with a French help text (argparse's default is English)."""
    parser.add_argument(
        "--version",
        action="version",
        version=version,
        help=french("show program's version number and exit"),
    )
