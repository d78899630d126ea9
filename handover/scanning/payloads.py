"""Say what a scanned or typed payload is: ``parse_scan`` tries every known kind in turn.

``parse_scan`` never raises: bad input gives ``ScanKind.UNRECOGNISED`` with a French
reason. The lower-level parsers it calls raise only ``ScanParseError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from handover.scanning.azerty import looks_mangled, repair_candidates
from handover.scanning.errors import ScanParseError
from handover.scanning.mrz import Mrz, parse_mrz
from handover.scanning.numbers import (
    AnefRequestNumber,
    NumeroEtranger,
    TaxStamp,
    parse_anef_request_number,
    parse_numero_etranger,
    parse_tax_stamp,
)
from handover.scanning.reference import HandoverReference, looks_like_reference, parse_reference
from handover.scanning.twoddoc import (
    TrustStore,
    TwoDDoc,
    parse_twoddoc,
    unescape_controls,
)

__all__ = [
    "ScanKind",
    "ScanParseError",
    "ScanResult",
    "ScanValue",
    "TrustStore",
    "Unrecognised",
    "describe",
    "parse_scan",
    "unescape_controls",
]


class ScanKind(Enum):
    REFERENCE = "reference"
    NUMERO_ETRANGER = "numero_etranger"
    ANEF_REQUEST = "anef_request"
    MRZ = "mrz"
    TWODDOC = "2d_doc"
    TAX_STAMP = "tax_stamp"
    UNRECOGNISED = "unrecognised"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ScanKind.REFERENCE: "Référence de remise (SMS)",
    ScanKind.NUMERO_ETRANGER: "Numéro étranger",
    ScanKind.ANEF_REQUEST: "Numéro de demande ANEF",
    ScanKind.MRZ: "Bande MRZ d'une pièce d'identité",
    ScanKind.TWODDOC: "2D-Doc",
    ScanKind.TAX_STAMP: "Timbre fiscal électronique",
    ScanKind.UNRECOGNISED: "Non reconnu",
}


@dataclass(frozen=True, slots=True)
class Unrecognised:
    reason: str


ScanValue = (
    HandoverReference | NumeroEtranger | AnefRequestNumber | Mrz | TwoDDoc | TaxStamp | Unrecognised
)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a payload is. ``value`` is None when the kind is known but the value unusable."""

    kind: ScanKind
    value: ScanValue | None
    valid: bool
    errors: tuple[str, ...] = ()
    repaired: str | None = None
    source_url: str | None = None


_SPACES = re.compile(r"[ \t.\-]")
_MRZ_SHAPE = re.compile(r"[A-Za-z0-9<\s]+")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://\S+$")
_PAIR = re.compile(r"\s*[A-Za-z_]+\s*[:=]\s*\S.*")
_PAIR_SEPARATORS = re.compile(r"[;&\n]")
_REFERENCE_KEYS = ("ref", "reference", "référence", "code", "r")
_MAX_LENGTH = 4096


def _unrecognised(reason: str) -> ScanResult:
    return ScanResult(ScanKind.UNRECOGNISED, Unrecognised(reason), False, (reason,))


def _invalid(kind: ScanKind, error: str) -> ScanResult:
    return ScanResult(kind, None, False, (error,))


def _parse_digits(digits: str) -> ScanResult:
    length = len(digits)
    if length in (9, 10):
        return ScanResult(ScanKind.NUMERO_ETRANGER, parse_numero_etranger(digits), True)
    if length == 19:
        return ScanResult(ScanKind.ANEF_REQUEST, parse_anef_request_number(digits), True)
    if length == 16:
        return ScanResult(ScanKind.TAX_STAMP, parse_tax_stamp(digits), True)
    return _unrecognised(
        f"Nombre de {length} chiffres : ce n'est ni un numéro étranger (10 chiffres), "
        "ni un numéro de demande ANEF (19), ni un timbre fiscal (16). Vérifiez la saisie."
    )


