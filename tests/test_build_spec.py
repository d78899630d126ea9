"""The PyInstaller spec names every resource folder the program reads at run time."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_spec_parses_and_bundles_every_resource_folder() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    ast.parse(spec)
    for folder in sorted(p.name for p in (ROOT / "resources").iterdir() if p.is_dir()):
        assert f'"resources" / "{folder}"' in spec, f"resources/{folder} is not bundled"
    assert "migrations" in spec


def test_spec_bundles_every_command() -> None:
    """The commands are imported by name: PyInstaller finds them only when listed."""
    from handover.cli import COMMAND_MODULES

    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    for name in COMMAND_MODULES:
        assert f'"{name}"' in spec, f"{name} is not in the spec's hiddenimports"
