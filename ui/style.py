"""The counter's look: one style sheet and the verdict colours, high contrast for tired eyes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap

from handover.domain.values import ScanProblem, Verdict, VerdictKind
from handover.resources import get_resource_path

HEADLINE_PX = 44  # readable from a metre away; never below 28
BANNER_PX = 26
BODY_PX = 20


@dataclass(frozen=True)
class Tone:
    """How a verdict looks: background, text colour and icon; the icon and text carry it too."""

    background: str
    foreground: str
    icon: str


TONE_READY = Tone("#1b5e20", "#ffffff", "ready")  # PRÊT: green, a tick
TONE_HANDED = Tone("#0d47a1", "#ffffff", "handed")  # REMIS: blue, a card and a tick
TONE_AUTHORISED = Tone("#ffb300", "#102027", "authorised")  # lifted by a supervisor
TONE_WAITING = Tone("#eceff1", "#102027", "scan")
TONE_ALREADY = Tone("#bf360c", "#ffffff", "already")
TONE_BLOCKED = Tone("#b71c1c", "#ffffff", "blocked")
TONE_UNKNOWN = Tone("#37474f", "#ffffff", "unknown")
TONE_SEVERAL = Tone("#37474f", "#ffffff", "several")
TONE_NOT_ARRIVED = Tone("#37474f", "#ffffff", "not_arrived")
TONE_INVALID = Tone("#37474f", "#ffffff", "invalid")  # a known code with a wrong check
TONE_UNREADABLE = Tone("#37474f", "#ffffff", "unreadable")
TONE_RETURNED = Tone("#5d4037", "#ffffff", "returned")
TONE_CLOSED = Tone("#1a237e", "#ffffff", "closed")
TONE_ERROR = Tone("#880e4f", "#ffffff", "error")

VERDICT_TONES: dict[VerdictKind, Tone] = {
    VerdictKind.READY: TONE_READY,
    VerdictKind.NOT_NOTIFIED: TONE_READY,
    VerdictKind.CARD_OK: TONE_READY,
    VerdictKind.ALREADY_HANDED_OVER: TONE_ALREADY,
    VerdictKind.BLOCKED: TONE_BLOCKED,
    VerdictKind.WRONG_CARD: TONE_BLOCKED,
    VerdictKind.RETURNED: TONE_RETURNED,
    VerdictKind.NOT_ARRIVED: TONE_NOT_ARRIVED,
    VerdictKind.UNKNOWN: TONE_UNKNOWN,
    VerdictKind.SEVERAL_MATCHES: TONE_SEVERAL,
    VerdictKind.INVALID_SCAN: TONE_UNREADABLE,
    VerdictKind.COUNTER_CLOSED: TONE_CLOSED,
}

# An INVALID_SCAN says why with its own icon: unreadable, or a known code that is wrong.
SCAN_PROBLEM_TONES: dict[ScanProblem, Tone] = {
    ScanProblem.UNREADABLE: TONE_UNREADABLE,
    ScanProblem.INVALID: TONE_INVALID,
    ScanProblem.TAX_STAMP: TONE_INVALID,
    ScanProblem.NOT_A_CARD: TONE_INVALID,
}


def verdict_tone(verdict: Verdict) -> Tone:
    """The colour and icon of a verdict (its kind, and for a bad scan, why it is bad)."""
    if verdict.kind == VerdictKind.INVALID_SCAN and verdict.scan_problem is not None:
        return SCAN_PROBLEM_TONES[verdict.scan_problem]
    return VERDICT_TONES.get(verdict.kind, TONE_WAITING)


@cache
def icon_pixmap(name: str, size: int) -> QPixmap:
    """One of ``resources/icons/*.svg`` at ``size`` pixels."""
    icon = QIcon(str(get_resource_path("icons", f"{name}.svg")))
    return icon.pixmap(QSize(size, size))


STYLE_SHEET = f"""
QWidget {{
    font-family: "DejaVu Sans";
    font-size: {BODY_PX}px;
    color: #102027;
}}
QMainWindow, QDialog {{ background: #ffffff; }}
QLineEdit, QPlainTextEdit, QComboBox {{
    border: 2px solid #546e7a;
    border-radius: 4px;
    padding: 6px;
    background: #ffffff;
}}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{ border: 3px solid #0d47a1; }}
QLineEdit#scan_field {{ font-size: 28px; padding: 10px; }}
QPushButton {{
    border: 2px solid #37474f;
    border-radius: 4px;
    padding: 8px 16px;
    background: #eceff1;
}}
QPushButton:default {{ background: #0d47a1; color: #ffffff; border-color: #0d47a1; }}
QPushButton:disabled {{ color: #78909c; border-color: #b0bec5; }}
QLabel#title {{ font-size: 32px; font-weight: bold; }}
QLabel#step_title {{ font-size: 30px; font-weight: bold; }}
QLabel#hint {{ color: #37474f; }}
QLabel#problem {{
    background: #ffebee; color: #8e0000; border: 2px solid #b71c1c;
    border-radius: 4px; padding: 8px; font-weight: bold;
}}
QLabel#good {{
    background: #e8f5e9; color: #1b5e20; border: 2px solid #1b5e20;
    border-radius: 4px; padding: 8px; font-weight: bold;
}}
QCheckBox::indicator {{ width: 26px; height: 26px; }}
QLabel#total {{ font-size: 28px; font-weight: bold; }}
QListWidget, QTableWidget {{ border: 2px solid #546e7a; font-size: 22px; }}
"""


def apply_style(app: object) -> None:
    """Install the style sheet on the application (typed loosely: QApplication or a test app)."""
    from PySide6.QtWidgets import QApplication

    if isinstance(app, QApplication):
        app.setStyleSheet(STYLE_SHEET)
        app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
