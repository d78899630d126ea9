"""Agent accounts: Argon2id passwords, login with throttling, roles; every attempt audited."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handover import audit
from handover.domain.values import AgentIdentity, DeskContext, Role
from handover.errors import AccountDisabled, HandoverError
from handover.persistence.engine import server_now
from handover.persistence.models import Agent
from handover.persistence.uow import UnitOfWork
from handover.resources import get_resource_path

# OWASP: Argon2id, m >= 19 MiB, t >= 2, p = 1. These are a notch above that floor.
HASHER = PasswordHasher(time_cost=3, memory_cost=19456, parallelism=1)
MIN_LENGTH = 8
MAX_LENGTH = 128
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class AccountError(HandoverError):
    """An account cannot be created or changed as asked."""


class WeakPassword(AccountError):
    pass


class LoginFailed(HandoverError):
    pass


class LoginThrottled(LoginFailed):
    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class PermissionDenied(HandoverError):
    pass


# Who may do what (the README's "Accounts" table says the same, for the IT staff).
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
ROLE_NAMES = {
    Role.AGENT: "agent",
    Role.SUPERVISOR: "chef d'accueil",
    Role.ADMIN: "administrateur",
}


def acting_account(
    session: Session,
    actor: AgentIdentity,
    roles: Collection[Role] | None = None,
    *,
    doing: str = "faire cela",
) -> Agent:
    """The acting account as the database holds it now, checked for ``roles``.

    The identity a screen or a command carries is only a claim: a disabled account is
    refused (``AccountDisabled``, its session ends) and the role is the stored one, so an
    account demoted since it logged in is refused too (``PermissionDenied``).
    """
    row = session.get(Agent, actor.agent_id) if actor.agent_id > 0 else None
    if row is None or not row.active:
        raise AccountDisabled(
            f"Le compte de {actor.display_name} est désactivé : la session se termine. "
            "Voyez l'administrateur."
        )
    if roles is not None and Role(row.role) not in roles:
        allowed = " ou ".join(ROLE_NAMES[r] for r in Role if r in roles)
        raise PermissionDenied(
            f"{row.display_name} ({ROLE_NAMES[Role(row.role)]}) ne peut pas {doing} : "
            f"il faut un compte {allowed}. Rien n'a été modifié."
        )
    return row


def check_account(
    uow: UnitOfWork,
    actor: AgentIdentity,
    roles: Collection[Role] | None = None,
    *,
    doing: str = "faire cela",
) -> AgentIdentity:
    """``acting_account`` in a transaction of its own: the account as stored now."""
    with uow:
        return identity_of(acting_account(uow.session, actor, roles, doing=doing))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = get_resource_path("security", "common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def check_password_policy(password: str, username: str = "") -> None:
    """ASVS: at least 8 characters, no composition rule, not a common or obvious password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"Mot de passe trop court : {MIN_LENGTH} caractères au moins (15 conseillés ; "
            "une phrase de passe convient très bien)."
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Mot de passe trop long : {MAX_LENGTH} caractères au plus.")
    lowered = password.lower()
    if lowered in common_passwords():
        raise WeakPassword(
            "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
        )
    if username and username.lower() in lowered:
        raise WeakPassword("Le mot de passe ne doit pas contenir l'identifiant.")


def _log(
    s: Session,
    at: datetime,
    desk_name: str,
    by: str,
    action: str,
    agent: Agent,
    details: dict[str, str] | None = None,
) -> None:
    """Audit an action on an account; the subject is the account's pseudonym."""
    audit.append(
        s,
        at=at,
        desk=desk_name,
        agent=by,
        action=action,
        subject=f"agent:{agent.pseudonym}",
        details=details,
    )


def _named(s: Session, username: str) -> Agent:
    agent = s.execute(select(Agent).where(Agent.username == username)).scalar_one_or_none()
    if agent is None:
        raise AccountError(f"Aucun compte « {username} ».")
    return agent


def badge_digest(badge: str) -> str:
    unkeyed = hashlib.sha256(f"handover-badge:{badge.strip()}".encode()).hexdigest()
    return audit.keyed_badge_digest(unkeyed)


def new_pseudonym() -> str:
    return "AG-" + "".join(secrets.choice(_CROCKFORD) for _ in range(5))


def identity_of(agent: Agent) -> AgentIdentity:
    return AgentIdentity(
        agent_id=agent.id,
        username=agent.username,
        display_name=agent.display_name,
        pseudonym=agent.pseudonym,
        role=Role(agent.role),
    )


