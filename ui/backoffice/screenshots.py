"""Render each back-office tab to PNG offscreen: ``python -m ui.backoffice.screenshots OUT``.

``python -m ui.backoffice.screenshots OUT 1280x800`` renders them as a maximised window on
that screen less a 40 px taskbar; ``QT_SCALE_FACTOR=1.25`` for 125 % scaling.

A demo database in a temporary folder gets a month of handovers at three desks (through the
real counter service, at fixed instants), scan verdicts and two overrides; the import tab
shows a refused delivery file.
"""

from __future__ import annotations

import dataclasses
import os
import random
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, SignalInstance
from PySide6.QtWidgets import QApplication

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 27, 11, 15, tzinfo=PARIS)  # a Friday, after closing

BAD_ROWS = (
    "Martin;Léa;31/02/1990;FRA;;;IR900000001;Carte de résident;2026-01-01;2036-01-01;A-01;;;non",
    "Okafor;Chidi;12/05/1988;Nigeria;;;IR900000002;Carte de séjour;2026-01-01;2027-01-01;A-02;"
    "06 11 22 33 44;;oui",
    "Silva;Ana;03/03/1979;BRA;;;IR900000003;Carte de séjour;2027-01-01;2026-01-01;;;;non",
)


def _wait(signal: SignalInstance, start: object) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    start()  # type: ignore[operator]
    loop.exec()


def _seed(folder: Path) -> tuple[object, object, object]:
    from sqlalchemy import select

    from handover.config import Config, DatabaseConfig, PrinterConfig
    from handover.domain.clock import FakeClock
    from handover.domain.opening_window import OpeningWindow
    from handover.persistence.db import open_database
    from handover.persistence.models import Agent, Desk, Override, Permit, PermitState, ScanEvent
    from handover.persistence.uow import UnitOfWork
    from handover.services.counter import CounterService
    from handover.services.demo import (
        DEMO_HOLDER_COLUMNS,
        DemoHolder,
        demo_request,
        demo_signature_png,
        seed_demo,
    )

    config = dataclasses.replace(
        Config(),
        database=DatabaseConfig(url=f"sqlite:///{folder / 'backoffice.sqlite3'}"),
        printer=PrinterConfig(kind="pdf", archive_dir=str(folder / "receipts")),
    )
    engine = open_database(config.database_url, create=True)
    passwords = seed_demo(engine, config, permits=400, seed=11, handed_over=0)
    rng = random.Random(4)
    window = OpeningWindow(config.schedule)
    desks = {
        name: CounterService(
            engine,
            dataclasses.replace(config, desk=dataclasses.replace(config.desk, name=name)),
            clock=FakeClock(NOW),
        )
        for name in ("Guichet 1", "Guichet 2", "Guichet 3")
    }
    with UnitOfWork(engine, read_only=True) as uow:
        notified = list(
            uow.session.execute(
                select(*DEMO_HOLDER_COLUMNS)
                .where(Permit.state == PermitState.NOTIFIED)
                .order_by(Permit.id)
            ).all()
        )
    stamp = 7000000000000000
    day = NOW.date() - timedelta(days=29)
    while day <= NOW.date():
        if window.periods_on(day):
            for k in range(rng.randint(2, 9)):
                if not notified:
                    break
                holder = DemoHolder(*notified.pop())
                desk = desks[rng.choice(("Guichet 1", "Guichet 1", "Guichet 2", "Guichet 3"))]
                at = datetime.combine(day, time(9, 2), PARIS) + timedelta(minutes=6 * k)
                assert isinstance(desk.clock, FakeClock)
                desk.clock.set(at)
                agent = desk.login("agent1", passwords["agent1"])
                stamp += 1
                desk.hand_over(
                    demo_request(
                        holder,
                        stamp=f"{stamp:016d}",
                        signature_png=demo_signature_png(k),
                        scan_started_at=at - timedelta(seconds=rng.randint(35, 160)),
                    ),
                    agent,
                )
        day += timedelta(days=1)
    with UnitOfWork(engine) as uow:
        s = uow.session
        desk_id = s.execute(select(Desk.id).where(Desk.name == "Guichet 1")).scalar_one()
        chef = s.execute(select(Agent.id).where(Agent.username == "chef")).scalar_one()
        base = datetime.combine(NOW.date() - timedelta(days=3), time(9), PARIS).astimezone(UTC)
        weights = (
            ("ready", 60),
            ("not_arrived", 9),
            ("unknown", 6),
            ("already_handed_over", 3),
            ("counter_closed", 4),
            ("invalid_scan", 5),
        )
        for verdict, n in weights:
            for i in range(n):
                s.add(ScanEvent(at=base + timedelta(minutes=i), desk_id=desk_id, verdict=verdict))
        for kind in ("window", "window", "blocked"):
            s.add(
                Override(
                    kind=kind,
                    supervisor_id=chef,
                    desk_id=desk_id,
                    reason="file d'attente à 11 h",
                    created_at=base,
                    expires_at=base + timedelta(minutes=30),
                )
            )
        uow.commit()
    return engine, config, FakeClock(NOW)


