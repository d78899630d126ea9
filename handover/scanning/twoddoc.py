"""2D-Doc (ANTS) in text mode: header, message fields, ECDSA signature.

Scanners often drop the control characters GS/RS/US or type something else for them, so
besides the real characters the parser accepts their textual forms (``<GS>``, ``\\x1d``…),
configured substitutes, and their absence: then a variable field ends where the rest of
the message still reads as known fields (look-ahead over the field table) and the
signature is recognised at the end by its length.

Uncertain: the position of the country code in version 04 headers; we follow the project's
domain notes (after document type and perimeter).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from handover.scanning.errors import ScanParseError

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


class FieldKind(Enum):
    TEXT = "text"
    DIGITS = "digits"
    DATE = "date"  # DDMMYYYY


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    """One entry of the ANTS field table; ``max_length`` None means unbounded."""

    id: str
    label: str
    min_length: int
    max_length: int | None
    kind: FieldKind = FieldKind.TEXT
    charset: str = "A-Z0-9 /-"

    @property
    def fixed(self) -> bool:
        return self.min_length == self.max_length


def _d(
    id_: str,
    label: str,
    low: int,
    high: int | None,
    kind: FieldKind = FieldKind.TEXT,
    charset: str = "A-Z0-9 /-",
) -> FieldDefinition:
    if kind is not FieldKind.TEXT:
        charset = "0-9"
    return FieldDefinition(id_, label, low, high, kind, charset)


_NAME = "A-Z /'-"
_DIGITS, _DATE = FieldKind.DIGITS, FieldKind.DATE

# Field lengths from the ANTS "Spécifications techniques des codes à barres 2D-Doc" tables
# (general fields and the identity-document group used by document type 13).
FIELD_DEFINITIONS: Mapping[str, FieldDefinition] = {
    d.id: d
    for d in (
        _d("01", "Identifiant unique du document", 0, None),
        _d("02", "Catégorie de document", 0, None),
        _d("03", "Sous-catégorie de document", 0, None),
        _d("04", "Application de composition", 0, None),
        _d("05", "Version de l'application de composition", 0, None),
        _d("09", "Nombre de pages du document", 4, 4, _DIGITS),
        _d("60", "Prénoms", 0, 60, charset=_NAME),
        _d("61", "Prénom", 0, 20, charset=_NAME),
        _d("62", "Nom", 0, 38, charset=_NAME),
        _d("63", "Nom d'usage", 0, 38, charset=_NAME),
        _d("64", "Nom d'épouse ou d'époux", 0, 38, charset=_NAME),
        _d("65", "Type de pièce d'identité", 2, 2),
        _d("66", "Numéro de la pièce d'identité", 0, 20),
        _d("67", "Nationalité", 2, 2, charset="A-Z"),
        _d("68", "Sexe", 1, 1, charset="A-Z"),
        _d("69", "Date de naissance", 8, 8, _DATE),
        _d("6A", "Lieu de naissance", 0, 32, charset=_NAME),
        _d("6B", "Département du bureau émetteur", 3, 3),
        _d("6C", "Pays de naissance", 2, 2, charset="A-Z"),
        _d("6G", "Nom", 1, 38, charset=_NAME),
        _d("6H", "Civilité", 1, 10, charset=_NAME),
        _d("6I", "Pays émetteur", 2, 2, charset="A-Z"),
        _d("6J", "Type de document étranger", 1, 1, _DIGITS),
        _d("6K", "Numéro de la demande", 19, 19, _DIGITS),
        _d("6L", "Date de dépôt de la demande", 8, 8, _DATE),
        _d("6M", "Catégorie du titre", 0, 40, charset="A-Z '-"),
        _d("6N", "Début de validité", 8, 8, _DATE),
        _d("6O", "Fin de validité", 8, 8, _DATE),
        _d("6P", "Autorisation de travail", 0, 40, charset="A-Z '-"),
        _d("6Q", "Numéro étranger", 0, 10, charset="A-Z0-9"),
        _d("6R", "Numéro de visa", 12, 12, charset="A-Z0-9"),
        _d("6Z", "Numéro étranger de l'autorisation de travail", 9, 11, charset="A-Z0-9"),
    )
}

DOCUMENT_TYPES: Mapping[str, str] = {
    "00": "Justificatif de domicile",
    "01": "Justificatif de domicile (facture)",
    "02": "Justificatif de domicile (avis de taxe d'habitation)",
    "04": "Avis d'impôt sur le revenu",
    "07": "Titre d'identité",
    "08": "Titre d'identité (MRZ)",
    "13": "Document étranger",
    "16": "Attestation de demande d'asile",
}

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

    @property
    def valid(self) -> bool:
        return not self.errors

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
        value = self.value("62")
        return value if isinstance(value, str) else None

    @property
    def first_names(self) -> str | None:
        value = self.value("60")
        return value if isinstance(value, str) else None

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


class _FieldReader:
    """Cut the message body into fields, backtracking over field ends when GS is missing."""

    # Look-ahead recurses once per field; a real 2D-Doc message is a few hundred characters.
    MAX_LENIENT_LENGTH = 600

    def __init__(self, body: str) -> None:
        self.body = body
        self.lenient = GS not in body and RS not in body
        self.memo: dict[int, list[_Piece] | None] = {}

    def read_all(self) -> list[_Piece] | None:
        if self.lenient:
            if len(self.body) > self.MAX_LENIENT_LENGTH:
                raise ScanParseError(
                    "2D-Doc trop long sans séparateurs de champs : réglez le lecteur pour qu'il "
                    "transmette les caractères GS."
                )
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

    def read(self, pos: int) -> list[_Piece] | None:
        if pos in self.memo:
            return self.memo[pos]
        self.memo[pos] = None  # guards against loops while computing
        result = self._read(pos)
        self.memo[pos] = result
        return result

    def _read(self, pos: int) -> list[_Piece] | None:
        body = self.body
        if pos == len(body):
            return []
        if pos + 2 > len(body):
            return None
        field_id = body[pos : pos + 2]
        start = pos + 2
        definition = FIELD_DEFINITIONS.get(field_id)
        if definition is None:
            # Unknown field: only its terminator can tell where it ends.
            return self._then(field_id, start, _next_control(body, start))
        if definition.fixed:
            assert definition.max_length is not None
            end = min(start + definition.max_length, len(body))
            control = _next_control(body, start, end)
            return self._then(field_id, start, control)
        limit = len(body) if definition.max_length is None else start + definition.max_length
        limit = min(limit, len(body))
        control = _next_control(body, start, limit)
        if not self.lenient or control < limit:
            return self._then(field_id, start, control)
        allowed = re.compile(f"[{definition.charset}]*")
        longest = start
        while longest < limit and allowed.fullmatch(body[longest]):
            longest += 1
        for end in range(longest, start + definition.min_length - 1, -1):
            rest = self.read(end)
            if rest is not None:
                return [_Piece(field_id, body[start:end], ""), *rest]
        return None

    def _then(self, field_id: str, start: int, end: int) -> list[_Piece] | None:
        body = self.body
        terminator = body[end] if end < len(body) and body[end] in (GS, RS) else ""
        rest = self.read(end + (1 if terminator else 0))
        if rest is None:
            return None
        return [_Piece(field_id, body[start:end], terminator), *rest]


def _next_control(text: str, start: int, stop: int | None = None) -> int:
    stop = len(text) if stop is None else stop
    for i in range(start, stop):
        if text[i] in (GS, RS):
            return i
    return stop


def _convert(piece: _Piece, errors: list[str], *, lenient: bool) -> TwoDDocField:
    definition = FIELD_DEFINITIONS.get(piece.id)
    truncated = piece.terminator == RS
    if definition is None:
        if lenient:
            errors.append(
                f"champ {piece.id} inconnu et séparateurs absents : lecture incertaine, "
                "vérifiez le réglage du lecteur"
            )
        return TwoDDocField(piece.id, f"Champ {piece.id}", piece.text, piece.text, truncated)
    text = piece.text
    value: str | date | None = text
    if not truncated and len(text) < definition.min_length:
        errors.append(f"champ {definition.label} trop court ({len(text)} caractères)")
    if definition.kind is FieldKind.DIGITS and not (text.isascii() and text.isdigit()):
        errors.append(f"champ {definition.label} : des chiffres sont attendus")
    if definition.kind is FieldKind.DATE:
        value = _field_date(text)
        if value is None:
            errors.append(f"champ {definition.label} : date impossible ({text})")
    return TwoDDocField(piece.id, definition.label, text, value, truncated)


def _field_date(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
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
        self.folder = Path(folder)
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
    pieces: list[_Piece] = field(default_factory=list)


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
    split = _split(text, header.length)
    if split is None:
        raise ScanParseError(
            "2D-Doc illisible : les champs ne correspondent pas à la norme. Relisez le code."
        )
    errors: list[str] = []
    lenient = GS not in split.message and RS not in split.message
    fields = tuple(_convert(piece, errors, lenient=lenient) for piece in split.pieces)
    signature = None
    if split.signature_text is not None:
        signature = _decode_signature(split.signature_text)
        if signature is None:
            errors.append("signature illisible (base32 de 64 ou 96 octets attendu)")
    controls_missing = GS not in split.message and any(
        not p.terminator
        and (d := FIELD_DEFINITIONS.get(p.id)) is not None
        and not d.fixed
        and (d.max_length is None or len(p.text) < d.max_length)
        for p in split.pieces[:-1]
    )
    candidates = [split.message]
    for final_gs in (False, True):
        canonical = _canonical(header_text, split.pieces, final_gs=final_gs)
        if canonical not in candidates:
            candidates.append(canonical)
    authenticated, reason = _verify(header, candidates, signature, trust)
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
    )


def _split(text: str, header_length: int) -> _Split | None:
    if US in text:
        message, _, after = text.partition(US)
        signature_text = after.split(US, 1)[0]
        pieces = _FieldReader(message[header_length:]).read_all()
        return None if pieces is None else _Split(message, signature_text, pieces)
    # No US: the scanner dropped it, or the code carries no signature.
    for length in _SIGNATURE_TEXT_LENGTHS:
        if len(text) - header_length <= length:
            continue
        tail = text[-length:]
        if _decode_signature(tail) is None:
            continue
        message = text[:-length]
        pieces = _FieldReader(message[header_length:]).read_all()
        if pieces is not None:
            return _Split(message, tail, pieces)
    pieces = _FieldReader(text[header_length:]).read_all()
    return None if pieces is None else _Split(text, None, pieces)
