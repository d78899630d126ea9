"""Copy Qt's French catalogue (``qtbase_fr.qm``) into ``resources/translations`` for the bundle.

The bundle leaves PySide6's translations out (they are large); it carries this one file as
package data instead, where ``ui/i18n.py`` looks first. The copy is generated, not
committed (``*.qm`` is ignored by git).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

from handover.resources import get_resource_path
from ui.i18n import QT_CATALOGUE

QM = f"{QT_CATALOGUE}_fr.qm"


def build() -> int:
    source = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / QM
    if not source.is_file():
        print(f"i18n : {source} introuvable ; les boutons standard de Qt resteront en anglais.")
        return 1
    target = get_resource_path("translations", QM)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        shutil.copy2(source, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(build())
