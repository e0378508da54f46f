"""The audit log: append-only and hash-chained per municipality.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the entry's canonical JSON
(sorted keys, UTC time in ISO format). The municipality row holds the chain head and is locked
while appending, so the chain has no forks; editing or deleting any entry later breaks every
hash after it, which ``eakte-server check`` detects.

``verify_chain`` recomputes a chain: a gap in the sequence (a deleted entry), a ``prev_hash``
that is not the previous entry's hash (deleted or reordered entries), a stored hash that does
not match the entry's content (any edited field, including ``details`` and ``at``) and a chain
head in the municipality row that is not the last entry (a cut-off tail, or an entry appended
behind the server's back). What it cannot detect is a log rewritten consistently from the
edited entry up to and including the head; that needs the head kept elsewhere as well.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db.engine import lock_municipality
from server.db.tables import AuditEntry, Municipality, utcnow

GENESIS = "0" * 64
MAX_PROBLEMS = 100  # per chain; a wholesale rewrite would otherwise print a line per entry


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


@dataclass
class ChainReport:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


def chain_report(session: Session, municipality_id: str) -> ChainReport:
    """Recompute one municipality's chain. Run it in a snapshot transaction (REPEATABLE READ
    on PostgreSQL; any read transaction on SQLite), or an append committed while it runs can
    look like an entry behind the head's back."""
    report = ChainReport()
    municipality = session.get(Municipality, municipality_id)
    if municipality is None:
        report.add("Kommune nicht gefunden.")
        return report
    columns = (
        AuditEntry.seq,
        AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.kind,
        AuditEntry.record_id,
        AuditEntry.details,
        AuditEntry.prev_hash,
        AuditEntry.hash,
    )
    rows = session.execute(
        select(*columns)
        .where(AuditEntry.municipality_id == municipality_id)
        .order_by(AuditEntry.seq),
        execution_options={"yield_per": 2000},
    )
    expected = 1
    previous = GENESIS
    for seq, at, actor, action, kind, record_id, details, prev_hash, digest in rows:
        report.entries += 1
        if seq != expected:
            missing = (
                f"Einträge {expected}–{seq - 1} fehlen"
                if seq > expected + 1
                else (f"Eintrag {expected} fehlt")
            )
            report.add(f"{missing} (Lücke vor Eintrag {seq}).")
        if prev_hash != previous:
            report.add(f"Eintrag {seq}: Verweis auf den Vorgänger stimmt nicht.")
        payload = canonical(seq, at.astimezone(UTC), actor, action, kind, record_id, details)
        if chain_hash(prev_hash, payload) != digest:
            report.add(f"Eintrag {seq}: Inhalt passt nicht zur Prüfsumme (nachträglich geändert).")
        expected = seq + 1
        previous = digest
    last_seq = expected - 1
    if municipality.audit_seq != last_seq or municipality.audit_head != previous:
        if municipality.audit_seq > last_seq:
            report.add(
                f"Kettenende: laut Kommune {municipality.audit_seq} Einträge, vorhanden bis "
                f"{last_seq} (Einträge am Ende entfernt)."
            )
        elif municipality.audit_seq < last_seq:
            report.add(
                f"Kettenende: laut Kommune {municipality.audit_seq} Einträge, vorhanden bis "
                f"{last_seq} (Einträge ohne den Server angehängt)."
            )
        else:
            report.add("Kettenende: gespeicherte Prüfsumme passt nicht zum letzten Eintrag.")
    return report


def verify_chain(session: Session, municipality_id: str) -> list[str]:
    """The problems of one municipality's chain, in German; empty when it verifies."""
    report = chain_report(session, municipality_id)
    if report.more_problems:
        return [*report.problems, f"… und {report.more_problems} weitere Probleme."]
    return report.problems


def page(
    session: Session, municipality_id: str, after: int, limit: int
) -> tuple[list[AuditEntry], int | None]:
    """Entries with ``seq > after`` in order, and the ``after`` of the next page (None: done)."""
    rows = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.municipality_id == municipality_id, AuditEntry.seq > after)
            .order_by(AuditEntry.seq)
            .limit(limit + 1)
        )
    )
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, rows[-1].seq
    return rows, None
