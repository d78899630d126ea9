"""Composition root of the counter: configuration, database, services, printer, window.

``python -m ui.app --seed-demo`` is what ``make run`` starts: it opens the configured
database, fills it with demo data when it holds no permit, and shows the login screen.
Without ``--seed-demo`` (production) a demonstration database is refused, and with it a
production one: the two never mix.
OpenCV and reportlab are imported only when a camera frame or a receipt needs them.
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Literal, cast

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QMessageBox

from handover import __version__, logs
from handover.argparse_fr import FrenchArgumentParser
from handover.config import CameraConfig, Config, load_config
from handover.errors import HandoverError
from handover.receipts.errors import PrinterError
from handover.receipts.printers import PrintOutcome
from ui import error_reporting
from ui.i18n import install_french
from ui.style import apply_style

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from handover.domain.clock import Clock
    from handover.receipts.printers import Printer
    from handover.scanning.camera import Camera
    from handover.scanning.input import WedgeSettings
    from ui.main_window import MainWindow

CameraFactory = Callable[[CameraConfig], "Camera"]
CAMERA_SIZE = (1280, 720)

log = logging.getLogger(__name__)


class ArchivingPrinter:
    """Archives every job as a PDF first, then sends it to the physical printer.

    The archived copy is the prefecture's own: it is kept whatever the printer does. A
    printer failure is still a failure (the counter offers the reprint), said with where
    the copy is; an archive failure does not stop the paper receipt but is reported.
    """

    def __init__(self, archive: Printer, printer: Printer) -> None:
        self.archive = archive
        self.printer = printer

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome:
        archive_problem = ""
        try:
            archived = self.archive.print_pdf(pdf, job_name=job_name)
        except PrinterError as error:
            archived = None
            archive_problem = error.message
        try:
            sent = self.printer.print_pdf(pdf, job_name=job_name)
        except PrinterError as error:
            kept = (
                f" Copie archivée : « {archived.document} »."
                if archived is not None and archived.document is not None
                else f" Copie non archivée non plus : {archive_problem}"
                if archive_problem
                else ""
            )
            raise PrinterError(error.message + kept) from error
        if archive_problem:
            return PrintOutcome(
                sent=True,
                message=f"{sent.message} ATTENTION, copie non archivée : {archive_problem}",
                document=sent.document,
            )
        return PrintOutcome(
            sent=True,
            message=sent.message,
            document=archived.document if archived is not None else sent.document,
        )


def make_printer(config: Config) -> Printer:
    """The configured printer, always behind the PDF archive; Qt's is built here."""
    from handover.receipts.printers import EscPosPrinter, PdfArchivePrinter

    archive = PdfArchivePrinter(config.archive_dir)
    kind = config.printer.kind
    physical: Printer
    if kind == "system":
        from ui.printing import QtSystemPrinter

        paper = cast(Literal["A4", "A5", "roll80"], config.printer.paper)
        physical = QtSystemPrinter(config.printer.name or None, paper)
    elif kind == "escpos":
        physical = EscPosPrinter(
            connection="network",
            host=config.printer.escpos_host,
            port=config.printer.escpos_port,
        )
    else:
        return archive
    return ArchivingPrinter(archive, physical)


def make_camera(camera: CameraConfig) -> Camera:
    """The configured webcam (OpenCV); opened only when the agent turns the camera on."""
    from handover.scanning.camera import OpenCvCamera

    return OpenCvCamera(camera.index, *CAMERA_SIZE)


def database_is_empty(engine: Engine) -> bool:
    from sqlalchemy import func, select

    from handover.persistence.models import Permit

    with engine.connect() as connection:
        return not connection.execute(select(func.count(Permit.id))).scalar_one()


