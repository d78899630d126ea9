"""Render each main state of the counter to PNG, offscreen: ``python -m ui.screenshots OUT``.

The screen is driven as an agent would drive it (keys, scans, a mouse signature) on a
demo database in a temporary folder, at fixed instants, with a fake printer.
"""

from __future__ import annotations

import dataclasses
import os
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import select, update

from handover.scanning.mrz_build import passport_mrz, residence_card_mrz

PARIS = ZoneInfo("Europe/Paris")
OPEN_AT = datetime(2026, 11, 27, 9, 47, tzinfo=PARIS)
CLOSED_AT = datetime(2026, 11, 27, 11, 12, tzinfo=PARIS)


class _Keys:
    """Scan-field time in ms, moved by hand so that bursts and pauses are what we say."""

    def __init__(self) -> None:
        self.ms = 0.0

    def __call__(self) -> float:
        return self.ms


class Director:
    """Builds a counter window over a demo database and plays scenes on it."""

    def __init__(
        self,
        folder: Path,
        at: datetime,
        *,
        template: Path | None = None,
        camera_frames: list[object] | None = None,
    ) -> None:
        from handover.config import Config, DatabaseConfig, PrinterConfig
        from handover.domain.clock import FakeClock
        from handover.persistence.db import open_database
        from handover.receipts.printers import FakePrinter
        from handover.services.counter import CounterService
        from handover.services.demo import seed_demo
        from ui.main_window import MainWindow
        from ui.presenters.counter import CounterPresenter, InlineWorker

        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "demo.sqlite3"
        self.config = dataclasses.replace(
            Config(),
            database=DatabaseConfig(url=f"sqlite:///{db}"),
            printer=PrinterConfig(kind="pdf", archive_dir=str(folder / "receipts")),
        )
        if template is not None:
            db.write_bytes(template.read_bytes())
        self.engine = open_database(
            self.config.database_url, busy_timeout_ms=50, create=template is None
        )
        self.passwords = (
            seed_demo(self.engine, self.config, permits=80, seed=3) if template is None else {}
        )
        self.db = db
        self.clock = FakeClock(at)
        self.keys = _Keys()
        self.printer = FakePrinter()
        self.service = CounterService(self.engine, self.config, clock=self.clock)
        self.presenter = CounterPresenter(
            self.service,
            self.printer,
            clock=self.clock,
            runner=lambda job: job(),
            worker=InlineWorker(),  # each state is on screen when its action returns
        )
        camera_view = None
        if camera_frames is not None:
            from handover.scanning.camera import FakeCamera
            from handover.scanning.decoders import make_decoder
            from ui.widgets.camera_view import CameraView

            camera_view = CameraView(FakeCamera(camera_frames), make_decoder("zxing"))  # type: ignore[arg-type]
        self.window = MainWindow(
            self.presenter, clock=self.clock, key_clock=self.keys, camera_view=camera_view
        )
        self.window.resize(1280, 860)
        self.window.show()
        self.window.activateWindow()
        self.settle()

    @staticmethod
    def settle() -> None:
        for _ in range(3):
            QApplication.processEvents()

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        return widget if widget is not None else self.window

    def type(self, text: str, widget: QWidget | None = None) -> None:
        QTest.keyClicks(widget or self.focused(), text)

    def key(self, key: Qt.Key, widget: QWidget | None = None) -> None:
        QTest.keyClick(widget or self.focused(), key)
        self.keys.ms += 1000
        self.settle()

    def scan(self, text: str) -> None:
        widget = self.focused()
        if hasattr(widget, "insert") and text.isascii():
            QTest.keyClicks(widget, text)
        elif hasattr(widget, "insert"):
            widget.insert(text)  # type: ignore[attr-defined]
        QTest.keyClick(widget, Qt.Key.Key_Return)
        self.keys.ms += 1000
        self.settle()

    def login(self, username: str = "agent1", password: str | None = None) -> None:
        from handover.services.demo import DEMO_ACCOUNTS

        page = self.window.login_page
        page.username.setText(username)
        page.password.setText(password or DEMO_ACCOUNTS[username][2])
        QTest.keyClick(page.password, Qt.Key.Key_Return)
        self.settle()

    def sign(self) -> None:
        pad = self.window.wizard.signature_pad
        rng = random.Random(4)
        strokes = [
            [(60 + 9 * i, 150 + 40 * ((i % 6) / 5 - 0.5) + rng.uniform(-6, 6)) for i in range(40)],
            [(120 + 5 * i, 90 + 2.2 * i) for i in range(30)],
            [(300 + 8 * i, 200 - 1.5 * i) for i in range(35)],
        ]
        for points in strokes:
            for n, (x, y) in enumerate(points):
                kind = (
                    QEvent.Type.MouseButtonPress
                    if n == 0
                    else QEvent.Type.MouseButtonRelease
                    if n == len(points) - 1
                    else QEvent.Type.MouseMove
                )
                button = (
                    Qt.MouseButton.NoButton
                    if kind == QEvent.Type.MouseMove
                    else Qt.MouseButton.LeftButton
                )
                buttons = (
                    Qt.MouseButton.NoButton
                    if kind == QEvent.Type.MouseButtonRelease
                    else Qt.MouseButton.LeftButton
                )
                point = QPointF(x, y)
                QApplication.sendEvent(
                    pad,
                    QMouseEvent(
                        kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier
                    ),
                )
        self.settle()

    def permit(self, state: str, **extra: object) -> tuple[int, str, str, str, date, int]:
        from sqlalchemy import select

        from handover.persistence.models import Permit

        query = select(
            Permit.id,
            Permit.handover_reference,
            Permit.surname,
            Permit.given_names,
            Permit.birth_date,
            Permit.fee_cents,
        ).where(Permit.state == state, Permit.handover_reference.is_not(None))
        for name, value in extra.items():
            query = query.where(getattr(Permit, name) == value)
        with self.engine.connect() as connection:
            return tuple(connection.execute(query.order_by(Permit.id).limit(1)).one())  # type: ignore[return-value]

    def card(self, permit_id: int) -> str:
        """The MRZ of a permit's own card, as scanned from its storage slot."""
        from handover.persistence.models import Permit

        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    Permit.card_number, Permit.surname, Permit.given_names, Permit.birth_date
                ).where(Permit.id == permit_id)
            ).one()
        return residence_card_mrz(*row)

    def shoot(self, out: Path, name: str, widget: QWidget | None = None) -> Path:
        self.settle()
        path = out / f"{name}.png"
        (widget or self.window).grab().save(str(path))
        print(path)
        return path

    def close(self) -> None:
        self.window.watch.stop()
        self.window.ticker.stop()
        self.window.refresher.stop()
        self.window.close()
        self.engine.dispose()


