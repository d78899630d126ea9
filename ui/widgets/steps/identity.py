"""Step 1: the holder's identity document, scanned (or typed after F3, checked by eye)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from handover.domain.values import (
    IDENTITY_DOCUMENT_LABELS,
    IdentityDocument,
    IdentityDocumentKind,
    IdentityMatch,
    OverrideGrant,
)
from ui.widgets.steps.fields import TONE_STYLES, EnterLineEdit, StepField


class IdentityStep(QWidget):
    """The scan field, the big verdict on the document read, the typed-document form."""

    def __init__(
        self, documents: Sequence[IdentityDocumentKind], clock: Callable[[], float] | None
    ) -> None:
        super().__init__()
        self.tone = ""
        self.field = StepField(clock=clock)
        self.field.setObjectName("identity_field")
        self.field.setPlaceholderText(
            self.tr("Scannez la bande MRZ ou le 2D-Doc de la pièce d'identité")
        )
        self.verdict = QLabel()
        self.verdict.setObjectName("identity_verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.hide()
        hint = QLabel(
            self.tr(
                "Pièce sans bande MRZ : saisie à la main (F3), vérifiée visuellement par "
                "vous. Parent ou représentant : chef d'accueil (F7)."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.manual_box = QWidget()
        self.kind = QComboBox()
        for kind in documents:
            self.kind.addItem(IDENTITY_DOCUMENT_LABELS[kind], kind)
        self.country = EnterLineEdit()
        self.country.setObjectName("document_country")
        self.country.setMaxLength(3)
        self.number = EnterLineEdit()
        self.number.setObjectName("document_number")
        form = QFormLayout(self.manual_box)
        form.addRow(self.tr("Type de pièce"), self.kind)
        form.addRow(self.tr("Pays de délivrance (3 lettres)"), self.country)
        form.addRow(self.tr("Numéro"), self.number)
        self.manual_box.hide()
        column = QVBoxLayout(self)
        column.addWidget(self.field)
        column.addWidget(self.verdict)
        column.addWidget(hint)
        column.addWidget(self.manual_box)
        column.addStretch(1)
        self.country.returnPressed.connect(self.number.setFocus)

    def reset(self) -> None:
        self.field.clear()
        self.number.clear()
        self.country.clear()
        self.kind.setCurrentIndex(0)
        self.manual_box.hide()
        self.show_match(None)

    @property
    def typing(self) -> bool:
        """The agent chose to type a document without MRZ (F3)."""
        return self.manual_box.isVisible()

    def toggle_typing(self) -> None:
        self.manual_box.setVisible(not self.manual_box.isVisible())

    def focus_target(self) -> QWidget:
        if not self.typing:
            return self.field
        return self.country if not self.country.text() else self.number

    def typed_document(self) -> IdentityDocument | str:
        """The typed document, or what is missing (French)."""
        kind = IdentityDocumentKind(self.kind.currentData())
        country = self.country.text().strip().upper()
        number = self.number.text().strip().upper()
        if len(country) != 3 or not country.isalpha():
            self.country.setFocus()
            return self.tr("Tapez le pays de délivrance en 3 lettres (par exemple DZA, MAR).")
        if len(number) < 4:
            self.number.setFocus()
            return self.tr("Tapez le numéro de la pièce (4 caractères au moins).")
        return IdentityDocument(kind, country, number)

    def show_match(self, match: IdentityMatch | None, grant: OverrideGrant | None = None) -> None:
        """The verdict on the document read: green, red, or orange when a supervisor allowed
        it (``grant``); never small black text."""
        if match is None:
            self.tone = ""
            self.verdict.hide()
            return
        name = f"{match.surname} {match.given_names}".strip()
        born = f"{match.birth_date:%d/%m/%Y}" if match.birth_date else "?"
        if match.matches:
            tone = "good"
            lines = [self.tr("✓ PIÈCE CONFORME — nom, prénom et date de naissance concordent")]
        else:
            differs = ", ".join(match.differences) or self.tr("identité")
            tone = "warning" if grant is not None else "alarm"
            lines = [self.tr("✗ PIÈCE NON CONFORME — diffère : {0}").format(differs.upper())]
            if grant is not None:
                lines.append(
                    self.tr("Autorisé par {0} — motif : {1}").format(
                        grant.supervisor_pseudonym, grant.reason
                    )
                )
            else:
                lines.append(
                    self.tr(
                        "Ne remettez pas le titre. Scannez une autre pièce du titulaire, ou "
                        "chef d'accueil (F4)."
                    )
                )
        lines.append(self.tr("Pièce lue : {0}, né(e) le {1}").format(name, born))
        self.tone = tone
        self.verdict.setStyleSheet(TONE_STYLES[tone])
        self.verdict.setText("\n".join(lines))
        self.verdict.show()
