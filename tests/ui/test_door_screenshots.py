"""The queue's screenshot script renders every state (the images are looked at by a person)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from ui.door.screenshots import render_all


@pytest.mark.screenshots
def test_door_display_and_desk_states_are_rendered(qapp, tmp_path) -> None:
    paths = render_all(tmp_path)

    assert [p.name for p in paths] == [
        "porte-01-connexion.png",
        "porte-02-ticket-imprime.png",
        "porte-03-reimpression.png",
        "porte-04-deja-remis.png",
        "affichage-appels.png",
        "affichage-en-attente.png",
        "guichet-appel-F8.png",
        "porte-05-limite-atteinte.png",
    ]
    images = {path.name: QImage(str(path)) for path in paths}
    assert not any(image.isNull() for image in images.values())
    for name in ("affichage-appels.png", "affichage-en-attente.png"):
        assert (images[name].width(), images[name].height()) == (1920, 1080)  # a television
