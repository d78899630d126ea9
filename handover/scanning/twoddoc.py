"""2D-Doc (ANTS) in text mode: header, message fields, ECDSA signature.

Scanners often drop the control characters GS/RS/US or type something else for them, so
besides the real characters the parser accepts their textual forms (``<GS>``, ``\\x1d``…),
configured substitutes, and their absence: then a variable field ends where the rest of
the message still reads as known fields (look-ahead over the field table) and the
signature is recognised at the end by its length.

The field table (every identifier's length rule, type and label, and the fields of each
document type) is in ``twoddoc_spec``, after the ANTS specification version 3.3.7.2; the
published examples confirm the header layout (version 04: document type, perimeter,
country).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from handover.scanning.errors import ScanParseError
from handover.scanning.twoddoc_spec import (
    DOCUMENT_TYPES,
    EXPECTED_FIELDS,
    FIELD_DEFINITIONS,
    SPEC_VERSION,
    ExpectedField,
    FieldDefinition,
    FieldKind,
)

GS = "\x1d"
RS = "\x1e"
US = "\x1f"
_CONTROLS = {"GS": GS, "RS": RS, "US": US}
_EPOCH = date(2000, 1, 1)
_HEADER_LENGTHS = {"01": 22, "02": 22, "03": 24, "04": 26}
_HEADER_CHARS = re.compile(r"[A-Z0-9 ]*")
_ESCAPES = re.compile(r"\\\\x(1[def])|\\x(1[def])|\\u00(1[def])|<(GS|RS|US)>", flags=re.IGNORECASE)
_BASE32 = re.compile(r"[A-Z2-7]+=*")
# Signature lengths in base32 characters: P-256 (64 bytes) and P-384 (96 bytes),
# without and with padding.
_SIGNATURE_TEXT_LENGTHS = (103, 104, 154, 160)

NO_TRUST_STORE = "lu mais non authentifié : aucun dossier de certificats de confiance configuré"


FOREIGN_DOCUMENT_KINDS: Mapping[str, str] = {"2": "Attestation de prolongation d'instruction"}


@dataclass(frozen=True, slots=True)
class TwoDDocHeader:
    version: str
    ca_id: str
    certificate_id: str
    issue_date: date | None
    signature_date: date | None
    document_type: str
    perimeter: str | None = None
    country: str | None = None

    @property
    def length(self) -> int:
        return _HEADER_LENGTHS[self.version]

    @property
    def document_type_label(self) -> str:
        return DOCUMENT_TYPES.get(self.document_type, f"Type {self.document_type}")


@dataclass(frozen=True, slots=True)
class TwoDDocField:
    """One message field: ``text`` as encoded, ``value`` converted (a date for date fields)."""

    id: str
    label: str
    text: str
    value: str | date | None
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class TwoDDoc:
    """A read 2D-Doc. ``authenticated`` is None when the signature could not be checked."""

    header: TwoDDocHeader
    fields: tuple[TwoDDocField, ...]
    message: str
    signature: bytes | None
    authenticated: bool | None
    authentication: str
    errors: tuple[str, ...] = ()
    controls_missing: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def expected_fields(self) -> tuple[ExpectedField, ...]:
        """The fields the specification lists for this document type (empty if unknown)."""
        return EXPECTED_FIELDS.get(self.header.document_type, ())

    @property
    def missing_fields(self) -> tuple[ExpectedField, ...]:
        """Mandatory fields of this document type that the code does not carry."""
        present = {f.id for f in self.fields}
        return tuple(e for e in self.expected_fields if e.required and e.id not in present)

    def get(self, field_id: str) -> TwoDDocField | None:
        for f in self.fields:
            if f.id == field_id:
                return f
        return None

    def value(self, field_id: str) -> str | date | None:
        f = self.get(field_id)
        return None if f is None else f.value

    @property
    def request_number(self) -> str | None:
        value = self.value("6K")
        return value if isinstance(value, str) else None

    @property
    def numero_etranger(self) -> str | None:
        value = self.value("6Q")
        return value if isinstance(value, str) else None

    @property
    def surname(self) -> str | None:
        """Nom patronymique (62), or the « Nom » of the types that use 6G (e.g. 17)."""
        for field_id in ("62", "6G"):
            value = self.value(field_id)
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def first_names(self) -> str | None:
        """Liste des prénoms (60, « / » between names, given here with spaces) or Prénom (61)."""
        for field_id in ("60", "61"):
            value = self.value(field_id)
            if isinstance(value, str) and value:
                return " ".join(value.replace("/", " ").split())
        return None

    @property
    def birth_date(self) -> date | None:
        value = self.value("69")
        return value if isinstance(value, date) else None

    @property
    def foreign_document_kind(self) -> str | None:
        """Meaning of field 6J (type 13), e.g. "Attestation de prolongation d'instruction"."""
        value = self.value("6J")
        if not isinstance(value, str):
            return None
        return FOREIGN_DOCUMENT_KINDS.get(value, f"Type {value}")


def unescape_controls(text: str) -> str:
    """Turn the textual forms of GS/RS/US into the control characters.

    Forms: ``<GS>`` ``<RS>`` ``<US>``, ``\\x1d`` (also with a doubled backslash), ``\\u001d``.
    """

    def replace(match: re.Match[str]) -> str:
        hex_code = match.group(1) or match.group(2) or match.group(3)
        if hex_code:
            return chr(int(hex_code, 16))
        return _CONTROLS[match.group(4).upper()]

    return _ESCAPES.sub(replace, text)


def apply_substitutes(text: str, substitutes: Mapping[str, str] | None) -> str:
    """Replace the strings a scanner types instead of GS/RS/US by the real characters.

    Keys are ``"GS"``, ``"RS"``, ``"US"`` (or the control characters themselves); values are
    what the scanner sends, e.g. ``{"GS": "~"}``.
    """
    if not substitutes:
        return text
    for key, substitute in substitutes.items():
        control = _CONTROLS.get(key.upper(), key)
        if control not in (GS, RS, US):
            raise ScanParseError(f"Substitut de caractère de contrôle inconnu : {key!r}.")
        if substitute:
            text = text.replace(substitute, control)
    return text


def _hex_date(text: str, label: str) -> date | None:
    if text == "FFFF":
        return None
    try:
        return _EPOCH + timedelta(days=int(text, 16))
    except ValueError:
        raise ScanParseError(f"En-tête 2D-Doc : {label} illisible ({text}).") from None


def parse_header(text: str) -> TwoDDocHeader:
    """Parse the C40 header at the start of ``text`` (versions 01 to 04)."""
    if not isinstance(text, str):
        raise ScanParseError("Le 2D-Doc doit être un texte.")
    if text.startswith("\xdc"):
        raise ScanParseError("2D-Doc binaire : ce format n'est pas encore pris en charge.")
    if not text.startswith("DC"):
        raise ScanParseError("Ce n'est pas un 2D-Doc : il doit commencer par « DC ».")
    version = text[2:4]
    length = _HEADER_LENGTHS.get(version)
    if length is None:
        raise ScanParseError(f"Version de 2D-Doc inconnue : « {version} ».")
    head = text[:length]
    if len(head) < length or not _HEADER_CHARS.fullmatch(head):
        raise ScanParseError("En-tête 2D-Doc incomplet ou abîmé : relisez le code.")
    return TwoDDocHeader(
        version=version,
        ca_id=head[4:8],
        certificate_id=head[8:12],
        issue_date=_hex_date(head[12:16], "date d'émission"),
        signature_date=_hex_date(head[16:20], "date de signature"),
        document_type=head[20:22],
        perimeter=head[22:24] if length >= 24 else None,
        country=head[24:26] if length >= 26 else None,
    )


@dataclass(slots=True)
class _Piece:
    id: str
    text: str
    terminator: str  # GS, RS or "" (fixed length, maximum reached, or last field)


_COMPLEMENTARY_IDS = frozenset(i for i in FIELD_DEFINITIONS if i.startswith("0"))


class _FieldReader:
    """Cut the message body into fields, backtracking over field ends when GS is missing."""

    # Look-ahead recurses once per field; a real 2D-Doc message is a few hundred characters.
    MAX_LENIENT_LENGTH = 600

    def __init__(self, body: str, document_type: str = "") -> None:
        self.body = body
        self.lenient = GS not in body and RS not in body
        self._steps = 0
        self._dead: set[int] = set()
        # Without separators, a field may only start with an identifier this document type
        # uses (or a complementary one, section 7.0): with the whole table, almost any two
        # characters are an identifier and the look-ahead would find wrong cuts.
        expected = EXPECTED_FIELDS.get(document_type)
        self.allowed: frozenset[str] | None = None
        if expected:
            self.allowed = frozenset(e.id for e in expected) | _COMPLEMENTARY_IDS

    def _check_length(self) -> None:
        if len(self.body) > self.MAX_LENIENT_LENGTH:
            raise ScanParseError(
                "2D-Doc trop long sans séparateurs de champs : réglez le lecteur pour qu'il "
                "transmette les caractères GS."
            )

    def read_all(self) -> list[_Piece] | None:
        if self.lenient:
            self._check_length()
            return self.read(0)
        # With separators every field end is known: no look-ahead, so no recursion.
        pieces: list[_Piece] = []
        pos = 0
        while pos < len(self.body):
            step = self._strict_step(pos)
            if step is None:
                return None
            piece, pos = step
            pieces.append(piece)
        return pieces

    def _strict_step(self, pos: int) -> tuple[_Piece, int] | None:
        body = self.body
        if pos + 2 > len(body):
            return None
        field_id = body[pos : pos + 2]
        start = pos + 2
        definition = FIELD_DEFINITIONS.get(field_id)
        if definition is None or definition.max_length is None:
            end = _next_control(body, start)
        else:
            end = _next_control(body, start, min(start + definition.max_length, len(body)))
        terminator = body[end] if end < len(body) and body[end] in (GS, RS) else ""
        return _Piece(field_id, body[start:end], terminator), end + (1 if terminator else 0)

    def readings(self) -> list[list[_Piece]]:
        """Every way to cut the body (at most ``MAX_READINGS``), the longest fields first.

        With separators there is one; without them several cuts can fit the table, and the
        signature (or else the field types) chooses between them.
        """
        if not self.lenient:
            pieces = self.read_all()
            return [] if pieces is None else [pieces]
        self._check_length()
        self._steps = 0
        self._dead = set()
        found: list[list[_Piece]] = []
        for reading in self._cuts_from(0):
            found.append(reading)
            if len(found) >= self.MAX_READINGS:
                break
        return found

    MAX_READINGS = 1000
    MAX_STEPS = 20_000

    def read(self, pos: int) -> list[_Piece] | None:
        self._steps = 0
        self._dead = set()
        return next(self._cuts_from(pos), None)

    def _cuts_from(self, pos: int) -> Iterator[list[_Piece]]:
        if pos in self._dead or self._steps > self.MAX_STEPS:
            return
        self._steps += 1
        if pos == len(self.body):
            yield []
            return
        produced = False
        for field_id, start, end in self._field_ends(pos):
            terminator = (
                self.body[end] if end < len(self.body) and self.body[end] in (GS, RS) else ""
            )
            for rest in self._cuts_from(end + (1 if terminator else 0)):
                produced = True
                yield [_Piece(field_id, self.body[start:end], terminator), *rest]
        if not produced and self._steps <= self.MAX_STEPS:
            self._dead.add(pos)

    def _field_ends(self, pos: int) -> list[tuple[str, int, int]]:
        """Where the field starting at ``pos`` may end, most likely first."""
        body = self.body
        if pos + 2 > len(body):
            return []
        field_id = body[pos : pos + 2]
        start = pos + 2
        if self.allowed is not None and field_id not in self.allowed:
            return []
        definition = FIELD_DEFINITIONS.get(field_id)
        if definition is None or not definition.rule_published:
            # Unknown field: only its terminator can tell where it ends.
            return [(field_id, start, _next_control(body, start))]
        if definition.fixed:
            assert definition.max_length is not None
            end = min(start + definition.max_length, len(body))
            return [(field_id, start, _next_control(body, start, end))]
        limit = len(body) if definition.max_length is None else start + definition.max_length
        limit = min(limit, len(body))
        control = _next_control(body, start, limit)
        if not self.lenient or control < limit:
            return [(field_id, start, control)]
        allowed = definition.pattern
        longest = start
        while longest < limit and allowed.fullmatch(body[longest]):
            longest += 1
        return [
            (field_id, start, end) for end in range(longest, start + definition.min_length - 1, -1)
        ]


def _next_control(text: str, start: int, stop: int | None = None) -> int:
    stop = len(text) if stop is None else stop
    for i in range(start, stop):
        if text[i] in (GS, RS):
            return i
    return stop


_AMOUNT = re.compile(r"-?[0-9]+(,[0-9]+)?")
_HEX4 = re.compile(r"[0-9A-F]{4}")


def _convert(
    piece: _Piece, errors: list[str], warnings: list[str], *, lenient: bool
) -> TwoDDocField:
    definition = FIELD_DEFINITIONS.get(piece.id)
    truncated = piece.terminator == RS
    if definition is None:
        warning = (
            f"champ {piece.id} inconnu de la spécification 2D-Doc {SPEC_VERSION} : "
            f"valeur brute « {piece.text} »"
        )
        if lenient:
            warning += " (séparateurs absents : lecture incertaine, vérifiez le réglage du lecteur)"
        warnings.append(warning)
        return TwoDDocField(piece.id, f"Champ {piece.id}", piece.text, piece.text, truncated)
    text = piece.text
    if not truncated and len(text) < definition.min_length:
        errors.append(f"champ {definition.label} trop court ({len(text)} caractères)")
    value = _field_value(definition, text, errors) if not truncated else text
    return TwoDDocField(piece.id, definition.label, text, value, truncated)


def _field_value(definition: FieldDefinition, text: str, errors: list[str]) -> str | date | None:
    """The field's value; a wrong value adds an error and keeps the text."""
    kind = definition.kind
    if kind in (FieldKind.TEXT, FieldKind.CODE):
        return text.rstrip(" ")  # fixed-length values are padded with spaces
    if kind is FieldKind.AMOUNT:
        if text and not _AMOUNT.fullmatch(text):
            errors.append(f"champ {definition.label} : un nombre est attendu ({text})")
        return text
    if kind is FieldKind.HEX_DATE:
        if text == "FFFF":
            return None  # "no date"
        if not _HEX4.fullmatch(text):
            errors.append(f"champ {definition.label} : date impossible ({text})")
            return text
        return _EPOCH + timedelta(days=int(text, 16))
    if not (text.isascii() and text.isdigit()) and text:
        errors.append(f"champ {definition.label} : des chiffres sont attendus")
        return text
    if kind is FieldKind.DATE or kind is FieldKind.DATE_YMD:
        found = _field_date(text, year_first=kind is FieldKind.DATE_YMD)
        if found is None:
            errors.append(f"champ {definition.label} : date impossible ({text})")
            return text
        return found
    return text


