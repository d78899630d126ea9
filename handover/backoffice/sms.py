"""SMS batches for the gateway: the "your permit is ready" message, its text and its length.

The gateway file is CSV, UTF-8, ``;``-separated, with the columns ``telephone;message;
reference``. ``export_notifications`` gives each permit that arrived its handover reference
and writes the file; ``confirm_notifications`` reads that same file back once the gateway
has sent it and marks exactly those permits as notified.

A message must fit in two SMS segments. GSM 03.38 text (7-bit) holds 160 characters in one
segment and 153 per segment when concatenated; the extension characters (``€ [ ] { } ^ ~
| \\``) take two. Any other character (``ê``, ``ç``, ``œ``, ``«``, an emoji…) turns the
whole message into UCS-2: 70 UTF-16 units, 67 per concatenated segment. French letters
``é è à ù`` are GSM; ``ê â î ô û ç`` are not.
"""

from __future__ import annotations

import csv
import io
import os
import random
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func, select

from handover import audit
from handover.config import Config
from handover.domain.opening_window import WEEKDAY_NAMES_FR, Schedule
from handover.domain.text import printable
from handover.domain.values import AgentIdentity
from handover.errors import HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import format_reference, generate_reference, normalize_reference
from handover.services.accounts import SUPERVISORS, acting_account
from handover.services.permits import SkippedPermit, change_states, state_name

MAX_SEGMENTS = 2
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")
GATEWAY_COLUMNS = ("telephone", "message", "reference")

NOTIFICATION_PLACEHOLDERS = (
    "reference",
    "jours",
    "horaires",
    "montant",
    "ancien_titre",
    "prefecture",
)
REMINDER_PLACEHOLDERS = (*NOTIFICATION_PLACEHOLDERS, "date_limite")

DEFAULT_NOTIFICATION = (
    "{prefecture} : votre titre de séjour est disponible. Venez le retirer sans rendez-vous "
    "le {jours} {horaires}, avec ce SMS (réf. {reference}), une pièce d'identité et des "
    "timbres fiscaux de {montant}{ancien_titre}."
)
DEFAULT_REMINDER = (
    "Rappel {prefecture} : votre titre de séjour vous attend jusqu'au {date_limite}. Venez "
    "le {jours} {horaires}, avec ce SMS (réf. {reference}), une pièce d'identité et des "
    "timbres fiscaux de {montant}{ancien_titre}."
)
PREVIOUS_CARD_TEXT = ", et votre ancien titre"


class SmsError(HandoverError):
    """A message template or a gateway file cannot be used; nothing was changed."""


# -- segment counting ---------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" | "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    non_gsm: tuple[str, ...] = ()


def non_gsm_characters(text: str) -> tuple[str, ...]:
    """The characters that force UCS-2, in order of first appearance."""
    seen: dict[str, None] = {}
    for c in text:
        if c not in GSM_BASIC and c not in GSM_EXTENSION:
            seen.setdefault(c, None)
    return tuple(seen)


def _pack(sizes: Iterable[int], single: int, multi: int) -> tuple[int, int]:
    """Total units and segments; a character is never split across two segments."""
    sizes = list(sizes)
    total = sum(sizes)
    if total == 0:
        return 0, 1
    if total <= single:
        return total, 1
    segments, room = 1, multi
    for size in sizes:
        if size > room:
            segments += 1
            room = multi
        room -= size
    return total, segments


def count_segments(text: str) -> SegmentCount:
    """How many SMS segments ``text`` takes, and in which encoding."""
    odd = non_gsm_characters(text)
    if not odd:
        units, segments = _pack((2 if c in GSM_EXTENSION else 1 for c in text), 160, 153)
        return SegmentCount("GSM-7", units, segments)
    units, segments = _pack((2 if ord(c) > 0xFFFF else 1 for c in text), 70, 67)
    return SegmentCount("UCS-2", units, segments, odd)


