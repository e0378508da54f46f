"""``eakte-server check``: are the blobs intact and do the audit chains verify?

1. Blobs: every blob a version record refers to (content or thumbnail, deleted versions
   included: they can be restored) and every committed blob (``blobs`` table) must be in the
   blob storage with the recorded size, and its bytes, read back, must hash to its name.
   Files in the storage that nothing refers to are counted, but are not a problem.
2. Audit: every municipality's chain is recomputed (``server.audit.verify_chain``).

Both run in one read snapshot, so a server that keeps working meanwhile causes no false alarm.

Exit codes:

- 0: everything is in order;
- 3: blob problems only (missing, wrong size, wrong content);
- 4: audit problems only (an entry edited, deleted, reordered, or the tail cut off);
- 5: both;
- 1: the check could not run (configuration, database not reachable or not initialised),
  as for every ``eakte-server`` command.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.audit import chain_report
from server.blobs.storage import BlobStorage
from server.context import ServerContext
from server.db.tables import BlobRow, Municipality, RecordRow

log = logging.getLogger("eakte.server.check")

EXIT_OK = 0
EXIT_BLOBS = 3
EXIT_AUDIT = 4
EXIT_BOTH = 5

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class BlobReport:
    referenced: int = 0
    registered: int = 0
    checked: int = 0
    unreferenced: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class AuditReport:
    chains: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)


def check_blobs(session: Session, blobs: BlobStorage) -> BlobReport:
    report = BlobReport()
    sizes: dict[str, int | None] = {}
    for sha, size in session.execute(select(BlobRow.sha256, BlobRow.size)):
        sizes[sha] = size
    report.registered = len(sizes)
    referenced = set(
        session.scalars(
            select(RecordRow.blob_sha256).where(RecordRow.blob_sha256.is_not(None)).distinct()
        )
    ) | set(
        session.scalars(
            select(RecordRow.thumbnail_sha256)
            .where(RecordRow.thumbnail_sha256.is_not(None))
            .distinct()
        )
    )
    referenced.discard(None)
    report.referenced = len(referenced)
    unregistered = referenced - sizes.keys()
    if unregistered:
        # Referenced but never committed: the version's own size is all we can compare.
        for sha, data in session.execute(
            select(RecordRow.blob_sha256, RecordRow.data).where(
                RecordRow.blob_sha256.in_(unregistered)
            )
        ):
            declared = data.get("size") if isinstance(data, dict) else None
            sizes[sha] = declared if isinstance(declared, int) else None
    for sha in sorted(sizes):
        report.checked += 1
        problem = _check_one(blobs, sha, sizes[sha])
        if sha in unregistered:
            note = "von einer Version benutzt, aber nie vollständig übertragen"
            problem = f"{note}; {problem}" if problem else f"{note}."
        if problem:
            report.problems.append(f"Blob {sha}: {problem}")
    known = set(sizes)
    report.unreferenced = sum(1 for sha in blobs.iter_hashes() if sha not in known)
    return report


def _check_one(blobs: BlobStorage, sha: str, size: int | None) -> str | None:
    if not _SHA256.match(sha):
        return "ungültiger Name (kein SHA-256)."
    try:
        if not blobs.exists(sha):
            return "fehlt im Speicher."
        actual = blobs.size(sha)
        if size is not None and actual != size:
            return f"Größe {actual} Bytes statt {size} Bytes."
        if blobs.digest(sha) != sha:
            return "Inhalt passt nicht zur Prüfsumme (Datei beschädigt oder verändert)."
    except OSError as exc:
        return f"nicht lesbar ({exc.strerror or exc})."
    return None


def check_audit(session: Session) -> AuditReport:
    report = AuditReport()
    municipalities = session.execute(
        select(Municipality.id, Municipality.slug).order_by(Municipality.slug)
    ).all()
    for municipality_id, slug in municipalities:
        chain = chain_report(session, municipality_id)
        report.chains += 1
        report.entries += chain.entries
        report.problems.extend(f"{slug}: {problem}" for problem in chain.problems)
        if chain.more_problems:
            report.problems.append(f"{slug}: … und {chain.more_problems} weitere Probleme.")
    return report


def exit_code(blobs: BlobReport, audit: AuditReport) -> int:
    if blobs.problems and audit.problems:
        return EXIT_BOTH
    if blobs.problems:
        return EXIT_BLOBS
    if audit.problems:
        return EXIT_AUDIT
    return EXIT_OK


def run_check(ctx: ServerContext, out: TextIO) -> int:
    """Check blobs and audit chains, print a German report to ``out``, return the exit code."""
    with ctx.db.read() as session:
        if ctx.db.dialect == "postgresql":
            # One snapshot for the whole check (SQLite read transactions are snapshots anyway).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        blob_report = check_blobs(session, ctx.blobs)
        audit_report = check_audit(session)
    _print_report(out, blob_report, audit_report)
    code = exit_code(blob_report, audit_report)
    log.info(
        "check: %d blob problems, %d audit problems, exit %d",
        len(blob_report.problems),
        len(audit_report.problems),
        code,
    )
    return code


def _print_report(out: TextIO, blobs: BlobReport, audit: AuditReport) -> None:
    out.write("E-Akte-Server: Prüfung\n\n")
    out.write(
        f"Blobs: {blobs.checked} geprüft ({blobs.registered} übertragen, "
        f"{blobs.referenced} von Versionen benutzt); "
        f"{_count(len(blobs.problems))}.\n"
    )
    if blobs.unreferenced:
        files = "1 Datei" if blobs.unreferenced == 1 else f"{blobs.unreferenced} Dateien"
        out.write(f"  Hinweis: {files} im Speicher ohne Verweis.\n")
    for problem in blobs.problems:
        out.write(f"  - {problem}\n")
    out.write(
        f"Audit-Protokoll: {audit.chains} Ketten mit {audit.entries} Einträgen geprüft; "
        f"{_count(len(audit.problems))}.\n"
    )
    for problem in audit.problems:
        out.write(f"  - {problem}\n")
    code = exit_code(blobs, audit)
    verdict = {
        EXIT_OK: "alles in Ordnung.",
        EXIT_BLOBS: "Blobs fehlerhaft.",
        EXIT_AUDIT: "Audit-Protokoll fehlerhaft.",
        EXIT_BOTH: "Blobs und Audit-Protokoll fehlerhaft.",
    }[code]
    out.write(f"\nErgebnis: {verdict} (Exit-Code {code})\n")


def _count(problems: int) -> str:
    if problems == 0:
        return "keine Probleme"
    return "1 Problem" if problems == 1 else f"{problems} Probleme"
