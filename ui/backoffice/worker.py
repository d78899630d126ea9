"""Run a core function on a thread pool; its progress and result come back as signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from handover.errors import HandoverError
from handover.logs import with_log_path

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


class JobSignals(QObject):
    """Lives in the UI thread, so signals emitted by the worker are queued to it."""

    progressed = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """``work(progress)`` on a pool thread; never raises: failures become ``failed``."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the page keeps it until its signals arrived
        self.signals = JobSignals()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.signals.progressed.emit)
        except HandoverError as error:
            self.signals.failed.emit(error.message)
        except Exception:
            log.exception("back-office job failed")
            self.signals.failed.emit(
                with_log_path(
                    "Erreur inattendue : l'opération n'a pas abouti ; prévenez le support "
                    "informatique."
                )
            )
        else:
            self.signals.finished.emit(result)


def start(
    pool: QThreadPool, work: Callable[[Progress], Any], connect: Callable[[Job], None]
) -> Job:
    """Run ``work``; ``connect`` wires the job's signals first: a quick job that ended
    before its signals were connected would emit them to nobody."""
    job = Job(work)
    connect(job)
    pool.start(job)
    return job
