"""The bundle's one Qt program: the counter, the door or the call display, by its name.

The bundle (``build.spec``) carries one Qt executable, ``guichet``, and two links to it,
``guichet-porte`` and ``guichet-affichage``: one copy of the Python code instead of three.
Started under another name (a renamed copy), it is the counter.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

DOOR = "guichet-porte"
DISPLAY = "guichet-affichage"


def program_name(argv0: str) -> str:
    """The program's name as started (``guichet-porte.exe`` → ``guichet-porte``)."""
    return Path(argv0).name.removesuffix(".exe")


def program(name: str) -> Callable[[Sequence[str] | None], int]:
    """The ``main`` of the program started as ``name``."""
    if name == DOOR:
        from ui.door.app import main as door

        return door
    if name == DISPLAY:
        from ui.display.app import main as display

        return display
    from ui.app import main as counter

    return counter


def main() -> int:
    return program(program_name(sys.argv[0]))(None)


if __name__ == "__main__":
    raise SystemExit(main())
