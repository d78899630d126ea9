"""Demo data: realistic permits in every state, a few real handovers, one account per role."""

from __future__ import annotations

import dataclasses
import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Literal

from sqlalchemy import Engine, Table, delete, func, insert, select

from handover import audit
from handover.config import Config
from handover.domain.names import name_key
from handover.domain.opening_window import OpeningWindow, Schedule, WeeklyRule
from handover.domain.values import (
    AgentIdentity,
    HandoverRequest,
    IdentityDocument,
    IdentityDocumentKind,
    PreviousCardOutcome,
    PreviousCardReturn,
    Role,
    StampEntry,
)
from handover.errors import HandoverError
from handover.persistence.models import (
    Agent,
    AuditEntry,
    DoorEvent,
    Handover,
    HandoverCorrection,
    HandoverOverride,
    IdentityCheck,
    Override,
    Permit,
    PermitState,
    PreviousCard,
    QueueCall,
    QueueDay,
    QueueTicket,
    ScanEvent,
    Signature,
    TaxStamp,
)
from handover.persistence.uow import UnitOfWork
from handover.scanning.mrz_build import passport_mrz, residence_card_mrz
from handover.scanning.reference import format_reference, generate_reference
from handover.services import accounts
from handover.services.desks import ensure_desk
from handover.services.handovers import HandoverPolicy, record_handover

# The demonstration mark: an audit entry, so that no schema change is needed and the mark
# itself is part of the tamper-evident chain. The last of the two actions decides.
DEMO_SEEDED = "demo.seeded"
DEMO_REMOVED = "demo.removed"
DatabaseKind = Literal["vide", "démonstration", "production"]


class DemoRefused(HandoverError):
    """Demonstration and production mixed: demo data on a production database, or the
    production counter on a demonstration database."""


def _mark(uow: UnitOfWork, desk_name: str, action: str, details: dict[str, int]) -> None:
    """The demonstration's audit entry (``demo.seeded``, ``demo.removed``), by the system."""
    audit.append(
        uow.session,
        at=datetime.now(UTC),
        desk=desk_name,
        agent="système",
        action=action,
        details=details,
    )


def database_kind(engine: Engine) -> DatabaseKind:
    """Empty, a demonstration (marked by ``demo.seeded``), or production (data, no mark)."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        mark = s.execute(
            select(AuditEntry.action)
            .where(AuditEntry.action.in_((DEMO_SEEDED, DEMO_REMOVED)))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).scalar()
        if mark == DEMO_SEEDED:
            return "démonstration"
        has_data = (
            s.execute(select(Permit.id).limit(1)).first() is not None
            or s.execute(select(Agent.id).limit(1)).first() is not None
        )
    return "production" if has_data else "vide"


def demo_config(config: Config) -> Config:
    """The configuration of the demonstration counter: open every day at every hour.

    A newcomer can finish the demonstration whenever they try it; the time zone stays the
    configured one, so the times shown are real local times.
    """
    always = tuple(WeeklyRule(day, time.min, time.max) for day in range(7))
    schedule = Schedule(timezone=config.schedule.timezone, rules=always, public_holidays=False)
    return dataclasses.replace(config, schedule=schedule)


def refuse_production(engine: Engine) -> DatabaseKind:
    """The database's kind, unless it holds real data (``DemoRefused``)."""
    kind = database_kind(engine)
    if kind == "production":
        raise DemoRefused(
            "Cette base contient des données réelles (titres ou comptes) : la démonstration "
            "ne s'y ouvre pas et n'y ajoute rien. Utilisez une base à part (make run le fait)."
        )
    return kind


def refuse_demonstration(engine: Engine) -> DatabaseKind:
    """The database's kind, unless it is a demonstration (``DemoRefused``).

    The production counter never opens on demonstration data: a handover recorded there
    would be a real card given against fake records.
    """
    kind = database_kind(engine)
    if kind == "démonstration":
        raise DemoRefused(
            "Cette base est une base de démonstration (marque « demo.seeded » au journal "
            "d'audit) : le guichet de production ne s'y ouvre pas. Pour la démonstration, "
            "lancez « make run » (ou « handover-counter --seed-demo ») ; avant la mise en "
            "service, videz-la avec « handover demo --remove --yes »."
        )
    return kind


