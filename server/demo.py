"""``eakte-server init --demo``: demo users, the demo file plan, dossiers, cases and documents.

The demo comes as a seed bundle in ``resources/demo/seed/``: ``seed.json`` holds the records as
wire-protocol mutations, ``blobs/<sha256>`` the files. It is made by the client's demo
generator (``eakte export-seed``), which the server may not import (DESIGN.md, layers).

The records go in the way a client's outbox does: first the blobs, verified against their hash
and committed like an upload, then the mutations through the real mutation code
(``server.records.apply``) as the demo registrar, so every rule of the server applies to them.
A fixed client id makes a second run a replay that the server answers with "duplicate":
nothing is added twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import users
from server.auth.principal import Principal
from server.blobs.storage import CHUNK
from server.context import ServerContext
from server.db.retry import retry_on_conflict
from server.db.tables import BlobOwner, BlobRow, Municipality, User
from server.errors import ServerError
from server.municipalities import resources_dir
from server.records.apply import apply_batch
from sync.protocol.mutations import MAX_BATCH, Mutation, MutationBatch, MutationResult

FORMAT = 1
# The demo's "device": its mutation ids are those of seed.json, so a second run is a replay.
DEMO_CLIENT_ID = "88eadbc8-ff1e-4ff6-be3a-8f1512d96fed"
PASSWORD_ENV = "EAKTE_DEMO_PASSWORD"  # noqa: S105 - the variable's name, not a password
# Documented and printed: demo accounts are for trying the system out, never for real files.
DEFAULT_PASSWORD = "demo-passwort-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoUser:
    login: str
    role: str
    display_name: str
    label: str  # German role name for the summary


REGISTRAR = DemoUser("demo", "registrar", "Demo Registratur", "Registratur")
CLERK = DemoUser("sachbearbeitung", "clerk", "Demo Sachbearbeitung", "Sachbearbeitung")

KIND_LABELS = (
    ("plan_unit", "Aktenplaneinheiten"),
    ("dossier", "Akten"),
    ("case", "Vorgänge"),
    ("document", "Dokumente"),
    ("version", "Versionen"),
    ("note", "Notizen"),
)


class DemoSeedError(ServerError):
    title = "Demodaten"


@dataclass(frozen=True)
class Bundle:
    folder: Path
    municipality: str
    blobs: dict[str, int]  # sha256 -> size
    mutations: list[Mutation]


def bundle_dir() -> Path:
    return resources_dir() / "demo" / "seed"


def seed_demo(ctx: ServerContext, folder: Path | None = None) -> str:
    """Load the demo into its municipality; returns a German one-line summary."""
    bundle = load_bundle(folder or bundle_dir())
    password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD
    with ctx.db.write() as session:
        municipality = _municipality(session, bundle.municipality)
        registrar, created = _ensure_users(session, municipality, password)
        principal = Principal(
            user_id=registrar.id,
            login=registrar.login,
            role=registrar.role,
            municipality_id=municipality.id,
            municipality=municipality.slug,
        )
    _store_blobs(ctx, bundle, municipality.id)
    results = _apply(ctx, principal, bundle.mutations)
    applied = [r for r in results if r.status == "applied"]
    login = _login_hint(municipality.slug, created, password)
    if not applied:
        return f"Demo-Daten bereits vorhanden ({municipality.name}). {login}"
    return f"Demodaten für {municipality.name} angelegt: {_counts(bundle, applied)}. {login}"


# -- the bundle ----------------------------------------------------------------------------


def load_bundle(folder: Path) -> Bundle:
    path = folder / "seed.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoSeedError(f"Das Demo-Startpaket {path} ist nicht lesbar: {exc}") from exc
    except ValueError as exc:
        raise DemoSeedError(f"Das Demo-Startpaket {path} ist kein gültiges JSON: {exc}") from exc
    if data.get("format") != FORMAT:
        raise DemoSeedError(f"Unbekanntes Format des Demo-Startpakets: {data.get('format')!r}.")
    slugs = data.get("municipalities")
    if not isinstance(slugs, list) or len(slugs) != 1:
        # The mutations carry no municipality: they land where the applying user works.
        raise DemoSeedError("Das Demo-Startpaket muss genau eine Kommune nennen.")
    try:
        mutations = [Mutation.model_validate(m) for m in data["mutations"]]
        blobs = {str(b["sha256"]): int(b["size"]) for b in data["blobs"]}
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        raise DemoSeedError(f"Das Demo-Startpaket {path} ist fehlerhaft: {exc}") from exc
    ids = [m.mutation_id for m in mutations]
    if not mutations or ids != sorted(set(ids)):
        # Replays are recognised by increasing mutation ids; anything else would be misread.
        raise DemoSeedError("Die Mutationen im Demo-Startpaket sind nicht streng aufsteigend.")
    return Bundle(folder, str(slugs[0]), blobs, mutations)


# -- users ---------------------------------------------------------------------------------


def _municipality(session: Session, slug: str) -> Municipality:
    row = session.scalars(select(Municipality).where(Municipality.slug == slug)).first()
    if row is None:
        raise DemoSeedError(
            f"Die Kommune „{slug}“ der Demodaten ist auf diesem Server nicht eingerichtet."
        )
    return row


def _ensure_users(
    session: Session, municipality: Municipality, password: str
) -> tuple[User, list[DemoUser]]:
    """The demo registrar (returned) and clerk; existing accounts keep their password."""
    created: list[DemoUser] = []
    found: dict[str, User] = {}
    for demo in (REGISTRAR, CLERK):
        user = session.scalars(
            select(User).where(User.municipality_id == municipality.id, User.login == demo.login)
        ).first()
        if user is None:
            user = users.add_user(
                session, municipality.slug, demo.login, demo.role, password, demo.display_name
            )
            created.append(demo)
        found[demo.login] = user
    registrar = found[REGISTRAR.login]
    if registrar.role not in ("registrar", "admin"):
        raise DemoSeedError(
            f"Der Benutzer {registrar.login} in {municipality.slug} ist keine Registratur; "
            "die Demodaten (Aktenplan, zdA) braucht aber eine."
        )
    return registrar, created


def _login_hint(slug: str, created: list[DemoUser], password: str) -> str:
    accounts = " und ".join(f"{d.login} ({d.label})" for d in (REGISTRAR, CLERK))
    if not created:
        which = "Passwort unverändert"
    elif password == DEFAULT_PASSWORD:
        which = f"Passwort „{DEFAULT_PASSWORD}“"
    else:
        which = f"Passwort aus {PASSWORD_ENV}"  # never echo a password someone chose
    return f"Anmeldung: Kommune {slug}, Benutzer {accounts}, {which}."


# -- blobs ---------------------------------------------------------------------------------


def _store_blobs(ctx: ServerContext, bundle: Bundle, municipality_id: str) -> None:
    """Commit every blob like a verified upload: bytes first, then the rows, so that a
    ``BlobRow`` never exists without its bytes."""
    for sha, size in sorted(bundle.blobs.items()):
        if not ctx.blobs.exists(sha):
            _commit_blob(ctx, bundle.folder / "blobs" / sha, sha, size)
    with ctx.db.write() as session:
        for sha, size in sorted(bundle.blobs.items()):
            if session.get(BlobRow, sha) is None:
                session.add(BlobRow(sha256=sha, size=size))
                session.flush()  # the owner row refers to it
            if session.get(BlobOwner, (municipality_id, sha)) is None:
                session.add(BlobOwner(municipality_id=municipality_id, sha256=sha))


def _commit_blob(ctx: ServerContext, source: Path, sha: str, size: int) -> None:
    staging_id = f"demo-{uuid.uuid4()}"
    staged = ctx.blobs.staging_path(staging_id)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as src, staged.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        written = staged.stat().st_size
    except OSError as exc:
        ctx.blobs.discard(staging_id)
        raise DemoSeedError(f"Die Demo-Datei {source} ist nicht lesbar: {exc}") from exc
    if digest.hexdigest() != sha or written != size:
        ctx.blobs.discard(staging_id)
        raise DemoSeedError(
            f"Die Demo-Datei {source} passt nicht zu ihrer Prüfsumme oder Größe; "
            "das Startpaket ist beschädigt (neu erzeugen mit „eakte export-seed“)."
        )
    ctx.blobs.commit(sha, staged)


# -- mutations -----------------------------------------------------------------------------


def _apply(
    ctx: ServerContext, principal: Principal, mutations: list[Mutation]
) -> list[MutationResult]:
    """Apply in batches, one transaction each; a refused mutation rolls its batch back and
    stops the seed, since a consistent bundle has none."""
    results: list[MutationResult] = []
    for start in range(0, len(mutations), MAX_BATCH):
        batch = MutationBatch(
            client_id=DEMO_CLIENT_ID, mutations=mutations[start : start + MAX_BATCH]
        )

        def attempt(batch: MutationBatch = batch) -> list[MutationResult]:
            with ctx.db.write() as session:
                answered = apply_batch(session, principal, batch).results
                _raise_on_refusals(batch, answered)
                return answered

        results += retry_on_conflict(attempt)
    return results


def _raise_on_refusals(batch: MutationBatch, results: list[MutationResult]) -> None:
    bad = [
        (m, r)
        for m, r in zip(batch.mutations, results, strict=True)
        if r.status not in ("applied", "duplicate")
    ]
    if not bad:
        return
    lines = [
        f"#{m.mutation_id} {m.op} {m.kind} {m.id}: {r.status}"
        + (f" ({r.error.code}: {r.error.message})" if r.error else "")
        for m, r in bad[:5]
    ]
    raise DemoSeedError(
        f"{len(bad)} Demo-Einträge wurden nicht angenommen, nichts von diesem Teil ist "
        f"gespeichert: {'; '.join(lines)}"
    )


def _counts(bundle: Bundle, applied: list[MutationResult]) -> str:
    ops = {m.mutation_id: m for m in bundle.mutations}
    created: Counter[str] = Counter()
    closed = 0
    for result in applied:
        mutation = ops[result.mutation_id]
        if mutation.op == "create":
            created[mutation.kind] += 1
        closed += mutation.op == "close"
    parts = [f"{created[kind]} {label}" for kind, label in KIND_LABELS if created[kind]]
    if closed:
        parts.append(f"{closed} zdA")
    parts.append(f"{len(bundle.blobs)} Dateien")
    return ", ".join(parts)
