"""``eakte login``, ``eakte sync [--watch]``, ``eakte status [--json]`` and ``eakte set``.

Exit codes of ``sync``: 0 done, 3 done but with conflicts or refused changes to look at,
4 could not sync (no connection, no login, a guard stopped it). ``login``: 0 or 4.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from sync.credentials import CredentialStore
from sync.engine import binding
from sync.engine.auth import Account, Authenticator
from sync.engine.engine import SyncEngine, SyncReport
from sync.errors import EAkteError, NotFoundError, ValidationError
from sync.records import operations
from sync.records.model import Document, OutboxEntry, SyncProblem
from sync.records.status import local_status
from sync.settings import validate_server_url
from sync.store.database import Store
from sync.transport import ServerClient

EXIT_OK, EXIT_FAILED = 0, 1
EXIT_ATTENTION = 3  # done, with conflicts or refused changes
EXIT_NOT_SYNCED = 4  # could not sync at all
# Metadata a script may set on a document (``eakte set``).
SETTABLE = ("title", "sender", "recipient", "received_on", "document_date", "doc_type")


def add_parsers(sub: Any) -> None:
    login = sub.add_parser("login", help="beim Server anmelden und den Datenbestand binden")
    login.add_argument("--server", required=True, metavar="URL")
    login.add_argument("--municipality", required=True, metavar="KOMMUNE")
    login.add_argument("--user", required=True, metavar="BENUTZER")
    login.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")

    sync = sub.add_parser("sync", help="mit dem Server abgleichen")
    sync.add_argument("--watch", action="store_true", help="fortlaufend abgleichen")
    sync.add_argument("--interval", type=float, default=60.0, help="Sekunden (mit --watch)")
    sync.add_argument("--yes", action="store_true", help="viele Löschungen ohne Rückfrage senden")

    status = sub.add_parser("status", help="Stand des Abgleichs")
    status.add_argument("--json", action="store_true")

    edit = sub.add_parser("set", help="Metadaten eines Dokuments setzen (FELD=WERT ...)")
    edit.add_argument("document_id", metavar="DOKUMENT_ID")
    edit.add_argument("assignments", nargs="+", metavar="FELD=WERT")


def engine_for(store: Store, credentials: CredentialStore | None = None) -> SyncEngine:
    """The engine for a bound store (server and account from its binding)."""
    with store.read() as session:
        bound = binding.current(session)
    if bound is None:
        raise NotFoundError(
            "Dieser Datenbestand ist noch mit keinem Server verbunden. Bitte zuerst "
            "„eakte login --server URL --municipality KOMMUNE --user BENUTZER“ ausführen.",
            title="Nicht angemeldet",
        )
    account = Account(bound.server_url, bound.municipality, bound.login)
    client = ServerClient(bound.server_url)
    return SyncEngine(
        store, client, Authenticator(client, credentials or CredentialStore(), account)
    )


def cmd_login(args: argparse.Namespace, store_dir: Path) -> int:
    url = validate_server_url(args.server)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Passwort für {args.municipality}/{args.user}: ")
    if not password:
        raise ValidationError("Kein Passwort angegeben.")
    with Store.open(store_dir) as store:
        client = ServerClient(url)
        account = Account(url, args.municipality.strip().lower(), args.user.strip())
        engine = SyncEngine(store, client, Authenticator(client, CredentialStore(), account))
        try:
            bound = engine.login(password)
        except EAkteError as exc:
            print(f"{exc.title}: {exc.message}", file=sys.stderr)
            return EXIT_NOT_SYNCED
    print(f"Angemeldet als {bound.municipality}/{bound.login} bei {bound.server_url}.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace, store_dir: Path) -> int:
    try:
        store = Store.open(store_dir, create=False)
    except EAkteError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_NOT_SYNCED
    with store:
        try:
            engine = engine_for(store)
        except EAkteError as exc:
            print(f"{exc.title}: {exc.message}", file=sys.stderr)
            return EXIT_NOT_SYNCED
        code = _sync_once(engine, args.yes)
        while args.watch:
            try:
                time.sleep(args.interval)
            except KeyboardInterrupt:
                break
            code = _sync_once(engine, args.yes)
        return code


def _sync_once(engine: SyncEngine, allow_mass_delete: bool) -> int:
    try:
        report = engine.run(allow_mass_delete=allow_mass_delete)
    except EAkteError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_NOT_SYNCED
    print(_summary(report))
    for problem in report.problems:
        print(f"  {problem}")
    return EXIT_OK if report.clean else EXIT_ATTENTION


def _summary(report: SyncReport) -> str:
    return (
        f"Abgleich fertig: {report.pushed} gesendet, {report.pulled} empfangen, "
        f"{report.uploaded} Dateien hochgeladen, {report.downloaded} heruntergeladen, "
        f"{report.conflicts} Konflikte, {report.rejected} abgelehnt."
    )


def status_data(store: Store) -> dict[str, Any]:
    with store.read() as session:
        bound = binding.current(session)
        local = local_status(session)
        problems = [
            {
                "kind": p.entity_kind,
                "id": p.entity_id,
                "op": p.op,
                "code": p.code,
                "title": p.title,
                "message": p.message,
            }
            for p in session.scalars(select(SyncProblem).order_by(SyncProblem.id))
        ]
        unsent = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.wire_id.is_(None))
        )
        cursor = binding.get_setting(session, binding.CURSOR)
    return {
        "server": bound.server_url if bound else None,
        "municipality": bound.municipality if bound else None,
        "user": bound.login if bound else None,
        "pending_mutations": local.pending_changes,
        "never_sent": int(unsent or 0),
        "conflicts": local.conflicts,
        "errors": problems,
        "cursor": cursor,
        "last_sync": local.last_sync.isoformat() if local.last_sync else None,
    }


def cmd_status(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store:
        data = status_data(store)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    if data["server"] is None:
        print("Nicht angemeldet (kein Server verbunden).")
    else:
        print(f"Server: {data['server']} ({data['municipality']}/{data['user']})")
    print(f"Wartende Änderungen: {data['pending_mutations']}")
    print(f"Konflikte: {data['conflicts']}")
    print(f"Fehler: {len(data['errors'])}")
    for problem in data["errors"]:
        print(f"  {problem['title']}: {problem['message']} ({problem['kind']} {problem['id']})")
    print(f"Letzter Abgleich: {data['last_sync'] or 'noch nie'}")
    print(f"Position: {'vorhanden' if data['cursor'] else 'keine (erster Abgleich steht aus)'}")
    return EXIT_OK


def _parse(name: str, value: str) -> Any:
    if value == "":
        return None
    if name in ("received_on", "document_date"):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError(
                f"„{value}“ ist kein Datum. Bitte im Format JJJJ-MM-TT angeben, z. B. 2026-11-26."
            ) from exc
    return value


def cmd_set(args: argparse.Namespace, store_dir: Path) -> int:
    changes: dict[str, Any] = {}
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep or name not in SETTABLE:
            raise ValidationError(
                f"„{assignment}“ ist keine gültige Angabe. Erlaubt: FELD=WERT mit FELD aus "
                f"{', '.join(SETTABLE)}."
            )
        changes[name] = _parse(name, value)
    with Store.open(store_dir, create=False) as store, store.write() as session:
        document = session.get(Document, args.document_id)
        if document is None:
            raise NotFoundError(f"Kein Dokument mit der Kennung {args.document_id}.")
        changed = operations.update_fields(session, document, changes)
    print(f"{len(changed)} Feld(er) geändert; sie werden beim nächsten Abgleich übertragen.")
    return EXIT_OK
