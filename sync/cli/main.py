"""``eakte``: the command line for admins, scripting and tests.

Exit codes: 0 success, 1 when any file was rejected or a command failed, 2 on usage errors;
``sync`` adds 3 (done, with conflicts or refused changes) and 4 (could not sync).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sync.cli import commands, sync_commands
from sync.cli.commands import EXIT_FAILED, EXIT_OK
from sync.errors import EAkteError
from sync.store.paths import default_store_dir

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eakte", description="E-Akte: Akten, Vorgänge und Dokumente der Kommune."
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="Ordner des lokalen Datenbestands (Standard: $EAKTE_STORE oder der Benutzerordner)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="ausführliche Meldungen")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="frischen Demo-Datenbestand anlegen und anzeigen")
    demo.add_argument("--seed", type=int, default=1)

    data = sub.add_parser("demo-data", help="deterministische Demodaten erzeugen")
    data.add_argument("--dossiers", type=int, default=20)
    data.add_argument("--documents", type=int, default=100)
    data.add_argument("--seed", type=int, default=1)

    bundle = sub.add_parser(
        "export-seed", help="Demodaten als Startpaket für den Server schreiben (seed.json, blobs/)"
    )
    bundle.add_argument("out", type=Path, metavar="ORDNER", help="z. B. resources/demo/seed")
    bundle.add_argument("--dossiers", type=int, default=12)
    bundle.add_argument("--documents", type=int, default=60)
    bundle.add_argument("--seed", type=int, default=1)

    imp = sub.add_parser("import", help="Dateien und Ordner in eine Akte / einen Vorgang ablegen")
    imp.add_argument("--into", required=True, metavar="AKTENZEICHEN_ODER_ID")
    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("--json", action="store_true", help="eine JSON-Zeile je Datei")

    search = sub.add_parser("search", help="Volltextsuche")
    search.add_argument("query")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--in", dest="within", metavar="AKTENZEICHEN_ODER_ID")
    search.add_argument("--type", dest="types", action="append", default=[])
    search.add_argument("--from", dest="date_from", type=date.fromisoformat)
    search.add_argument("--to", dest="date_to", type=date.fromisoformat)

    ls = sub.add_parser("ls", help="Baum unterhalb eines Knotens anzeigen")
    ls.add_argument("node", nargs="?", metavar="AKTENZEICHEN_ODER_KENNZEICHEN")

    dossier = sub.add_parser("new-dossier", help="neue Akte unter einer Aktenplaneinheit")
    dossier.add_argument("unit", metavar="KENNZEICHEN")
    dossier.add_argument("title")

    case = sub.add_parser("new-case", help="neuer Vorgang in einer Akte")
    case.add_argument("dossier", metavar="AKTENZEICHEN")
    case.add_argument("title")

    sync_commands.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    store_dir: Path = args.store or default_store_dir()
    try:
        return commands.run(args, store_dir)
    except EAkteError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
    except BrokenPipeError:
        # The reader (``| head``) has gone; say nothing more and do not let Python complain.
        sys.stdout = None
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
