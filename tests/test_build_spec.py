"""The PyInstaller spec names every resource folder the program reads at run time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_spec_parses_and_bundles_every_resource_folder() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    for folder in sorted(p.name for p in (ROOT / "resources").iterdir() if p.is_dir()):
        assert f'"resources" / "{folder}"' in spec, f"resources/{folder} is not bundled"
    assert "migrations" in spec


def test_spec_takes_the_hidden_imports_from_the_command_list() -> None:
    """The commands are imported by name: the spec lists them from cli.py, never by hand."""
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "from handover.cli import COMMAND_MODULES" in spec
    assert "*COMMAND_MODULES" in spec
    assert "handover.commands.db_cmd" not in spec  # a second list would drift from the first


def test_a_missing_command_module_is_an_error_not_a_command_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from handover import cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "handover.commands.absent"))
    with pytest.raises(ModuleNotFoundError, match=r"handover\.commands\.absent"):
        cli.build_parser()