def _parse_plain(
    text: str,
    today: date | None,
    trust: TrustStore | None,
    substitutes: Mapping[str, str] | None,
) -> ScanResult:
    if looks_like_reference(text):
        try:
            return ScanResult(ScanKind.REFERENCE, parse_reference(text), True)
        except ScanParseError as exc:
            return _invalid(ScanKind.REFERENCE, exc.message)
    compact = _SPACES.sub("", text)
    if compact.isascii() and compact.isdigit():
        return _parse_digits(compact)
    if text.startswith(("DC0", "\xdc")):
        try:
            doc = parse_twoddoc(text, trust=trust, substitutes=substitutes)
        except ScanParseError as exc:
            return _invalid(ScanKind.TWODDOC, exc.message)
        return ScanResult(ScanKind.TWODDOC, doc, doc.valid, doc.errors)
    if "<" in text and _MRZ_SHAPE.fullmatch(text):
        try:
            mrz = parse_mrz(text, today=today)
        except ScanParseError as exc:
            if "<<" in text and len(text) >= 60:
                return _invalid(ScanKind.MRZ, exc.message)
            return _unrecognised(exc.message)
        return ScanResult(ScanKind.MRZ, mrz, mrz.valid, mrz.errors)
    return _unrecognised(
        "Code non reconnu : ce n'est ni une référence de remise, ni un numéro étranger, "
        "ni une MRZ, ni un 2D-Doc, ni un timbre fiscal."
    )


def _url_candidates(text: str) -> list[str]:
    try:
        parts = urlsplit(text)
    except ValueError:
        # urlsplit refuses an unbalanced "[" in the host ("Invalid IPv6 URL"): no URL parts,
        # but a payload may still sit in the text after it.
        return [segment for segment in reversed(re.split(r"[/?#&=\[\]]", text)) if segment]
    query = parse_qsl(parts.query, keep_blank_values=False)
    keyed = [value for key, value in query if key.lower() in _REFERENCE_KEYS]
    others = [value for key, value in query if key.lower() not in _REFERENCE_KEYS]
    segments = [unquote(s) for s in reversed(parts.path.split("/")) if s]
    fragment = [unquote(parts.fragment)] if parts.fragment else []
    return keyed + others + fragment + segments


def _pair_candidates(text: str) -> list[str]:
    values: list[tuple[bool, str]] = []
    for chunk in _PAIR_SEPARATORS.split(text):
        key, sep, value = chunk.partition("=") if "=" in chunk else chunk.partition(":")
        if sep and value.strip():
            values.append((key.strip().lower() not in _REFERENCE_KEYS, value.strip()))
    return [value for _, value in sorted(values, key=lambda pair: pair[0])]


def _parse_wrapped(
    text: str,
    today: date | None,
    trust: TrustStore | None,
    substitutes: Mapping[str, str] | None,
) -> ScanResult | None:
    if _URL.match(text):
        candidates = _url_candidates(text)
    elif all(_PAIR.fullmatch(c) for c in _PAIR_SEPARATORS.split(text.strip(";&\n "))):
        candidates = _pair_candidates(text)
    else:
        return None
    for candidate in candidates:
        result = _parse_plain(candidate.strip(), today, trust, substitutes)
        if result.kind is not ScanKind.UNRECOGNISED:
            return ScanResult(result.kind, result.value, result.valid, result.errors, None, text)
    return None


def _parse_any(
    text: str,
    today: date | None,
    trust: TrustStore | None,
    substitutes: Mapping[str, str] | None,
) -> ScanResult:
    result = _parse_plain(text, today, trust, substitutes)
    if result.kind is ScanKind.UNRECOGNISED:
        wrapped = _parse_wrapped(text, today, trust, substitutes)
        if wrapped is not None:
            return wrapped
    return result


