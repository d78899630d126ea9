"""Demo data: realistic permits in every state, a few real handovers, one account per role."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, Table, func, insert, select

from handover.config import Config
from handover.domain.names import name_key
from handover.domain.opening_window import OpeningWindow
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
from handover.persistence.models import Agent, Permit, PermitState
from handover.persistence.uow import UnitOfWork
from handover.scanning.reference import generate_reference
from handover.services import accounts
from handover.services.desks import ensure_desk
from handover.services.handovers import HandoverPolicy, record_handover

DEMO_ACCOUNTS = {
    # username: (role, display name, password)
    "agent1": (Role.AGENT, "Camille Martin", "demo-remise-titres"),
    "chef": (Role.SUPERVISOR, "Dominique Garnier", "demo-superviseur-38"),
    "admin": (Role.ADMIN, "Administrateur", "demo-gestion-prefecture"),
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
BLOCK_REASONS = [
    "Signalement de fraude documentaire",
    "Carte signalée défectueuse",
    "Vérification d'état civil en cours",
]


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


def permit_rows(
    count: int, seed: int, now: datetime, start_id: int = 1, used_refs: set[str] | None = None
) -> list[dict[str, object]]:
    """Rows for ``count`` permits; the same seed gives the same rows.

    ``used_refs`` holds the references already taken (40 random bits collide within a
    million rows), and receives the new ones.
    """
    rng = random.Random(seed)
    used_refs = set() if used_refs is None else used_refs
    rows: list[dict[str, object]] = []
    cat_weights = [c[2] for c in CATEGORIES]
    for i in range(start_id, start_id + count):
        surname = rng.choice(SURNAMES)
        state = _pick(rng, STATES)
        category, fee, _w = rng.choices(CATEGORIES, cat_weights)[0]
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 56))
        received = now - timedelta(days=rng.randrange(1, 120), minutes=rng.randrange(600))
        ref = None
        if state != PermitState.EXPECTED:
            while True:
                ref = generate_reference(rng).code
                if ref not in used_refs:
                    used_refs.add(ref)
                    break
        valid_from = received.date() - timedelta(days=rng.randrange(5, 40))
        rows.append(
            {
                "id": i,
                "handover_reference": ref,
                "numero_etranger": f"{rng.randrange(10**9, 10**10):010d}",
                "anef_request_number": f"{rng.randrange(10**18, 10**19):019d}",
                "card_number": f"IR{i:09d}",
                "surname": surname,
                "given_names": rng.choice(GIVEN),
                "name_key": name_key(surname),
                "birth_date": birth,
                "nationality": rng.choice(NATIONALITIES),
                "sex": rng.choice("MF"),
                "category": category,
                "valid_from": valid_from,
                "valid_until": valid_from + timedelta(days=365 * rng.choice((1, 2, 4, 10))),
                "storage_slot": None
                if state == PermitState.EXPECTED
                else f"{'ABCDEFGH'[rng.randrange(8)]}-{rng.randrange(1, 41):02d}",
                "fee_cents": fee,
                "previous_card_expected": rng.random() < 0.6,
                "phone": f"+336{rng.randrange(10**8):08d}",
                "state": state.value,
                "state_reason": rng.choice(BLOCK_REASONS)
                if state == PermitState.BLOCKED
                else ("Non réclamé après 3 mois" if state == PermitState.RETURNED else None),
                "received_at": None if state == PermitState.EXPECTED else received,
                "notified_at": received + timedelta(days=1)
                if state in (PermitState.NOTIFIED, PermitState.BLOCKED, PermitState.RETURNED)
                else None,
                "closed_at": received + timedelta(days=95)
                if state == PermitState.RETURNED
                else None,
                "created_at": received,
                "updated_at": received,
            }
        )
    return rows


def seed_demo(
    engine: Engine,
    config: Config,
    *,
    permits: int = 300,
    seed: int = 1,
    handed_over: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    """Fill the database; returns the demo accounts and their passwords."""
    rng = random.Random(seed)
    desk = ensure_desk(UnitOfWork(engine), config)
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
            )
    now = datetime.now(UTC).replace(microsecond=0)
    table = Permit.__table__
    assert isinstance(table, Table)
    batch = 20000
    done = 0
    with engine.begin() as conn:
        while done < permits:
            n = min(batch, permits - done)
            rows = permit_rows(n, seed + done, now, start_id + done, used_refs)
            conn.execute(insert(table), rows)
            done += n
            if progress:
                progress(done, permits)
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
    at = now - timedelta(days=1)
    status = window.status(at)
    at = status.next_opening or at
    if at > now:
        at -= timedelta(days=7)
        at = window.status(at).next_opening or at
    policy = HandoverPolicy(window, config.schedule.timezone)
    with UnitOfWork(engine, read_only=True) as uow:
        candidates = list(
            uow.session.execute(
                select(Permit.id, Permit.fee_cents, Permit.previous_card_expected)
                .where(Permit.state == PermitState.NOTIFIED, Permit.id >= start_id)
                .order_by(Permit.id)
                .limit(count)
            ).all()
        )
    for k, (pid, fee, prev) in enumerate(candidates):
        stamp = f"{rng.randrange(10**15, 10**16):016d}"
        record_handover(
            UnitOfWork(engine),
            HandoverRequest(
                permit_id=pid,
                identity=IdentityDocument(
                    IdentityDocumentKind.PASSPORT, "DZA", f"P{rng.randrange(10**7):07d}"
                ),
                signature_png=demo_signature_png(k),
                stamps=(StampEntry(stamp, fee),) if fee else (),
                previous_card=PreviousCardReturn(PreviousCardOutcome.TAKEN_BACK, f"IR{pid:09d}")
                if prev
                else PreviousCardReturn(PreviousCardOutcome.NONE),
            ),
            agent=agent,
            desk=desk,
            policy=policy,
            now=at + timedelta(minutes=3 * k),
        )
    return passwords
