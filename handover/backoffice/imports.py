"""Import the delivery file of permits that arrived at the prefecture.

The file is CSV, encoded in UTF-8 (with or without BOM) or Windows-1252 (detected),
separated by ``;`` or ``,`` (detected from the header line). The first line names the
columns; names are read case-, accent- and space-insensitively (« Prénoms » = ``prenoms``).
Columns, in any order:

=================  =========  =============================================================
column             required   value
=================  =========  =============================================================
nom                yes        surname, as printed on the card
prenoms            yes        given names (may be empty)
date_naissance     yes        JJ/MM/AAAA or AAAA-MM-JJ
nationalite        yes        ICAO code, 3 letters (``DZA``, ``SEN``…)
numero_etranger    no         9 or 10 digits (AGDREF)
numero_anef        no         19 digits
numero_carte       yes        card number, 6 to 20 letters or digits, unique
categorie          yes        permit category, e.g. « Carte de séjour temporaire — salarié »
valide_du          yes        first day of validity (JJ/MM/AAAA or AAAA-MM-JJ)
valide_au          yes        last day of validity, after ``valide_du``
casier             yes        storage slot where the card is filed, e.g. ``B-12``
telephone          no         mobile phone: ``06 12 34 56 78`` or ``+33612345678`` or ``+<intl>``
montant_timbres    no         tax stamps to bring, in euros (``225``, ``225,00``); default: config
carte_precedente   no         ``oui``/``non`` (``1``/``0``, ``o``/``n``): previous card to return
sexe               no         ``M``, ``F`` or ``X``
=================  =========  =============================================================

Every row is checked before anything is written; by default one bad row refuses the whole
file (the database is unchanged) and the report lists each rejected row by line number.
A row whose card number is already in the database with the same holder and dates is
skipped as "déjà importé", so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from handover import audit
from handover import formatting as fmt
from handover.config import Config
from handover.domain.names import name_key
from handover.domain.text import is_hidden, printable
from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.errors import ScanParseError
from handover.scanning.numbers import parse_anef_request_number, parse_numero_etranger
from handover.services.accounts import SUPERVISORS, acting_account, check_account

REQUIRED = (
    "nom",
    "prenoms",
    "date_naissance",
    "nationalite",
    "numero_carte",
    "categorie",
    "valide_du",
    "valide_au",
    "casier",
)
OPTIONAL = (
    "numero_etranger",
    "numero_anef",
    "telephone",
    "montant_timbres",
    "carte_precedente",
    "sexe",
)
COLUMNS = REQUIRED + OPTIONAL
INSERT_BATCH = 5000
PROGRESS_EVERY = 2000

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``; phase is ``"vérification"`` then ``"enregistrement"``."""

IMPORT = "importer une livraison de titres"


class ImportFileError(HandoverError):
    """The file cannot be read as a delivery file at all (encoding, header, empty).

    ``message`` holds no personal data (it may reach a log); ``shown`` is the offending
    part of the file, for the operator's terminal or screen only.
    """

    def __init__(self, message: str, *, shown: str = "") -> None:
        super().__init__(message)
        self.shown = shown


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reasons: tuple[str, ...]
    card_number: str = ""

    def __str__(self) -> str:
        return f"ligne {self.line} : " + " ; ".join(self.reasons)


