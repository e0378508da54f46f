"""Whatever bytes arrive, filing ends in "filed" or "rejected" with a message: never a crash,
never a half-stored record, never a stray temp file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sync.demo import samples
from sync.filing.pipeline import Filer
from sync.records import operations as ops
from sync.records.model import Blob, Document, OutboxEntry, Version
from sync.store.database import Store

SEEDS = {
    "pdf": samples.text_pdf("Bescheid", ["Sehr geehrte Frau Weiß,", "anbei der Bescheid."]),
    "eml": samples.eml_message(
        "Antrag", "a@example.org", "b@example.org", None, "Text", [("x.txt", b"Anlage")]
    ),
    "png": samples.png_image(),
    "docx": samples.docx(["Vermerk über die Ortsbesichtigung"]),
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    """One store for all examples: hypothesis runs many, and a store per example is slow."""
    with Store.open(tmp_path_factory.mktemp("fuzz") / "store") as store:
        with store.write() as s:
            m = ops.create_municipality(s, "ringgau", "Gemeinde Ringgau")
            plan = ops.create_file_plan(s, m, "Aktenplan")
            unit = ops.add_plan_unit(s, plan, "1", "Allgemeines")
            case = ops.create_case(s, ops.create_dossier(s, unit, "Akte"), "Vorgang")
        yield store, case.id


def _state(store: Store) -> tuple[int, ...]:
    with store.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (Document, Version, Blob, OutboxEntry)
        )


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A real document of some type, cut short and with a few bytes overwritten."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.one_of(damaged(), st.binary(max_size=4096)), name=st.text(max_size=40))
def test_any_bytes_are_filed_or_rejected_cleanly(shared, content: bytes, name: str) -> None:
    store, case_id = shared
    before = _state(store)
    outcome = Filer(store).file_bytes(content, name or "datei", case_id)
    assert outcome.status in {"filed", "rejected", "duplicate"}
    if outcome.status != "filed":
        assert outcome.message, "every refusal says why"
        assert _state(store) == before, "nothing half stored"
    else:
        assert outcome.document_id
    assert list(Path(store.blobs.root / "tmp").iterdir()) == []
