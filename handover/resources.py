"""Find the files under ``resources/`` from a source checkout, an installed wheel and the bundle.

The design keeps ``resources/`` at the top of the repository. The wheel and the PyInstaller
bundle carry it as package data under ``handover/_resources`` (a name no other distribution
can claim; ``setup.py`` and ``build.spec`` map it there), found through
:mod:`importlib.resources`. A source checkout, editable install included, has no
``handover/_resources`` and reads the top-level folder beside the packages.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGED = "_resources"  # the folder's name inside the ``handover`` package


def resources_root() -> Path:
    """The ``resources`` folder: packaged data when installed or frozen, else the source tree's."""
    packaged = resources.files("handover") / PACKAGED
    # Wheels are installed unzipped and the bundle is a folder: the traversable is a real path.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def get_resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. ``get_resource_path("fonts", "DejaVuSans.ttf")``."""
    return resources_root().joinpath(*parts)