def build_window(
    engine: Engine,
    config: Config,
    *,
    printer: Printer | None = None,
    clock: Clock | None = None,
    camera_factory: CameraFactory | None = None,
    key_clock: Callable[[], float] | None = None,
    demo: bool = False,
) -> MainWindow:
    """The counter window over a database, ready to show; tests and screenshots use it.

    The camera view exists only when ``config.camera.enabled``; ``camera_factory``
    replaces the webcam (tests give a ``FakeCamera``).
    """
    from handover.services.counter import CounterService
    from ui.main_window import MainWindow
    from ui.presenters.counter import CounterPresenter

    service = CounterService(engine, config, clock=clock)
    presenter = CounterPresenter(
        service,
        printer if printer is not None else make_printer(config),
        clock=clock,
        override_minutes=config.security.override_minutes,
    )
    from handover.queue.service import QueueService

    # The desk's call key (F8) and its heartbeat, three beats per timeout.
    heartbeat_s = max(1.0, config.queue.heartbeat_timeout_s / 3)
    presenter.attach_queue(QueueService(engine, config, clock=clock), heartbeat_s=heartbeat_s)
    camera_view = None
    if config.camera.enabled:
        from handover.scanning.decoders import make_decoder
        from ui.widgets.camera_view import CameraView, camera_support_problem

        problem = camera_support_problem()
        if problem is not None:  # the counter opens without it; F2 says why
            log.warning("Caméra activée dans la configuration, mais : %s", " ".join(problem))
        else:
            camera = (camera_factory or make_camera)(config.camera)
            camera_view = CameraView(camera, make_decoder(config.camera.backend))
    wedge = wedge_settings(config)
    return MainWindow(
        presenter,
        clock=clock,
        lock_after=timedelta(minutes=config.security.inactivity_lock_minutes),
        badge_enabled=config.security.badge_login,
        timezone=config.schedule.timezone,
        wedge=wedge,
        key_clock=key_clock,
        camera_view=camera_view,
        demo=demo,
    )


def wedge_settings(config: Config) -> WedgeSettings:
    """The scan field's settings from the [scanner] section."""
    from handover.scanning.input import Terminator, WedgeSettings

    scanner = config.scanner
    return WedgeSettings(
        max_gap_ms=float(scanner.burst_max_gap_ms),
        min_length=scanner.burst_min_length,
        prefix=scanner.prefix,
        terminator=cast(Terminator, scanner.terminator),
        mrz_wait_ms=float(scanner.mrz_line_wait_ms),
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = FrenchArgumentParser(prog="handover-counter", description="Guichet de remise")
    parser.add_argument(
        "--seed-demo",
        action="store_true",
        help="guichet de démonstration (ouvert à toute heure, bandeau DÉMONSTRATION) ; "
        "remplit la base si elle est vide, refuse une base de production",
    )
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # The log first, so that even a configuration error leaves a line in a file.
    try:
        config: Config | None = load_config()
        config_problem = ""
    except HandoverError as error:
        config, config_problem = None, error.message
    files = logs.setup(logs.COUNTER, config)
    log.info(
        "Guichet %s démarre (Python %s, PySide6 %s, Qt %s) ; journal : %s",
        __version__,
        platform.python_version(),
        PySide6.__version__,
        qVersion(),
        files.log_file if files else "terminal seulement",
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Guichet")
    translator = install_french(app)  # before any box: Qt's own buttons in French too
    reporter = error_reporting.install(app)
    if config is None:
        log.error("Configuration illisible : %s", config_problem)
        QMessageBox.critical(None, "Guichet", config_problem)
        return 2
    apply_style(app)
    try:
        from handover.persistence.db import open_configured

        engine = open_configured(config)
        from handover.services.demo import refuse_demonstration, refuse_production

        if not args.seed_demo:  # the production counter: never on demonstration data
            refuse_demonstration(engine)
        else:  # the demonstration counter: never on a production database
            from handover.services.demo import demo_config, seed_demo

            refuse_production(engine)
            config = demo_config(config)
            if database_is_empty(engine):
                passwords = seed_demo(engine, config)
                print("Comptes de démonstration :")
                for username, password in passwords.items():
                    print(f"  {username} / {password}")
        window = build_window(engine, config, demo=args.seed_demo)
        from handover.backoffice.retention import startup_notice

        notice = startup_notice(engine, config)
        if notice:
            log.warning(notice)
            window.login_page.show_problem(notice)
    except HandoverError as error:
        log.error("Démarrage impossible : %s", error.message)
        QMessageBox.critical(None, "Guichet", error.message)
        return 2
    except Exception:
        log.exception("Démarrage impossible")
        QMessageBox.critical(
            None,
            "Guichet",
            logs.with_log_path(
                "Erreur inattendue au démarrage : le guichet ne peut pas s'ouvrir. Notez "
                "l'heure et prévenez le support."
            ),
        )
        return 3
    from ui.first_paint import log_first_paint

    log_first_paint(window, log, "Écran de connexion affiché")
    window.show()
    code = app.exec()
    log.info("Guichet fermé (code %s)", code)
    del translator, reporter
    return code


if __name__ == "__main__":
    raise SystemExit(main())
