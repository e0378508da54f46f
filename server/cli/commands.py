"""The work behind each ``eakte-server`` command."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from server import municipalities, users
from server.config import Settings
from server.context import ServerContext, ensure_identity
from server.db import schema
from server.db.engine import Database
from server.errors import ServerError


def init(
    settings: Settings, *, demo: bool, municipalities_file: Path | None = None, **_: object
) -> int:
    db = Database(settings.resolved_database_url())
    try:
        schema.upgrade(db)
        server_id, _secret = ensure_identity(db)
        with db.write() as session:
            added = municipalities.seed(session, municipalities_file)
        print(
            f"Datenbank bereit (Schema {schema.head()}, Server {server_id}); "
            f"{added} Kommunen neu angelegt."
        )
        settings.blob_dir.mkdir(parents=True, exist_ok=True)
        if demo:
            from server.demo import seed_demo

            ctx = ServerContext.open(settings)
            try:
                print(seed_demo(ctx))
            finally:
                ctx.close()
    finally:
        db.dispose()
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != password:
            raise users.UserAdminError("Die Passwörter stimmen nicht überein.")
    return password


def user(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.resolved_database_url())
    try:
        schema.require_current(db)
        command = args.user_command
        if command == "list":
            with db.read() as session:
                for view in users.list_users(session, args.municipality):
                    state = "gesperrt" if view.disabled else "aktiv"
                    print(
                        f"{view.municipality}\t{view.login}\t{view.role}\t{state}\t{view.display_name}"
                    )
            return 0
        if command == "disable":
            with db.write() as session:
                users.disable(session, args.municipality, args.login)
            print(f"{args.login} ({args.municipality}) ist gesperrt und überall abgemeldet.")
            return 0
        password = _read_password(args.password_stdin)
        with db.write() as session:
            if command == "add":
                users.add_user(
                    session, args.municipality, args.login, args.role, password, args.name
                )
                print(f"{args.login} ({args.municipality}, {args.role}) angelegt.")
            else:
                users.set_password(session, args.municipality, args.login, password)
                print(f"Passwort von {args.login} ({args.municipality}) gesetzt.")
                print("Alle Geräte dieses Benutzers sind abgemeldet.")
        return 0
    finally:
        db.dispose()


def serve(settings: Settings, *, host: str | None, port: int | None) -> int:
    import uvicorn

    from server.app import create_app

    ctx = ServerContext.open(settings)
    app = create_app(ctx)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        proxy_headers=True,
    )
    return 0


def check(settings: Settings) -> int:
    from server.check import run_check

    ctx = ServerContext.open(settings)
    try:
        return run_check(ctx, sys.stdout)
    except ServerError:
        raise
    finally:
        ctx.close()
