"""Compile the committed Qt Linguist sources (resources/translations/*.ts) to .qm files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from handover.resources import get_resource_path


def lrelease_command() -> list[str] | None:
    """The lrelease tool shipped with PySide6, found beside this interpreter or on PATH."""
    beside = Path(sys.executable).parent / "pyside6-lrelease"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return [found] if found else None


def build() -> int:
    folder = get_resource_path("translations")
    sources = sorted(folder.glob("*.ts"))
    if not sources:
        return 0
    command = lrelease_command()
    if command is None:
        print("i18n: pyside6-lrelease introuvable ; interface en français non traduite.")
        return 0
    for ts in sources:
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run([*command, "-silent", str(ts), "-qm", str(qm)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(build())