@dataclass(frozen=True)
class AgentListing:
    username: str
    display_name: str
    pseudonym: str
    role: Role
    active: bool
    last_login_at: datetime | None


SYSTEM = "SYSTEME"  # the audit's agent for actions run by an administrator's command


def add_agent(
    uow: UnitOfWork,
    username: str,
    password: str,
    *,
    role: Role,
    by: AgentIdentity | None = None,
    display_name: str | None = None,
    badge: str | None = None,
    desk_name: str = "cli",
    password_hash: str | None = None,
    provisioning: bool = False,
) -> AgentIdentity:
    """Create an account, as the administrator ``by``.

    Without ``by``, accounts can be created only while the database has no active
    administrator (a new installation: nobody could log in yet), or when the program seeds
    them itself (``provisioning``: demo data, tests). ``password_hash`` lets demo seeding
    reuse one precomputed hash.
    """
    username = username.strip()
    if not username or len(username) > 60 or any(c.isspace() for c in username):
        raise AccountError("Identifiant invalide : 1 à 60 caractères, sans espace.")
    if password_hash is None:
        check_password_policy(password, username)
    with uow:
        s = uow.session
        if by is not None:
            author = acting_account(s, by, ADMINS, doing="créer un compte").pseudonym
        elif provisioning:
            author = SYSTEM
        else:
            _first_admin_only(s)
            author = SYSTEM
        exists = s.execute(
            select(Agent.id).where(func.lower(Agent.username) == username.lower())
        ).first()
        if exists:
            raise AccountError(f"L'identifiant « {username} » existe déjà.")
        now = server_now(s)
        agent = Agent(
            username=username,
            display_name=display_name or username,
            pseudonym=new_pseudonym(),
            role=role,
            password_hash=password_hash or HASHER.hash(password),
            badge_hash=badge_digest(badge) if badge else None,
            active=True,
            failed_logins=0,
            created_at=now,
        )
        s.add(agent)
        s.flush()
        _log(s, now, desk_name, author, "account.create", agent, details={"role": role.value})
        uow.commit()
        return identity_of(agent)


def has_active_admin(uow: UnitOfWork) -> bool:
    with uow:
        return _active_admins(uow.session) > 0


def _active_admins(s: Session) -> int:
    return int(
        s.execute(
            select(func.count(Agent.id)).where(Agent.role == Role.ADMIN.value, Agent.active)
        ).scalar_one()
    )


def _first_admin_only(s: Session) -> None:
    """Without an acting account: only while no administrator exists (a new database)."""
    if _active_admins(s):
        raise PermissionDenied(
            "Un administrateur existe : créez le compte en son nom (--as ADMINISTRATEUR). "
            "Rien n'a été créé."
        )


def list_agents(uow: UnitOfWork) -> list[AgentListing]:
    with uow:
        rows = uow.session.execute(select(Agent).order_by(Agent.username)).scalars().all()
        return [
            AgentListing(
                a.username, a.display_name, a.pseudonym, Role(a.role), a.active, a.last_login_at
            )
            for a in rows
        ]


def set_active(
    uow: UnitOfWork, username: str, active: bool, *, by: AgentIdentity, desk_name: str = "cli"
) -> None:
    """Disable or enable an account (administrator); its next action reads the change."""
    with uow:
        s = uow.session
        doing = "réactiver un compte" if active else "désactiver un compte"
        author = acting_account(s, by, ADMINS, doing=doing)
        agent = _named(s, username)
        if not active and agent.id == author.id:
            raise AccountError(
                "Un administrateur ne désactive pas son propre compte : demandez-le à un autre."
            )
        agent.active = active
        _log(
            s,
            server_now(s),
            desk_name,
            author.pseudonym,
            "account.enable" if active else "account.disable",
            agent,
        )
        uow.commit()


def set_password(
    uow: UnitOfWork, username: str, password: str, *, by: AgentIdentity, desk_name: str = "cli"
) -> None:
    """Change a password: an administrator's, or the account's own."""
    check_password_policy(password, username)
    with uow:
        s = uow.session
        agent = _named(s, username)
        own = agent.id == by.agent_id
        author = acting_account(
            s, by, None if own else ADMINS, doing="changer le mot de passe d'un autre compte"
        )
        agent.password_hash = HASHER.hash(password)
        agent.failed_logins = 0
        agent.locked_until = None
        _log(s, server_now(s), desk_name, author.pseudonym, "account.password", agent)
        uow.commit()