def _field_date(text: str, *, year_first: bool = False) -> date | str | None:
    """A date field's value: a date, the text itself when the day or month is unknown
    (``00``, allowed for a birth date), or None when the date is impossible."""
    if len(text) != 8 or not text.isdigit():
        return None
    if year_first:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    else:
        day, month, year = int(text[:2]), int(text[2:4]), int(text[4:])
    if day == 0 or month == 0:
        return text if 0 <= month <= 12 and 0 <= day <= 31 else None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _decode_signature(text: str) -> bytes | None:
    if not _BASE32.fullmatch(text):
        return None
    try:
        raw = base64.b32decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 8))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) in (64, 96) else None


def _canonical(header: str, pieces: list[_Piece], *, final_gs: bool) -> str:
    parts = [header]
    for i, piece in enumerate(pieces):
        definition = FIELD_DEFINITIONS.get(piece.id)
        parts.append(piece.id + piece.text)
        short = definition is None or (
            definition.max_length is None or len(piece.text) < definition.max_length
        )
        if piece.terminator:
            parts.append(piece.terminator)
        elif (
            short
            and (definition is None or not definition.fixed)
            and (i < len(pieces) - 1 or final_gs)
        ):
            parts.append(GS)
    return "".join(parts)


class TrustStore:
    """A folder of trusted 2D-Doc certificates (DER or PEM).

    A certificate is found by file name (``FR000001.der``, ``FR00_0001.pem``, ``0001.cer``…,
    case-insensitive) or else by subject common name equal to the certificate id.
    """

    _SUFFIXES = (".der", ".cer", ".crt", ".pem")

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder).expanduser()
        self._cache: dict[tuple[str, str], x509.Certificate | None] = {}

    def find(self, ca_id: str, certificate_id: str) -> x509.Certificate | None:
        key = (ca_id.upper(), certificate_id.upper())
        if key not in self._cache:
            self._cache[key] = self._search(*key)
        return self._cache[key]

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in self._SUFFIXES
        )

    def _search(self, ca_id: str, certificate_id: str) -> x509.Certificate | None:
        files = self._files()
        names = {
            f"{ca_id}{certificate_id}",
            f"{ca_id}_{certificate_id}",
            f"{ca_id}-{certificate_id}",
            certificate_id,
        }
        for path in files:
            if path.stem.upper() in names:
                certificate = _load_certificate(path)
                if certificate is not None:
                    return certificate
        for path in files:
            certificate = _load_certificate(path)
            if certificate is None:
                continue
            common_names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            if any(str(cn.value).upper() in names for cn in common_names):
                return certificate
        return None


