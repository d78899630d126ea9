"""The screenshot script renders every tab (the images are looked at by a person)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from ui.backoffice.window import render_screenshots


@pytest.mark.screenshots
def test_every_tab_is_rendered(qapp, tmp_path):
    paths = render_screenshots(tmp_path)
    assert [p.name for p in paths] == [
        "backoffice-statistiques.png",
        "backoffice-import-refuse.png",
        "backoffice-import-ok.png",
        "backoffice-non-reclames.png",
    ]
    for path in paths:
        image = QImage(str(path))
        assert image.width() == 1280 and image.height() == 1000
