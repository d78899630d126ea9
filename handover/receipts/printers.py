"""Printer back ends behind one small interface: a PDF goes in, an outcome comes out.

"Sent" is all a printer can promise: a thermal printer out of paper still accepts the job.
The counter therefore says « envoyé à l'imprimante » and offers a reprint, never « imprimé ».
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from handover.domain.clock import Clock, SystemClock
from handover.errors import ConfigError
from handover.receipts import format as fmt
from handover.receipts.data import ReceiptData
from handover.receipts.errors import (
    NoPrinterError,
    PrinterError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
)
from handover.receipts.files import write_atomically

__all__ = [
    "EscPosPrinter",
    "FakePrinter",
    "NoPrinterError",
    "PdfArchivePrinter",
    "PrintOutcome",
    "Printer",
    "PrinterError",
    "PrinterOfflineError",
    "PrinterOutOfPaperError",
    "make_printer",
    "render_escpos_lines",
    "try_print",
]

SENT_MESSAGE = (
    "Récépissé envoyé à l'imprimante. Vérifiez qu'il est bien sorti ; sinon, réimprimez-le."
)


@dataclass(frozen=True)
class PrintOutcome:
    """What became of a print job, said in French for the agent."""

    sent: bool
    message: str
    document: Path | None = None  # the file written, for back ends that write one


class Printer(Protocol):
    """Takes a finished PDF; raises :class:`PrinterError` when the job could not be sent."""

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome: ...


def try_print(printer: Printer, pdf: bytes, *, job_name: str) -> PrintOutcome:
    """Like ``printer.print_pdf`` but a failure comes back as ``sent=False`` with its message."""
    try:
        return printer.print_pdf(pdf, job_name=job_name)
    except PrinterError as exc:
        return PrintOutcome(sent=False, message=exc.message)


# --- PDF archive -----------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class PdfArchivePrinter:
    """Writes every job as a PDF file in ``folder`` (the "printer" of a desk without one)."""

    def __init__(self, folder: Path | str, *, clock: Clock | None = None) -> None:
        self.folder = Path(folder)
        self._clock = clock or SystemClock()

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome:
        stamp = self._clock.now().strftime("%Y%m%dT%H%M%S%fZ")
        stem = f"{_UNSAFE.sub('_', job_name).strip('_') or 'document'}_{stamp}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self._free_name(stem)
            write_atomically(target, pdf)
        except OSError as exc:
            raise PrinterError(
                f"Le récépissé n'a pas pu être enregistré dans le dossier « {self.folder} » "
                f"({exc.strerror or exc}). Vérifiez que le dossier existe, qu'il est accessible "
                "en écriture et que le disque n'est pas plein."
            ) from exc
        return PrintOutcome(
            sent=True, message=f"Récépissé enregistré dans « {target} ».", document=target
        )

    def _free_name(self, stem: str) -> Path:
        target = self.folder / f"{stem}.pdf"
        counter = 2
        while target.exists():
            target = self.folder / f"{stem}-{counter}.pdf"
            counter += 1
        return target


# --- Fake --------------------------------------------------------------------------------------


@dataclass
class PrintJob:
    job_name: str
    pdf: bytes


@dataclass
class FakePrinter:
    """Records jobs; ``fail_with`` makes every job fail with that error until cleared."""

    jobs: list[PrintJob] = field(default_factory=list)
    fail_with: PrinterError | None = None

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome:
        if self.fail_with is not None:
            raise self.fail_with
        self.jobs.append(PrintJob(job_name, pdf))
        return PrintOutcome(sent=True, message=SENT_MESSAGE)


# --- ESC/POS thermal printers ----------------------------------------------------------------

#: 72 mm printable at 203 dpi is 576 dots: 48 columns of font A (12 dots).
ESCPOS_COLUMNS = 48
ESCPOS_DOTS = 576
#: CP858 is CP850 with € (0xD5): it has every French letter, and most ESC/POS printers know it.
ESCPOS_CODEPAGE = "CP858"
_LABEL_WIDTH = 16


def _kv(label: str, value: str, width: int) -> list[str]:
    head = f"{label} :".ljust(_LABEL_WIDTH)
    lines = textwrap.wrap(value, width - _LABEL_WIDTH) or [""]
    return [head + lines[0]] + [" " * _LABEL_WIDTH + line for line in lines[1:]]


def _two_sides(left: str, right: str, width: int) -> str:
    return left + right.rjust(width - len(left))


def _centred(text: str, width: int) -> list[str]:
    return [line.center(width).rstrip() for line in textwrap.wrap(text, width)]


def render_escpos_lines(data: ReceiptData, width: int = ESCPOS_COLUMNS) -> list[str]:
    """The receipt as plain text lines of at most ``width`` characters (no printer needed).

    Characters the thermal code page lacks are avoided here: stamps are masked with ``*``
    and dashes stay within CP858.
    """
    day, time = fmt.day_and_time(data.handed_over_at, data.timezone)
    rule = "-" * width
    lines: list[str] = []
    lines += _centred(data.prefecture_name, width)
    lines += _centred(data.site_name, width)
    lines.append("")
    lines += _centred("Récépissé de remise de titre de séjour", width)
    if data.duplicate:
        lines += ["=" * width, "DUPLICATA".center(width).rstrip(), "=" * width]
    lines += ["", rule]
    lines += _kv("N° de remise", data.handover_number, width)
    lines += _kv("Remis le", f"{day} à {time}", width)
    lines += _kv("Guichet", data.desk_name, width)
    lines += _kv("Agent", data.agent_pseudonym, width)
    lines.append(rule)
    lines += _kv("Nom", data.holder_surname, width)
    lines += _kv("Prénom(s)", data.holder_given_names, width)
    lines += _kv("Né(e) le", fmt.day(data.holder_birth_date), width)
    lines.append(rule)
    lines.append("Titre délivré")
    lines += _kv("Catégorie", data.permit_category, width)
    lines += _kv("N° du titre", data.card_number, width)
    lines += _kv("Validité", f"du {fmt.day(data.valid_from)} au {fmt.day(data.valid_until)}", width)
    lines += textwrap.wrap(data.previous_card, width)
    for sentence in data.overrides:
        lines += textwrap.wrap(sentence, width)
    lines.append(rule)
    lines.append("Timbres fiscaux")
    for stamp in data.stamps:
        masked = fmt.masked_stamp(stamp.number_last4, mask="*")
        lines.append(_two_sides(masked, fmt.euros(stamp.amount_cents), width))
    if not data.stamps:
        lines.append("Aucun timbre fiscal")
    lines.append(_two_sides("Total", fmt.euros(data.stamps_total_cents), width))
    lines.append(rule)
    lines.append("Signature du titulaire :")
    if data.signature_png is None:
        lines.append("Signature non recueillie")
    return [_to_codepage_safe(line) for line in lines]


def render_escpos_footer(data: ReceiptData, width: int = ESCPOS_COLUMNS) -> list[str]:
    """Lines printed under the barcode."""
    lines = [f"Vérification : empreinte d'audit {data.audit_hash_prefix}"]
    lines += textwrap.wrap(
        "Document à conserver. Il atteste la remise du titre ; il ne vaut pas titre de séjour.",
        width,
    )
    return [_to_codepage_safe(line) for line in lines]


# Typographic characters a receipt's data may carry, mapped to what CP858 can print.
_CP858_FALLBACKS = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u2019": "'",
        "\u2026": "...",
        "\u2022": "*",
        "\u00a0": " ",
        "\u202f": " ",
        "\u0153": "oe",
        "\u0152": "OE",
    }
)


def _to_codepage_safe(text: str) -> str:
    return text.translate(_CP858_FALLBACKS)


def _signature_image(png: bytes) -> Any:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as opened:
        picture = opened.convert("RGBA")
    background = Image.new("RGBA", picture.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, picture).convert("L")
    max_width = ESCPOS_DOTS * 2 // 3
    if flat.width > max_width:
        flat = flat.resize((max_width, max(1, flat.height * max_width // flat.width)))
    return flat.point(lambda value: 255 if value > 160 else 0).convert("1")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # python-escpos prints its renderer choices on stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def write_receipt(device: Any, data: ReceiptData, codepage: str = ESCPOS_CODEPAGE) -> None:
    """Send the receipt's commands to an open python-escpos device (a ``Dummy`` in tests)."""
    with _quiet():
        device.charcode(codepage)
        device.set(align="left", bold=False, normal_textsize=True)
        for line in render_escpos_lines(data):
            device.textln(line)
        if data.signature_png is not None:
            try:
                device.image(_signature_image(data.signature_png), center=False)
            except OSError:
                device.textln("(signature illisible : voir l'exemplaire archivé)")
        device.ln()
        # Code set B encodes the letters and hyphens of a handover number.
        device.barcode(
            "{B" + data.handover_number,
            "CODE128",
            height=80,
            width=2,
            pos="BELOW",
            function_type="B",
        )
        for line in render_escpos_footer(data):
            device.textln(line)
        device.cut()


