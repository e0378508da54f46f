"""The work behind each ``eakte-server`` command."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import socket
import sys
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server import municipalities, users
from server.config import ENV_PREFIX, Settings
from server.context import ServerContext, ensure_identity
from server.db import schema
from server.db.engine import Database
from server.errors import ConfigError, ServerError

if TYPE_CHECKING:
    import uvicorn


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


def serve(
    settings: Settings,
    *,
    host: str | None,
    port: int | None,
    workers: int = 1,
    ready_file: Path | None = None,
    parent_pid: int | None = None,
) -> int:
    """Run the server; ``port`` 0 takes a free one. ``ready_file`` and ``parent_pid`` serve a
    launching program (see ``server.cli.launched``) and need a single process."""
    import uvicorn

    if workers < 1:
        raise ConfigError("--workers muss mindestens 1 sein.")
    if workers == 1:
        from server.app import create_app
        from server.cli.launched import LaunchedServer, ParentWatch

        # Watch from the start: a launcher that dies while the app loads is noticed as well.
        parent = ParentWatch(parent_pid) if parent_pid is not None else None
        app = create_app(ServerContext.open(settings))
        config = uvicorn.Config(app, **_uvicorn_options(settings, host, port))
        server = LaunchedServer(config, ready_file=ready_file, parent=parent)
        try:
            server.run()
        finally:
            server.remove_ready_file()
        return 0 if server.started else 1
    if ready_file is not None or parent_pid is not None:
        raise ConfigError("--ready-file und --parent-pid gehen nur mit --workers 1.")
    # Fail here, once, if the database is unreachable or its schema is not current, rather
    # than in every worker.
    ServerContext.open(settings).close()
    # The workers are new processes: they read their settings (including those from a
    # --config file) from the environment, which takes precedence over any file.
    for f in fields(Settings):
        os.environ[ENV_PREFIX + f.name.upper()] = str(getattr(settings, f.name))
    config = uvicorn.Config(
        "server.asgi:create",
        factory=True,
        workers=workers,
        **_uvicorn_options(settings, host, port),
    )
    from uvicorn.supervisors import Multiprocess

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: the workers are already stopped
        Multiprocess(config, sockets=[_tcp_listener(config)]).run()
    return 0


def _uvicorn_options(settings: Settings, host: str | None, port: int | None) -> dict[str, Any]:
    """Where to listen, and TLS when a certificate is configured (otherwise a reverse proxy
    in front terminates TLS; ``proxy_headers`` then takes the client address from it)."""
    options: dict[str, Any] = {
        "host": host or settings.host,
        "port": settings.port if port is None else port,  # 0: any free port
        "log_level": settings.log_level,
        "proxy_headers": True,
    }
    if bool(settings.tls_certfile) != bool(settings.tls_keyfile):
        raise ConfigError("Für TLS werden tls_certfile und tls_keyfile gebraucht, beide.")
    if settings.tls_certfile:
        for name in ("tls_certfile", "tls_keyfile"):
            if not Path(getattr(settings, name)).is_file():
                raise ConfigError(f"{name}: Datei {getattr(settings, name)} nicht gefunden.")
        options["ssl_certfile"] = settings.tls_certfile
        options["ssl_keyfile"] = settings.tls_keyfile
    return options


def _tcp_listener(config: uvicorn.Config) -> socket.socket:
    """uvicorn's listener for its workers, declared as TCP. uvicorn creates it with ``proto``
    0; accepted connections inherit that, asyncio then does not set TCP_NODELAY, and every
    answer on a keep-alive connection waits ~40 ms for the client's delayed ACK (measured:
    /health 48 ms instead of 5; uvicorn issue #3149, open in 0.54)."""
    sock: socket.socket = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


def check(settings: Settings) -> int:
    from server.check import run_check

    ctx = ServerContext.open(settings)
    try:
        return run_check(ctx, sys.stdout)
    except ServerError:
        raise
    finally:
        ctx.close()
