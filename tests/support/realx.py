"""The real application under a real X server, driven as a desk drives it.

One :class:`RealX` is one desk: its own Xvfb display (``Xvfb -displayfd`` picks a free
number), openbox (focus as on a desk), a keyboard layout (``setxkbmap``), a data folder
with its configuration file and SQLite database seeded with known permits, and the real
application process (``python -m ui.app --seed-demo``: demonstration data opens only in
demonstration mode). It types with ``xdotool`` (a scanner is a burst), draws with real
mouse events and reads what happened from the database, never from pixels.
It stops only the processes it started.

In pytest, take the ``realx`` fixture (``tests/e2e/conftest.py``): a started desk on the
``fr`` layout, logged in as ``agent1``; for another layout, ``realx_factory(layout="us")``.
Mark such tests ``@pytest.mark.realx``. Outside pytest (benchmarks, a shell)::

    with RealX(Path("/tmp/desk"), layout="fr") as desk:
        desk.login()
        holder = desk.holders()[0]
        desk.hand_over(holder)
        print(desk.handovers())

The API (stable; extend, do not rename):

- ``RealX(folder, *, layout="fr", permits=160, seed=11, screen=(1366, 768),
  app_args=(), scanner_gap_ms=None)`` (``scanner_gap_ms``: ``[scanner] burst_max_gap_ms``,
  the application's default when None),
  ``start()``, ``stop()``, context manager; ``pid``, ``display``, ``alive()``, ``rss()``
- ``login(username="agent1")`` types the login screen and waits for ``login.success``
- ``type_scan(text, delay_ms=3)``: a scanner burst then Return;
  ``type_slowly(text, delay_ms=120, enter=True)``: a person typing;
  ``type_with_pause(parts, pause_s=0.25, delay_ms=3, enter=True)``: a burst that hiccups;
  ``type_text(text, delay_ms)`` without Return; ``key(*names)``: xdotool key names
  (``"Return"``, ``"Escape"``, ``"F9"``, ``"ctrl+l"``)
- ``draw_signature(strokes=None)``: mouse down, a few dozen moves, mouse up, on the
  signature pad (found from the window's geometry)
- ``screenshot(path)``: the whole screen (``import -window root``), as evidence only
- data: ``holders(n)`` ready permits with their reference, identity MRZ, stamps, previous
  card MRZ and drawer-card MRZ; ``hand_over(holder)`` the standard seven actions;
  ``passwords``
- outcomes: ``handovers()``, ``audit_actions()``, ``scan_verdicts()``, ``audit_report()``,
  ``wait_until(predicate, what, timeout)``, ``wait_for_handovers(n)``
- ``setxkbmap(layout, variant="")`` to change the layout while running;
  ``keyboard_layout()`` the layout the server applies; ``caps_lock_on()``
- ``press_keys(keys, delay_ms=3, pause_after=None, pause_s=0.25, enter=True)``: a scanner
  that sends key positions (X11 key code, Shift), whatever the PC's layout
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
from PIL import ImageGrab
from sqlalchemy import Engine, func, select

from handover import audit
from handover.config import load_config
from handover.persistence.db import open_database
from handover.persistence.models import (
    AuditEntry,
    Handover,
    IdentityCheck,
    Permit,
    PermitState,
    PreviousCard,
    ScanEvent,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz_build import passport_mrz, residence_card_mrz
from handover.services.demo import seed_demo

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "xdotool", "openbox", "setxkbmap")
LAYOUTS = {"fr": ("fr", ""), "us": ("us", ""), "be": ("be", ""), "ch": ("ch", "fr")}


def missing_tools() -> list[str]:
    """The X tools this machine lacks (``scripts/setup.sh --dev`` installs them)."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class RealXError(RuntimeError):
    """The desk did not reach the expected state; the message says what was awaited."""


@dataclass(frozen=True)
class Holder:
    """A notified permit and everything its holder brings to the desk, as scanner text."""

    permit_id: int
    reference: str
    surname: str
    fee_cents: int
    identity_mrz: str
    stamps: tuple[str, ...]
    previous_card_mrz: str | None
    drawer_card_mrz: str


@dataclass(frozen=True)
class HandoverRow:
    """A handover as the database holds it (the desk's own, not the seeded ones)."""

    permit_id: int
    stamps_total_cents: int
    handed_over_at: datetime
    identity_from_scan: bool
    identity_matches: bool
    stamp_numbers: tuple[str, ...]
    previous_card: str
    signature_png: bytes


