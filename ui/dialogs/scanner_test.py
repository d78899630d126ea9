"""The scanner test screen: what a scan delivered, key by key, and how it is read.

For IT staff setting a scanner up: ``python -m ui.dialogs.scanner_test`` (no database, no
login). Each scan shows the text exactly as the PC delivered it (control characters
named), the keys with their scan codes and gaps, scanned or typed, the reading the
counter would use and what it is.
"""

from __future__ import annotations

import itertools
import sys

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from handover.scanning.input import CONTROLS, ScanInput, WedgeSettings
from handover.scanning.payloads import parse_scan
from ui.i18n import install_french
from ui.widgets.scan_field import ScanField

_NAMES = {"\x1c": "<FS>", "\x1d": "<GS>", "\x1e": "<RS>", "\x1f": "<US>", "\t": "<TAB>"}


def visible(text: str) -> str:
    """The text with control characters and spaces made visible."""
    return "".join(_NAMES.get(c, "·" if c == " " else c) for c in text)


def describe_scan(field: ScanField, scan: ScanInput) -> str:
    """The report of one scan, in French, for the test screen (and its test)."""
    keys = field.last_keys
    gaps = [round(b.at_ms - a.at_ms) for a, b in itertools.pairwise(keys)]
    result = parse_scan(scan.text)
    lines = [
        f"Reçu : « {visible(scan.delivered or field.last_text)} »"
        f" ({len(scan.delivered or field.last_text)} caractères)",
        "Codes : " + " ".join(f"U+{ord(c):04X}" for c in (scan.delivered or field.last_text)),
        f"Touches : {len(keys)}, écarts {min(gaps, default=0)}–{max(gaps, default=0)} ms → "
        + ("scan (rafale)" if scan.source == "burst" else "saisie au clavier"),
        "Codes de touche : " + " ".join(f"{k.code:02X}{'⇧' if k.shift else ''}" for k in keys),
        f"Lu : « {visible(scan.text)} » — {result.kind.label}"
        + (" (valide)" if result.valid else " (invalide : " + "; ".join(result.errors) + ")"),
    ]
    if scan.repair or result.repaired:
        lines.append(f"Correction : {scan.repair or result.repaired}")
    if any(c in CONTROLS for c in scan.text):
        lines.append("Séparateurs GS/RS/US reçus.")
    return "\n".join(lines)


class ScannerTestDialog(QDialog):
    """A scan field and, under it, the report of each scan."""

    def __init__(self, settings: WedgeSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Guichet — test du lecteur"))
        self.resize(900, 560)
        hint = QLabel(
            self.tr(
                "Scannez un code : l'écran montre exactement ce que le lecteur a envoyé au PC "
                "et comment le guichet le lit. Échap pour fermer."
            )
        )
        hint.setWordWrap(True)
        self.field = ScanField(settings)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addWidget(self.field)
        column.addWidget(self.report, 1)
        self.field.scan_submitted.connect(self._on_scan)
        self.field.scan_incomplete.connect(self.report.appendPlainText)

    def _on_scan(self, scan: ScanInput) -> None:
        self.report.appendPlainText(describe_scan(self.field, scan) + "\n")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_french(app)
    dialog = ScannerTestDialog()
    dialog.show()
    return int(app.exec()) if isinstance(app, QApplication) else 0


if __name__ == "__main__":
    raise SystemExit(main())