# -- templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsTemplate:
    """A message with ``{placeholder}`` fields; checked when built."""

    text: str
    placeholders: tuple[str, ...] = NOTIFICATION_PLACEHOLDERS
    source: str = ""  # the file it was read from

    def __post_init__(self) -> None:
        fields = self.fields()
        if "reference" not in fields:
            raise SmsError(
                f"Le modèle de SMS{self._where} ne contient pas {{reference}} : sans la "
                "référence, l'usager ne peut pas être reçu. Ajoutez {reference} au texte."
            )

    @property
    def _where(self) -> str:
        return f" ({self.source})" if self.source else ""

    def fields(self) -> set[str]:
        allowed = ", ".join("{" + p + "}" for p in self.placeholders)
        found: set[str] = set()
        try:
            parsed = list(string.Formatter().parse(self.text))
        except ValueError:
            raise SmsError(
                f"Le modèle de SMS{self._where} a une accolade seule : écrivez {{{{ ou }}}} "
                f"pour une accolade, et n'utilisez que les repères {allowed}."
            ) from None
        for _literal, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in self.placeholders:
                shown = "{" + name + "}" if name else "{}"
                raise SmsError(
                    f"Le modèle de SMS{self._where} utilise le repère {shown}, qui n'existe "
                    f"pas. Repères possibles : {allowed}."
                )
            if spec or conversion:
                raise SmsError(
                    f"Le modèle de SMS{self._where} met un format après {{{name}}} : écrivez "
                    f"simplement {{{name}}}."
                )
            found.add(name)
        return found

    def render(self, values: Mapping[str, str]) -> str:
        return self.text.format_map({p: values.get(p, "") for p in self.placeholders})

    @classmethod
    def from_file(
        cls, path: Path, placeholders: tuple[str, ...] = NOTIFICATION_PLACEHOLDERS
    ) -> SmsTemplate:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SmsError(f"Le modèle {path} doit être enregistré en UTF-8.") from None
        except OSError as exc:
            raise SmsError(f"Impossible de lire le modèle {path} : {exc.strerror}.") from exc
        text = " ".join(text.split())
        if not text:
            raise SmsError(f"Le modèle {path} est vide.")
        return cls(text, placeholders, source=str(path))


def check_length(message: str, source: str) -> SegmentCount:
    count = count_segments(message)
    if count.segments > MAX_SEGMENTS:
        odd = ""
        if count.non_gsm:
            odd = (
                " Caractères hors alphabet GSM qui imposent l'UCS-2 (70 caractères par SMS) : "
                + " ".join(f"« {c} »" for c in count.non_gsm)
                + "."
            )
        where = f" ({source})" if source else ""
        raise SmsError(
            f"Le SMS{where} ferait {count.segments} segments ({count.encoding}, "
            f"{count.units} unités) : {MAX_SEGMENTS} au plus. Raccourcissez le texte.{odd}"
        )
    return count


# -- the values put into a message ----------------------------------------------------------


def _hour(t: object) -> str:
    from datetime import time

    assert isinstance(t, time)
    return f"{t.hour}h" if t.minute == 0 else f"{t.hour}h{t.minute:02d}"


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def opening_text(schedule: Schedule) -> tuple[str, str]:
    """``(jours, horaires)``, e.g. ``("lundi, mardi et vendredi", "de 9h à 11h")``."""
    by_day: dict[int, list[str]] = {}
    for rule in sorted(schedule.rules, key=lambda r: (r.weekday, r.start)):
        by_day.setdefault(rule.weekday, []).append(f"de {_hour(rule.start)} à {_hour(rule.end)}")
    if not by_day:
        return "", ""
    days = _join([WEEKDAY_NAMES_FR[d] for d in by_day])
    hours = {" et ".join(v) for v in by_day.values()}
    if len(hours) == 1:
        return days, hours.pop()
    detail = ", ".join(f"{WEEKDAY_NAMES_FR[d]} {' et '.join(v)}" for d, v in by_day.items())
    return days, f"(selon le jour : {detail})"