def always_open_timezone(now: datetime | None = None) -> str:
    """An ``Etc/GMT±N`` zone where it is about noon now.

    The schedule opens every day 00:00-23:59 in that zone: the one closed minute is
    about twelve hours away, so a run at any hour never meets it.
    """
    hour = (now or datetime.now(UTC)).hour
    offset = 12 - hour  # local = UTC + offset
    offset = max(-12, min(14, offset))
    # POSIX sign: Etc/GMT-2 is UTC+2.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def config_text(folder: Path, timezone: str, scanner_gap_ms: int | None = None) -> str:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    weekly = "\n".join(f'{day} = ["00:00-23:59"]' for day in days)
    return f"""[site]
code = "TST"

[desk]
name = "Guichet e2e"

[database]
url = "sqlite:///{folder / "handover.sqlite3"}"

[printer]
kind = "pdf"
archive_dir = "{folder / "receipts"}"

[audit]
key_file = "{folder / "data" / "audit.key"}"
checkpoints_file = "{folder / "data" / "checkpoints.txt"}"

{f"[scanner]{chr(10)}burst_max_gap_ms = {scanner_gap_ms}{chr(10)}" if scanner_gap_ms else ""}
[schedule]
timezone = "{timezone}"
public_holidays = false

[schedule.weekly]
{weekly}
"""


