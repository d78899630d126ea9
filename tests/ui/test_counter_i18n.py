"""The interface speaks French from its sources and English through the committed .ts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from handover.resources import get_resource_path
from ui import i18n_build
from ui.i18n import install_translator
from ui.widgets.login_page import LoginPage
from ui.widgets.verdict_panel import VerdictPanel


def test_every_english_message_is_translated() -> None:
    tree = ET.parse(get_resource_path("translations", "handover_en.ts"))
    unfinished = [
        m.findtext("source")
        for m in tree.iter("message")
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert unfinished == []


def test_french_needs_no_translator(qtbot) -> None:
    assert install_translator(QCoreApplication.instance(), "fr") is None
    page = LoginPage()
    qtbot.addWidget(page)
    assert page.submit.text() == "Se connecter"


def test_english_by_configuration(qtbot) -> None:
    if i18n_build.lrelease_command() is None:
        pytest.skip("pyside6-lrelease is not installed: the .qm cannot be built")
    i18n_build.build()
    app = QCoreApplication.instance()
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        page = LoginPage()
        panel = VerdictPanel()
        qtbot.addWidget(page)
        qtbot.addWidget(panel)
        assert page.submit.text() == "Log in"
        assert panel.headline == "Scan the reference from the SMS"
    finally:
        app.removeTranslator(translator)
        install_translator(app, "fr")
