"""Fixtures of the viewer tests: a writable demo store, documents filed into it, and a viewer
whose render process is always stopped again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.context import AppContext
from desktop.viewer.widget import DocumentViewer
from sync.filing.pipeline import Filer
from sync.records.model import Case
from sync.store.database import Store


@pytest.fixture
def context(demo_copy: Store) -> Iterator[AppContext]:
    context = AppContext(demo_copy, demo_copy.root)
    yield context
    context.loader.wait(10_000)


@pytest.fixture
def file_document(demo_copy: Store) -> Callable[[str, bytes], str]:
    """File ``data`` as ``name`` into an open case; returns the document id."""
    with demo_copy.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.closed_at.is_(None))).first()
    assert case_id is not None
    filer = Filer(demo_copy)

    def file(name: str, data: bytes) -> str:
        outcome = filer.file_bytes(data, name, case_id)
        assert outcome.status == "filed", outcome.message
        assert outcome.document_id is not None
        return outcome.document_id

    return file


@pytest.fixture
def viewer(qtbot: QtBot, context: AppContext) -> Iterator[DocumentViewer]:
    viewer = DocumentViewer(context)
    qtbot.addWidget(viewer)
    viewer.resize(700, 900)
    viewer.show()
    yield viewer
    viewer.shutdown()
    assert not viewer.render_client.is_running()


def show(qtbot: QtBot, viewer: DocumentViewer, document_id: str) -> None:
    """Show a document and wait until its view is complete."""
    with qtbot.waitSignal(viewer.document_shown, timeout=30_000):
        viewer.show_document(document_id)


def pdf_bytes(
    pages: list[list[tuple[pymupdf.Rect, tuple[float, float, float]]]],
    *,
    size: tuple[float, float] = (400, 300),
    texts: list[list[tuple[tuple[float, float], str]]] | None = None,
) -> bytes:
    """A PDF whose pages have filled rectangles and text at known places."""
    doc = pymupdf.open()
    for number, rects in enumerate(pages):
        page = doc.new_page(width=size[0], height=size[1])
        for rect, colour in rects:
            page.draw_rect(rect, color=None, fill=colour)
        for point, text in (texts or [])[number] if texts and number < len(texts) else []:
            page.insert_text(point, text, fontsize=12)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