def _load_certificate(path: Path) -> x509.Certificate | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        return None


def _verify(
    header: TwoDDocHeader,
    messages: list[str],
    signature: bytes | None,
    trust: TrustStore | None,
) -> tuple[bool | None, str]:
    if signature is None:
        return None, "lu mais non authentifié : signature absente ou illisible"
    if trust is None:
        return None, NO_TRUST_STORE
    if not trust.folder.is_dir():
        return None, (
            f"lu mais non authentifié : dossier de certificats de confiance introuvable "
            f"({trust.folder})"
        )
    certificate = trust.find(header.ca_id, header.certificate_id)
    if certificate is None:
        return None, (
            "lu mais non authentifié : certificat "
            f"{header.ca_id}/{header.certificate_id} absent du dossier de confiance"
        )
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return None, "lu mais non authentifié : le certificat n'est pas une clé ECDSA"
    half = len(signature) // 2
    expected = 32 if isinstance(public_key.curve, ec.SECP256R1) else 48
    if half != expected:
        return False, "signature invalide : sa longueur ne correspond pas au certificat"
    algorithm: hashes.HashAlgorithm = hashes.SHA256() if half == 32 else hashes.SHA384()
    der = encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
    for message in messages:
        try:
            public_key.verify(der, message.encode("latin-1"), ec.ECDSA(algorithm))
        except (InvalidSignature, UnicodeEncodeError):
            continue
        return True, (
            f"authentifié : signature vérifiée (certificat {header.ca_id}/{header.certificate_id})"
        )
    return False, "signature invalide : le document a été modifié ou n'est pas authentique"


