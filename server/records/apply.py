"""Applying a batch of mutations (sync contract rules 3-5 and 7-8).

One transaction per batch. Every mutation makes all its checks before its first write, so a
refused one leaves no trace and the rest of the batch goes on (a refusal after a write would
be a bug, and fails the whole batch rather than keep half a change). The records a batch
refers to are read and locked up front, so a batch of creates costs a few queries in all,
not several per mutation. The client's last mutation id is stored in the same transaction as
the effects: a batch replayed after a lost reply is answered, not applied twice.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import audit
from server.access import Access
from server.auth.principal import Principal
from server.db.engine import lock_municipality
from server.db.tables import BlobOwner, BlobRow, ClientProgress, RecordRow, utcnow
from server.errors import ApiError
from server.records import placement
from server.records.grants import apply_grants, resolve_grants
from server.records.rejections import Rejected, closed, forbidden, invalid, not_found
from server.records.sequence import Sequencer
from server.records.wire import Slugs, to_record
from server.search import index_document
from sync.protocol.common import ErrorBody
from sync.protocol.mutations import BatchResult, Mutation, MutationBatch, MutationResult
from sync.protocol.records import CLIENT_KINDS, CLOSABLE_KINDS, FIELDS_BY_KIND

log = logging.getLogger("eakte.server.mutations")

# Fields only the Registratur may change after creation.
REGISTRAR_FIELDS = {
    "dossier": {"restricted", "members", "shares", "retention_years", "disposal", "plan_unit_id"},
}
# Fields that never change after creation (a version is immutable content).
FIXED_FIELDS = {
    "case": {"dossier_id"},
    "version": {"document_id", "number", "blob_sha256", "size", "file_name", "thumbnail_sha256"},
    "note": {"target_kind", "target_id"},
}


class BatchApplier:
    def __init__(self, session: Session, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.access = Access(session, principal)
        self.sequencer = Sequencer(session)
        self.slugs = Slugs(session)
        self.rows = placement.RowCache.install(session)
        self._writing = False

    def _begin_writes(self) -> None:
        """From here on the mutation changes rows; every check must have been made."""
        self._writing = True

    def run(self, batch: MutationBatch) -> BatchResult:
        lock_municipality(self.session, self.principal.municipality_id)
        progress = self._progress(batch.client_id)
        self._prefetch(batch)
        results: list[MutationResult] = []
        for mutation in batch.mutations:
            if mutation.mutation_id <= progress.last_mutation_id:
                results.append(self._duplicate(mutation))
                continue
            results.append(self._apply_one(mutation))
            progress.last_mutation_id = mutation.mutation_id
        progress.updated_at = utcnow()
        return BatchResult(results=results, last_mutation_id=progress.last_mutation_id)

    def _progress(self, client_id: str) -> ClientProgress:
        progress = self.session.get(ClientProgress, client_id, with_for_update=True)
        if progress is None:
            progress = ClientProgress(
                client_id=client_id, user_id=self.principal.user_id, last_mutation_id=0
            )
            self.session.add(progress)
            self.session.flush()
        elif progress.user_id != self.principal.user_id:
            raise ApiError(
                409,
                "client_id_taken",
                "Anderer Benutzer",
                "Dieser lokale Zwischenspeicher gehört einem anderen Benutzer. Bitte mit dem "
                "eigenen Konto anmelden oder den Zwischenspeicher neu anlegen.",
            )
        return progress

    def _prefetch(self, batch: MutationBatch) -> None:
        """Read the batch's records and what they point at; then the dossiers and parents of
        those (for zdA checks and access)."""
        ids = {m.id for m in batch.mutations}
        for m in batch.mutations:
            ids |= placement.referenced_ids(m.fields)
        found = self.rows.prefetch(ids)
        self.rows.prefetch({r for row in found for r in (row.dossier_id, row.parent_id) if r})
        self.access.note_dossiers(self.rows.rows.values())

    def _visible_record(self, record_id: str) -> Any:
        row = self.session.get(RecordRow, record_id)
        if row is None or self.access.mode(row) is None:
            return None
        return to_record(row, self.slugs)

    def _duplicate(self, mutation: Mutation) -> MutationResult:
        return MutationResult(
            mutation_id=mutation.mutation_id,
            status="duplicate",
            record=self._visible_record(mutation.id),
        )

    def _apply_one(self, mutation: Mutation) -> MutationResult:
        self._writing = False
        try:
            row = self._dispatch(mutation)
        except (Rejected, _Stale) as refusal:
            if self._writing:
                raise RuntimeError(f"mutation refused after it began writing: {refusal}") from None
            if isinstance(refusal, _Stale):
                return MutationResult(
                    mutation_id=mutation.mutation_id,
                    status="stale",
                    record=to_record(refusal.row, self.slugs),
                    error=refusal.body(),
                )
            rejection = refusal
            return MutationResult(
                mutation_id=mutation.mutation_id,
                status="rejected",
                error=rejection.body,
                record=self._visible_record(mutation.id),
            )
        return MutationResult(
            mutation_id=mutation.mutation_id, status="applied", record=to_record(row, self.slugs)
        )

    # -- the operations -------------------------------------------------------------------

    def _dispatch(self, m: Mutation) -> RecordRow:
        if m.kind not in CLIENT_KINDS:
            raise invalid(f"Einträge der Art {m.kind!r} legt nur der Server an.")
        if m.text is not None and m.kind != "document":
            raise invalid("Volltext gibt es nur für Dokumente.")
        if m.op == "create":
            return self._create(m)
        row = placement.load(self.session, m.id, lock=True)
        if row is None or row.kind != m.kind or self.access.mode(row) is None:
            raise not_found(placement.LABEL[m.kind])
        if self.access.mode(row) != "write":
            raise forbidden("Diese Akte ist nur zum Lesen freigegeben.")
        if row.version != m.base_version:
            raise _Stale(row)
        if m.op == "update":
            self._update(row, m)
        elif m.op in ("delete", "restore"):
            self._delete_or_restore(row, m.op)
        else:
            self._close_or_reopen(row, m.op)
        self._touch(row)
        if row.kind == "document":
            index_document(self.session, row, m.text)
        self._audit(row, m.op, self._audit_details(row, m))
        return row

    def _validate(self, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        try:
            model = FIELDS_BY_KIND[kind].model_validate(fields)
        except ValidationError as exc:
            names = ", ".join(".".join(str(p) for p in e["loc"]) or "?" for e in exc.errors()[:5])
            raise invalid(
                f"Ungültige oder fehlende Angaben: {names}.",
                problems=[
                    {"field": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]}
                    for e in exc.errors()[:20]
                ],
            ) from exc
        return model.model_dump(mode="json")

    def _create(self, m: Mutation) -> RecordRow:
        if self.rows.get(m.id) is not None:
            raise Rejected("id_exists", "Kennung vergeben", "Diese Kennung ist bereits vergeben.")
        data = self._validate(m.kind, m.fields)
        where = placement.place(self.session, self.access, m.kind, data)
        if (
            m.kind == "dossier"
            and data["restricted"]
            and self.principal.login not in data["members"]
        ):
            # Whoever creates a restricted dossier must not lock themselves out of it.
            data["members"] = [*data["members"], self.principal.login]
        if m.kind == "dossier":
            self._reference_free(where.municipality_id, data["reference"], m.id)
        if m.kind == "dossier" and data["shares"] and not self.principal.may_manage_records:
            raise forbidden("Akten für andere Kommunen freigeben darf die Registratur.")
        owners: list[BlobOwner] = []
        if m.kind == "version":
            data, owners = self._check_version(data, where.municipality_id)
        grants = (
            resolve_grants(self.session, where.municipality_id, data) if m.kind == "dossier" else {}
        )
        self._begin_writes()
        self.session.add_all(owners)
        row = RecordRow(
            id=m.id,
            municipality_id=where.municipality_id,
            kind=m.kind,
            version=1,
            seq=self.sequencer.next(where.municipality_id),
            dossier_id=m.id if m.kind == "dossier" else where.dossier_id,
            parent_id=where.parent_id,
            deleted=False,
            restricted=bool(data.get("restricted")) if m.kind == "dossier" else False,
            blob_sha256=data.get("blob_sha256") if m.kind == "version" else None,
            thumbnail_sha256=data.get("thumbnail_sha256") if m.kind == "version" else None,
            data=data,
            closed_at=None,
            created_at=(now := utcnow()),
            created_by=self.principal.actor,
            updated_at=now,
            updated_by=self.principal.actor,
        )
        self.session.add(row)
        self.rows.add(row)
        if m.kind == "dossier":
            self.access.note_dossiers([row])
            apply_grants(self.session, self.sequencer, self.principal, row, grants)
        if m.kind == "document":
            index_document(self.session, row, m.text or "", new=True)
        self._audit(row, "create", {"via_share": True} if self.access.via_share(row) else {})
        return row

    def _reference_free(self, municipality_id: str, reference: str, dossier_id: str) -> None:
        """An Aktenzeichen names one dossier of a municipality, for ever (deleted ones keep
        theirs). Two PCs that numbered offline meet here; the later one renumbers."""
        taken = self.session.scalar(
            select(RecordRow.id)
            .where(
                RecordRow.municipality_id == municipality_id,
                RecordRow.kind == "dossier",
                RecordRow.data["reference"].as_string() == reference,
                RecordRow.id != dossier_id,
            )
            .limit(1)
        )
        if taken is not None:
            raise Rejected(
                "reference_taken",
                "Aktenzeichen vergeben",
                f"Das Aktenzeichen {reference} ist bereits vergeben. Die Akte bekommt beim "
                "nächsten Abgleich die nächste freie Nummer.",
                reference=reference,
            )

    def _check_version(
        self, data: dict[str, Any], owner_id: str
    ) -> tuple[dict[str, Any], list[BlobOwner]]:
        """The version's fields (renumbered if its number is taken) and the blob ownerships
        to add when it is written."""
        blob, owners = self._uploaded_blob(data["blob_sha256"], owner_id)
        if blob.size != data["size"]:
            raise invalid("Die Größe der Version passt nicht zur hochgeladenen Datei.")
        if data.get("thumbnail_sha256"):
            _thumb, more = self._uploaded_blob(data["thumbnail_sha256"], owner_id)
            owners += [o for o in more if o.sha256 not in {x.sha256 for x in owners}]
        # Two clients that both added "version 3" offline: keep both, the later one marked as
        # a conflict for the clerk to resolve (sync contract rule 7), under the next number.
        taken = self.session.scalar(
            select(func.count())
            .select_from(RecordRow)
            .where(
                RecordRow.kind == "version",
                RecordRow.parent_id == data["document_id"],
                RecordRow.data["number"].as_integer() == data["number"],
            )
        )
        if taken:
            highest = self.session.scalar(
                select(func.max(RecordRow.data["number"].as_integer())).where(
                    RecordRow.kind == "version", RecordRow.parent_id == data["document_id"]
                )
            )
            data = {**data, "number": int(highest or 0) + 1, "conflict": True}
        return data, owners

    def _uploaded_blob(self, sha: str, owner_id: str) -> tuple[BlobRow, list[BlobOwner]]:
        """The blob must have been uploaded by the caller's municipality (rule 6: content
        first, then the record that points at it)."""
        blob = self.session.get(BlobRow, sha)
        owned = self.session.get(BlobOwner, (self.principal.municipality_id, sha))
        if blob is None or owned is None:
            raise Rejected(
                "blob_missing",
                "Datei fehlt",
                "Die Datei dieser Version ist noch nicht auf dem Server. "
                "Sie wird beim nächsten Abgleich erneut hochgeladen.",
                sha256=sha,
            )
        if owner_id != self.principal.municipality_id and (
            self.session.get(BlobOwner, (owner_id, sha)) is None
        ):
            # Filed into a neighbour's shared dossier: the content now belongs there too.
            return blob, [BlobOwner(municipality_id=owner_id, sha256=sha)]
        return blob, []

    def _update(self, row: RecordRow, m: Mutation) -> None:
        if not m.fields:
            raise invalid("Eine Änderung ohne Felder.")
        placement.ensure_open(self.session, row)
        unknown = set(m.fields) - set(FIELDS_BY_KIND[row.kind].model_fields)
        if unknown:
            # Escaped: a name may hold a lone surrogate, which no JSON answer can carry.
            names = sorted(k.encode("utf-8", "backslashreplace").decode() for k in unknown)
            raise invalid(f"Unbekannte Felder: {', '.join(names)}.")
        changed = {k for k, v in m.fields.items() if row.data.get(k) != v}
        fixed = changed & FIXED_FIELDS.get(row.kind, set())
        if fixed:
            raise invalid(f"Diese Felder können nicht geändert werden: {', '.join(sorted(fixed))}.")
        if row.kind == "plan_unit" and not self.principal.may_manage_records:
            raise forbidden("Den Aktenplan pflegt die Registratur.")
        if (
            changed & REGISTRAR_FIELDS.get(row.kind, set())
            and not self.principal.may_manage_records
        ):
            raise forbidden(
                "Aufbewahrung, Zugriffsbeschränkung, Freigaben und Aktenplanzuordnung "
                "ändert die Registratur."
            )
        data = self._validate(row.kind, {**row.data, **m.fields})
        if row.kind in ("dossier", "case", "document") and changed & {
            "plan_unit_id",
            "dossier_id",
            "case_id",
            "parent_document_id",
        }:
            where = placement.place(self.session, self.access, row.kind, data)
            if where.municipality_id != row.municipality_id:
                raise invalid("Einträge können nicht in eine andere Kommune verschoben werden.")
            moved = where
        else:
            moved = None
        if row.kind == "dossier" and "reference" in changed:
            self._reference_free(row.municipality_id, data["reference"], row.id)
        if row.kind == "dossier" and data["restricted"] and not data["members"]:
            raise invalid("Eine beschränkte Akte braucht mindestens ein Mitglied.")
        grants = (
            resolve_grants(self.session, row.municipality_id, data) if row.kind == "dossier" else {}
        )
        self._begin_writes()
        if moved is not None:
            if row.kind == "document":
                row.dossier_id = moved.dossier_id
            row.parent_id = moved.parent_id
        row.data = data
        if row.kind == "dossier":
            row.restricted = bool(data["restricted"])
            self.access.note_dossiers([row])
            apply_grants(self.session, self.sequencer, self.principal, row, grants)

    def _delete_or_restore(self, row: RecordRow, op: str) -> None:
        if row.kind == "plan_unit" and not self.principal.may_manage_records:
            raise forbidden("Den Aktenplan pflegt die Registratur.")
        if row.kind == "version":
            raise invalid("Versionen werden nicht gelöscht; bitte das Dokument löschen.")
        placement.ensure_open(self.session, row)
        if op == "restore" and row.deleted and row.parent_id:
            parent = placement.load(self.session, row.parent_id)
            if parent is not None and parent.deleted:
                raise Rejected(
                    "parent_deleted",
                    "Übergeordneter Eintrag im Papierkorb",
                    "Bitte zuerst den übergeordneten Eintrag wiederherstellen.",
                )
        self._begin_writes()
        row.deleted = op == "delete"

    def _close_or_reopen(self, row: RecordRow, op: str) -> None:
        if row.kind not in CLOSABLE_KINDS:
            raise invalid("Nur Akten und Vorgänge werden abgeschlossen (zdA).")
        if not self.principal.may_manage_records:
            raise forbidden("Abschließen (zdA) und Wiederöffnen ist Sache der Registratur.")
        if op == "reopen":
            if row.kind == "case":
                dossier = placement.load(self.session, row.dossier_id)
                if dossier is not None and dossier.closed_at is not None:
                    raise closed("Die Akte")
            self._begin_writes()
            row.closed_at = None
            return
        self._begin_writes()
        if row.closed_at is not None:
            return
        now = utcnow()
        row.closed_at = now
        if row.kind == "dossier":  # closing a dossier closes its open cases with it
            open_cases = self.session.scalars(
                select(RecordRow).where(
                    RecordRow.kind == "case",
                    RecordRow.dossier_id == row.id,
                    RecordRow.closed_at.is_(None),
                )
            )
            for case in open_cases:
                case.closed_at = now
                self._touch(case)
                self._audit(case, "close", {"with_dossier": row.id})

    # -- bookkeeping ----------------------------------------------------------------------

    def _touch(self, row: RecordRow) -> None:
        row.version += 1
        row.seq = self.sequencer.next(row.municipality_id)
        row.updated_at = utcnow()
        row.updated_by = self.principal.actor

    def _audit_details(self, row: RecordRow, m: Mutation) -> dict[str, Any]:
        details: dict[str, Any] = {"version": row.version}
        if m.op == "update":
            details["fields"] = sorted(m.fields)
        if self.access.via_share(row):
            details["via_share"] = True
        return details

    def _audit(self, row: RecordRow, action: str, details: dict[str, Any]) -> None:
        audit.record(
            self.session,
            row.municipality_id,
            self.principal.actor,
            action,
            kind=row.kind,
            record_id=row.id,
            details=details,
        )


class _Stale(Exception):  # noqa: N818 - an outcome, not an error
    def __init__(self, row: RecordRow) -> None:
        super().__init__("stale")
        self.row = row

    def body(self) -> ErrorBody:
        return ErrorBody(
            code="stale_base_version",
            title="Zwischenzeitlich geändert",
            message="Der Eintrag wurde inzwischen anderswo geändert; es gilt der aktuelle Stand.",
            details={"status": 409, "current_version": self.row.version},
        )


def apply_batch(session: Session, principal: Principal, batch: MutationBatch) -> BatchResult:
    return BatchApplier(session, principal).run(batch)
