"""Permits notified but not collected, their return to the production centre, SMS files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from handover.backoffice import sms, unclaimed
from handover.backoffice.unclaimed import UnclaimedPermit
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.text import printable
from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from handover.scanning.reference import format_reference
from ui.backoffice.common import StatusLine, hint, now_from, title

COLUMNS = ("Référence", "N° de carte", "Casier", "Titulaire", "SMS du", "Rappel du", "Attente")


class UnclaimedPage(QWidget):
    """List, return and SMS work; each operation is short and runs in the UI thread."""

    permits_returned = Signal(int)

    def __init__(
        self,
        engine: Engine,
        config: Config,
        *,
        agent: AgentIdentity,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.config = config
        self.agent = agent  # the use cases check its stored role
        self.clock = clock
        self.zone = ZoneInfo(config.schedule.timezone)
        self.permits: tuple[UnclaimedPermit, ...] = ()

        retention = config.retention
        self.days_box = QSpinBox()
        self.days_box.setRange(0, 3650)
        self.days_box.setValue(retention.reminder_after_days)
        self.days_box.setSuffix(" jours")
        self.refresh_button = QPushButton("Actualiser")
        self.count_label = QLabel()
        self.count_label.setObjectName("total")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.return_button = QPushButton(
            f"Renvoyer les titres non réclamés depuis {retention.return_after_days} jours…"
        )
        self.remind_button = QPushButton("Exporter les SMS de rappel…")
        self.notify_button = QPushButton("Exporter les SMS « titre disponible »…")
        self.confirm_button = QPushButton("Confirmer l'envoi d'un fichier SMS…")
        self.status = StatusLine()

        # Rows that fit a 1280 px screen at 125 % (1024 px of layout): the SMS buttons on
        # two lines, the filter's sentence wraps, the count on its own line.
        filter_row = QHBoxLayout()
        since = QLabel("Titres avertis par SMS et non retirés depuis au moins")
        since.setWordWrap(True)
        filter_row.addWidget(since, 1)
        filter_row.addWidget(self.days_box)
        filter_row.addWidget(self.refresh_button)
        sms_row = QGridLayout()
        sms_row.addWidget(self.notify_button, 0, 0)
        sms_row.addWidget(self.confirm_button, 0, 1)
        sms_row.addWidget(self.remind_button, 1, 0)
        sms_row.setColumnStretch(2, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(title("Titres non réclamés et SMS"))
        column.addWidget(
            hint(
                "Fichiers SMS pour la passerelle : exportez, faites envoyer, puis confirmez "
                "l'envoi avec le même fichier pour marquer les titres comme avertis."
            )
        )
        column.addLayout(sms_row)
        column.addLayout(filter_row)
        column.addWidget(self.count_label)
        column.addWidget(self.table, 1)
        column.addWidget(self.status)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.return_button)
        column.addLayout(actions)

        self.refresh_button.clicked.connect(self.refresh)
        self.return_button.clicked.connect(self.return_permits)
        self.notify_button.clicked.connect(self._on_notify)
        self.confirm_button.clicked.connect(self._on_confirm_sent)
        self.remind_button.clicked.connect(self._on_remind)

    # -- replaceable dialogs --------------------------------------------------------------

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, caption: str, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            parent, caption, str(Path.home() / suggested), "Fichiers CSV (*.csv)"
        )
        return Path(name) if name else None

    @classmethod
    def ask_open_path(cls, parent: QWidget | None, caption: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            parent, caption, str(Path.home()), "Fichiers CSV (*.csv)"
        )
        return Path(name) if name else None

    @classmethod
    def confirm(cls, parent: QWidget | None, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            "Renvoyer des titres",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- list -----------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self.permits = unclaimed.list_unclaimed(
                self.engine, self.config, days=self.days_box.value(), now=now_from(self.clock)
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        self._fill(self.permits)

    def _fill(self, permits: tuple[UnclaimedPermit, ...]) -> None:
        self.table.setRowCount(len(permits))
        due = self.config.retention.return_after_days
        for i, p in enumerate(permits):
            cells = (
                format_reference(p.reference) if p.reference else "—",
                p.card_number,
                p.storage_slot or "—",
                f"{p.surname} {p.given_names}".strip(),
                f"{p.notified_at.astimezone(self.zone):%d/%m/%Y}",
                f"{p.reminded_at.astimezone(self.zone):%d/%m/%Y}" if p.reminded_at else "non",
                f"{p.days_waiting} j — à renvoyer"
                if p.days_waiting >= due
                else f"{p.days_waiting} j",
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == len(cells) - 1 and p.days_waiting >= due:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self.count_label.setText(f"{len(permits)} titre(s)")

    # -- return ---------------------------------------------------------------------------

    def return_permits(self) -> None:
        """Preview the permits due for return, ask, then mark them returned."""
        days = self.config.retention.return_after_days
        try:
            preview = unclaimed.return_unclaimed(
                self.engine,
                self.config,
                days=days,
                dry_run=True,
                now=now_from(self.clock),
                actor=self.agent,
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        if not preview.permits:
            self.status.show_good(f"Aucun titre non réclamé depuis {days} jours : rien à renvoyer.")
            return
        slots = sorted({p.storage_slot or "?" for p in preview.permits})
        shown = ", ".join(slots[:12]) + (" …" if len(slots) > 12 else "")
        text = (
            f"{len(preview.permits)} titre(s) non réclamé(s) depuis {days} jours seront marqués "
            f"« renvoyés » et ne pourront plus être remis au guichet.\n\nCasiers : {shown}\n\n"
            "Sortez ces cartes des casiers pour les renvoyer. Confirmer ?"
        )
        if not self.confirm(self, text):
            self.status.show_good("Renvoi annulé : aucun titre n'a été modifié.")
            return
        try:
            done = unclaimed.return_unclaimed(
                self.engine,
                self.config,
                days=days,
                now=now_from(self.clock),
                actor=self.agent,
                permit_ids=[p.permit_id for p in preview.permits],
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        text = f"{len(done.permits)} titre(s) marqué(s) « renvoyés »."
        if done.skipped:
            lines = "\n".join(printable(str(x)) for x in done.skipped[:10])
            self.status.show_problem(
                f"{text}\n{len(done.skipped)} titre(s) changé(s) à un guichet entre-temps, non "
                f"renvoyé(s) :\n{lines}"
            )
        else:
            self.status.show_good(text)
        self.refresh()
        self.permits_returned.emit(len(done.permits))

    # -- SMS ------------------------------------------------------------------------------

    def _stamp(self) -> str:
        at = now_from(self.clock)
        return f"{(at or datetime.now(UTC)).astimezone(self.zone):%Y%m%d-%H%M}"

    def _on_notify(self) -> None:
        path = self.ask_save_path(
            self, "Fichier des SMS « titre disponible »", f"sms-disponible-{self._stamp()}.csv"
        )
        if path is None:
            return
        try:
            result = sms.export_notifications(
                self.engine, self.config, path, now=now_from(self.clock), actor=self.agent
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        except OSError as exc:
            self.status.show_problem(f"Impossible d'écrire {path} : {exc.strerror or exc}.")
            return
        without = (
            f" {result.without_phone} titre(s) sans téléphone : à prévenir autrement."
            if result.without_phone
            else ""
        )
        self.status.show_good(
            f"{result.messages} SMS écrits dans {path}. Après l'envoi, confirmez-le avec ce "
            "fichier." + without
        )

    def _on_confirm_sent(self) -> None:
        path = self.ask_open_path(self, "Fichier SMS envoyé par la passerelle")
        if path is None:
            return
        try:
            result = sms.confirm_notifications(
                self.engine, self.config, path, now=now_from(self.clock), actor=self.agent
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        text = f"{result.marked} titre(s) marqué(s) comme avertis ; {result.already} déjà marqués."
        if result.problems:
            self.status.show_problem(text + "\n" + "\n".join(result.problems[:10]))
        else:
            self.status.show_good(text)
        self.refresh()

    def _on_remind(self) -> None:
        path = self.ask_save_path(
            self, "Fichier des SMS de rappel", f"sms-rappel-{self._stamp()}.csv"
        )
        if path is None:
            return
        try:
            result = unclaimed.remind_unclaimed(
                self.engine,
                self.config,
                path,
                days=self.days_box.value(),
                now=now_from(self.clock),
                actor=self.agent,
            )
        except HandoverError as error:
            self.status.show_problem(error.message)
            return
        except OSError as exc:
            self.status.show_problem(f"Impossible d'écrire {path} : {exc.strerror or exc}.")
            return
        without = (
            f" {result.without_phone} sans téléphone ou sans référence : à prévenir autrement."
            if result.without_phone
            else ""
        )
        self.status.show_good(f"{result.messages} SMS de rappel écrits dans {path}." + without)
        self.refresh()
