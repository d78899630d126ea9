"""A back-office job that ends at once still reaches the screen: its signals are wired
before it starts (a job finished before the page connected to it used to be lost, and
the page stayed busy for ever)."""

from __future__ import annotations

from PySide6.QtCore import QRunnable, QThreadPool

from handover.domain.values import Role
from tests.handover.backoffice.delivery import row, write
from tests.ui.backoffice.fixtures import Bed, bed_fixture
from ui.backoffice.import_page import ImportPage

__all__ = ["bed_fixture"]


class InstantPool(QThreadPool):
    """Runs each job to its end inside ``start``: the quickest a job can ever be."""

    def start(self, runnable: QRunnable, priority: int = 0) -> None:  # type: ignore[override]
        del priority
        runnable.run()


def test_an_import_that_ends_before_start_returns_is_reported(qtbot, bed: Bed, tmp_path) -> None:
    pool = InstantPool()
    page = ImportPage(
        bed.engine, bed.config, agent=bed.agents[Role.SUPERVISOR], clock=bed.clock, pool=pool
    )
    qtbot.addWidget(page)
    page.set_path(write(tmp_path / "livraison.csv", [row(i) for i in range(1, 4)]))
    with qtbot.waitSignal(page.import_finished, timeout=5000):
        page.run_import()
    assert page.run_button.isEnabled()
    assert "Import enregistré : 3 titre(s)" in page.status.text()
