"""``handover config show|path``: the configuration in force, secrets masked."""

from __future__ import annotations

import argparse
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


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _emit(prefix: str, data: dict[str, Any]) -> None:
    scalars = {
        k: v
        for k, v in data.items()
        if not isinstance(v, dict | list)
        or (isinstance(v, list) and not any(isinstance(x, dict) for x in v))
    }
    if scalars:
        print(f"[{prefix}]")
        for k, v in scalars.items():
            print(f"{k} = {_toml_value(v)}")
        print()
    for k, v in data.items():
        if isinstance(v, dict):
            _emit(f"{prefix}.{k}", v)
        elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
            for item in v:
                print(f"[[{prefix}.{k}]]")
                for ik, iv in item.items():
                    print(f"{ik} = {_toml_value(iv)}")
                print()


def _show(args: argparse.Namespace) -> int:
    cfg = config()
    data = cfg.to_mapping(mask_secrets=True)
    if args.json:
        print_json({"source": cfg.source, **data})
        return 0
    print(f"# Fichier : {cfg.source}")
    print("# Chaque valeur peut être remplacée par HANDOVER_SECTION_CLE (ex. HANDOVER_DESK_NAME).")
    print()
    for section, values in data.items():
        _emit(section, values)
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