@dataclass(slots=True)
class _Split:
    message: str
    signature_text: str | None
    readings: list[list[_Piece]] = field(default_factory=list)


def parse_twoddoc(
    text: str,
    *,
    trust: TrustStore | None = None,
    substitutes: Mapping[str, str] | None = None,
) -> TwoDDoc:
    """Parse a text-mode 2D-Doc and check its signature when a trust store is given."""
    if not isinstance(text, str):
        raise ScanParseError("Le 2D-Doc doit être un texte.")
    text = apply_substitutes(unescape_controls(text.strip(" \r\n\t")), substitutes)
    header = parse_header(text)
    header_text = text[: header.length]
    split = _split(text, header.length, header.document_type)
    if split is None:
        raise ScanParseError(
            "2D-Doc illisible : les champs ne correspondent pas à la norme. Relisez le code."
        )
    lenient = GS not in split.message and RS not in split.message
    signature = None
    if split.signature_text is not None:
        signature = _decode_signature(split.signature_text)
    pieces, fields, errors, warnings, authenticated, reason = _best_reading(
        header, header_text, split, signature, trust, lenient=lenient
    )
    if split.signature_text is not None and signature is None:
        errors.append("signature illisible (base32 de 64 ou 96 octets attendu)")
    controls_missing = GS not in split.message and any(
        not p.terminator
        and (d := FIELD_DEFINITIONS.get(p.id)) is not None
        and not d.fixed
        and (d.max_length is None or len(p.text) < d.max_length)
        for p in pieces[:-1]
    )
    if authenticated is False:
        errors.append(reason)
    return TwoDDoc(
        header=header,
        fields=fields,
        message=split.message,
        signature=signature,
        authenticated=authenticated,
        authentication=reason,
        errors=tuple(errors),
        controls_missing=controls_missing,
        warnings=(*warnings, *_missing_warnings(header, fields)),
    )


