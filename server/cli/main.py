"""``eakte-server``: set up, administer, run and check the central server."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from server.config import Settings, load_settings
from server.errors import ServerError
from server.logs import configure_logging

log = logging.getLogger("eakte.server.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eakte-server",
        description="Zentraler E-Akte-Server der Kommunen im Werra-Meißner-Kreis.",
    )
    parser.add_argument("--config", type=Path, help="Konfigurationsdatei (TOML)")
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="Datenbank einrichten oder aktualisieren, Kommunen anlegen")
    init.add_argument("--demo", action="store_true", help="Demo-Aktenplan mit Akten und Dokumenten")
    init.add_argument("--municipalities", type=Path, help="andere Kommunen-Datei (JSON)")

    user = sub.add_parser("user", help="Benutzer verwalten")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="Benutzer anlegen")
    add.add_argument("--municipality", required=True, help="Kommune, z. B. meinhard")
    add.add_argument("--login", required=True)
    add.add_argument("--role", required=True, choices=["clerk", "registrar", "admin"])
    add.add_argument("--name", default="", help="Anzeigename")
    add.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")
    passwd = user_sub.add_parser("passwd", help="Passwort setzen (meldet alle Geräte ab)")
    passwd.add_argument("--municipality", required=True)
    passwd.add_argument("--login", required=True)
    passwd.add_argument("--password-stdin", action="store_true")
    disable = user_sub.add_parser("disable", help="Benutzer sperren (meldet alle Geräte ab)")
    disable.add_argument("--municipality", required=True)
    disable.add_argument("--login", required=True)
    lst = user_sub.add_parser("list", help="Benutzer auflisten")
    lst.add_argument("--municipality")

    serve = sub.add_parser("serve", help="Server starten")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int, help="Port; 0 nimmt einen freien")
    serve.add_argument(
        "--workers", type=int, default=1, help="Anzahl der Server-Prozesse (Standard: 1)"
    )
    serve.add_argument(
        "--init", action="store_true", help="vorher wie `init` die Datenbank einrichten"
    )
    serve.add_argument(
        "--demo", action="store_true", help="vorher wie `init --demo` einrichten, mit Demodaten"
    )
    serve.add_argument(
        "--ready-file",
        type=Path,
        help="sobald der Server annimmt: {url, pid} als JSON in diese Datei (für Starter)",
    )
    serve.add_argument(
        "--parent-pid", type=int, help="Server beenden, sobald dieser Prozess nicht mehr läuft"
    )

    sub.add_parser("check", help="Blobs und Audit-Ketten prüfen")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
        return _dispatch(args, settings)
    except ServerError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from server.cli import commands

    if args.command == "init":
        return commands.init(settings, demo=args.demo, municipalities_file=args.municipalities)
    if args.command == "user":
        return commands.user(settings, args)
    if args.command == "serve":
        if args.init or args.demo:
            # In the same process: a launcher saves one interpreter start (~2.5 s).
            commands.init(settings, demo=args.demo)
        return commands.serve(
            settings,
            host=args.host,
            port=args.port,
            workers=args.workers,
            ready_file=args.ready_file,
            parent_pid=args.parent_pid,
        )
    if args.command == "check":
        return commands.check(settings)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
