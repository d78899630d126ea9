"""Install the Qt translator for the configured language; the sources are in French."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from handover.resources import get_resource_path

SOURCE_LANGUAGE = "fr"


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load ``resources/translations/handover_<language>.qm``; French needs none.

    Returns the translator (keep a reference: Qt does not own it), or None when the
    interface stays in French, including when the compiled file is missing.
    """
    QLocale.setDefault(
        QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English)
    )
    if language == SOURCE_LANGUAGE:
        return None
    qm = get_resource_path("translations", f"handover_{language}.qm")
    translator = QTranslator(app)
    if not qm.exists() or not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    return translator
