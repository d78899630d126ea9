"""The core never imports Qt: checked in a fresh interpreter over every core module."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import handover


def test_core_modules_do_not_import_pyside6() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(handover.__path__, "handover.")
        if ".migrations" not in m.name
    ]
    assert len(names) > 20
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the core imported Qt: {out.stdout}"


def test_the_check_sees_a_qt_import(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same probe flags a module that does import Qt (so the test above can fail)."""
    module = tmp_path / "qt_user.py"
    module.write_text("import PySide6.QtCore\n")
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import qt_user\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('PySide6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "PySide6.QtCore" in out.stdout