class RealX:
    """One desk: X server, window manager, layout, data folder, the application process."""

    app_module = "ui.app"  # what ``python -m`` starts (a subclass may start another screen)
    demo_args: tuple[str, ...] = ("--seed-demo",)  # the counter's demonstration mode

    def __init__(
        self,
        folder: Path,
        *,
        layout: str = "fr",
        permits: int = 160,
        seed: int = 11,
        screen: tuple[int, int] = (1366, 768),
        app_args: Sequence[str] = (),
        scanner_gap_ms: int | None = None,
    ) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout {layout!r}: one of {', '.join(LAYOUTS)}")
        self.folder = folder
        self.layout = layout
        self.permits = permits
        self.seed = seed
        self.screen = screen
        self.app_args = tuple(app_args)
        self.scanner_gap_ms = scanner_gap_ms
        self.display = ""
        self.passwords: dict[str, str] = {}
        self.window_id = ""
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._wm: subprocess.Popen[bytes] | None = None
        self._app: subprocess.Popen[bytes] | None = None
        self._engine: Engine | None = None
        self._holders_used = 0
        self._seeded_handovers = 0
        self._logs: list[BinaryIO] = []

    # -- life -----------------------------------------------------------------------------

    def __enter__(self) -> RealX:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> RealX:
        atexit.register(self.stop)  # a script that dies without stop() leaves no X server
        try:
            self.prepare_data()
            self.start_x()
            self.start_app()
        except BaseException:
            self.stop()
            raise
        return self

    def prepare_data(self) -> None:
        """Configuration file, data folders and a seeded database of this desk's own."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in ("config", "data", "state", "cache", "receipts"):
            (self.folder / sub).mkdir(exist_ok=True)
        self.config_path.write_text(
            config_text(self.folder, always_open_timezone(), self.scanner_gap_ms),
            encoding="utf-8",
        )
        config = load_config(self.config_path, environ={})
        # What `handover db upgrade` does on a new desk: the database and the audit's site key.
        engine = open_database(config.database_url, create=True)
        audit.ensure_site_key(engine, config)
        self.passwords = seed_demo(engine, config, permits=self.permits, seed=self.seed)
        self._engine = engine
        with engine.connect() as connection:
            self._seeded_handovers = int(
                connection.execute(select(func.coalesce(func.max(Handover.id), 0))).scalar_one()
            )

    @property
    def config_path(self) -> Path:
        return self.folder / "config.toml"

    @property
    def database_path(self) -> Path:
        return self.folder / "handover.sqlite3"

    @property
    def log_path(self) -> Path:
        return self.folder / "app.log"

    def start_x(self) -> None:
        read_end, write_end = os.pipe()
        width, height = self.screen
        self._xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                # Without it the server resets (keymap back to US) when its last client
                # leaves: setxkbmap, run before any other client, was undone at once.
                "-noreset",
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=self._log_file("xvfb.log"),
        )
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().strip().decode()
        if not number.isdigit():
            raise RealXError(f"Xvfb did not say its display (see {self.folder / 'xvfb.log'})")
        self.display = f":{number}"
        self.setxkbmap(*LAYOUTS[self.layout])  # before openbox, which reads the keymap once
        self._start_wm()

    def _start_wm(self, attempts: int = 3) -> None:
        # Openbox sometimes exits at once with status 1 and no message on a fresh
        # Xvfb; a second start works.
        for attempt in range(attempts):
            self._wm = subprocess.Popen(
                ["openbox", "--sm-disable"],
                env=self._x_env(),
                stdout=subprocess.DEVNULL,
                stderr=self._log_file("openbox.log"),
            )
            try:
                self._wait_for_wm()
                return
            except RealXError:
                if attempt == attempts - 1:
                    raise

    def _wait_for_wm(self, timeout: float = 10.0) -> None:
        """Openbox is ready when it has set _NET_SUPPORTING_WM_CHECK on the root window."""
        if shutil.which("xprop") is None:
            time.sleep(0.5)
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(
                ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                env=self._x_env(),
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "window id" in out:
                return
            if self._wm is not None and self._wm.poll() is not None:
                raise RealXError(f"openbox stopped (status {self._wm.returncode})")
            time.sleep(0.05)
        raise RealXError("openbox did not start")

    def setxkbmap(self, layout: str, variant: str = "") -> None:
        command = ["setxkbmap", layout] + (["-variant", variant] if variant else [])
        self._x(*command[1:], tool="setxkbmap")

    def keyboard_layout(self) -> str:
        """The layout the X server applies now (``setxkbmap -query``), e.g. ``fr``."""
        for line in self._x("-query", tool="setxkbmap").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == "layout":
                return value.strip()
        return ""

    def app_env(self) -> dict[str, str]:
        env = self._x_env()
        env.update(
            HANDOVER_CONFIG=str(self.config_path),
            XDG_CONFIG_HOME=str(self.folder / "config"),
            XDG_DATA_HOME=str(self.folder / "data"),
            XDG_STATE_HOME=str(self.folder / "state"),
            XDG_CACHE_HOME=str(self.folder / "cache"),
            QT_QPA_PLATFORM="xcb",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start_app(self, timeout: float = 30.0) -> None:
        self._app = subprocess.Popen(
            # The seeded data is a demonstration: the counter opens it in demonstration
            # mode (its banner; always open), as ``make run`` does; production refuses it.
            [sys.executable, "-m", self.app_module, *self.demo_args, *self.app_args],
            cwd=REPO,
            env=self.app_env(),
            stdout=self._log_file(self.log_path.name),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            out = self._x(
                "search", "--sync", "--onlyvisible", "--pid", str(self._app.pid), timeout=timeout
            )
        except subprocess.TimeoutExpired as error:
            raise RealXError(f"no window from the application: {self.log_tail()}") from error
        self.window_id = out.split()[-1]
        self._x("windowactivate", "--sync", self.window_id)
        self._x("windowfocus", "--sync", self.window_id)

    def stop(self) -> None:
        """Stop what this desk started, the application first; idempotent."""
        atexit.unregister(self.stop)
        for name in ("_app", "_wm", "_xvfb"):
            process: subprocess.Popen[bytes] | None = getattr(self, name)
            setattr(self, name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        for log in self._logs:
            log.close()
        self._logs.clear()

    def _log_file(self, name: str) -> BinaryIO:
        log = (self.folder / name).open("ab")
        self._logs.append(log)
        return log

    @property
    def pid(self) -> int:
        if self._app is None:
            raise RealXError("the application is not running")
        return self._app.pid

    def alive(self) -> bool:
        return self._app is not None and self._app.poll() is None

    def rss(self) -> int:
        """Resident memory of the application process, in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RealXError("no VmRSS for the application")

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    # -- the X tools ----------------------------------------------------------------------

    def _x_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)
        env["DISPLAY"] = self.display
        return env

    def _x(self, *args: str, tool: str = "xdotool", timeout: float = 30.0) -> str:
        result = subprocess.run(
            [tool, *args],
            env=self._x_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RealXError(f"{tool} {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    # -- the keyboard ---------------------------------------------------------------------

    def type_text(self, text: str, delay_ms: int = 3) -> None:
        """Keys for ``text`` as the current layout types them, ``delay_ms`` apart."""
        if text:
            self._x("type", "--delay", str(delay_ms), "--", text)

    def key(self, *names: str, delay_ms: int = 12) -> None:
        self._x("key", "--delay", str(delay_ms), *names)

    def type_scan(self, text: str, delay_ms: int = 3) -> None:
        """A keyboard-wedge scanner: one burst, then Return."""
        self.type_text(text, delay_ms)
        self.key("Return")

    def type_slowly(self, text: str, delay_ms: int = 120, *, enter: bool = True) -> None:
        """A person typing."""
        self.type_text(text, delay_ms)
        if enter:
            self.key("Return")

    def type_with_pause(
        self,
        parts: Iterable[str],
        pause_s: float = 0.25,
        delay_ms: int = 3,
        *,
        enter: bool = True,
    ) -> None:
        """A burst that a hub or a busy PC pauses between ``parts``."""
        for index, part in enumerate(parts):
            if index:
                time.sleep(pause_s)
            self.type_text(part, delay_ms)
        if enter:
            self.key("Return")

    def press_keys(
        self,
        keys: Sequence[tuple[int, bool]],
        delay_ms: int = 3,
        *,
        pause_after: int | None = None,
        pause_s: float = 0.25,
        enter: bool = True,
    ) -> None:
        """A scanner that sends key positions: X11 key codes, each with Shift or not.

        A wedge scanner presses the keys where its own layout has each character; the
        PC's layout (and Caps Lock) makes the text. Unlike ``type_text`` nothing here
        depends on the PC's layout, and no key code is remapped on the fly.
        ``pause_after``: a hub's hiccup of ``pause_s`` after that many keys.
        """
        names = [f"shift+{code}" if shift else str(code) for code, shift in keys]
        cut = len(names) if pause_after is None else pause_after
        for index, part in enumerate((names[:cut], names[cut:])):
            if index and part:
                time.sleep(pause_s)
            if part:
                self._x("key", "--delay", str(delay_ms), *part)
        if enter:
            self.key("Return")

    def caps_lock_on(self) -> bool:
        """Whether the X server's Caps Lock indicator is lit (``key("Caps_Lock")`` toggles)."""
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XkbGetIndicatorState.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_uint),
        ]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        display = x11.XOpenDisplay(self.display.encode())
        if not display:
            raise RealXError(f"cannot open display {self.display}")
        state = ctypes.c_uint(0)
        try:
            x11.XkbGetIndicatorState(display, 0x100, ctypes.byref(state))  # core keyboard
        finally:
            x11.XCloseDisplay(display)
        return bool(state.value & 1)  # indicator 1 is Caps Lock

    # -- the mouse ------------------------------------------------------------------------

    def window_geometry(self) -> tuple[int, int, int, int]:
        """x, y, width, height of the application window on the screen."""
        values: dict[str, int] = {}
        out = self._x("getwindowgeometry", "--shell", self.window_id)
        for line in out.splitlines():
            name, _, value = line.partition("=")
            if value.lstrip("-").isdigit():
                values[name] = int(value)
        return values["X"], values["Y"], values["WIDTH"], values["HEIGHT"]

    def grab(self) -> np.ndarray:
        """The screen's pixels (height × width × RGB), for locating widgets only."""
        image = ImageGrab.grab(xdisplay=self.display)
        return np.asarray(image.convert("RGB"))

    def wait_for_still_screen(self, timeout: float = 20.0, changed_pixels: int = 400) -> None:
        """Wait until two grabs 100 ms apart differ by less than ``changed_pixels``.

        Keys and mouse events reach the application in order; once it has handled every
        one it has repainted and stops changing (a blinking cursor or the clock changes
        a few pixels only).
        """
        deadline = time.monotonic() + timeout
        previous = self.grab()
        while True:
            time.sleep(0.1)
            current = self.grab()
            if int((previous != current).any(axis=2).sum()) < changed_pixels:
                return
            if time.monotonic() > deadline:
                raise RealXError("the screen never settled")
            previous = current

    def signature_pad(self) -> tuple[int, int, int, int] | None:
        """Screen rectangle (x, y, width, height) of the signature pad, if on screen.

        The pad is the one tall white area of the signature step: the largest block of
        rows that are mostly white, at least 150 px high and 400 px wide.
        """
        white = (self.grab() >= 250).all(axis=2)
        width = white.shape[1]
        rows = white.sum(axis=1) > width * 0.55
        best: tuple[int, int] | None = None
        run_start = None
        for y, is_white in enumerate([*rows.tolist(), False]):
            if is_white and run_start is None:
                run_start = y
            elif not is_white and run_start is not None:
                if best is None or y - run_start > best[1] - best[0]:
                    best = (run_start, y)
                run_start = None
        if best is None or best[1] - best[0] < 150:
            return None
        top, bottom = best
        columns = np.flatnonzero(white[top:bottom].mean(axis=0) > 0.9)
        if columns.size < 400:
            return None
        return int(columns[0]), top, int(columns[-1] - columns[0]), bottom - top

    def wait_for_signature_pad(self, timeout: float = 20.0) -> tuple[int, int, int, int]:
        """The pad's rectangle once it is on screen and has not moved for one grab."""
        deadline = time.monotonic() + timeout
        previous = None
        while True:
            pad = self.signature_pad()
            if pad is not None and pad == previous:
                return pad
            previous = pad
            if not self.alive():
                raise RealXError(f"the application died:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                shot = self.screenshot(self.folder / f"no-pad-{int(time.time() * 1000)}.png")
                raise RealXError(f"no signature pad on screen (see {shot})")
            time.sleep(0.05)

    def draw_signature(
        self, strokes: Sequence[Sequence[tuple[float, float]]] | None = None, step_ms: int = 2
    ) -> None:
        """Real mouse strokes on the pad once it is on screen.

        ``strokes``: lists of points as fractions (0..1) of the pad's inner area.
        """
        pad = self.wait_for_signature_pad()
        x, y, w, h = pad
        left, top, width, height = x + w // 5, y + h // 5, w * 3 // 5, h * 3 // 5
        if strokes is None:
            wave = [(i / 29, 0.5 + (0.4 if i % 2 else -0.4)) for i in range(30)]
            loop = [(0.1 + 0.03 * i, 0.9 - 0.8 * abs((i % 10) - 5) / 5) for i in range(20)]
            strokes = (wave, loop)
        for stroke in strokes:
            points = [(left + int(px * width), top + int(py * height)) for px, py in stroke]
            args = ["mousemove", "--sync", str(points[0][0]), str(points[0][1]), "mousedown", "1"]
            for px, py in points[1:]:
                args += ["sleep", f"{step_ms / 1000:.3f}", "mousemove", str(px), str(py)]
            args += ["mouseup", "1"]
            self._x(*args)

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG, for a person to look at (never an assertion)."""
        self._x("-window", "root", str(path), tool="import")
        return path

    # -- the desk's flow ------------------------------------------------------------------

    def login(self, username: str = "agent1", password: str | None = None) -> None:
        """Type the login screen; wait until the database has the login."""
        before = self._count_actions("login.success")
        # A person's pace (xdotool keeps about half the delay between presses), well over
        # the desk's burst gap: the login page refuses a burst as a scan.
        delay = max(150, 3 * (self.scanner_gap_ms or 50))
        self.type_slowly(username, delay_ms=delay, enter=True)
        self.type_slowly(password or self.passwords[username], delay_ms=delay, enter=True)
        self.wait_until(
            lambda: self._count_actions("login.success") > before, f"login of {username}"
        )

    def hand_over(
        self,
        holder: Holder,
        *,
        delay_ms: int = 3,
        pause_s: float = 0.15,
        wait: bool = True,
        timeout: float = 20.0,
    ) -> None:
        """The standard actions: reference, identity, stamp(s) with their amount typed
        and Enter, the previous card, the card from the drawer (checked before the holder
        signs), the signature, and Enter.

        ``pause_s`` separates the agent's actions (no agent scans two documents within
        a burst's gap). With ``wait``, returns once the handover row is in the database.
        """
        self.type_scan(holder.reference, delay_ms)
        time.sleep(pause_s)
        self.type_scan(holder.identity_mrz, delay_ms)
        self.finish_from_stamps(holder, delay_ms=delay_ms, pause_s=pause_s)
        if wait:
            self.wait_until(
                lambda: holder.permit_id in {row.permit_id for row in self.handovers()},
                f"the handover of permit {holder.permit_id}",
                timeout,
            )

    def finish_from_stamps(
        self, holder: Holder, *, delay_ms: int = 3, pause_s: float = 0.15
    ) -> None:
        """From the stamps step to the record: stamps and amounts, previous card, drawer
        card, signature, Enter."""
        for stamp in holder.stamps:
            time.sleep(pause_s)
            self.type_scan(stamp, delay_ms)
            time.sleep(pause_s)
            # The amount printed on the stamp (one stamp covers the fee), typed by a person
            # (a burst would be a scan), then Enter.
            cents = holder.fee_cents // len(holder.stamps)
            self.type_slowly(f"{cents // 100},{cents % 100:02d}", delay_ms=90)
        if holder.previous_card_mrz is not None:
            time.sleep(pause_s)
            self.type_scan(holder.previous_card_mrz, delay_ms)
        time.sleep(pause_s)
        self.type_scan(holder.drawer_card_mrz, delay_ms)
        self.draw_signature()
        time.sleep(pause_s)
        self.key("Return")

    # -- data -----------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            config = load_config(self.config_path, environ={})
            self._engine = open_database(config.database_url, migrate=False)
        return self._engine

    def holders(self, count: int | None = None) -> list[Holder]:
        """Notified permits not handed yet, with fee and previous card, never twice."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    Permit.id,
                    Permit.handover_reference,
                    Permit.surname,
                    Permit.given_names,
                    Permit.birth_date,
                    Permit.card_number,
                    Permit.fee_cents,
                    Permit.previous_card_expected,
                )
                .where(
                    Permit.state == PermitState.NOTIFIED,
                    Permit.handover_reference.is_not(None),
                    Permit.storage_slot.is_not(None),
                )
                .order_by(Permit.id)
            ).all()
        chosen = rows[self._holders_used : None if count is None else self._holders_used + count]
        self._holders_used += len(chosen)
        out = []
        for pid, reference, surname, full_given, birth, card, fee, previous in chosen:
            # The MRZ builders write names as ICAO 9303 transliterates them (Ł → L).
            mrz_surname, given = surname, full_given
            out.append(
                Holder(
                    permit_id=pid,
                    reference=reference or "",
                    surname=surname,
                    fee_cents=fee,
                    identity_mrz=passport_mrz(mrz_surname, given, birth, number=f"19FR{pid:05d}"),
                    # Not from the demo's random stamps: a stamp is consumed once.
                    stamps=(f"77{self.seed % 100:02d}{pid:012d}",) if fee > 0 else (),
                    previous_card_mrz=residence_card_mrz(f"9{pid:08d}", mrz_surname, given, birth)
                    if previous
                    else None,
                    drawer_card_mrz=residence_card_mrz(card, mrz_surname, given, birth),
                )
            )
        return out

    def handovers(self) -> list[HandoverRow]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(
                    Handover.id,
                    Handover.permit_id,
                    Handover.stamps_total_cents,
                    Handover.handed_over_at,
                    IdentityCheck.from_scan,
                    IdentityCheck.name_matches,
                    IdentityCheck.birth_date_matches,
                    PreviousCard.outcome,
                    Signature.png,
                )
                .join(IdentityCheck, IdentityCheck.handover_id == Handover.id)
                .join(Signature, Signature.handover_id == Handover.id)
                .outerjoin(PreviousCard, PreviousCard.handover_id == Handover.id)
                .where(Handover.id > self._seeded_handovers)
                .order_by(Handover.id)
            ).all()
            stamps: dict[int, list[str]] = {}
            for handover_id, number in connection.execute(
                select(TaxStamp.handover_id, TaxStamp.stamp_number)
                .where(TaxStamp.handover_id > self._seeded_handovers)
                .order_by(TaxStamp.id)
            ):
                stamps.setdefault(handover_id, []).append(number)
        return [
            HandoverRow(
                permit_id=permit_id,
                stamps_total_cents=total,
                handed_over_at=at,
                identity_from_scan=bool(from_scan),
                identity_matches=bool(name_ok) and bool(birth_ok),
                stamp_numbers=tuple(stamps.get(handover_id, ())),
                previous_card=previous.value if previous is not None else "",
                signature_png=png or b"",
            )
            for handover_id, permit_id, total, at, from_scan, name_ok, birth_ok, previous, png in (
                rows
            )
        ]

    def audit_actions(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars()
            )

    def _count_actions(self, action: str) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
                ).scalar_one()
            )

    def scan_verdicts(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(
                connection.execute(select(ScanEvent.verdict).order_by(ScanEvent.id)).scalars()
            )

    def audit_report(self) -> audit.ChainReport:
        with UnitOfWork(self.engine, read_only=True) as uow:
            return audit.verify(uow.session)

    def wait_until(self, predicate: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
        """Poll ``predicate`` (a database read) until true; fail saying what was awaited."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return
            if not self.alive():
                raise RealXError(f"the application died waiting for {what}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                shot = self.folder / f"timeout-{int(time.time() * 1000)}.png"
                with contextlib.suppress(RealXError, OSError, subprocess.SubprocessError):
                    self.screenshot(shot)
                raise RealXError(
                    f"timed out waiting for {what} (screen: {shot}):\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def wait_for_handovers(self, count: int, timeout: float = 20.0) -> list[HandoverRow]:
        self.wait_until(lambda: len(self.handovers()) >= count, f"{count} handovers", timeout)
        return self.handovers()
