"""The bundle's one Qt executable runs the program named by the link it was started through."""

from __future__ import annotations

import ui.app
import ui.display.app
import ui.door.app
from ui.launcher import program, program_name


def test_each_name_of_the_bundle_starts_its_program() -> None:
    assert program(program_name("/opt/guichet/guichet-porte")) is ui.door.app.main
    assert program(program_name("/opt/guichet/guichet-affichage")) is ui.display.app.main
    assert program(program_name("/opt/guichet/guichet")) is ui.app.main
    assert program(program_name(r"guichet-porte.exe")) is ui.door.app.main


def test_a_renamed_copy_is_the_counter() -> None:
    assert program(program_name("/home/agent/Bureau/guichet (copie)")) is ui.app.main
