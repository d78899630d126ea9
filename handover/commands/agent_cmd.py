"""``handover agent add|list|disable|enable|password``: accounts of the counter's staff."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from handover import formatting as fmt
from handover.commands._common import account_option, acting, config, engine, read_secret
from handover.domain.values import Role
from handover.persistence.uow import UnitOfWork
from handover.services import accounts

ROLE_LABELS = {
    Role.AGENT: "agent",
    Role.SUPERVISOR: "chef d'accueil",
    Role.ADMIN: "administrateur",
    Role.DOOR: "agent d'accueil",
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("agent", help="comptes des agents (créer, lister, désactiver)")
    sub = p.add_subparsers(dest="agent_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="créer un compte (mot de passe demandé, jamais en argument)")
    add.add_argument("name", metavar="IDENTIFIANT", help="identifiant de connexion")
    add.add_argument(
        "--role",
        choices=[r.value for r in Role],
        default=Role.AGENT.value,
        help="rôle : agent, chef d'accueil (supervisor) ou administrateur (admin) ; défaut : agent",
    )
    add.add_argument("--display-name", metavar="NOM", help="nom affiché (défaut : l'identifiant)")
    add.add_argument(
        "--badge", metavar="NUMÉRO", help="numéro de badge pour la connexion par badge"
    )
    add.set_defaults(func=_add)
    account_option(add, required=False)  # without it: only the first administrator
    sub.add_parser("list", help="lister les comptes").set_defaults(func=_list)
    dis = sub.add_parser("disable", help="désactiver un compte")
    dis.add_argument("name", metavar="IDENTIFIANT", help="identifiant du compte")
    dis.set_defaults(func=_disable)
    account_option(dis)
    en = sub.add_parser("enable", help="réactiver un compte")
    en.add_argument("name", metavar="IDENTIFIANT", help="identifiant du compte")
    en.set_defaults(func=_enable)
    account_option(en)
    pw = sub.add_parser("password", help="changer le mot de passe d'un compte")
    pw.add_argument("name", metavar="IDENTIFIANT", help="identifiant du compte")
    pw.set_defaults(func=_password)
    account_option(pw)


def _new_password(name: str) -> str | None:
    first = read_secret(f"Mot de passe pour {name} : ")
    accounts.check_password_policy(first, name)
    if sys.stdin.isatty():
        again = read_secret("Répétez le mot de passe : ")
        if again != first:
            print("Erreur : les deux saisies diffèrent ; rien n'a été changé.", file=sys.stderr)
            return None
    return first


def _add(args: argparse.Namespace) -> int:
    eng = engine()
    by = acting(args, eng) if args.as_account else None
    password = _new_password(args.name)
    if password is None:
        return 2
    who = accounts.add_agent(
        UnitOfWork(eng),
        args.name,
        password,
        role=Role(args.role),
        by=by,
        display_name=args.display_name,
        badge=args.badge,
    )
    print(f"Compte « {who.username} » créé ({ROLE_LABELS[who.role]}, pseudonyme {who.pseudonym}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    del args
    timezone = config().schedule.timezone
    rows = accounts.list_agents(UnitOfWork(engine(), read_only=True))
    print(f"{'identifiant':16} {'rôle':16} {'pseudonyme':10} {'actif':6} dernière connexion")
    for a in rows:
        last = fmt.moment(a.last_login_at, timezone) if a.last_login_at else "jamais"
        print(
            f"{a.username:16} {ROLE_LABELS[a.role]:16} {a.pseudonym:10} "
            f"{'oui' if a.active else 'non':6} {last}"
        )
    return 0


def _disable(args: argparse.Namespace) -> int:
    eng = engine()
    accounts.set_active(UnitOfWork(eng), args.name, False, by=acting(args, eng))
    print(f"Compte « {args.name} » désactivé.")
    return 0


def _enable(args: argparse.Namespace) -> int:
    eng = engine()
    accounts.set_active(UnitOfWork(eng), args.name, True, by=acting(args, eng))
    print(f"Compte « {args.name} » réactivé.")
    return 0


def _password(args: argparse.Namespace) -> int:
    eng = engine()
    by = acting(args, eng)
    password = _new_password(args.name)
    if password is None:
        return 2
    accounts.set_password(UnitOfWork(eng), args.name, password, by=by)
    print(f"Mot de passe de « {args.name} » changé.")
    return 0