DEMO_ACCOUNTS = {
    # username: (role, display name, password)
    "agent1": (Role.AGENT, "Camille Martin", "demo-remise-titres"),
    "chef": (Role.SUPERVISOR, "Dominique Garnier", "demo-superviseur-38"),
    "admin": (Role.ADMIN, "Administrateur", "demo-gestion-prefecture"),
    "accueil": (Role.DOOR, "Agent d'accueil", "demo-porte-tickets-38"),
}
SURNAMES = [
    "N'Guessan-Müller",
    "Benali",
    "Nguyen",
    "Traoré",
    "Diallo",
    "Kowalski",
    "Silva Pereira",
    "Öztürk",
    "García López",
    "Haddad",
    "Abdellaoui",
    "Mendy",
    "Popescu",
    "Ivanova",
    "Chen",
    "Okonkwo",
    "Da Costa",
    "El Idrissi",
    "Mbappé",
    "Sánchez",
    "Rossi",
    "Dupont-Aïgnan",
    "Ben Youssef",
    "Çelik",
    "Łukasiewicz",
    "Fernández",
    "Kamara",
    "Jovanović",
    "Nakamura",
    "O'Brien",
    "Van der Berg",
    "Ahmadi",
    "Bakayoko",
    "Şahin",
    "Horváth",
    "Papadopoulos",
]
GIVEN = [
    "Éléonore",
    "Mohamed",
    "Thi Hoa",
    "Aïssata",
    "Mamadou",
    "Anna Maria",
    "João",
    "Zeynep",
    "José Luis",
    "Rania",
    "Youssef",
    "Fatou",
    "Ioana",
    "Olga",
    "Wei",
    "Chinedu",
    "Inês",
    "Hélène",
    "Jean-Baptiste",
    "Nour",
    "Giulia",
    "Karim",
    "Agnieszka",
    "Luis",
    "Aminata",
    "Dragan",
    "Yuki",
    "Seán",
    "Léa",
    "Reza",
    "Kouadio",
    "Emre",
    "Zsófia",
    "Nikos",
    "Maëlys",
]
NATIONALITIES = [
    "DZA",
    "MAR",
    "TUN",
    "SEN",
    "MLI",
    "CIV",
    "VNM",
    "CHN",
    "TUR",
    "PRT",
    "BRA",
    "ROU",
    "UKR",
    "NGA",
    "CMR",
    "GIN",
    "COL",
    "ITA",
    "ESP",
    "SRB",
    "JPN",
    "IRN",
]
CATEGORIES = [
    ("Carte de séjour temporaire — salarié", 22500, 0.3),
    ("Carte de séjour temporaire — étudiant", 7500, 0.25),
    ("Carte de séjour pluriannuelle — vie privée et familiale", 22500, 0.2),
    ("Carte de résident", 22500, 0.1),
    ("Carte de séjour pluriannuelle — passeport talent", 22500, 0.1),
    ("Document de circulation pour étranger mineur", 5000, 0.05),
]
STATES = [
    (PermitState.NOTIFIED, 0.72),
    (PermitState.RECEIVED, 0.08),
    (PermitState.EXPECTED, 0.08),
    (PermitState.BLOCKED, 0.04),
    (PermitState.RETURNED, 0.08),
]
# The first permits of every seeding, whatever the draws: a newcomer meets each refusal.
# (Handed-over permits come from the notified ones, through the real use case.)
GUARANTEED_STATES = (PermitState.BLOCKED, PermitState.RETURNED, PermitState.EXPECTED)
LOAD_CACHE_KIB = 256 * 1024
DEFAULT_CACHE_SIZE = -2000  # SQLite's default: about 2 MiB
BLOCK_REASONS = [
    "Signalement de fraude documentaire",
    "Carte signalée défectueuse",
    "Vérification d'état civil en cours",
]


