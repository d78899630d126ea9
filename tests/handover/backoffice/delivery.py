"""Build delivery files (the CSV the production centre sends) for import tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = (
    "nom;prenoms;date_naissance;nationalite;numero_etranger;numero_anef;numero_carte;"
    "categorie;valide_du;valide_au;casier;telephone;montant_timbres;carte_precedente"
)


def row(i: int, **changes: str) -> dict[str, str]:
    """A valid row for permit ``i``; keyword arguments replace single fields."""
    values = {
        "nom": f"Nguyễn-Müller {i}" if i % 7 == 0 else f"Benali {i}",
        "prenoms": "Éléonore Aïssata",
        "date_naissance": f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}",
        "nationalite": "DZA",
        "numero_etranger": f"{7500000000 + i:010d}",
        "numero_anef": f"{1234500000000000000 + i:019d}",
        "numero_carte": f"IR{i:09d}",
        "categorie": "Carte de séjour temporaire — salarié",
        "valide_du": "2026-01-15",
        "valide_au": "15/01/2027",
        "casier": f"B-{i % 40:02d}",
        "telephone": f"06 12 {i % 100:02d} {(i // 100) % 100:02d} {(i // 10000) % 100:02d}",
        "montant_timbres": "225,00",
        "carte_precedente": "oui" if i % 2 else "non",
    }
    values.update(changes)
    return values


def write(
    path: Path,
    rows: list[dict[str, str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
    header: str = HEADER,
) -> Path:
    names = header.split(";")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([r.get(n, "") for n in names] for r in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