_Reading = tuple[list[_Piece], tuple[TwoDDocField, ...], list[str], list[str], bool | None, str]


def _best_reading(
    header: TwoDDocHeader,
    header_text: str,
    split: _Split,
    signature: bytes | None,
    trust: TrustStore | None,
    *,
    lenient: bool,
) -> _Reading:
    """The reading whose signature verifies, else the first whose fields all convert."""
    first: _Reading | None = None
    clean: _Reading | None = None
    for pieces in split.readings:
        errors: list[str] = []
        warnings: list[str] = []
        fields = tuple(_convert(piece, errors, warnings, lenient=lenient) for piece in pieces)
        candidates = [split.message]
        for final_gs in (False, True):
            canonical = _canonical(header_text, pieces, final_gs=final_gs)
            if canonical not in candidates:
                candidates.append(canonical)
        authenticated, reason = _verify(header, candidates, signature, trust)
        reading: _Reading = (pieces, fields, errors, warnings, authenticated, reason)
        if authenticated is True:
            return reading
        first = first or reading
        if clean is None and not errors:
            clean = reading
        if authenticated is None:
            break  # nothing can tell the readings apart: no need to try them all
    chosen = clean or first
    assert chosen is not None  # _split returns at least one reading
    if len(split.readings) > 1:
        chosen[3].append(
            "séparateurs de champs absents : plusieurs découpages possibles, lecture incertaine "
            "(réglez le lecteur pour qu'il transmette les caractères GS)"
        )
    return chosen


def _missing_warnings(header: TwoDDocHeader, fields: tuple[TwoDDocField, ...]) -> list[str]:
    present = {f.id for f in fields}
    return [
        f"champ obligatoire absent pour ce type de document : {e.id} {e.label}"
        for e in EXPECTED_FIELDS.get(header.document_type, ())
        if e.required and e.id not in present
    ]


def _split(text: str, header_length: int, document_type: str) -> _Split | None:
    if US in text:
        message, _, after = text.partition(US)
        signature_text = after.split(US, 1)[0]
        readings = _FieldReader(message[header_length:], document_type).readings()
        return _Split(message, signature_text, readings) if readings else None
    # No US: the scanner dropped it, or the code carries no signature.
    for length in _SIGNATURE_TEXT_LENGTHS:
        if len(text) - header_length <= length:
            continue
        tail = text[-length:]
        if _decode_signature(tail) is None:
            continue
        message = text[:-length]
        readings = _FieldReader(message[header_length:], document_type).readings()
        if readings:
            return _Split(message, tail, readings)
    readings = _FieldReader(text[header_length:], document_type).readings()
    return _Split(text, None, readings) if readings else None
