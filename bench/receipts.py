"""Receipt generation time: A4 and 80 mm roll beside a text-only reportlab baseline.

Run: ``python -m bench.receipts [--runs 300] [--json]``. The baseline draws the same strings
on a canvas with a built-in font, no image, no barcode, no embedded TTF: the difference is
what the real receipt's extras cost.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from handover.receipts.data import ReceiptData, StampLine
from handover.receipts.printers import render_escpos_lines
from handover.receipts.render import render_receipt


def _signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line(
        [(10, 150), (120, 40), (230, 170), (350, 60), (590, 130)], fill=(0, 0, 0, 255), width=5
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_receipt() -> ReceiptData:
    return ReceiptData(
        prefecture_name="Préfecture de l'Isère",
        site_name="Grenoble — accueil remise des titres",
        handover_number="R-2026-000123",
        handed_over_at=datetime(2026, 11, 27, 9, 15, tzinfo=UTC),
        timezone="Europe/Paris",
        desk_name="Guichet 2",
        agent_pseudonym="AG-7K3Q",
        holder_surname="N'Guessan-Müller",
        holder_given_names="Éléonore",
        holder_birth_date=date(1990, 7, 3),
        permit_category="Carte de séjour temporaire — salarié",
        card_number="IR0123456789",
        valid_from=date(2026, 11, 20),
        valid_until=date(2027, 11, 19),
        stamps=(StampLine("1234", 20000), StampLine("9876", 2500)),
        stamps_total_cents=22500,
        previous_card="Carte précédente n° …4321 restituée",
        signature_png=_signature_png(),
        audit_hash_prefix="3fa9c2e1b7d0",
    )


def text_only_baseline(lines: list[str]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=1)
    canvas.setFont("Helvetica", 10)
    y = 800.0
    for line in lines:
        canvas.drawString(56, y, line)
        y -= 13
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(work: Callable[[], bytes], runs: int) -> dict[str, float]:
    started = time.perf_counter()
    size = len(work())
    cold_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "cold_ms": round(cold_ms, 2),
        "median_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "bytes": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    data = sample_receipt()
    lines = render_escpos_lines(data)
    cases: dict[str, Callable[[], bytes]] = {
        "baseline_text_only": lambda: text_only_baseline(lines),
        "a4": lambda: render_receipt(data, "a4"),
        "a4_with_archive_copy": lambda: render_receipt(data, "a4", archive_copy=True),
        "roll80": lambda: render_receipt(data, "roll80"),
    }
    results = {name: measure(work, args.runs) for name, work in cases.items()}
    if args.json:
        print(json.dumps({"runs": args.runs, "results": results}, indent=2))
        return
    print(f"{'case':<22} {'cold ms':>8} {'median ms':>10} {'p99 ms':>8} {'bytes':>8}")
    for name, figures in results.items():
        print(
            f"{name:<22} {figures['cold_ms']:>8.2f} {figures['median_ms']:>10.2f} "
            f"{figures['p99_ms']:>8.2f} {figures['bytes']:>8}"
        )


if __name__ == "__main__":
    main()
