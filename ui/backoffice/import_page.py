"""Import a delivery file of permits: choose it, check or import it, read the report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from handover.backoffice.imports import REQUIRED, ImportFileError, ImportReport, import_permits
from handover.config import Config
from handover.domain.clock import Clock
from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from ui.backoffice.common import StatusLine, hint, now_from, title
from ui.backoffice.worker import Job, Progress, start

PHASES = {
    "vérification": "Vérification des lignes",
    "comparaison": "Comparaison avec les titres en base",
    "enregistrement": "Enregistrement en base",
}


class ImportPage(QWidget):
    """The import screen; the import itself runs on a pool thread."""

    import_finished = Signal(object)  # ImportReport
    import_failed = Signal(str)
    import_progressed = Signal(str, int, int)

    def __init__(
        self,
        engine: Engine,
        config: Config,
        *,
        agent: AgentIdentity,
        clock: Clock | None = None,
        pool: QThreadPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.config = config
        self.agent = agent  # the use case checks its stored role
        self.clock = clock
        self.pool = pool or QThreadPool.globalInstance()
        self._job: Job | None = None

        self.path_field = QLineEdit()
        self.path_field.setReadOnly(True)
        self.path_field.setPlaceholderText("Aucun fichier choisi")
        self.choose_button = QPushButton("Choisir le fichier…")
        # Short texts: the page fits a 1280 px screen at 125 % (the hint above explains).
        self.valid_only_box = QCheckBox("Importer seulement les lignes valides")
        self.valid_only_box.setToolTip("Les lignes en erreur sont laissées de côté.")
        self.dry_run_box = QCheckBox("Simulation : tout vérifier sans rien enregistrer")
        self.run_button = QPushButton("Lancer l'import")
        self.run_button.setDefault(True)
        self.run_button.setEnabled(False)
        self.phase_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m lignes")
        self.progress.hide()
        self.status = StatusLine()
        self.counts = {
            "rows": QLabel(),
            "imported": QLabel(),
            "already": QLabel(),
            "rejected": QLabel(),
        }
        self.counts_box = QWidget()
        grid = QGridLayout(self.counts_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, (key, text) in enumerate(
            (
                ("rows", "Lignes de titres lues"),
                ("imported", "Titres importés"),
                ("already", "Déjà importés (ignorés)"),
                ("rejected", "Lignes refusées"),
            )
        ):
            grid.addWidget(QLabel(text + " :"), row, 0)
            self.counts[key].setObjectName("total")
            grid.addWidget(self.counts[key], row, 1)
        grid.setColumnStretch(2, 1)
        self.counts_box.hide()
        self.rejected_table = QTableWidget(0, 3)
        self.rejected_table.setHorizontalHeaderLabels(["Ligne", "Motif du refus", "N° de carte"])
        self.rejected_table.verticalHeader().hide()
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.setWordWrap(True)
        header = self.rejected_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.rejected_table.hide()

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Fichier :"))
        file_row.addWidget(self.path_field, 1)
        file_row.addWidget(self.choose_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(title("Importer une livraison de titres"))
        column.addWidget(
            hint(
                "Fichier CSV (UTF-8 ou Windows, séparateur « ; » ou « , ») reçu du centre de "
                f"production. Colonnes obligatoires : {', '.join(REQUIRED)}. Par défaut, une "
                "seule ligne en erreur fait refuser tout le fichier ; « lignes valides "
                "seulement » laisse de côté les lignes en erreur."
            )
        )
        column.addLayout(file_row)
        column.addWidget(self.valid_only_box)
        column.addWidget(self.dry_run_box)
        actions = QHBoxLayout()
        actions.addWidget(self.run_button)
        actions.addWidget(self.phase_label, 1)
        column.addLayout(actions)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addWidget(self.counts_box)
        column.addWidget(self.rejected_table, 1)
        column.addStretch(0)

        self.choose_button.clicked.connect(self._on_choose)
        self.run_button.clicked.connect(self.run_import)

    # -- file choice ----------------------------------------------------------------------

    @classmethod
    def ask_path(cls, parent: QWidget | None) -> Path | None:
        """The delivery file the user picks; tests replace this."""
        name, _filter = QFileDialog.getOpenFileName(
            parent,
            "Choisir le fichier de livraison",
            str(Path.home()),
            "Fichiers CSV (*.csv *.txt);;Tous les fichiers (*)",
        )
        return Path(name) if name else None

    def _on_choose(self) -> None:
        path = self.ask_path(self)
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path) -> None:
        self.path_field.setText(str(path))
        self.run_button.setEnabled(True)

    @property
    def path(self) -> Path | None:
        text = self.path_field.text()
        return Path(text) if text else None

    @property
    def running(self) -> bool:
        return self._job is not None

    # -- the import -----------------------------------------------------------------------

    def run_import(self) -> None:
        path = self.path
        if path is None or self.running:
            return
        valid_only = self.valid_only_box.isChecked()
        dry_run = self.dry_run_box.isChecked()
        now = now_from(self.clock)
        engine, config, agent = self.engine, self.config, self.agent

        def work(progress: Progress) -> ImportReport:
            try:
                return import_permits(
                    engine,
                    config,
                    path,
                    valid_only=valid_only,
                    dry_run=dry_run,
                    now=now,
                    progress=progress,
                    actor=agent,
                )
            except ImportFileError as error:
                if not error.shown:
                    raise
                # The offending line goes to the screen only, never to the log.
                raise HandoverError(f"{error.message}\n{error.shown}") from None

        self._set_busy(True)
        self.status.hide()
        self.counts_box.hide()
        self.rejected_table.hide()
        self.phase_label.setText("Lecture du fichier…")
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        self._job = start(self.pool, work, self._connect)

    def _connect(self, job: Job) -> None:
        job.signals.progressed.connect(self._on_progress)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.run_button, self.choose_button, self.valid_only_box, self.dry_run_box):
            widget.setEnabled(not busy)

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        self.phase_label.setText(f"{PHASES.get(phase, phase)} : {done} / {total}")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.import_progressed.emit(phase, done, total)

    def _on_finished(self, report: ImportReport) -> None:
        self._job = None
        self._set_busy(False)
        self.progress.hide()
        self.phase_label.clear()
        self.show_report(report)
        self.import_finished.emit(report)

    def _on_failed(self, message: str) -> None:
        self._job = None
        self._set_busy(False)
        self.progress.hide()
        self.phase_label.clear()
        self.status.show_problem("Fichier illisible, rien n'a été importé. " + message)
        self.import_failed.emit(message)

    def show_report(self, report: ImportReport) -> None:
        rejected = len(report.rejected)
        if report.dry_run:
            verdict = (
                f"Simulation : le fichier serait refusé ({rejected} ligne(s) en erreur)."
                if report.refused
                else f"Simulation : {report.imported} titre(s) seraient importés."
            )
            self._status(verdict + " La base n'a pas été modifiée.", problem=bool(report.rejected))
        elif report.refused:
            self._status(
                f"Fichier REFUSÉ : {rejected} ligne(s) en erreur, rien n'a été importé. Corrigez "
                "les lignes ci-dessous, ou cochez « importer seulement les lignes valides ».",
                problem=True,
            )
        elif report.committed:
            skipped = f" {rejected} ligne(s) en erreur laissée(s) de côté." if rejected else ""
            self._status(
                f"Import enregistré : {report.imported} titre(s) ajoutés (lot {report.batch})."
                + skipped,
                problem=bool(rejected),
            )
        else:
            self._status("Rien de nouveau à importer : la base n'a pas été modifiée.")
        self.counts["rows"].setText(str(report.rows))
        self.counts["imported"].setText(
            f"{report.imported} (à importer)" if report.dry_run else str(report.imported)
        )
        self.counts["already"].setText(str(report.already_imported))
        self.counts["rejected"].setText(str(rejected))
        self.counts_box.show()
        table = self.rejected_table
        table.setRowCount(rejected)
        for i, row in enumerate(report.rejected):
            table.setItem(i, 0, QTableWidgetItem(str(row.line)))
            table.setItem(i, 1, QTableWidgetItem("\n".join(f"• {r}" for r in row.reasons)))
            table.setItem(i, 2, QTableWidgetItem(row.card_number))
        table.setVisible(bool(rejected))
        table.resizeRowsToContents()

    def _status(self, text: str, *, problem: bool = False) -> None:
        if problem:
            self.status.show_problem(text)
        else:
            self.status.show_good(text)