@dataclass(frozen=True)
class DemoHolder:
    """What a demo handover needs of a permit (the columns in this order)."""

    permit_id: int
    fee_cents: int
    previous_card_expected: bool
    surname: str
    given_names: str
    birth_date: date
    card_number: str


DEMO_HOLDER_COLUMNS = (
    Permit.id,
    Permit.fee_cents,
    Permit.previous_card_expected,
    Permit.surname,
    Permit.given_names,
    Permit.birth_date,
    Permit.card_number,
)


def old_card_number(permit_id: int) -> str:
    """The number of the card a demo holder brings back (the demo has no card history)."""
    return f"IR{permit_id:07d}"


def demo_request(
    holder: DemoHolder,
    *,
    stamp: str,
    signature_png: bytes,
    passport_number: str = "P1234567",
    scan_started_at: datetime | None = None,
) -> HandoverRequest:
    """A complete request as the desk sends it: the holder's own passport and cards."""
    h = holder
    passport = passport_mrz(h.surname, h.given_names, h.birth_date, number=passport_number)
    old_card = residence_card_mrz(
        old_card_number(h.permit_id), h.surname, h.given_names, h.birth_date
    )
    return HandoverRequest(
        permit_id=h.permit_id,
        identity=IdentityDocument(
            IdentityDocumentKind.PASSPORT, "FRA", passport_number, from_scan=True, scan=passport
        ),
        signature_png=signature_png,
        stamps=(StampEntry(stamp, h.fee_cents),) if h.fee_cents else (),
        previous_card=PreviousCardReturn(
            PreviousCardOutcome.TAKEN_BACK, old_card_number(h.permit_id), scan=old_card
        )
        if h.previous_card_expected
        else PreviousCardReturn(PreviousCardOutcome.NONE),
        drawer_card_scan=residence_card_mrz(h.card_number, h.surname, h.given_names, h.birth_date),
        scan_started_at=scan_started_at,
    )


def demo_signature_png(seed: int = 0) -> bytes:
    """A small valid PNG with a scribble, so demo handovers have a signature image."""
    width, height = 120, 40
    rng = random.Random(seed)
    rows = [bytearray([255] * width) for _ in range(height)]
    y = 20.0
    for x in range(10, 110):
        y = min(35, max(5, y + rng.uniform(-2.5, 2.5)))
        rows[int(y)][x] = 0
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def _pick(rng: random.Random, weighted: list[tuple[PermitState, float]]) -> PermitState:
    r = rng.random()
    for value, weight in weighted:
        r -= weight
        if r <= 0:
            return value
    return weighted[-1][0]


PERMIT_COLUMNS = (
    "id",
    "handover_reference",
    "numero_etranger",
    "anef_request_number",
    "card_number",
    "surname",
    "given_names",
    "name_key",
    "birth_date",
    "nationality",
    "sex",
    "category",
    "valid_from",
    "valid_until",
    "storage_slot",
    "fee_cents",
    "previous_card_expected",
    "phone",
    "state",
    "state_reason",
    "received_at",
    "notified_at",
    "closed_at",
    "created_at",
    "updated_at",
)
_NAME_KEYS = {s: name_key(s) for s in SURNAMES}
_CATEGORY_CUM_WEIGHTS = list(accumulate(c[2] for c in CATEGORIES))
_BIRTH_START = date(1950, 1, 1)
_NOTIFIED_STATES = (PermitState.NOTIFIED, PermitState.BLOCKED, PermitState.RETURNED)


def permit_rows(
    count: int, seed: int, now: datetime, start_id: int = 1, used_refs: set[str] | None = None
) -> list[dict[str, object]]:
    """Rows for ``count`` permits; the same seed gives the same rows.

    ``used_refs`` holds the references already taken (40 random bits collide within a
    million rows), and receives the new ones.
    """
    return [
        dict(zip(PERMIT_COLUMNS, values, strict=True))
        for values in _permit_values(count, seed, now, start_id, used_refs)
    ]