def amount_text(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    whole = f"{euros:,}".replace(",", " ")
    return f"{whole} €" if rest == 0 else f"{whole},{rest:02d} €"


def message_values(
    config: Config, *, reference: str, fee_cents: int, previous_card: bool
) -> dict[str, str]:
    days, hours = opening_text(config.schedule)
    return {
        "reference": format_reference(reference),
        "jours": days,
        "horaires": hours,
        "montant": amount_text(fee_cents),
        "ancien_titre": PREVIOUS_CARD_TEXT if previous_card else "",
        "prefecture": config.site.prefecture,
    }


def check_template(config: Config, template: SmsTemplate) -> SegmentCount:
    """Render the template with long sample values; refuse it if it exceeds two segments."""
    values = message_values(config, reference="ZZZZZZZZZ", fee_cents=123456, previous_card=True) | {
        "date_limite": "31/12/2099"
    }
    return check_length(template.render(values), template.source)


# -- gateway files --------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayLine:
    phone: str
    message: str
    reference: str


def write_gateway_file(path: Path, lines: Sequence[GatewayLine]) -> None:
    """Write the file next to its final place, then rename it: never a half-written file."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(GATEWAY_COLUMNS)
    for line in lines:
        writer.writerow((line.phone, line.message, format_reference(line.reference)))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    os.replace(tmp, path)


def read_gateway_file(path: Path) -> list[tuple[int, GatewayLine]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SmsError(f"Impossible de lire le fichier d'envoi {path} : {exc}.") from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != GATEWAY_COLUMNS:
        raise SmsError(
            f"{path} n'est pas un fichier d'envoi produit par « handover sms export » : "
            f"la première ligne doit être {';'.join(GATEWAY_COLUMNS)}."
        )
    out = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != 3:
            raise SmsError(f"{path}, ligne {reader.line_num} : 3 colonnes attendues.")
        out.append((reader.line_num, GatewayLine(fields[0].strip(), fields[1], fields[2].strip())))
    return out


# -- notifications --------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsExport:
    path: Path
    messages: int
    without_phone: int
    longest: SegmentCount | None


@dataclass(frozen=True)
class SmsConfirmation:
    marked: int
    already: int
    problems: tuple[str, ...]  # one per line not marked, skipped ones included
    skipped: tuple[SkippedPermit, ...] = ()  # changed underneath at a desk: left as they are


def export_notifications(
    engine: Engine,
    config: Config,
    dest: Path,
    *,
    limit: int | None = None,
    template: SmsTemplate | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
    actor: AgentIdentity,
) -> SmsExport:
    """Write the SMS of permits received and not yet notified; give them their reference.

    The permits stay ``received``: ``confirm_notifications`` marks them once sent.
    Exporting again before confirming writes the same references.
    """
    template = template or SmsTemplate(DEFAULT_NOTIFICATION)
    check_template(config, template)
    # References are bearer tokens: draw them from the operating system's generator.
    rng = rng or random.SystemRandom()
    with UnitOfWork(engine) as uow:
        s = uow.session
        agent = acting_account(s, actor, SUPERVISORS, doing="préparer les SMS").pseudonym
        at = now or server_now(s)
        waiting = (Permit.state == PermitState.RECEIVED, Permit.notified_at.is_(None))
        query = select(Permit).where(*waiting, Permit.phone.is_not(None)).order_by(Permit.id)
        if limit is not None:
            query = query.limit(limit)
        permits = list(s.execute(query).scalars())
        without_phone = s.execute(
            select(func.count()).select_from(Permit).where(*waiting, Permit.phone.is_(None))
        ).scalar_one()
        used: set[str] | None = None
        lines: list[GatewayLine] = []
        longest: SegmentCount | None = None
        for permit in permits:
            if permit.handover_reference is None:
                if used is None:
                    used = {r for r in s.execute(select(Permit.handover_reference)).scalars() if r}
                while True:
                    code = generate_reference(rng).code
                    if code not in used:
                        used.add(code)
                        break
                permit.handover_reference = code
                permit.updated_at = at
            message = template.render(
                message_values(
                    config,
                    reference=permit.handover_reference,
                    fee_cents=permit.fee_cents,
                    previous_card=permit.previous_card_expected,
                )
            )
            count = check_length(message, template.source)
            if longest is None or count.segments > longest.segments:
                longest = count
            assert permit.phone is not None
            lines.append(GatewayLine(permit.phone, message, permit.handover_reference))
        if lines:
            audit.append(
                s,
                at=at,
                desk=config.desk.name,
                agent=agent,
                action="sms_export",
                subject=f"sms:{at:%Y%m%dT%H%M%S}",
                details={"messages": len(lines), "without_phone": without_phone},
            )
        s.flush()
        write_gateway_file(dest, lines)
        try:
            uow.commit()
        except BaseException:
            dest.unlink(missing_ok=True)  # references not saved: the file must not be sent
            raise
    return SmsExport(dest, len(lines), without_phone, longest)


def confirm_notifications(
    engine: Engine,
    config: Config,
    src: Path,
    *,
    now: datetime | None = None,
    actor: AgentIdentity,
) -> SmsConfirmation:
    """Mark as notified the permits listed in an exported gateway file (and only those).

    Each permit is marked only if it is still received and not notified (a conditional
    update): one handed over or blocked at a desk meanwhile is skipped and listed in
    ``skipped`` with its new state.
    """
    rows = read_gateway_file(src)
    problems: list[str] = []
    already = 0
    to_mark: dict[int, int] = {}  # permit id -> line
    with UnitOfWork(engine) as uow:
        s = uow.session
        agent = acting_account(s, actor, SUPERVISORS, doing="confirmer des SMS").pseudonym
        at = now or server_now(s)
        for line_no, line in rows:
            code = normalize_reference(line.reference)
            permit = s.execute(
                select(Permit.id, Permit.phone, Permit.notified_at, Permit.state).where(
                    Permit.handover_reference == code
                )
            ).one_or_none()
            shown = printable(line.reference)
            if permit is None:
                problems.append(f"ligne {line_no} : référence {shown} inconnue")
            elif permit.phone != line.phone:
                problems.append(
                    f"ligne {line_no} : le téléphone ne correspond pas au titre de la référence "
                    f"{shown} (fichier modifié ?) : non marqué"
                )
            elif permit.notified_at is not None:
                already += 1
            elif permit.state != PermitState.RECEIVED:
                problems.append(
                    f"ligne {line_no} : titre de la référence {shown} dans l'état "
                    f"« {state_name(permit.state)} » : non marqué"
                )
            elif permit.id in to_mark:
                already += 1  # the same reference twice in the file
            else:
                to_mark[permit.id] = line_no
        marked, skipped = change_states(
            s,
            list(to_mark),
            expected=(PermitState.RECEIVED,),
            values={"state": PermitState.NOTIFIED.value, "notified_at": at, "updated_at": at},
            extra=(Permit.notified_at.is_(None),),
        )
        for x in skipped:
            problems.append(f"ligne {to_mark[x.permit_id]} : {x}")
        if marked:
            audit.append(
                s,
                at=at,
                desk=config.desk.name,
                agent=agent,
                action="sms_confirm",
                subject=f"sms:{at:%Y%m%dT%H%M%S}",
                details={
                    "marked": len(marked),
                    "already": already,
                    "problems": len(problems),
                    "skipped": [x.permit_id for x in skipped],
                },
            )
        uow.commit()
    return SmsConfirmation(len(marked), already, tuple(problems), tuple(skipped))
