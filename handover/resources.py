"""Find the files under ``resources/`` from a source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: beside the packages in source, in ``_MEIPASS`` when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def get_resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``get_resource_path("fonts", "DejaVuSans.ttf")``."""
    return resources_root().joinpath(*parts)