@dataclass(frozen=True)
class ImportReport:
    """What an import found and did. ``committed`` is False on refusal and on a dry run."""

    file_name: str
    encoding: str
    delimiter: str
    rows: int
    imported: int
    already_imported: int
    rejected: tuple[RejectedRow, ...]
    committed: bool
    dry_run: bool
    valid_only: bool
    batch: str = ""

    @property
    def refused(self) -> bool:
        """The file is refused whole because of rejected rows (always so on a dry run)."""
        return bool(self.rejected) and not self.valid_only

    def summary(self) -> str:
        """The report in French, one rejected row per line."""
        lines = [
            f"Fichier {self.file_name} ({self.encoding}, séparateur « {self.delimiter} ») : "
            f"{self.rows} ligne(s) de titres."
        ]
        lines.append(f"  à importer / importés : {self.imported}")
        lines.append(f"  déjà importés (ignorés) : {self.already_imported}")
        lines.append(f"  refusés : {len(self.rejected)}")
        for row in self.rejected:
            lines.append(f"    - {row}")
        if self.dry_run:
            lines.append("Essai à blanc (--dry-run) : la base n'a pas été modifiée.")
        elif self.committed:
            lines.append(f"Import enregistré (lot {self.batch}).")
        elif not self.refused:
            lines.append("Rien de nouveau à importer : la base n'a pas été modifiée.")
        else:
            lines.append(
                "Fichier REFUSÉ : rien n'a été importé. Corrigez les lignes ci-dessus, ou "
                "relancez avec --valid-only pour n'importer que les lignes valides."
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Row:
    line: int
    values: dict[str, Any] = field(hash=False)

    @property
    def identity(self) -> tuple[Any, ...]:
        v = self.values
        return (
            v["surname"],
            v["given_names"],
            v["birth_date"],
            v["nationality"],
            v["category"],
            v["valid_from"],
            v["valid_until"],
        )


# -- reading the file ---------------------------------------------------------------------


# A valid UTF-8 sequence of two to four bytes (RFC 3629): a Windows-1252 file of names
# practically never contains one (it would take e.g. « Ã© »), a UTF-8 file with accents does.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _line_of(data: bytes, offset: int) -> tuple[int, str]:
    """The line number of byte ``offset`` and that line, odd bytes written ``\\xNN``."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    raw = data[start : len(data) if end < 0 else end].rstrip(b"\r")
    shown = printable(raw.decode("utf-8", errors="backslashreplace"), limit=160)
    return data[:offset].count(b"\n") + 1, shown


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name: UTF-8 (BOM or not), strictly; Windows-1252 only for
    a file with no UTF-8 sequence anywhere. A file mixing both is refused."""
    head = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 4:
        raise ImportFileError(
            "Le fichier est en UTF-16 ou n'est pas un fichier texte. Enregistrez-le au "
            "format « CSV UTF-8 » (ou CSV Windows) et recommencez."
        )
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    name = "UTF-8 avec BOM" if bom else "UTF-8"
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError as exc:
        odd = exc.start
    if bom or _UTF8_MULTIBYTE.search(data):
        line, shown = _line_of(data, odd)
        raise ImportFileError(
            f"Le fichier mélange deux encodages : il est en UTF-8, mais l'octet 0x{data[odd]:02X} "
            f"ligne {line} n'en est pas (caractère saisi dans un autre encodage, par exemple "
            "Windows-1252). Rien n'a été importé : corrigez cette ligne et enregistrez tout le "
            "fichier au format « CSV UTF-8 ».",
            shown=f"ligne {line} : {shown}",
        )
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line, shown = _line_of(data, exc.start)
        raise ImportFileError(
            f"Encodage du fichier non reconnu (octet 0x{data[exc.start]:02X} ligne {line}) : "
            "ni UTF-8 ni Windows-1252. Enregistrez-le au format « CSV UTF-8 » et recommencez.",
            shown=f"ligne {line} : {shown}",
        ) from None


def normalize_header(name: str) -> str:
    """« Prénoms » → ``prenoms``; « Date de naissance » → ``date_de_naissance``."""
    plain = unicodedata.normalize("NFKD", name.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise ImportFileError(
            "La première ligne ne contient aucun séparateur (« ; » ou « , ») : ce n'est pas "
            f"un fichier CSV de livraison. Colonnes attendues : {';'.join(COLUMNS)}."
        )
    return best


def _header(fields: list[str]) -> list[str]:
    names = [normalize_header(f) for f in fields]
    unknown = [f for f, n in zip(fields, names, strict=True) if n not in COLUMNS]
    missing = [c for c in REQUIRED if c not in names]
    doubled = sorted({n for n in names if names.count(n) > 1 and n})
    problems = []
    if missing:
        problems.append(f"colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}")
    if unknown:
        problems.append(f"colonne(s) inconnue(s) : {', '.join(repr(u) for u in unknown)}")
    if doubled:
        problems.append(f"colonne(s) en double : {', '.join(doubled)}")
    if problems:
        raise ImportFileError(
            "En-tête du fichier incorrect : "
            + " ; ".join(problems)
            + f". Colonnes possibles : {';'.join(COLUMNS)} (obligatoires : "
            f"{', '.join(REQUIRED)})."
        )
    return names


# -- checking the values ------------------------------------------------------------------

_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CARD = re.compile(r"^[A-Z0-9]{6,20}$")
_SLOT = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{0,19}$")
_NATIONALITY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^(\d{1,5})(?:[.,](\d{1,2}))?$")
_YES = {"oui", "o", "1", "vrai", "true", "x", "yes", "y"}
_NO = {"non", "n", "0", "faux", "false", "no", ""}


def parse_date(text: str) -> date:
    """JJ/MM/AAAA or AAAA-MM-JJ; ValueError with a French message otherwise."""
    text = text.strip()
    m = _DATE_FR.match(text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = _DATE_ISO.match(text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"« {text} » n'est pas une date qui existe") from None
    raise ValueError(f"« {text} » n'est pas une date JJ/MM/AAAA")


def parse_phone(text: str) -> str | None:
    """A mobile number in international form (``+33612345678``); None when empty."""
    raw = re.sub(r"[\s.\-()]", "", text)
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("0") and len(raw) == 10 and raw.isdigit():
        raw = "+33" + raw[1:]
    if not (raw.startswith("+") and raw[1:].isdigit() and 8 <= len(raw) - 1 <= 15):
        raise ValueError(f"téléphone « {text.strip()} » illisible (attendu 06… ou +33…)")
    if raw.startswith("+33") and (len(raw) != 12 or raw[3] not in "67"):
        raise ValueError(f"« {text.strip()} » n'est pas un numéro de mobile (06 ou 07)")
    return raw


def parse_amount_cents(text: str) -> int:
    raw = text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u202f", "")
    m = _AMOUNT.match(raw)
    if not m:
        raise ValueError(
            f"montant « {text.strip()} » illisible (attendu par exemple 225 ou 225,00)"
        )
    cents = (m[2] or "0").ljust(2, "0")
    return int(m[1]) * 100 + int(cents)


def _text(values: Mapping[str, str], key: str, max_len: int, reasons: list[str], what: str) -> str:
    value = " ".join(values.get(key, "").split())
    if len(value) > max_len:
        reasons.append(f"{what} trop long ({len(value)} caractères, {max_len} au plus)")
    return value


# The longest value each column may hold, as typed (spaces included); the database's own
# limits are those of the stored form, never more than these.
FIELD_MAX = {
    "nom": 120,
    "prenoms": 160,
    "date_naissance": 20,
    "nationalite": 10,
    "numero_etranger": 20,
    "numero_anef": 30,
    "numero_carte": 30,
    "categorie": 120,
    "valide_du": 20,
    "valide_au": 20,
    "casier": 30,
    "telephone": 30,
    "montant_timbres": 20,
    "carte_precedente": 10,
    "sexe": 5,
}


def check_text(values: Mapping[str, str]) -> list[str]:
    """Reasons to refuse a row before reading its values: a field too long, or holding a
    control character (NUL, an escape sequence, a line break inside a field…)."""
    reasons = []
    for key, value in values.items():
        limit = FIELD_MAX.get(key, 120)
        if len(value) > limit:
            reasons.append(
                f"colonne {key} trop longue ({len(value)} caractères, {limit} au plus) : "
                f"« {printable(value, limit=40)} »"
            )
            continue
        hidden = next((c for c in value if is_hidden(c)), None)
        if hidden is not None:
            reasons.append(
                f"colonne {key} : caractère de contrôle U+{ord(hidden):04X} refusé : "
                f"« {printable(value, limit=60)} »"
            )
    return reasons


def _card(values: Mapping[str, str]) -> str:
    return re.sub(r"[\s-]", "", values.get("numero_carte", "")).upper()


def check_row(
    values: Mapping[str, str], *, default_fee_cents: int, today: date
) -> tuple[dict[str, Any], list[str]]:
    """The permit's column values from one CSV row, and the reasons it is refused (French)."""
    reasons = check_text(values)
    out: dict[str, Any] = {}
    if reasons:
        if not any(r.startswith("colonne numero_carte ") for r in reasons):
            out["card_number"] = _card(values)  # names the row in the report
        return out, reasons
    surname = _text(values, "nom", 120, reasons, "nom")
    if not surname:
        reasons.append("nom vide")
    out["surname"] = surname
    out["given_names"] = _text(values, "prenoms", 160, reasons, "prénoms")
    out["name_key"] = name_key(surname)

    def day(key: str, what: str) -> date | None:
        raw = values.get(key, "").strip()
        if not raw:
            reasons.append(f"{what} vide")
            return None
        try:
            return parse_date(raw)
        except ValueError as exc:
            reasons.append(f"{what} : {exc}")
            return None

    birth = day("date_naissance", "date de naissance")
    if birth is not None and not date(1900, 1, 1) < birth <= today:
        reasons.append(f"date de naissance {birth:%d/%m/%Y} impossible")
    out["birth_date"] = birth
    nationality = values.get("nationalite", "").strip().upper()
    if not _NATIONALITY.match(nationality):
        reasons.append(f"nationalité « {nationality} » : attendu un code de 3 lettres (ex. DZA)")
    out["nationality"] = nationality
    for key, column, parser in (
        ("numero_etranger", "numero_etranger", parse_numero_etranger),
        ("numero_anef", "anef_request_number", parse_anef_request_number),
    ):
        raw = values.get(key, "").strip()
        out[column] = None
        if raw:
            try:
                out[column] = parser(raw).digits
            except ScanParseError as exc:
                reasons.append(exc.message.rstrip("."))
    card = _card(values)
    if not card:
        reasons.append("numéro de carte vide")
    elif not _CARD.match(card):
        reasons.append(f"numéro de carte « {card} » : attendu 6 à 20 lettres ou chiffres")
    out["card_number"] = card
    category = _text(values, "categorie", 120, reasons, "catégorie")
    if not category:
        reasons.append("catégorie vide")
    out["category"] = category
    start = day("valide_du", "début de validité")
    end = day("valide_au", "fin de validité")
    if start is not None and end is not None and not start < end:
        reasons.append(f"validité du {start:%d/%m/%Y} au {end:%d/%m/%Y} : la fin précède le début")
    out["valid_from"], out["valid_until"] = start, end
    slot = " ".join(values.get("casier", "").split()).upper()
    if not slot:
        reasons.append("casier vide (où la carte est-elle rangée ?)")
    elif not _SLOT.match(slot):
        reasons.append(f"casier « {slot} » : 20 caractères au plus, lettres, chiffres, - . /")
    out["storage_slot"] = slot
    try:
        out["phone"] = parse_phone(values.get("telephone", ""))
    except ValueError as exc:
        reasons.append(str(exc))
    fee = values.get("montant_timbres", "").strip()
    out["fee_cents"] = default_fee_cents
    if fee:
        try:
            out["fee_cents"] = parse_amount_cents(fee)
        except ValueError as exc:
            reasons.append(str(exc))
    previous = values.get("carte_precedente", "").strip().lower()
    if previous in _YES:
        out["previous_card_expected"] = True
    elif previous in _NO:
        out["previous_card_expected"] = False
    else:
        reasons.append(f"carte_precedente « {previous} » : attendu oui ou non")
    sex = values.get("sexe", "").strip().upper() or "X"
    if sex not in ("M", "F", "X"):
        reasons.append(f"sexe « {sex} » : attendu M, F ou X")
    out["sex"] = sex
    return out, reasons


# -- the import ---------------------------------------------------------------------------


def _records(text: str) -> tuple[str, list[str], Iterator[tuple[int, list[str]]]]:
    stream = io.StringIO(text, newline="")
    first = stream.readline()
    if not first.strip():
        raise ImportFileError(
            "Le fichier est vide : il doit commencer par la ligne des noms de colonnes "
            f"({';'.join(COLUMNS)})."
        )
    delimiter = sniff_delimiter(first)
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    header = _header(next(reader))

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        try:
            for fields in reader:
                start, line = line + 1, reader.line_num
                if any(f.strip() for f in fields):
                    yield start, fields
        except csv.Error:
            raise ImportFileError(
                f"Ligne {line + 1} : un champ dépasse {fmt.number(csv.field_size_limit())} "
                "caractères (ou un guillemet n'est jamais fermé). Ce n'est pas un fichier de "
                "livraison valide : rien n'a été importé."
            ) from None

    return delimiter, header, rows()


def _existing(
    engine: Engine, cards: list[str], progress: Progress | None
) -> dict[str, tuple[Any, ...]]:
    """The identity of the cards already in the database, looked up by the card's index."""
    found: dict[str, tuple[Any, ...]] = {}
    with UnitOfWork(engine, read_only=True) as uow:
        for start in range(0, len(cards), LOOKUP_BATCH):
            chunk = cards[start : start + LOOKUP_BATCH]
            for known in uow.session.execute(_KNOWN, {"cards": chunk}):
                found[known[0]] = tuple(known[1:])
            if progress and len(cards) > LOOKUP_BATCH:
                progress("comparaison", min(start + LOOKUP_BATCH, len(cards)), len(cards))
    return found


LOOKUP_BATCH = 500
_KNOWN = select(
    Permit.card_number,
    Permit.surname,
    Permit.given_names,
    Permit.birth_date,
    Permit.nationality,
    Permit.category,
    Permit.valid_from,
    Permit.valid_until,
).where(Permit.card_number.in_(bindparam("cards", expanding=True)))


def import_permits(
    engine: Engine,
    config: Config,
    path: Path,
    *,
    valid_only: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    actor: AgentIdentity,
) -> ImportReport:
    """Check every row of the delivery file, then import it whole in one transaction.

    Everything is checked before the write lock is taken: the file, every row, and the cards
    already in the database (looked up by their index, without the write lock). The write
    transaction then only inserts the new rows and appends one audit entry, so desks wait
    for it at most that long. With rejected rows and without ``valid_only`` nothing is
    written. Raises ``ImportFileError`` when the file itself is unreadable.
    """
    check_account(UnitOfWork(engine, read_only=True), actor, SUPERVISORS, doing=IMPORT)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Impossible de lire {path} : {exc.strerror or exc}.") from exc
    text, encoding = decode(data)
    delimiter, header, records = _records(text)
    lines = list(records)
    total = len(lines)
    if total == 0:
        raise ImportFileError(
            f"Le fichier {path.name} ne contient que la ligne d'en-tête : aucun titre à importer."
        )
    today = (now or datetime.now(UTC)).date()
    width = len(header)
    rejected: list[RejectedRow] = []
    good: list[_Row] = []
    by_card: dict[str, _Row] = {}
    refused_cards: set[str] = set()
    for done, (line, fields) in enumerate(lines, 1):
        if len(fields) != width:
            rejected.append(RejectedRow(line, (f"{len(fields)} champ(s) au lieu de {width}",), ""))
            continue
        values, reasons = check_row(
            dict(zip(header, fields, strict=True)),
            default_fee_cents=config.fees.default_cents,
            today=today,
        )
        card = values.get("card_number", "")
        if not reasons:
            first = by_card.get(card)
            if first is not None:
                same = first.identity == _Row(line, values).identity
                reasons.append(
                    f"numéro de carte {card} déjà présent ligne {first.line}"
                    + ("" if same else " avec d'autres données (les deux lignes sont refusées)")
                )
                if not same and card not in refused_cards:
                    refused_cards.add(card)
                    rejected.append(
                        RejectedRow(
                            first.line,
                            (f"numéro de carte {card} repris ligne {line} avec d'autres données",),
                            card,
                        )
                    )
            elif card in refused_cards:
                reasons.append(f"numéro de carte {card} en double dans le fichier")
        if reasons:
            rejected.append(RejectedRow(line, tuple(reasons), card))
        else:
            row = _Row(line, values)
            by_card[card] = row
            good.append(row)
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress("vérification", done, total)
    good = [r for r in good if r.values["card_number"] not in refused_cards]

    existing = _existing(engine, [r.values["card_number"] for r in good], progress)
    fresh: list[_Row] = []
    already = 0
    for r in good:
        known = existing.get(r.values["card_number"])
        if known is None:
            fresh.append(r)
        elif known == r.identity:
            already += 1
        else:
            rejected.append(
                RejectedRow(
                    r.line,
                    (
                        f"numéro de carte {r.values['card_number']} déjà en base pour un "
                        "autre titulaire ou d'autres dates",
                    ),
                    r.values["card_number"],
                )
            )
    rejected.sort(key=lambda x: x.line)
    refuse = bool(rejected) and not valid_only
    batch = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{hashlib.sha256(data).hexdigest()[:16]}"
    report = ImportReport(
        file_name=path.name,
        encoding=encoding,
        delimiter=delimiter,
        rows=total,
        imported=0 if refuse else len(fresh),
        already_imported=already,
        rejected=tuple(rejected),
        committed=False,
        dry_run=dry_run,
        valid_only=valid_only,
        batch=batch,
    )
    if refuse or dry_run or not fresh:
        return report
    _write(
        engine,
        config,
        fresh,
        now=now,
        progress=progress,
        actor=actor,
        batch=batch,
        details={
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "rows": total,
            "imported": len(fresh),
            "already_imported": already,
            "rejected": len(rejected),
        },
    )
    return replace(report, committed=True)


def _write(
    engine: Engine,
    config: Config,
    fresh: list[_Row],
    *,
    now: datetime | None,
    progress: Progress | None,
    actor: AgentIdentity,
    batch: str,
    details: dict[str, Any],
) -> None:
    """The all-or-nothing write: the new rows and one audit entry, nothing else."""
    table = cast(Table, Permit.__table__)
    with UnitOfWork(engine) as uow:
        s = uow.session
        agent = acting_account(s, actor, SUPERVISORS, doing=IMPORT).pseudonym
        at = now or server_now(s)
        rows = [
            {
                **r.values,
                "state": PermitState.RECEIVED.value,
                "received_at": at,
                "import_batch": batch,
                "created_at": at,
                "updated_at": at,
            }
            for r in fresh
        ]
        try:
            for start in range(0, len(rows), INSERT_BATCH):
                s.execute(insert(table), rows[start : start + INSERT_BATCH])
                if progress:
                    progress("enregistrement", min(start + INSERT_BATCH, len(rows)), len(rows))
        except IntegrityError as error:
            if not _is_unique_violation(error):
                raise
            raise ImportFileError(
                "Des titres de ce fichier viennent d'être enregistrés par un autre import, "
                "pendant la vérification. Rien n'a été importé : relancez l'import (les titres "
                "déjà présents seront ignorés)."
            ) from None
        audit.append(
            s,
            at=at,
            desk=config.desk.name,
            agent=agent,
            action="permits_import",
            subject=f"import:{batch}",
            details=details,
        )
        uow.commit()


def _is_unique_violation(error: IntegrityError) -> bool:
    """A duplicate card (another import got there first), not any other refusal."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == "23505")
    return "UNIQUE constraint failed" in str(error.orig)
