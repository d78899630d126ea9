"""``handover parse-scan``: say what a scanned or typed payload is."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from handover.commands._common import config
from handover.scanning.payloads import ScanKind, TrustStore, describe, parse_scan

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LABELS = {
    "reference": "Référence",
    "code": "Code",
    "numero_etranger": "Numéro étranger",
    "request_number": "Numéro de demande",
    "stamp_number": "Numéro de timbre",
    "reason": "Motif",
    "format": "Format",
    "document_code": "Code du document",
    "issuing_state": "État émetteur",
    "document_number": "Numéro du document",
    "nationality": "Nationalité",
    "surname": "Nom",
    "given_names": "Prénoms",
    "birth_date": "Date de naissance",
    "sex": "Sexe",
    "expiry_date": "Date d'expiration",
    "optional_data": "Données facultatives",
    "version": "Version",
    "ca_id": "Autorité de certification",
    "certificate_id": "Certificat",
    "issue_date": "Date d'émission",
    "signature_date": "Date de signature",
    "document_type": "Type de document",
    "document_type_label": "Nature du document",
    "perimeter": "Périmètre",
    "country": "Pays",
    "foreign_document_kind": "Nature de l'attestation",
    "authenticated": "Authentifié",
    "authentication": "Signature",
    "controls_missing": "Séparateurs absents",
    "url": "Lu dans",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse-scan",
        help="dire ce qu'est un code scanné ou saisi et en afficher les champs",
        description="Reconnaît une référence de remise, un numéro étranger, un numéro ANEF, "
        "une MRZ, un 2D-Doc ou un timbre fiscal. Code de sortie 0 si reconnu et valide, 2 sinon.",
    )
    parser.add_argument("payload", metavar="CODE", help="le texte lu (<GS>, <RS>, <US> acceptés)")
    parser.add_argument("--json", action="store_true", help="sortie JSON")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="date du jour (AAAA-MM-JJ)",
    )
    parser.add_argument(
        "--trust-dir",
        type=Path,
        default=None,
        metavar="DOSSIER",
        help="dossier des certificats 2D-Doc de confiance (par défaut : [scanner] "
        "certificates_dir de la configuration)",
    )
    parser.set_defaults(func=run)


def _plain(value: Any) -> str:
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if value is None:
        return "—"
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def run(args: argparse.Namespace) -> int:
    scanner = config().scanner
    folder = args.trust_dir if args.trust_dir is not None else scanner.certificates_dir
    trust = TrustStore(folder) if folder else None
    substitutes = {
        name: value
        for name, value in (
            ("GS", scanner.gs_substitute),
            ("RS", scanner.rs_substitute),
            ("US", scanner.us_substitute),
        )
        if value
    }
    result = parse_scan(args.payload, today=args.today, trust=trust, substitutes=substitutes)
    summary = describe(result)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        status = "valide" if result.valid else "NON VALIDE"
        print(f"{result.kind.label} — {status}")
        if result.repaired:
            print(result.repaired)
        for key, value in summary["fields"].items():
            if key == "fields":
                for field in value:
                    suffix = " (tronqué)" if field["truncated"] else ""
                    print(f"  [{field['id']}] {field['label']} : {_plain(field['value'])}{suffix}")
            elif key == "authenticated" and value is None:
                print(f"{_LABELS[key]} : non vérifié")
            elif not (result.kind is ScanKind.UNRECOGNISED and key == "reason"):
                print(f"{_LABELS.get(key, key)} : {_plain(value)}")
        for error in result.errors:
            print(f"Erreur : {error}")
        for warning in summary.get("warnings", []):
            print(f"Avertissement : {warning}")
    return 0 if result.valid and result.kind is not ScanKind.UNRECOGNISED else 2
