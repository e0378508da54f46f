"""Filing what a drop brought with one Filer: order, one outcome per item, cancel, Outlook."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sync.demo import samples
from sync.filing.drop_sources import (
    DroppedBytes,
    DroppedPaths,
    OutlookSelection,
    Unreadable,
    expand_sources,
    file_drop,
    item_names,
)
from sync.filing.pipeline import Filer
from sync.records.model import Document
from tests.support.msgfile import MsgMessage, build_msg


def _titles(store, case_id: str) -> list[str]:
    with store.read() as s:
        return sorted(
            s.scalars(
                select(Document.file_name).where(
                    Document.case_id == case_id, Document.parent_document_id.is_(None)
                )
            )
        )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Posteingang"
    (folder / "Unterordner").mkdir(parents=True)
    (folder / "b.txt").write_text("Telefonnotiz B")
    (folder / "a.txt").write_text("Telefonnotiz A")
    (folder / "Thumbs.db").write_bytes(b"junk")
    (folder / "Unterordner" / "c.txt").write_text("Telefonnotiz C")
    return folder


def test_sources_are_filed_in_order_with_one_outcome_each(store, plan, tmp_path) -> None:
    single = tmp_path / "Vermerk.txt"
    single.write_text("Vermerk über das Gespräch")
    sources = expand_sources(
        [
            DroppedPaths((single, _folder(tmp_path))),
            DroppedBytes("Antrag.pdf", samples.text_pdf("Antrag", ["Antrag auf Zuschuss"])),
            Unreadable("imap-message://x", "nicht hier", "drop_unreadable"),
        ]
    )
    names = item_names(sources)
    folder = tmp_path / "Posteingang"
    assert names == [
        str(single),
        str(folder / "a.txt"),
        str(folder / "b.txt"),
        str(folder / "Unterordner" / "c.txt"),
        "Antrag.pdf",
        "imap-message://x",
    ]
    started: list[tuple[int, str]] = []
    outcomes = list(
        file_drop(
            Filer(store),
            sources,
            plan.case.id,
            starting=lambda n, name: started.append((n, name)),
        )
    )
    assert [o.path for o in outcomes] == names
    assert [o.status for o in outcomes] == ["filed"] * 5 + ["rejected"]
    assert outcomes[-1].message == "nicht hier"
    assert started == list(enumerate(names, start=1))
    assert _titles(store, plan.case.id) == ["Antrag.pdf", "Vermerk.txt", "a.txt", "b.txt", "c.txt"]


def test_cancel_stops_before_the_next_item_and_keeps_what_was_read(store, plan, tmp_path):
    paths = []
    for n in range(6):
        path = tmp_path / f"Notiz {n}.txt"
        path.write_text(f"Notiz Nummer {n}")
        paths.append(path)
    stop = []
    outcomes = list(
        file_drop(
            Filer(store),
            [DroppedPaths(tuple(paths)), DroppedBytes("x.txt", b"never read")],
            plan.case.id,
            cancelled=lambda: bool(stop),
            starting=lambda n, _name: stop.append(n) if n == 3 else None,
        )
    )
    # Item 3 was announced, then the cancel was seen before reading it.
    assert [o.status for o in outcomes] == ["filed", "filed"]
    assert _titles(store, plan.case.id) == ["Notiz 0.txt", "Notiz 1.txt"]


def test_outlook_selection_is_saved_filed_and_its_folder_removed(store, plan) -> None:
    seen: list[Path] = []

    def save(names, folder: Path) -> list[Path]:
        # Stands in for Outlook's COM interface, which exists only on Windows.
        seen.append(folder)
        paths = []
        for name in names:
            path = folder / name
            path.write_bytes(
                build_msg(MsgMessage(name, "A", "a@x.de", "B", "b@x.de", None, f"Text {name}"))
            )
            paths.append(path)
        return paths

    outcomes = list(
        file_drop(
            Filer(store),
            [OutlookSelection(("Erste.msg", "Zweite.msg"))],
            plan.case.id,
            save_outlook=save,
        )
    )
    assert [(o.path, o.status) for o in outcomes] == [
        ("Erste.msg", "filed"),
        ("Zweite.msg", "filed"),
    ]
    assert not seen[0].exists()


def test_a_changed_outlook_selection_is_refused(store, plan) -> None:
    outcomes = list(
        file_drop(
            Filer(store),
            [OutlookSelection(("Erste.msg", "Zweite.msg"))],
            plan.case.id,
            save_outlook=lambda _names, folder: [],
        )
    )
    assert [o.status for o in outcomes] == ["rejected", "rejected"]
    assert "statt der 2 gezogenen" in outcomes[0].message
    assert _titles(store, plan.case.id) == []


def test_without_com_outlook_items_are_explained(store, plan) -> None:
    [outcome] = file_drop(Filer(store), [OutlookSelection(("Mail.msg",))], plan.case.id)
    assert outcome.status == "rejected" and "Speichern unter" in outcome.message
