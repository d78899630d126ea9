"""Errors of receipt rendering and printing, with messages for the agent."""

from __future__ import annotations

from handover.errors import HandoverError


class ReceiptRenderError(HandoverError):
    """The receipt could not be drawn (missing font, unreadable signature image)."""


class PrinterError(HandoverError):
    """The document did not reach the printer; the message says why and what to do."""


class NoPrinterError(PrinterError):
    def __init__(self, name: str | None = None) -> None:
        which = f"« {name} » " if name else ""
        super().__init__(
            f"Aucune imprimante {which}n'est disponible sur ce poste. Vérifiez le réglage "
            "« imprimante » du guichet ou prévenez l'administrateur ; le récépissé pourra être "
            "réimprimé."
        )


class PrinterOfflineError(PrinterError):
    def __init__(self, detail: str = "") -> None:
        suffix = f" ({detail})" if detail else ""
        super().__init__(
            "L'imprimante ne répond pas : vérifiez qu'elle est allumée et branchée, puis "
            f"réimprimez le récépissé{suffix}."
        )


class PrinterOutOfPaperError(PrinterError):
    def __init__(self) -> None:
        super().__init__(
            "L'imprimante n'a plus de papier : remettez un rouleau ou des feuilles, puis "
            "réimprimez le récépissé."
        )
