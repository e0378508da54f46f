"""Settling a batch's answers (sync contract rules 4, 5, 7 and 11).

``applied``: the entry is done and the record takes the server's state and version.
``stale`` (and a ``duplicate`` that was not a create): merged with the server's state
(``merge.reconcile``). ``rejected``: the entry moves to the problem list with what it wanted,
the record shows the server's state again, the rest of the queue goes on; a missing blob is
only a delay (uploaded again, then resent under a new mutation id).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.engine.apply import (
    PARENT_MODEL,
    PARENTS,
    Context,
    apply_records,
    pending_fields,
)
from sync.engine.merge import reconcile
from sync.engine.numbering import renumber_dossier
from sync.engine.outbox import Planned
from sync.engine.wire_fields import MODEL_BY_KIND
from sync.protocol.mutations import MutationResult
from sync.protocol.records import Record
from sync.records.model import Blob, Dossier, OutboxEntry, SyncProblem, Version

log = logging.getLogger("eakte.sync.push")

RETRY_LATER = frozenset({"blob_missing"})


@dataclass
class PushOutcome:
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    delayed: int = 0
    unanswered: int = 0
    problems: list[str] = field(default_factory=list)


def settle(
    session: Session,
    ctx: Context,
    planned: list[Planned],
    results: list[MutationResult],
    outcome: PushOutcome,
    *,
    actor: str = "",
) -> None:
    """Apply the server's answers to a sent batch, in the caller's write transaction."""
    answers = {r.mutation_id: r for r in results}
    groups: dict[str, list[tuple[Planned, MutationResult]]] = defaultdict(list)
    for p in planned:
        answer = answers.get(p.mutation.mutation_id)
        if answer is None:
            # Not answered (a server that lies or cut the list): the entry keeps its wire id
            # and goes again; a replay is harmless.
            outcome.unanswered += 1
            continue
        groups[p.entity_id].append((p, answer))
    for entity_id, items in groups.items():
        _settle_record(session, ctx, entity_id, items, outcome, actor)


def _settle_record(
    session: Session,
    ctx: Context,
    entity_id: str,
    items: list[tuple[Planned, MutationResult]],
    outcome: PushOutcome,
    actor: str,
) -> None:
    latest: Record | None = None
    confirmed = False
    for p, answer in items:
        entry = session.get(OutboxEntry, p.entry_id)
        if entry is None:
            continue
        status = answer.status
        if status == "applied" or (status == "duplicate" and p.mutation.op == "create"):
            if answer.record is None:
                # Answered before, but the answer was lost and the record is not there: that
                # answer was a refusal. Send it again under a new id to hear the reason now.
                entry.wire_id = None
                outcome.delayed += 1
                continue
            session.delete(entry)
            latest, confirmed = answer.record, True
            outcome.applied += 1
            continue
        if status in ("stale", "duplicate"):
            if answer.record is None:
                _problem(session, entry, "not_visible", _NOT_VISIBLE, outcome)
                continue
            session.flush()
            outcome.conflicts += reconcile(
                session, ctx, p.entity_kind, entity_id, answer.record, actor=actor
            )
            outcome.merged += 1
            return  # every entry of the record was merged
        # rejected
        code = answer.error.code if answer.error else "rejected"
        if (
            code in RETRY_LATER
            or (code == "reference_taken" and p.mutation.op == "create")
            or (code == "not_found" and _parent_not_sent(session, p))
        ):
            entry.wire_id = None  # answered: the id is spent, the next send needs a new one
            if code == "reference_taken":
                renumber_dossier(session, session.get_one(Dossier, entity_id))
            else:
                _blob_not_on_server(session, entity_id)
            outcome.delayed += 1
            continue
        title = answer.error.title if answer.error else "Abgelehnt"
        message = answer.error.message if answer.error else "Der Server hat abgelehnt."
        _problem(session, entry, code, (title, message), outcome, sent=p)
        if answer.record is not None:
            latest, confirmed = answer.record, False
    if latest is None:
        return
    session.flush()
    held = pending_fields(session, [entity_id])
    apply_records(session, ctx, [latest], pending=held)
    if confirmed and held.get(entity_id):
        # The server's state is ours plus nothing else (the base matched): later local
        # edits build on it.
        model: Any = MODEL_BY_KIND[latest.kind]
        session.execute(
            update(model).where(model.id == entity_id).values(server_version=latest.version)
        )


_NOT_VISIBLE = (
    "Nicht mehr sichtbar",
    "Der Eintrag ist auf dem Server nicht mehr sichtbar (Zugriff entzogen oder entfernt). "
    "Die Änderung ist hier aufbewahrt.",
)


def _problem(
    session: Session,
    entry: OutboxEntry,
    code: str,
    text: tuple[str, str],
    outcome: PushOutcome,
    *,
    sent: Planned | None = None,
) -> None:
    payload = dict(entry.payload or {})
    if sent is not None:
        payload["sent"] = sent.mutation.model_dump(mode="json", exclude={"text"})
    session.add(
        SyncProblem(
            entity_kind=entry.entity_kind,
            entity_id=entry.entity_id,
            op=entry.op,
            code=code,
            title=text[0],
            message=text[1],
            payload=payload,
        )
    )
    session.delete(entry)
    outcome.rejected += 1
    outcome.problems.append(f"{text[0]}: {text[1]}")
    log.info("%s %s %s refused: %s", entry.entity_kind, entry.op, entry.entity_id, code)


def _parent_not_sent(session: Session, planned: Planned) -> bool:
    """A create refused because its parent is missing, while the parent's own create is
    still on its way (delayed earlier in the same batch): it goes again after the parent."""
    if planned.mutation.op != "create":
        return False
    fields = planned.mutation.fields
    parents = [(PARENT_MODEL[n], fields.get(n)) for n in PARENTS.get(planned.entity_kind, ())]
    if planned.entity_kind == "note" and fields.get("target_kind") in MODEL_BY_KIND:
        parents.append((MODEL_BY_KIND[fields["target_kind"]], fields.get("target_id")))
    for model, ref in parents:
        parent: Any = session.get(model, ref) if ref else None
        if parent is not None and parent.server_version is None:
            return True
    return False


def _blob_not_on_server(session: Session, version_id: str) -> None:
    version = session.get(Version, version_id)
    if version is None:
        return
    shas = [version.blob_sha256, *([version.thumbnail_sha256] if version.thumbnail_sha256 else [])]
    session.execute(update(Blob).where(Blob.sha256.in_(shas)).values(synced=False))


def rejected_count(session: Session) -> int:
    return len(session.scalars(select(SyncProblem.id)).all())