def _permit_values(
    count: int, seed: int, now: datetime, start_id: int = 1, used_refs: set[str] | None = None
) -> list[tuple[object, ...]]:
    """``permit_rows`` as tuples in ``PERMIT_COLUMNS`` order (no dict per row)."""
    # The random draws must stay in this order: the same seed must give the same rows.
    rng = random.Random(seed)
    used_refs = set() if used_refs is None else used_refs
    rows: list[tuple[object, ...]] = []
    choice, randrange, rand = rng.choice, rng.randrange, rng.random
    expected, blocked, returned = PermitState.EXPECTED, PermitState.BLOCKED, PermitState.RETURNED
    one_day, ninety_five_days = timedelta(days=1), timedelta(days=95)
    for i in range(start_id, start_id + count):
        surname = choice(SURNAMES)
        state = _pick(rng, STATES)  # drawn even when overridden: the draws keep their order
        if i - start_id < len(GUARANTEED_STATES):
            state = GUARANTEED_STATES[i - start_id]
        category, fee, _w = rng.choices(CATEGORIES, cum_weights=_CATEGORY_CUM_WEIGHTS)[0]
        birth = _BIRTH_START + timedelta(days=randrange(365 * 56))
        received = now - timedelta(days=randrange(1, 120), minutes=randrange(600))
        ref = None
        if state != expected:
            while True:
                ref = generate_reference(rng).code
                if ref not in used_refs:
                    used_refs.add(ref)
                    break
        valid_from = received.date() - timedelta(days=randrange(5, 40))
        numero = f"{randrange(10**9, 10**10):010d}"
        anef = f"{randrange(10**18, 10**19):019d}"
        given = choice(GIVEN)
        nationality = choice(NATIONALITIES)
        sex = choice("MF")
        valid_until = valid_from + timedelta(days=365 * choice((1, 2, 4, 10)))
        slot = None if state == expected else f"{'ABCDEFGH'[randrange(8)]}-{randrange(1, 41):02d}"
        previous = rand() < 0.6
        phone = f"+336{randrange(10**8):08d}"
        reason = (
            choice(BLOCK_REASONS)
            if state == blocked
            else ("Non réclamé après 3 mois" if state == returned else None)
        )
        rows.append(
            (
                i,
                ref,
                numero,
                anef,
                f"IR{i:09d}",
                surname,
                given,
                _NAME_KEYS[surname],
                birth,
                nationality,
                sex,
                category,
                valid_from,
                valid_until,
                slot,
                fee,
                previous,
                phone,
                state.value,
                reason,
                None if state == expected else received,
                received + one_day if state in _NOTIFIED_STATES else None,
                received + ninety_five_days if state == returned else None,
                received,
                received,
            )
        )
    return rows


def _sqlite_text(values: tuple[object, ...]) -> tuple[object, ...]:
    """A row as SQLAlchemy stores it in SQLite: naive UTC text instants, ISO dates."""
    out: list[object] = []
    for v in values:
        if isinstance(v, datetime):
            v = v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        elif isinstance(v, date):
            v = v.isoformat()
        out.append(v)
    return tuple(out)


def _past_opening(window: OpeningWindow, now: datetime, needed: timedelta) -> datetime:
    """The start of a whole opening period of the last week that holds ``needed``.

    The demo's handovers are recorded at that period's instants: inside the opening hours
    whatever the time of day the demo is made (a period still under way would end before
    the last of them).
    """
    probe = now - timedelta(days=8)
    fallback = probe
    while probe < now:
        status = window.status(probe)
        if status.is_open:
            probe = status.closes_at or now
            continue
        start, end = status.next_opening, status.next_closing
        if start is None or end is None or end > now:
            break
        if end - start >= needed:
            return start
        fallback = start
        probe = end
    return fallback