class EscPosPrinter:
    """An 80 mm ESC/POS thermal printer over the network (port 9100) or USB."""

    def __init__(
        self,
        *,
        connection: Literal["network", "usb"] = "network",
        host: str | None = None,
        port: int = 9100,
        vendor_id: int | None = None,
        product_id: int | None = None,
        profile: str | None = None,
        timeout: float = 10.0,
        codepage: str = ESCPOS_CODEPAGE,
        device_factory: Callable[[], Any] | None = None,
    ) -> None:
        if device_factory is None:
            device_factory = self._factory(
                connection, host, port, vendor_id, product_id, profile, timeout
            )
        self._make_device = device_factory
        self.codepage = codepage
        self.describe = host or (
            f"USB {vendor_id:04x}:{product_id:04x}" if vendor_id and product_id else ""
        )

    @staticmethod
    def _factory(
        connection: str,
        host: str | None,
        port: int,
        vendor_id: int | None,
        product_id: int | None,
        profile: str | None,
        timeout: float,
    ) -> Callable[[], Any]:
        if connection == "network":
            if not host:
                raise ConfigError(
                    "Imprimante ESC/POS réseau : l'adresse (host) n'est pas renseignée dans la "
                    "configuration du guichet."
                )

            def network() -> Any:
                from escpos.printer import Network

                return Network(host, port=port, timeout=timeout, profile=profile)

            return network
        if connection == "usb":
            if vendor_id is None or product_id is None:
                raise ConfigError(
                    "Imprimante ESC/POS USB : les identifiants vendor_id et product_id ne sont "
                    "pas renseignés dans la configuration du guichet."
                )

            def usb() -> Any:
                from escpos.printer import Usb

                return Usb(vendor_id, product_id, timeout=int(timeout * 1000), profile=profile)

            return usb
        raise ConfigError(
            f"Type de connexion d'imprimante inconnu « {connection} » : choisissez « network » "
            "ou « usb »."
        )

    @contextlib.contextmanager
    def _open(self) -> Iterator[Any]:
        from escpos import exceptions as escpos_errors

        try:
            device = self._make_device()
            device.open()  # Network and Usb raise when the printer cannot be reached
        except (escpos_errors.DeviceNotFoundError, escpos_errors.USBNotFoundError) as exc:
            raise NoPrinterError(self.describe or None) from exc
        except (OSError, escpos_errors.Error) as exc:
            raise PrinterOfflineError(str(exc)) from exc
        try:
            yield device
        except (OSError, escpos_errors.Error) as exc:
            raise PrinterOfflineError(str(exc)) from exc
        finally:
            with contextlib.suppress(Exception):
                device.close()

    @staticmethod
    def _check_paper(device: Any) -> None:
        try:
            status = device.paper_status()
        except Exception:
            return  # one-way links cannot answer: the outcome stays "sent"
        if status == 0:
            raise PrinterOutOfPaperError()

    def print_receipt(self, data: ReceiptData) -> PrintOutcome:
        """Print the receipt as text (sharper and faster than a picture of the PDF)."""
        with self._open() as device:
            self._check_paper(device)
            write_receipt(device, data, self.codepage)
        return PrintOutcome(sent=True, message=SENT_MESSAGE)

    def print_pdf(self, pdf: bytes, *, job_name: str) -> PrintOutcome:
        """Print any PDF (e.g. a closing sheet) as pictures 72 mm wide, page after page."""
        pages = rasterise(pdf, width_px=ESCPOS_DOTS)
        with self._open() as device:
            self._check_paper(device)
            with _quiet():
                for page in pages:
                    device.image(page, center=False)
                    device.cut()
        return PrintOutcome(sent=True, message=SENT_MESSAGE)


