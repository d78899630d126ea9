"""Build steps the declarative ``pyproject.toml`` cannot express.

The top-level ``resources/`` folder (fonts, icons, sounds, translations, the common-password
list, samples) travels in the wheel as ``handover/_resources`` — package data under a name
no other distribution can collide with — and the Qt Linguist sources are compiled to ``.qm``
files on the way, with the ``lrelease`` of the PySide6 in the build environment. An editable
install copies nothing: it reads ``resources/`` in the checkout (``handover/resources.py``).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGED = Path("handover") / "_resources"


def lrelease() -> str:
    """The ``lrelease`` binary shipped inside PySide6 (a build requirement)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("lrelease", "lrelease.exe"):
                if (Path(folder) / name).is_file():
                    return str(Path(folder) / name)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found is None:
        raise SystemExit(
            "build: lrelease introuvable (PySide6-Essentials manque à la construction)"
        )
    return found


class BuildWithResources(build_py):
    """``build_py``, plus ``resources/`` copied to ``handover/_resources`` with ``.qm`` built."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the checkout's resources/ is read in place
        target = Path(self.build_lib) / PACKAGED
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "resources", target, ignore=shutil.ignore_patterns("*.qm"))
        tool = lrelease()
        for ts in sorted((target / "translations").glob("*.ts")):
            qm = ts.with_suffix(".qm")
            subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
            ts.unlink()  # the source stays in the repository; the program reads the .qm


setup(cmdclass={"build_py": BuildWithResources})
