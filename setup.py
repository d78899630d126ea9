"""Build steps the declarative ``pyproject.toml`` cannot express.

The top-level ``resources/`` folder (fonts, icons, sounds, the common-password list, samples)
travels in the wheel as ``handover/_resources`` — package data under a name no other
distribution can collide with. An editable install copies nothing: it reads ``resources/``
in the checkout (``handover/resources.py``). There is no translation to compile: the agents'
interface is French only, and Qt's own French texts come with PySide6 (``ui/i18n.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGED = Path("handover") / "_resources"


class BuildWithResources(build_py):
    """``build_py``, plus ``resources/`` copied to ``handover/_resources``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the checkout's resources/ is read in place
        target = Path(self.build_lib) / PACKAGED
        if target.exists():
            shutil.rmtree(target)
        # *.qm: the bundle's copy of Qt's catalogue (ui/i18n_build.py); the wheel has PySide6.
        shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("*.qm"))


setup(cmdclass={"build_py": BuildWithResources})