def _pdfium() -> Any:
    try:
        # Through importlib: pypdfium2 ships no type information.
        return importlib.import_module("pypdfium2")
    except ImportError as exc:  # pragma: no cover - a packaging fault
        raise PrinterError(
            "Le module d'impression des PDF (pypdfium2) manque : réinstallez l'application."
        ) from exc


def page_images(pdf: bytes, *, dpi: float | None = None, width_px: int | None = None) -> list[Any]:
    """Each page of ``pdf`` as a greyscale PIL image, at ``dpi`` or ``width_px`` wide."""
    if (dpi is None) == (width_px is None):
        raise ValueError("give exactly one of dpi and width_px")
    pdfium = _pdfium()
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PrinterError(
            "Le document à imprimer est illisible : rien n'a été envoyé. Réimprimez le "
            "récépissé ; si cela se reproduit, prévenez l'administrateur."
        ) from exc
    try:
        images = []
        for page in document:
            scale = dpi / 72 if dpi is not None else width_px / page.get_width()
            images.append(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
            page.close()
        return images
    finally:
        document.close()


def rasterise(pdf: bytes, *, width_px: int) -> list[Any]:
    """Each page of ``pdf`` as a 1-bit PIL image ``width_px`` wide, for a thermal printer."""
    return [image.convert("1") for image in page_images(pdf, width_px=width_px)]


# --- Factory -----------------------------------------------------------------------------------


def make_printer(kind: str, **options: Any) -> Printer:
    """A printer from configuration: ``"pdf"`` (folder), ``"escpos"`` (host or USB ids), ``"fake"``.

    The system printer (Qt) is built by the interface, which owns Qt.
    """
    if kind == "pdf":
        if "folder" not in options:
            raise ConfigError(
                "Imprimante « pdf » : le dossier d'archive (folder) n'est pas renseigné."
            )
        return PdfArchivePrinter(**options)
    if kind == "escpos":
        return EscPosPrinter(**options)
    if kind == "fake":
        return FakePrinter(**options)
    raise ConfigError(
        f"Type d'imprimante inconnu « {kind} » : choisissez « pdf » ou « escpos » "
        "(l'imprimante du système se règle dans l'interface)."
    )
