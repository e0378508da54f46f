"""The audit log: append-only and hash-chained per municipality.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the entry's canonical JSON
(sorted keys, UTC time in ISO format). The municipality row holds the chain head and is locked
while appending, so the chain has no forks; editing or deleting any entry later breaks every
hash after it, which ``eakte-server check`` detects.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from server.db.engine import lock_municipality
from server.db.tables import AuditEntry, utcnow

GENESIS = "0" * 64


def canonical(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    kind: str | None,
    record_id: str | None,
    details: dict[str, Any],
) -> bytes:
    entry = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "kind": kind,
        "record_id": record_id,
        "details": details,
    }
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, payload: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + payload).hexdigest()


def record(
    session: Session,
    municipality_id: str,
    actor: str,
    action: str,
    *,
    kind: str | None = None,
    record_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the municipality's chain, in the caller's transaction."""
    municipality = lock_municipality(session, municipality_id)
    details = details or {}
    # Microsecond precision survives both PostgreSQL and SQLite unchanged.
    at = utcnow()
    seq = municipality.audit_seq + 1
    prev = municipality.audit_head
    digest = chain_hash(prev, canonical(seq, at, actor, action, kind, record_id, details))
    entry = AuditEntry(
        municipality_id=municipality_id,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        kind=kind,
        record_id=record_id,
        details=details,
        prev_hash=prev,
        hash=digest,
    )
    session.add(entry)
    municipality.audit_seq = seq
    municipality.audit_head = digest
    return entry
