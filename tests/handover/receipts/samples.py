"""Receipt values shared by the receipt tests: one holder with every hard character."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from PIL import Image, ImageDraw

from handover.receipts.data import (
    DaySheetData,
    DeskTotal,
    OverrideLine,
    ReceiptData,
    ReprintLine,
    StampLine,
)

SIGNATURE_SIZE = (400, 140)


def make_signature_png() -> bytes:
    """A pen stroke on a transparent background, as the signature pad saves it."""
    image = Image.new("RGBA", SIGNATURE_SIZE, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(10, 100), (80, 30), (150, 110), (230, 40), (380, 90)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def make_receipt(**changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "prefecture_name": "Préfecture de l'Isère",
        "site_name": "Grenoble — accueil remise des titres",
        "handover_number": "R-2026-000123",
        # 09:15 UTC in November is 10:15 in Paris (UTC+1).
        "handed_over_at": datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
        "timezone": "Europe/Paris",
        "desk_name": "Guichet 2",
        "agent_pseudonym": "AG-7K3Q",
        "holder_surname": "N'Guessan-Müller",
        "holder_given_names": "Éléonore",
        "holder_birth_date": date(1990, 7, 3),
        "permit_category": "Carte de séjour temporaire — salarié",
        "card_number": "IR0123456789",
        "valid_from": date(2026, 11, 20),
        "valid_until": date(2027, 11, 19),
        "stamps": (StampLine("1234", 20000), StampLine("9876", 2500)),
        "stamps_total_cents": 22500,
        "previous_card": "Carte précédente n° …4321 restituée",
        "signature_png": make_signature_png(),
        "audit_hash_prefix": "3fa9c2e1b7d0",
    }
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def make_day_sheet() -> DaySheetData:
    return DaySheetData(
        day=date(2026, 11, 27),
        prefecture_name="Préfecture de l'Isère",
        site_name="Grenoble — accueil remise des titres",
        timezone="Europe/Paris",
        desks=(
            DeskTotal("Guichet 1", 31, 697500),
            DeskTotal("Guichet 2", 28, 630000),
        ),
        overrides=(
            OverrideLine(
                datetime(2026, 11, 27, 10, 2, tzinfo=UTC),
                "CH-2M8P",
                "File d'attente à 11 h : prolongation de l'accueil jusqu'à 11 h 20.",
                "Remise hors horaires d'ouverture",
                "R2026-0000118",
            ),
        ),
        reprints=(
            ReprintLine(datetime(2026, 11, 27, 8, 47, tzinfo=UTC), "R-2026-000118", "AG-7K3Q"),
        ),
        audit_head_hash="9b1f" + "0123456789abcdef" * 3 + "a1b2c3d4e5f6",
        audit_verified_entries=1342,
    )
