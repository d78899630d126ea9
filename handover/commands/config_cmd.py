"""``handover config show|path|init``: the configuration in force (secrets masked), a new file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from handover import logs
from handover.commands._common import config, print_json
from handover.config import Config, config_path
from handover.errors import HandoverError
from handover.logs import LogFiles


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("config", help="afficher la configuration en vigueur")
    sub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="afficher toutes les valeurs (secrets masqués)")
    show.add_argument("--json", action="store_true", help="sortie JSON")
    show.set_defaults(func=_show)
    path = sub.add_parser("path", help="chemin du fichier de configuration et des journaux")
    path.set_defaults(func=_path)
    init = sub.add_parser("init", help="écrire un fichier de configuration commenté")
    init.add_argument(
        "--out", type=Path, metavar="FICHIER", help="où l'écrire (défaut : le chemin de « path »)"
    )
    init.set_defaults(func=_init)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _emit(prefix: str, data: dict[str, Any], out: list[str]) -> None:
    scalars = {
        k: v
        for k, v in data.items()
        if not isinstance(v, dict | list)
        or (isinstance(v, list) and not any(isinstance(x, dict) for x in v))
    }
    if scalars:
        out.append(f"[{prefix}]")
        for k, v in scalars.items():
            out.append(f"{k} = {_toml_value(v)}")
        out.append("")
    for k, v in data.items():
        if isinstance(v, dict):
            _emit(f"{prefix}.{k}", v, out)
        elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
            for item in v:
                out.append(f"[[{prefix}.{k}]]")
                for ik, iv in item.items():
                    out.append(f"{ik} = {_toml_value(iv)}")
                out.append("")


def _show(args: argparse.Namespace) -> int:
    cfg = config()
    data = cfg.to_mapping(mask_secrets=True)
    if args.json:
        print_json({"source": cfg.source, **data})
        return 0
    print(f"# Fichier : {cfg.source}")
    print("# Chaque valeur peut être remplacée par HANDOVER_SECTION_CLE (ex. HANDOVER_DESK_NAME).")
    print()
    lines: list[str] = []
    for section, values in data.items():
        _emit(section, values, lines)
    print("\n".join(lines))
    return 0


def _path(args: argparse.Namespace) -> int:
    """The configuration file on the first line (scripts read it), then the log files."""
    del args
    print(config_path())
    try:
        cfg: Config | None = config()
    except HandoverError:
        cfg = None  # a broken file still has a path, and the logs their default folder
    counter, cli = LogFiles.of(logs.COUNTER, cfg), LogFiles.of(logs.CLI, cfg)
    print(f"Journal du guichet : {counter.log_file} (plantages : {counter.crash_file})")
    print(f"Journal des commandes : {cli.log_file} (plantages : {cli.crash_file})")
    return 0


INIT_HEADER = """\
# Configuration de Guichet (handover), écrite par « handover config init ».
# Chaque ligne commentée (#) garde la valeur par défaut qu'elle montre : décommentez la
# section et les clés à changer. Toute valeur peut aussi être remplacée par une variable
# d'environnement HANDOVER_SECTION_CLE (ex. HANDOVER_DESK_NAME). Vérifiez le résultat avec
# « handover config show ».
#
# À régler sur chaque poste : [desk] name (unique par guichet). Plusieurs guichets sur une
# même base : [database] url (PostgreSQL) et un même [printer] archive_dir partagé.
"""
INIT_NOTES = {
    "[desk]": "name : unique par guichet",
    "[database]": "url vide : SQLite dans le dossier de données de la machine ;"
    ' PostgreSQL : "postgresql+psycopg://guichet:MOTDEPASSE@serveur/handover"',
    "[printer]": "kind : pdf (archive seule) | system (imprimante Qt) | escpos (ticket 80 mm)",
    "[identity]": "documents : pièces d'identité acceptées au guichet, parmi passport,"
    " residence_card, id_card, recepisse, anef_attestation, other",
    "[audit]": "checkpoints_file : gardez-en une copie hors de ce poste",
}


def init_text() -> str:
    """The commented configuration file: every key with its default value."""
    data = Config().to_mapping(mask_secrets=False)
    data["database"]["url"] = ""
    lines: list[str] = []
    for section, values in data.items():
        _emit(section, values, lines)
    body: list[str] = []
    for line in lines:
        body.append(f"# {line}" if line else "")
        if line in INIT_NOTES:
            body.append(f"#   ({INIT_NOTES[line]})")
    return INIT_HEADER + "\n" + "\n".join(body).rstrip() + "\n"


def _init(args: argparse.Namespace) -> int:
    target: Path = args.out or config_path()
    if target.exists():
        print(
            f"Erreur : {target} existe déjà ; rien n'a été écrasé (« handover config show » "
            "montre ce qu'il contient).",
            file=sys.stderr,
        )
        return 2
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as file:
            file.write(init_text())
    except OSError as exc:
        print(f"Erreur : impossible d'écrire {target} ({exc.strerror}).", file=sys.stderr)
        return 2
    print(
        f"Configuration écrite : {target}. Réglez au moins [desk] name, puis vérifiez avec "
        "« handover config show »."
    )
    return 0