TASKBAR_PX = 40


def render(outdir: Path, screen: tuple[int, int] | None = None) -> list[Path]:
    """Write ``backoffice-*.png`` into ``outdir``; returns the files.

    ``screen``: a desk's screen in physical pixels (1280×800, 1366×768); the window fills
    it less a taskbar, at the scaling ``QT_SCALE_FACTOR`` sets (1.25 for 125 %), and the
    files are named ``backoffice-NAME-1280x800-125.png``.
    """
    from handover.resources import get_resource_path
    from handover.services.counter import CounterService
    from handover.services.demo import DEMO_ACCOUNTS
    from ui.backoffice.window import BackofficeWindow
    from ui.i18n import install_french
    from ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_french(app)
    apply_style(app)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        engine, config, clock = _seed(folder)
        # The demo's stored supervisor, logged in: the use cases check the stored account.
        chef = CounterService(engine, config, clock=clock).login("chef", DEMO_ACCOUNTS["chef"][2])
        window = BackofficeWindow(engine, config, chef, clock=clock)  # type: ignore[arg-type]
        suffix = ""
        if screen is None:
            window.resize(1280, 1000)
        else:
            ratio = app.devicePixelRatio()  # type: ignore[attr-defined]
            width, height = screen
            window.resize(round(width / ratio), round((height - TASKBAR_PX) / ratio))
            suffix = f"-{width}x{height}-{round(ratio * 100)}"
        window.show()

        def shoot(name: str) -> None:
            app.processEvents()
            path = outdir / f"backoffice-{name}{suffix}.png"
            window.grab().save(str(path))
            written.append(path)

        window.show_page(window.stats_page)
        _wait(window.stats_page.stats_ready, window.stats_page.refresh)
        shoot("statistiques")

        sample = get_resource_path("samples", "livraison-exemple.csv").read_text("utf-8-sig")
        header = sample.splitlines()[0]
        bad = folder / "livraison-erreurs.csv"
        bad.write_text(header + "\n" + "\n".join(BAD_ROWS) + "\n", encoding="utf-8")
        good = folder / "livraison-exemple.csv"
        good.write_text(sample, encoding="utf-8")
        page = window.import_page
        window.show_page(page)
        page.set_path(bad)
        _wait(page.import_finished, page.run_import)
        shoot("import-refuse")
        page.set_path(good)
        _wait(page.import_finished, page.run_import)
        shoot("import-ok")

        window.show_page(window.unclaimed_page)
        window.unclaimed_page.refresh()
        shoot("non-reclames")
        window.close()
        engine.dispose()  # type: ignore[attr-defined]
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    screen = None
    if len(args) == 2 and len(args[1].split("x")) == 2 and args[1].replace("x", "").isdigit():
        width, height = args[1].split("x")
        screen = (int(width), int(height))
    elif len(args) != 1:
        print(
            "usage : python -m ui.backoffice.screenshots DOSSIER [LARGEURxHAUTEUR de l'écran]",
            file=sys.stderr,
        )
        return 2
    for path in render(Path(args[0]), screen):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
