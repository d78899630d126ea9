"""The interface is French only: French locale, and Qt's own texts in French too.

The agents are French civil servants; the sources are written in French and there is no
other agent language (the holder's bilingual texts use ``handover.holder_text``). What Qt
writes itself — standard buttons (OK, Cancel, Yes, No), a line edit's context menu, the
calendar of a date field — would stay English without Qt's French catalogue
(``qtbase_fr.qm``): it is loaded from the packaged resources (the bundle, where
``ui/i18n_build.py`` copied it) or from PySide6's own translations (source tree, wheel).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from handover.resources import get_resource_path

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
QT_CATALOGUE = "qtbase"


def qt_translation_folders() -> list[Path]:
    """Where Qt's French catalogue may be: the packaged copy first, then PySide6's."""
    return [
        get_resource_path("translations"),
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
    ]


def install_french(app: QCoreApplication) -> QTranslator | None:
    """French locale and Qt's French texts; returns the translator (the application owns it).

    None when Qt's catalogue is nowhere to be found: the interface's own texts are French
    anyway, only Qt's standard buttons would stay English.
    """
    QLocale.setDefault(FRENCH)
    for folder in qt_translation_folders():
        translator = QTranslator(app)
        if translator.load(FRENCH, QT_CATALOGUE, "_", str(folder)):
            app.installTranslator(translator)
            return translator
    return None