def parse_scan(
    raw: str,
    *,
    today: date | None = None,
    trust: TrustStore | None = None,
    substitutes: Mapping[str, str] | None = None,
) -> ScanResult:
    """Recognise a payload; AZERTY mangling is repaired only when that alone makes it valid."""
    try:
        if not isinstance(raw, str):
            return _unrecognised("Le code lu n'est pas du texte.")
        text = raw.strip(" \t\r\n")
        if not text:
            return _unrecognised("Rien n'a été lu : scannez ou saisissez à nouveau.")
        if len(text) > _MAX_LENGTH:
            return _unrecognised("Code trop long pour être un document connu.")
        result = _parse_any(text, today, trust, substitutes)
        if result.valid or not looks_mangled(text):
            return result
        found = [
            (candidate, repaired)
            for candidate in repair_candidates(text)
            if (repaired := _parse_any(candidate.text, today, trust, substitutes)).valid
        ]
        if len(found) != 1:
            return result  # nothing valid, or two layouts give two valid readings
        candidate, repaired = found[0]
        description = (
            f"Texte corrigé ({candidate.label} : le lecteur tapait comme un clavier QWERTY) : "
            f"« {text} » lu « {candidate.text} »."
        )
        return ScanResult(
            repaired.kind,
            repaired.value,
            repaired.valid,
            repaired.errors,
            description,
            repaired.source_url,
        )
    except ScanParseError as exc:
        return _unrecognised(exc.message)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _fields(value: ScanValue | None) -> dict[str, Any]:
    if isinstance(value, HandoverReference):
        return {"reference": value.display, "code": value.code}
    if isinstance(value, NumeroEtranger):
        return {"numero_etranger": value.digits}
    if isinstance(value, AnefRequestNumber):
        return {"request_number": value.digits}
    if isinstance(value, TaxStamp):
        return {"stamp_number": value.digits}
    if isinstance(value, Unrecognised):
        return {"reason": value.reason}
    if isinstance(value, Mrz):
        return {
            "format": value.format.value,
            "document_code": value.document_code,
            "issuing_state": value.issuing_state,
            "document_number": value.document_number,
            "nationality": value.nationality,
            "surname": value.surname,
            "given_names": value.given_names,
            "birth_date": _iso(value.birth_date),
            "sex": value.sex,
            "expiry_date": _iso(value.expiry_date),
            "optional_data": value.optional_data,
        }
    if isinstance(value, TwoDDoc):
        header = value.header
        return {
            "version": header.version,
            "ca_id": header.ca_id,
            "certificate_id": header.certificate_id,
            "issue_date": _iso(header.issue_date),
            "signature_date": _iso(header.signature_date),
            "document_type": header.document_type,
            "document_type_label": header.document_type_label,
            "perimeter": header.perimeter,
            "country": header.country,
            "foreign_document_kind": value.foreign_document_kind,
            "authenticated": value.authenticated,
            "authentication": value.authentication,
            "controls_missing": value.controls_missing,
            "fields": [
                {
                    "id": f.id,
                    "label": f.label,
                    "value": f.value.isoformat() if isinstance(f.value, date) else f.value,
                    "truncated": f.truncated,
                }
                for f in value.fields
            ],
        }
    return {}


def describe(result: ScanResult) -> dict[str, Any]:
    """JSON-ready summary: ``kind``, ``valid``, ``fields``, ``errors``, ``repaired``.

    A 2D-Doc adds ``warnings`` (unknown field identifiers, mandatory fields missing).

    Dates are ISO strings; a payload found inside a URL or QR text adds ``fields["url"]``.
    """
    fields = _fields(result.value)
    if result.source_url is not None:
        fields["url"] = result.source_url
    summary: dict[str, Any] = {
        "kind": result.kind.value,
        "valid": result.valid,
        "fields": fields,
        "errors": list(result.errors),
        "repaired": result.repaired,
    }
    if isinstance(result.value, TwoDDoc):
        summary["warnings"] = list(result.value.warnings)
    return summary