def _grab_dialog_then(
    out: Path,
    name: str,
    fill: Callable[[QDialog], None] | None = None,
    then: Callable[[QDialog], None] = QDialog.reject,
) -> Callable[[], None]:
    """Grab the next modal dialog once it is up, then close it (``then``: how)."""

    def later() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, later)
            return
        if fill is not None:
            fill(dialog)
        QApplication.processEvents()
        path = out / f"{name}.png"
        dialog.grab().save(str(path))
        print(path)
        then(dialog)

    return later


def render_all(out: Path) -> list[Path]:
    from handover.receipts.errors import PrinterOutOfPaperError
    from handover.services.demo import DEMO_ACCOUNTS
    from ui.app import apply_style
    from ui.dialogs.supervisor_dialog import SupervisorDialog
    from ui.i18n import install_french

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_french(app)
    apply_style(app)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="guichet-shots-"))
    d = Director(work / "open", OPEN_AT)
    d.shoot(out, "01_login")
    d.login("agent1", "mauvais-mot-de-passe")
    d.shoot(out, "02_login_refused")
    d.login()
    d.shoot(out, "03_counter_waiting")

    pid, ref, surname, given, birth, due = d.permit("notified", previous_card_expected=True)
    d.scan(ref)
    d.shoot(out, "04_ready_identity_step")
    d.scan(passport_mrz(surname, given, birth))
    d.shoot(out, "05_stamps_step")
    d.scan(f"{random.Random(1).randrange(10**15, 10**16)}")
    d.shoot(out, "06_stamp_amount")
    d.type(f"{due // 100},{due % 100:02d}")
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "07_previous_card_step")
    d.scan(passport_mrz(surname, given, birth, number="OLD123456"))
    d.shoot(out, "08_card_step_waiting_for_the_card")
    other, *_ = d.permit("notified", previous_card_expected=False)
    d.scan(d.card(other))
    d.shoot(out, "08b_wrong_card")
    d.scan(d.card(pid))
    d.shoot(out, "09_card_ok_signature_step_empty")
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "10_signature_refused")
    d.sign()
    d.shoot(out, "11_signature_signed")
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "12_handed_over_receipt_sent")
    d.scan(ref)
    d.shoot(out, "13_already_handed_over")
    _, blocked_ref, *_ = d.permit("blocked")
    d.scan(blocked_ref)
    d.shoot(out, "14_blocked")

    def chef(reason: str) -> Callable[[QDialog], None]:
        def fill(dialog: QDialog) -> None:
            assert isinstance(dialog, SupervisorDialog)
            if not dialog.username.isHidden():
                dialog.username.setText("chef")
                dialog.password.setText(DEMO_ACCOUNTS["chef"][2])
            dialog.reason.setPlainText(reason)

        return fill

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialog._on_accept()

    QTimer.singleShot(
        50,
        _grab_dialog_then(
            out,
            "14a_blocked_supervisor_dialog",
            chef("Contrôle fait avec l'usager"),
            then=confirm,
        ),
    )
    d.key(Qt.Key.Key_F4)
    d.shoot(out, "14b_blocked_authorised")
    d.window.wizard.cancel()
    d.window.activateWindow()
    d.settle()
    _, ready_ref, *_ = d.permit("notified")
    d.scan(ready_ref)
    QTimer.singleShot(
        50,
        _grab_dialog_then(
            out, "14c_block_dialog", chef("Alerte fraude transmise par le service"), then=confirm
        ),
    )
    d.key(Qt.Key.Key_F12)
    d.window.activateWindow()
    d.shoot(out, "14d_blocked_at_the_desk")
    d.scan("ZZZZ-ZZZZ-Z")
    d.shoot(out, "15_invalid_scan")
    d.scan("bonjour madame")
    d.shoot(out, "15b_unreadable_scan")
    d.scan("0000000000")
    d.shoot(out, "16_unknown")
    from handover.persistence.models import Permit as PermitRow

    with d.engine.connect() as connection:
        waiting = connection.execute(
            select(PermitRow.numero_etranger)
            .where(PermitRow.state == "expected", PermitRow.numero_etranger.is_not(None))
            .order_by(PermitRow.id)
            .limit(1)
        ).scalar_one()
    d.scan(waiting)
    d.shoot(out, "16c_not_arrived")
    _, returned_ref, *_ = d.permit("returned")
    d.scan(returned_ref)
    d.shoot(out, "16d_returned")
    from handover.persistence.models import Permit

    with d.engine.begin() as connection:
        shared = list(
            connection.execute(
                select(Permit.id).where(Permit.state == "notified").order_by(Permit.id.desc())
            ).scalars()
        )[:3]
        connection.execute(
            update(Permit).where(Permit.id.in_(shared)).values(numero_etranger="0099887766")
        )
    d.scan("0099887766")
    d.shoot(out, "16b_several_matches")
    d.key(Qt.Key.Key_Escape)

    # Database error on confirmation: the database is locked by someone else.
    pid, ref, surname, given, birth, fee = d.permit("notified", previous_card_expected=False)
    d.scan(ref)
    d.scan(passport_mrz(surname, given, birth))
    if d.window.wizard.stamp_amount.isVisible() or fee:
        d.scan(f"{random.Random(2).randrange(10**15, 10**16)}")
        d.type(f"{fee // 100},{fee % 100:02d}")
        d.key(Qt.Key.Key_Return)
    d.scan(d.card(pid))
    d.sign()
    import sqlite3

    blocker = sqlite3.connect(d.db, timeout=0.05)
    blocker.execute("BEGIN EXCLUSIVE")
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "17_database_error_on_confirm")
    blocker.rollback()
    blocker.close()
    # Printer out of paper: the handover is recorded, the receipt is not printed.
    d.printer.fail_with = PrinterOutOfPaperError()
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "18_printer_error")
    d.printer.fail_with = None

    QTimer.singleShot(50, _grab_dialog_then(out, "19_today_dialog"))
    d.key(Qt.Key.Key_F9)
    d.presenter.lock()
    d.shoot(out, "20_locked")
    d.window.lock_page.password.setText(DEMO_ACCOUNTS["agent1"][2])
    d.key(Qt.Key.Key_Return, d.window.lock_page.password)
    _wizard_scenes(d, out)
    d.close()

    c = Director(work / "closed", CLOSED_AT, template=d.db)
    c.login()
    _pid, ref, *_ = c.permit("notified")
    c.scan(ref)
    c.shoot(out, "21_counter_closed")

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialog.username.setText("chef")
        dialog.password.setText("x" * 12)
        dialog.reason.setPlainText("Personnes déjà dans la file à 11 h")

    QTimer.singleShot(50, _grab_dialog_then(out, "22_supervisor_dialog", fill))
    c.key(Qt.Key.Key_F4)
    c.close()

    from handover.scanning.camera import render_code_frame

    frames: list[object] = [
        render_code_frame(ref, "qr", (1280, 720), noise=6.0, rotation_deg=4.0, seed=seed)
        for seed in range(4)
    ]
    cam = Director(work / "camera", OPEN_AT, template=d.db, camera_frames=frames)
    cam.login()
    view = cam.window.camera_view
    assert view is not None
    loop = QEventLoop()
    view.stopped.connect(loop.quit)
    cam.key(Qt.Key.Key_F2)
    if view.is_running:
        loop.exec()  # until the fake camera has played its frames
    cam.shoot(out, "23_camera_panel_read_a_reference")
    cam.close()
    return sorted(out.glob("*.png"))