def seed_demo(
    engine: Engine,
    config: Config,
    *,
    permits: int = 300,
    seed: int = 1,
    handed_over: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Fill the database; returns the demo accounts and their passwords.

    Refused on a database holding real data (``DemoRefused``); the first thing written is
    the ``demo.seeded`` audit entry that marks the database as a demonstration.
    """
    refuse_production(engine)
    rng = random.Random(seed)
    desk = ensure_desk(UnitOfWork(engine), config)
    with UnitOfWork(engine) as uow:
        _mark(uow, desk.desk_name, DEMO_SEEDED, {"permits": permits, "seed": seed})
        uow.commit()
    passwords: dict[str, str] = {}
    with UnitOfWork(engine, read_only=True) as uow:
        existing = set(uow.session.execute(select(Agent.username)).scalars())
        start_id = (uow.session.execute(select(func.max(Permit.id))).scalar() or 0) + 1
        used_refs: set[str] = set()
        if start_id > 1:
            used_refs.update(
                r for r in uow.session.execute(select(Permit.handover_reference)).scalars() if r
            )
    identities: dict[str, AgentIdentity] = {}
    for username, (role, display, password) in DEMO_ACCOUNTS.items():
        passwords[username] = password
        if username not in existing:
            identities[username] = accounts.add_agent(
                UnitOfWork(engine),
                username,
                password,
                role=role,
                display_name=display,
                badge=f"BADGE-{username.upper()}",
                desk_name=desk.desk_name,
                provisioning=True,
            )
    now = datetime.now(UTC).replace(microsecond=0)
    table = Permit.__table__
    assert isinstance(table, Table)
    batch = 20000
    done = 0
    sqlite = engine.dialect.name == "sqlite"
    plain_insert = (
        f"INSERT INTO permits ({', '.join(PERMIT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(PERMIT_COLUMNS))})"
    )
    with engine.begin() as conn:
        if sqlite:
            # A big page cache for this load only: the random keys of the indexes otherwise
            # make every insert read pages back from disk.
            conn.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        try:
            while done < permits:
                n = min(batch, permits - done)
                if sqlite:
                    # Values already in storage form: no per-value type processing.
                    values = _permit_values(n, seed + done, now, start_id + done, used_refs)
                    conn.exec_driver_sql(plain_insert, [_sqlite_text(v) for v in values])
                else:
                    rows = permit_rows(n, seed + done, now, start_id + done, used_refs)
                    conn.execute(insert(table), rows)
                done += n
                if progress:
                    progress(done, permits)
        finally:
            if sqlite:
                conn.exec_driver_sql(f"PRAGMA cache_size = {DEFAULT_CACHE_SIZE}")
        if conn.dialect.name == "postgresql":
            # Rows came with explicit ids: move the sequence past them for later inserts.
            conn.exec_driver_sql(
                "select setval(pg_get_serial_sequence('permits', 'id'), "
                "(select max(id) from permits))"
            )
    # A few real handovers, through the real use case, at an instant the counter was open.
    count = handed_over if handed_over is not None else min(25, max(1, permits // 50))
    agent = identities.get("agent1")
    if agent is None:
        return passwords
    window = OpeningWindow(config.schedule)
    at = _past_opening(window, now, timedelta(minutes=3 * count))
    policy = HandoverPolicy(window, config.schedule.timezone)
    with UnitOfWork(engine, read_only=True) as uow:
        candidates = list(
            uow.session.execute(
                select(*DEMO_HOLDER_COLUMNS)
                .where(Permit.state == PermitState.NOTIFIED, Permit.id >= start_id)
                .order_by(Permit.id)
                .limit(count)
            ).all()
        )
    for k, row in enumerate(candidates):
        record_handover(
            UnitOfWork(engine),
            demo_request(
                DemoHolder(*row),
                stamp=f"{rng.randrange(10**15, 10**16):016d}",
                signature_png=demo_signature_png(k),
                passport_number=f"P{rng.randrange(10**7):07d}",
            ),
            agent=agent,
            desk=desk,
            policy=policy,
            now=at + timedelta(minutes=3 * k),
        )
    return passwords


@dataclass(frozen=True)
class TrainingHolder:
    """What a newcomer scans (or pastes) to hand one demo permit over."""

    permit_id: int
    name: str
    reference: str  # as the SMS shows it, XXXX-XXXX-X
    passport: str  # the identity document's MRZ, one burst
    card: str  # the MRZ of the card in the drawer, one burst
    stamp: str  # a tax stamp number covering the fee ("" when there is none)
    fee_cents: int
    previous_card_expected: bool
    old_card: str  # the MRZ of the card brought back ("" when none is expected)


def _training_holder(p: Permit) -> TrainingHolder:
    assert p.handover_reference is not None
    state = p.nationality if len(p.nationality) == 3 and p.nationality.isalpha() else "FRA"
    return TrainingHolder(
        permit_id=p.id,
        name=f"{p.surname} {p.given_names}",
        reference=format_reference(p.handover_reference),
        passport=passport_mrz(p.surname, p.given_names, p.birth_date, state=state),
        card=residence_card_mrz(p.card_number, p.surname, p.given_names, p.birth_date),
        stamp=f"{7 * 10**15 + p.id:016d}" if p.fee_cents else "",
        fee_cents=p.fee_cents,
        previous_card_expected=p.previous_card_expected,
        old_card=residence_card_mrz(old_card_number(p.id), p.surname, p.given_names, p.birth_date)
        if p.previous_card_expected
        else "",
    )


def demo_holders(engine: Engine, count: int = 3) -> list[TrainingHolder]:
    """Holders whose permit waits at the counter: the simplest first (fewest documents),
    then one who pays stamps and one who brings an old card back, when the demo has them."""
    with UnitOfWork(engine, read_only=True) as uow:
        waiting = list(
            uow.session.execute(
                select(Permit)
                .where(
                    Permit.state == PermitState.NOTIFIED,
                    Permit.handover_reference.is_not(None),
                    Permit.storage_slot.is_not(None),
                )
                .order_by(Permit.id)
                .limit(500)
            ).scalars()
        )
        simplest = sorted(waiting, key=lambda p: (p.previous_card_expected, p.fee_cents > 0))
        chosen = simplest[:1]
        stamps_only = [p for p in waiting if p.fee_cents > 0 and not p.previous_card_expected]
        old_card = [p for p in waiting if p.previous_card_expected]
        for group in (stamps_only, old_card):
            chosen += [p for p in group if p not in chosen][:1]
        chosen += [p for p in simplest if p not in chosen]
        return [_training_holder(p) for p in chosen[:count]]


# Removed children first: nothing may point at a removed row.
DEMO_TABLES = (
    QueueCall,
    QueueTicket,
    QueueDay,
    DoorEvent,
    HandoverCorrection,
    HandoverOverride,
    IdentityCheck,
    TaxStamp,
    PreviousCard,
    QueueCall,
    QueueDay,
    QueueTicket,
    Signature,
    Handover,
    ScanEvent,
    Override,
)


def demo_counts(engine: Engine) -> dict[str, int]:
    """What ``remove_demo`` would delete, by table (demo accounts included)."""
    with UnitOfWork(engine, read_only=True) as uow:
        s = uow.session
        counts = {
            str(model.__tablename__): s.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (*DEMO_TABLES, Permit)
        }
        counts["agents"] = s.execute(
            select(func.count()).where(Agent.username.in_(DEMO_ACCOUNTS))
        ).scalar_one()
    return counts


def remove_demo(engine: Engine, config: Config) -> dict[str, int]:
    """Delete the demonstration's permits, handovers and accounts before going live.

    Only on a demonstration database (``DemoRefused`` otherwise). Accounts created by hand
    stay; the audit trail stays whole (a chain is never cut) and gets ``demo.removed``,
    after which the database is no longer a demonstration.
    """
    if database_kind(engine) != "démonstration":
        raise DemoRefused("Cette base n'est pas une base de démonstration : rien n'a été supprimé.")
    counts = demo_counts(engine)
    desk = ensure_desk(UnitOfWork(engine), config)
    with UnitOfWork(engine) as uow:
        for model in (*DEMO_TABLES, Permit):
            uow.session.execute(delete(model))
        uow.session.execute(delete(Agent).where(Agent.username.in_(DEMO_ACCOUNTS)))
        _mark(uow, desk.desk_name, DEMO_REMOVED, counts)
        uow.commit()
    return counts
