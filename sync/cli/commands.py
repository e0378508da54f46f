"""The sub-commands of ``eakte``; each opens the store, does one thing and reports."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from sync.cli import sync_commands
from sync.cli.tree import render_tree
from sync.errors import ValidationError
from sync.filing.pipeline import Filer
from sync.filing.thumbnails import generate_thumbnails
from sync.records import operations as ops
from sync.records import queries
from sync.records.model import Case, Dossier, PlanUnit
from sync.search import SearchFilters, search
from sync.store.database import Store
from sync.store.paths import default_store_dir

EXIT_OK, EXIT_FAILED = 0, 1


def run(args: argparse.Namespace, store_dir: Path) -> int:
    handler = {
        "demo": cmd_demo,
        "demo-data": cmd_demo_data,
        "export-seed": cmd_export_seed,
        "import": cmd_import,
        "search": cmd_search,
        "ls": cmd_ls,
        "new-dossier": cmd_new_dossier,
        "new-case": cmd_new_case,
        "login": sync_commands.cmd_login,
        "sync": sync_commands.cmd_sync,
        "status": sync_commands.cmd_status,
        "set": sync_commands.cmd_set,
    }[args.command]
    return handler(args, store_dir)


def _json_line(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)


DEMO_MARKER = "DEMO-DATENBESTAND"


def cmd_demo(args: argparse.Namespace, store_dir: Path) -> int:
    """A fresh demo store, then its file plan as text (the desktop opens it in the window)."""
    demo_dir = prepare_demo_store(store_dir if args.store is not None else None, args.seed)
    print(f"Demo-Datenbestand angelegt in {demo_dir}\n")
    with Store.open(demo_dir) as store, store.read() as session:
        _print_tree(session, None, depth=6, only_filled=True)
    return EXIT_OK


def fresh_demo_folder(folder: Path | None, note: str) -> Path:
    """An empty demo store folder (default: ``demo-store`` beside the user's store), made
    fresh each run and marked with ``note``. Refuses to wipe a folder that is not a demo
    store of ours (a real store, say)."""
    demo_dir = folder if folder is not None else default_store_dir().parent / "demo-store"
    if demo_dir.exists() and any(demo_dir.iterdir()):
        if not (demo_dir / DEMO_MARKER).exists():
            raise ValidationError(
                f"Der Ordner „{demo_dir}“ ist kein Demo-Datenbestand und wird nicht "
                "überschrieben. Bitte einen leeren Ordner angeben."
            )
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True, exist_ok=True)
    (demo_dir / DEMO_MARKER).write_text(note, encoding="utf-8")
    return demo_dir


def prepare_demo_store(folder: Path | None, seed: int = 1) -> Path:
    """Make a fresh demo store in ``folder`` with the generated demo data (no server)."""
    from sync.demo.generator import generate_demo_store  # only the demo needs it

    demo_dir = fresh_demo_folder(folder, "Demodaten, jederzeit neu erzeugbar.\n")
    with Store.open(demo_dir) as store:
        generate_demo_store(store, dossiers=12, documents=60, seed=seed)
        generate_thumbnails(store)
    return demo_dir


def cmd_demo_data(args: argparse.Namespace, store_dir: Path) -> int:
    from sync.demo.generator import generate_demo_store

    if args.dossiers < 1 or args.documents < 0:
        raise ValidationError("--dossiers muss mindestens 1 und --documents mindestens 0 sein.")
    with Store.open(store_dir) as store:
        summary = generate_demo_store(
            store, dossiers=args.dossiers, documents=args.documents, seed=args.seed
        )
        generate_thumbnails(store)
    print(summary)
    return EXIT_OK


def cmd_export_seed(args: argparse.Namespace, _store_dir: Path) -> int:
    """The server's demo (``eakte-server init --demo``) from the client's demo generator;
    works in a temporary store, so ``--store`` plays no part."""
    from sync.demo.seed_bundle import export_seed_bundle

    if args.dossiers < 1 or args.documents < 0:
        raise ValidationError("--dossiers muss mindestens 1 und --documents mindestens 0 sein.")
    info = export_seed_bundle(
        args.out, dossiers=args.dossiers, documents=args.documents, seed=args.seed
    )
    print(info.summary())
    return EXIT_OK


def cmd_import(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store:
        with store.read() as session:
            target = queries.find_node(session, args.into)
            if not isinstance(target, Dossier | Case):
                raise ValidationError(
                    f"„{args.into}“ ist keine Akte und kein Vorgang; nur dorthin wird abgelegt."
                )
            target_id = target.id
        rejected = 0
        for outcome in Filer(store).file_paths(args.paths, target_id):
            rejected += outcome.status == "rejected"
            if args.json:
                _json_line(
                    {
                        "path": outcome.path,
                        "status": outcome.status,
                        "document_id": outcome.document_id,
                        "message": outcome.message,
                        "reason": outcome.reason,
                        "problems": list(outcome.problems),
                        "attachment_ids": list(outcome.attachment_ids),
                    }
                )
            else:
                label = {"filed": "abgelegt", "duplicate": "Duplikat", "rejected": "abgelehnt"}
                line = f"{label[outcome.status]:10} {outcome.path}"
                print(f"{line}  – {outcome.message}" if outcome.message else line, flush=True)
        generate_thumbnails(store)
    return EXIT_FAILED if rejected else EXIT_OK


def cmd_search(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store, store.read() as session:
        filters = SearchFilters(
            date_from=args.date_from, date_to=args.date_to, doc_types=frozenset(args.types)
        )
        if args.within:
            node = queries.find_node(session, args.within)
            if isinstance(node, Case):
                filters = replace(filters, case_id=node.id)
            elif isinstance(node, Dossier):
                filters = replace(filters, dossier_id=node.id)
        hits = search(session, args.query, filters, limit=args.limit)
        for hit in hits:
            if args.json:
                _json_line(
                    {
                        "document_id": hit.document_id,
                        "title": hit.title,
                        "reference": hit.reference,
                        "case": hit.case_title,
                        "type": hit.doc_type,
                        "received_on": hit.received_on,
                        "snippet": hit.snippet,
                        "ranked": hit.ranked,
                        "highlights": hit.highlights,
                    }
                )
            else:
                print(f"{hit.reference}  {hit.title}\n    {_bracket(hit.snippet, hit.highlights)}")
        if not hits and not args.json:
            print("Keine Treffer.")
    return EXIT_OK


def cmd_ls(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store, store.read() as session:
        node = queries.find_node(session, args.node) if args.node else None
        _print_tree(session, node, depth=99)
    return EXIT_OK


def cmd_new_dossier(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store:
        with store.write() as session:
            unit = queries.find_node(session, args.unit)
            if not isinstance(unit, PlanUnit):
                raise ValidationError(f"„{args.unit}“ ist keine Aktenplaneinheit.")
            dossier = ops.create_dossier(session, unit, args.title)
        print(f"{dossier.reference}\t{dossier.id}")
    return EXIT_OK


def cmd_new_case(args: argparse.Namespace, store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store:
        with store.write() as session:
            dossier = queries.find_node(session, args.dossier)
            if not isinstance(dossier, Dossier):
                raise ValidationError(f"„{args.dossier}“ ist keine Akte.")
            case = ops.create_case(session, dossier, args.title)
        print(f"{case.id}\t{case.title}")
    return EXIT_OK


def _bracket(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "[", text[start:end], "]"]
        last = end
    out.append(text[last:])
    return "".join(out)


def _print_tree(
    session: Session, node: queries.Node | None, depth: int, *, only_filled: bool = False
) -> None:
    for line in render_tree(session, node, depth, only_filled=only_filled):
        sys.stdout.write(line + "\n")