def _wizard_scenes(d: Director, out: Path) -> None:
    """The states of the handover steps that stop the agent: each one shot, then left."""
    from ui.dialogs.supervisor_dialog import SupervisorDialog

    d.window.activateWindow()
    d.window.scan_field.setFocus()
    d.settle()
    _pid, ref, *_ = d.permit("notified", previous_card_expected=True)
    d.scan(ref)
    d.scan("XQ7Z2ABCD")
    d.shoot(out, "24_identity_scan_refused")
    d.scan(passport_mrz("MARTIN", "PAUL", date(1970, 1, 1)))
    for _ in range(5):
        d.key(Qt.Key.Key_Return)
    d.shoot(out, "25_identity_mismatch_enter_refused")
    _pid2, ref2, *_ = d.permit("notified", previous_card_expected=False)
    d.scan(ref2)
    d.shoot(out, "26_switch_holder_offered")
    d.key(Qt.Key.Key_Escape)  # stay with this holder

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialog.username.setText("chef")
        dialog.password.setText(d.passwords.get("chef", "x" * 12))
        dialog.reason.setPlainText("Nom d'usage : acte de mariage vu")

    def accept(dialog: QDialog) -> None:
        assert isinstance(dialog, SupervisorDialog)
        dialog._on_accept()

    QTimer.singleShot(50, _grab_dialog_then(out, "27_identity_override_dialog", fill, accept))
    d.key(Qt.Key.Key_F4)
    d.window.activateWindow()  # as the window manager does when a dialog closes
    d.window.wizard.resume_focus()
    d.settle()
    d.shoot(out, "28_stamps_after_identity_override")
    d.scan(f"{random.Random(5).randrange(10**15, 10**16)}")
    d.type("25")
    d.key(Qt.Key.Key_Return)
    d.key(Qt.Key.Key_Return)
    d.shoot(out, "29_stamps_insufficient_supervisor_offered")
    d.key(Qt.Key.Key_Escape)
    d.shoot(out, "30_cancel_asks_once")
    d.key(Qt.Key.Key_Escape)
    _pid3, ref3, *_ = d.permit("notified", previous_card_expected=False)
    d.scan(ref3)
    d.key(Qt.Key.Key_F8)
    d.type("MAR", d.window.wizard.document_country)
    d.key(Qt.Key.Key_Return, d.window.wizard.document_country)
    d.shoot(out, "31_document_typed_by_hand")
    d.key(Qt.Key.Key_Escape)
    d.key(Qt.Key.Key_Escape)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "screenshots")
    render_all(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
