"""The back-office window: import, statistics, unclaimed permits and SMS, in tabs.

Open it with ``BackofficeWindow.open(parent, engine, config, agent)``; an agent without the
supervisor or administrator role is refused with a message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget
from sqlalchemy import Engine

from handover.commands.agent_cmd import ROLE_LABELS
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.values import AgentIdentity
from ui.backoffice.common import scrolling
from ui.backoffice.import_page import ImportPage
from ui.backoffice.queue_page import QueuePage
from ui.backoffice.stats_page import StatsPage
from ui.backoffice.unclaimed_page import UnclaimedPage
from ui.widgets.elided_label import ElidedLabel

ROLE_NAMES = ROLE_LABELS  # the French name of every role, the same as `handover agent list`
REFUSAL = (
    "Le back-office (imports, statistiques, titres non réclamés) est réservé aux chefs "
    "d'accueil et aux administrateurs. Demandez à l'un d'eux de se connecter."
)


class BackofficeWindow(QMainWindow):
    """One tab per back-office task, for one logged-in supervisor or administrator."""

    def __init__(
        self,
        engine: Engine,
        config: Config,
        agent: AgentIdentity,
        *,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.agent = agent
        self.pool = QThreadPool(self)
        self.setWindowTitle("Guichet — back-office")
        self.resize(1280, 900)
        self.import_page = ImportPage(engine, config, agent=agent, clock=clock, pool=self.pool)
        self.stats_page = StatsPage(engine, config, clock=clock, pool=self.pool)
        self.unclaimed_page = UnclaimedPage(engine, config, agent=agent, clock=clock)
        self.tabs = QTabWidget()
        self.tabs.setStyleSheet("QTabBar::tab { padding: 10px 24px; font-size: 22px; }")
        self.tabs.addTab(self.stats_page, "Statistiques")  # it scrolls its own charts
        self.queue_page = QueuePage.beside(self.stats_page, engine, config, self.pool)
        self.tabs.addTab(scrolling(self.queue_page), "File d'attente")
        self.tabs.addTab(scrolling(self.import_page), "Import des titres")
        self.tabs.addTab(scrolling(self.unclaimed_page), "Non réclamés et SMS")
        # A long name is shortened (« … », whole in the tooltip), never widens the window.
        who = ElidedLabel(
            f"{config.site.name} — connecté : {agent.display_name or agent.username} "
            f"({ROLE_NAMES.get(agent.role, agent.role.value)})",
            min_chars=24,
        )
        who.setObjectName("hint")
        who.setContentsMargins(16, 8, 16, 0)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(who)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        # Esc closes it, back to the counter (no scan is typed into a forgotten window).
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    def show_page(self, page: QWidget) -> None:
        """Bring the tab that holds ``page`` to the front."""
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if tab is page or tab.isAncestorOf(page):
                self.tabs.setCurrentIndex(index)
                return

    @classmethod
    def open(
        cls,
        parent: QWidget | None,
        engine: Engine,
        config: Config,
        agent: AgentIdentity,
        *,
        clock: Clock | None = None,
    ) -> BackofficeWindow | None:
        """Show the window for a supervisor or an administrator; refuse anyone else."""
        if not agent.is_supervisor:
            cls.refuse(parent, REFUSAL)
            return None
        window = cls(engine, config, agent, clock=clock, parent=parent)
        window.stats_page.refresh()
        window.unclaimed_page.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    @classmethod
    def refuse(cls, parent: QWidget | None, text: str) -> None:
        """Tell the user why the window does not open; tests replace this."""
        QMessageBox.warning(parent, "Back-office", text)

    def closeEvent(self, event: QCloseEvent) -> None:
        # A running import finishes (its transaction commits or rolls back whole) first.
        self.pool.waitForDone()
        super().closeEvent(event)


def render_screenshots(outdir: Path) -> list[Path]:
    """Render each tab to PNG over a demo database; see ``ui.backoffice.screenshots``."""
    from ui.backoffice.screenshots import render

    return render(outdir)
