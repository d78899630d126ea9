"""The system printer (Windows spooler, CUPS) through Qt, without any dialog.

Qt cannot draw a PDF by itself (QtPdf is not in PySide6-Essentials) and ``lp`` exists only
where CUPS does, not on the prefecture's Windows desks. So each page is rasterised with
pdfium at the printer's resolution and painted on a ``QPrinter``: one path, every system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from handover.receipts.errors import NoPrinterError, PrinterError
from handover.receipts.printers import SENT_MESSAGE, PrintOutcome, page_images

Paper = Literal["A4", "A5", "roll80"]

#: Enough for a Code128 with 0.3 mm modules; more only costs memory and spooler time.
DEFAULT_DPI = 300
_ROLL_WIDTH_MM = 80.0


class QtSystemPrinter:
    """Prints on a named system printer (or the default one) at a fixed paper size."""

    def __init__(
        self,
        printer_name: str | None = None,
        paper: Paper = "A4",
        *,
        dpi: int = DEFAULT_DPI,
        output_file: Path | None = None,
    ) -> None:
        """``output_file`` sends the job to a PDF file through Qt's own pipeline (tests, demos)."""
        self.printer_name = printer_name
        self.paper = paper
        self.dpi = dpi
        self.output_file = output_file

    @staticmethod
    def available_printers() -> list[str]:
        """Names of the printers this machine knows, for the settings screen."""
        return list(QPrinterInfo.availablePrinterNames())

    def _make_printer(self) -> QPrinter:
        if self.output_file is not None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.output_file))
            return printer
        if self.printer_name:
            info = QPrinterInfo.printerInfo(self.printer_name)
        else:
            info = QPrinterInfo.defaultPrinter()
        if info.isNull():
            raise NoPrinterError(self.printer_name)
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    def _page_size(self, image: Any) -> QPageSize:
        if self.paper == "A4":
            return QPageSize(QPageSize.PageSizeId.A4)
        if self.paper == "A5":
            return QPageSize(QPageSize.PageSizeId.A5)
        # A roll is as long as the page it prints: width fixed, height from the picture.
        height_mm = _ROLL_WIDTH_MM * image.height / image.width
        return QPageSize(
            QSizeF(_ROLL_WIDTH_MM, height_mm), QPageSize.Unit.Millimeter, "Rouleau 80 mm"
        )

    def _set_page(self, printer: QPrinter, image: Any) -> None:
        layout = QPageLayout(
            self._page_size(image),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
        # The PDF carries its own margins; a printer's hardware margins only clip.
        printer.setFullPage(True)
        if not printer.setPageLayout(layout):
            raise PrinterError(
                "L'imprimante n'accepte pas ce format de papier. Vérifiez le réglage « papier » "
                "du guichet (A4, A5 ou rouleau 80 mm) ; le récépissé pourra être réimprimé."
            )

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome:
        printer = self._make_printer()  # first: a missing printer is the likelier fault
        images = page_images(pdf, dpi=self.dpi)
        if not images:
            raise PrinterError("Le document à imprimer est vide : réimprimez le récépissé.")
        printer.setDocName(job_name)
        printer.setResolution(self.dpi)
        self._set_page(printer, images[0])
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(
                "L'imprimante a refusé le travail d'impression : vérifiez qu'elle est allumée et "
                "connectée, puis réimprimez le récépissé."
            )
        try:
            for index, image in enumerate(images):
                if index:
                    self._set_page(printer, image)
                    if not printer.newPage():
                        raise PrinterError(
                            "L'impression s'est interrompue entre deux pages : vérifiez "
                            "l'imprimante puis réimprimez le récépissé."
                        )
                self._paint(painter, printer, image)
        finally:
            finished = painter.end()
        if not finished:
            raise PrinterError(
                "Le travail n'a pas pu être transmis à l'imprimante : vérifiez-la puis "
                "réimprimez le récépissé."
            )
        if self.output_file is not None:
            return PrintOutcome(
                sent=True,
                message=f"Récépissé enregistré dans « {self.output_file} ».",
                document=self.output_file,
            )
        return PrintOutcome(sent=True, message=SENT_MESSAGE)

    @staticmethod
    def _paint(painter: QPainter, printer: QPrinter, image: Any) -> None:
        data = image.tobytes()
        picture = QImage(
            data, image.width, image.height, image.width, QImage.Format.Format_Grayscale8
        )
        paper = printer.pageLayout().fullRectPixels(printer.resolution())
        # Fit the page picture inside the paper without distorting it (an A4 PDF on A5 paper).
        scale = min(paper.width() / picture.width(), paper.height() / picture.height())
        width, height = picture.width() * scale, picture.height() * scale
        target = QRectF((paper.width() - width) / 2, 0, width, height)
        painter.drawImage(target, picture)