def authenticate(
    uow: UnitOfWork,
    username: str,
    password: str,
    desk: DeskContext,
    *,
    throttle_after: int = 3,
    throttle_seconds: int = 30,
    now: datetime | None = None,
) -> AgentIdentity:
    """Check a password; failures are counted, audited and throttled (one message for all).

    The account's row is locked for the whole attempt (PostgreSQL ``FOR UPDATE``; SQLite's
    write transaction admits one writer): parallel attempts on one account take turns, each
    sees the count and the pause the previous one left, so exactly ``throttle_after``
    passwords are checked before the pause, however many desks try at once.
    """
    with uow:
        s = uow.session
        at = now or server_now(s)
        agent = s.execute(
            select(Agent)
            .where(func.lower(Agent.username) == username.strip().lower())
            .with_for_update()
        ).scalar_one_or_none()
        if agent is not None and uow.dialect == "postgresql":
            at = now or server_now(s)  # the lock may have been waited for
        if agent is not None and agent.locked_until is not None and agent.locked_until > at:
            wait = int((agent.locked_until - at).total_seconds()) + 1
            _log(s, at, desk.desk_name, agent.pseudonym, "login.throttled", agent)
            uow.commit()
            raise LoginThrottled(
                f"Trop d'essais manqués. Réessayez dans {wait} s, ou demandez au chef d'accueil "
                "de vérifier le compte.",
                agent.locked_until,
            )
        ok = False
        if agent is not None and agent.active:
            try:
                ok = HASHER.verify(agent.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # Spend the same time as a real check, so timing does not tell which names exist.
            _dummy_verify(password)
        if not ok:
            subject = f"agent:{agent.pseudonym}" if agent else audit.pseudonymous("login", username)
            if agent is not None:
                agent.failed_logins += 1
                if agent.failed_logins >= throttle_after:
                    extra = agent.failed_logins - throttle_after
                    agent.locked_until = at + timedelta(
                        seconds=throttle_seconds * (2 ** min(extra, 6))
                    )
            audit.append(
                s,
                at=at,
                desk=desk.desk_name,
                agent=agent.pseudonym if agent else "?",
                action="login.failure",
                subject=subject,
            )
            uow.commit()
            raise LoginFailed("Identifiant ou mot de passe incorrect.")
        assert agent is not None
        if HASHER.check_needs_rehash(agent.password_hash):
            agent.password_hash = HASHER.hash(password)
        agent.failed_logins = 0
        agent.locked_until = None
        agent.last_login_at = at
        _log(s, at, desk.desk_name, agent.pseudonym, "login.success", agent)
        uow.commit()
        return identity_of(agent)


def check_password(
    uow: UnitOfWork,
    username: str,
    password: str,
    roles: Collection[Role],
    *,
    doing: str,
) -> AgentIdentity:
    """A password and a role checked without writing anything.

    For a database that is read, not changed: the backup a restore puts in place (it will
    be the database; the restore's audit entries then name this account).
    """
    with uow:
        s = uow.session
        agent = s.execute(
            select(Agent).where(func.lower(Agent.username) == username.strip().lower())
        ).scalar_one_or_none()
        ok = False
        if agent is not None and agent.active:
            try:
                ok = HASHER.verify(agent.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _dummy_verify(password)
        if not ok or agent is None:
            raise LoginFailed("Identifiant ou mot de passe incorrect. Rien n'a été modifié.")
        return identity_of(acting_account(s, identity_of(agent), roles, doing=doing))


def authenticate_badge(uow: UnitOfWork, badge: str, desk: DeskContext) -> AgentIdentity:
    with uow:
        s = uow.session
        at = server_now(s)
        agent = s.execute(
            select(Agent).where(Agent.badge_hash == badge_digest(badge))
        ).scalar_one_or_none()
        if agent is None or not agent.active:
            audit.append(
                s,
                at=at,
                desk=desk.desk_name,
                agent="?",
                action="login.failure",
                subject=audit.pseudonymous("badge", badge),
            )
            uow.commit()
            raise LoginFailed("Badge non reconnu. Connectez-vous avec votre identifiant.")
        agent.last_login_at = at
        _log(
            s,
            at,
            desk.desk_name,
            agent.pseudonym,
            "login.success",
            agent,
            details={"method": "badge"},
        )
        uow.commit()
        return identity_of(agent)


_DUMMY_HASH: list[str] = []


def _dummy_verify(password: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(HASHER.hash(secrets.token_hex(8)))
    with contextlib.suppress(VerificationError):
        HASHER.verify(_DUMMY_HASH[0], password)
