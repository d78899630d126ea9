"""Badge login where the desk has badges, and the printer the configuration names."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from handover.config import Config, PrinterConfig, SecurityConfig
from handover.domain.clock import FakeClock
from handover.persistence.db import open_database
from handover.receipts.errors import PrinterOutOfPaperError
from handover.receipts.printers import EscPosPrinter, FakePrinter, PdfArchivePrinter, try_print
from tests.ui.counter_fixtures import (
    OPEN_AT,
    KeyClock,
    counter_config,
    focused,
    scan,
    seeded_template_fixture,
    show,
)
from ui.app import ArchivingPrinter, build_window, make_printer
from ui.main_window import MainWindow
from ui.printing import QtSystemPrinter

FIXTURES = (seeded_template_fixture,)
PDF = b"%PDF-1.4\n% a receipt\n"


def badge_window(qtbot: QtBot, tmp_path: Path, template, *, badge_login: bool):
    source, _ = template
    (tmp_path / "counter.sqlite3").write_bytes(source.read_bytes())
    config = dataclasses.replace(
        counter_config(tmp_path), security=SecurityConfig(badge_login=badge_login)
    )
    engine = open_database(config.database_url)
    keys = KeyClock()
    window = build_window(
        engine, config, printer=FakePrinter(), clock=FakeClock(OPEN_AT), key_clock=keys
    )
    show(qtbot, window)
    return window, keys, engine


def close(window: MainWindow, engine) -> None:
    window.watch.stop()
    engine.dispose()


def test_a_badge_scan_logs_the_agent_in(qtbot: QtBot, tmp_path: Path, seeded_template) -> None:
    window, keys, engine = badge_window(qtbot, tmp_path, seeded_template, badge_login=True)
    page = window.login_page
    assert page.badge.isVisible()
    assert focused() is page.badge
    with qtbot.waitSignal(window.presenter.logged_in) as logged:
        scan(focused(), "BADGE-CHEF", keys)
    assert logged.args[0].username == "chef"
    assert window.stack.currentWidget() is window.counter_page
    assert focused() is window.scan_field
    close(window, engine)


def test_an_unknown_badge_is_refused_and_the_badge_field_waits(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    window, keys, engine = badge_window(qtbot, tmp_path, seeded_template, badge_login=True)
    page = window.login_page
    with qtbot.waitSignal(window.presenter.login_failed) as failed:
        scan(focused(), "BADGE-INCONNU", keys)
    assert "Badge non reconnu" in failed.args[0]
    assert page.problem.isVisible()
    assert window.stack.currentWidget() is window.login_page
    assert focused() is page.badge
    assert page.badge.text() == ""
    with qtbot.waitSignal(window.presenter.logged_in):
        scan(focused(), "BADGE-AGENT1", keys)
    close(window, engine)


def test_without_badges_only_the_password_logs_in(
    qtbot: QtBot, tmp_path: Path, seeded_template
) -> None:
    window, keys, engine = badge_window(qtbot, tmp_path, seeded_template, badge_login=False)
    page = window.login_page
    assert not page.badge.isVisible()
    assert focused() is page.username
    scan(focused(), "BADGE-AGENT1", keys)  # lands in the user name, logs nobody in
    assert window.stack.currentWidget() is window.login_page
    assert page.username.text() == ""  # not kept as a user name
    assert "Connectez-vous d'abord" in page.problem.text()
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert window.presenter.agent is None
    close(window, engine)


def printer_config(tmp_path: Path, **printer: object) -> Config:
    return dataclasses.replace(
        Config(),
        printer=PrinterConfig(archive_dir=str(tmp_path / "archive"), **printer),  # type: ignore[arg-type]
    )


def test_pdf_kind_is_the_archive_alone(tmp_path: Path) -> None:
    printer = make_printer(printer_config(tmp_path, kind="pdf"))
    assert isinstance(printer, PdfArchivePrinter)
    outcome = printer.print_pdf(PDF, job_name="R2026-0000001")
    assert outcome.sent
    assert [p.read_bytes() for p in (tmp_path / "archive").glob("*.pdf")] == [PDF]


@pytest.mark.parametrize("paper", ["A4", "roll80"])
def test_system_kind_prints_on_the_named_printer_and_archives(tmp_path: Path, paper) -> None:
    printer = make_printer(printer_config(tmp_path, kind="system", name="Accueil-2", paper=paper))
    assert isinstance(printer, ArchivingPrinter)
    assert isinstance(printer.archive, PdfArchivePrinter)
    assert printer.archive.folder == tmp_path / "archive"
    assert isinstance(printer.printer, QtSystemPrinter)
    assert printer.printer.printer_name == "Accueil-2"
    assert printer.printer.paper == paper


def test_system_kind_without_a_name_takes_the_default_printer(tmp_path: Path) -> None:
    printer = make_printer(printer_config(tmp_path, kind="system", name=""))
    assert isinstance(printer, ArchivingPrinter)
    assert printer.printer.printer_name is None


def test_escpos_kind_talks_to_the_configured_host(tmp_path: Path) -> None:
    printer = make_printer(
        printer_config(tmp_path, kind="escpos", escpos_host="192.0.2.10", escpos_port=9101)
    )
    assert isinstance(printer, ArchivingPrinter)
    assert isinstance(printer.printer, EscPosPrinter)
    assert printer.printer.describe == "192.0.2.10"


def test_the_archive_is_written_before_the_printer_and_kept_when_it_fails(
    tmp_path: Path,
) -> None:
    physical = FakePrinter(fail_with=PrinterOutOfPaperError())
    printer = ArchivingPrinter(PdfArchivePrinter(tmp_path / "archive"), physical)
    outcome = try_print(printer, PDF, job_name="R2026-0000002")
    archived = list((tmp_path / "archive").glob("*.pdf"))
    assert not outcome.sent  # the reprint is offered
    assert [p.read_bytes() for p in archived] == [PDF]
    assert str(archived[0]) in outcome.message
    assert PrinterOutOfPaperError().message in outcome.message

    physical.fail_with = None
    outcome = try_print(printer, PDF, job_name="R2026-0000003")
    assert outcome.sent
    assert physical.jobs[-1].pdf == PDF
    assert len(list((tmp_path / "archive").glob("*.pdf"))) == 2


def test_a_full_archive_does_not_stop_the_paper_receipt(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the archive folder should be")
    physical = FakePrinter()
    outcome = try_print(
        ArchivingPrinter(PdfArchivePrinter(blocked), physical), PDF, job_name="R2026-0000004"
    )
    assert outcome.sent
    assert physical.jobs[-1].pdf == PDF
    assert "non archivée" in outcome.message
