"""Building mutations for tests: a plan unit, dossier, case and document in a few lines."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from tests.server.live import ApiClient


def new_id() -> str:
    return str(uuid.uuid4())


def create(
    kind: str, fields: dict[str, Any], record_id: str | None = None, text: str | None = None
) -> dict[str, Any]:
    m: dict[str, Any] = {
        "kind": kind,
        "id": record_id or new_id(),
        "op": "create",
        "fields": fields,
    }
    if text is not None:
        m["text"] = text
    return m


def update(kind: str, record_id: str, base: int, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "id": record_id, "op": "update", "base_version": base, "fields": fields}


def op(kind: str, record_id: str, name: str, base: int) -> dict[str, Any]:
    return {"kind": kind, "id": record_id, "op": name, "base_version": base}


def unit_fields(code: str = "022.1", title: str = "Bauanträge") -> dict[str, Any]:
    return {"code": code, "title": title, "retention_years": 10, "disposal": "B"}


_numbers = itertools.count(1)


def dossier_fields(
    unit_id: str, title: str = "Neubau Kindergarten", **extra: Any
) -> dict[str, Any]:
    # Aktenzeichen are unique per municipality: every call gets the next number.
    reference = f"022.1-{next(_numbers):04d}/2026"
    return {"plan_unit_id": unit_id, "reference": reference, "title": title, **extra}


def document_fields(
    dossier_id: str, case_id: str | None = None, title: str = "Antrag", **extra: Any
) -> dict[str, Any]:
    return {
        "dossier_id": dossier_id,
        "case_id": case_id,
        "title": title,
        "doc_type": "pdf",
        "mime_type": "application/pdf",
        "file_name": "antrag.pdf",
        **extra,
    }


class Tree:
    """A plan unit, a dossier, a case and a document, created through the API."""

    def __init__(
        self,
        registrar: ApiClient,
        clerk: ApiClient | None = None,
        restricted_members: list[str] | None = None,
    ) -> None:
        clerk = clerk or registrar
        self.unit, self.dossier, self.case, self.document = new_id(), new_id(), new_id(), new_id()
        extra: dict[str, Any] = {}
        if restricted_members is not None:
            extra = {"restricted": True, "members": restricted_members}
        results = registrar.mutate(
            create("plan_unit", unit_fields(), self.unit),
            create("dossier", dossier_fields(self.unit, **extra), self.dossier),
        )
        assert [r["status"] for r in results] == ["applied"] * 2, results
        results = (clerk if restricted_members is None else registrar).mutate(
            create("case", {"dossier_id": self.dossier, "title": "Bauantrag Müller"}, self.case),
            create(
                "document",
                document_fields(self.dossier, self.case),
                self.document,
                text="Antrag auf Baugenehmigung für die Hauptstraße 5",
            ),
        )
        assert [r["status"] for r in results] == ["applied"] * 2, results
