"""``eakte``: with no command the window opens on the user's store; ``eakte demo`` starts the
embedded demo server, opens the window on a fresh, empty demo store and fills it with the first
sync; every other command is the Qt-free command line of ``sync.cli``.

``--selftest`` checks the installation (Qt plugins, PDF rendering, store, keyring) offscreen
and prints a report; exit code 0 only if all passed (desktop/selftest.py).

``--screenshot FILE`` renders the main window once it has loaded, saves it and exits (for the
README and for checks). ``--store DIR`` picks the store, as for the other commands.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.demo_store import demo_server_dir, prepare_demo_store
from sync.cli import main as sync_cli
from sync.cli.commands import EXIT_FAILED
from sync.errors import EAkteError
from sync.store.paths import default_store_dir

GUI_COMMANDS = (None, "demo")


def _gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments if this call opens the window, else None (a command-line call)."""
    parser = argparse.ArgumentParser(prog="eakte", add_help=False)
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--store", type=Path)
    # Accepted for old scripts; the demo's records now come from the embedded server.
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("command", nargs="?")
    args, rest = parser.parse_known_args(argv)
    if rest or args.command not in GUI_COMMANDS:
        return None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    # The viewer's render process is started with "spawn": a frozen (PyInstaller) build must
    # hand such a child over to multiprocessing before doing anything else.
    multiprocessing.freeze_support()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--selftest"]:
        from desktop.selftest import main as selftest  # Qt only for this command

        return selftest()
    args = _gui_arguments(arguments)
    if args is None:
        return sync_cli.main(arguments)
    server_dir = None
    try:
        if args.command == "demo":
            store_dir = prepare_demo_store(args.store)
            server_dir = demo_server_dir(store_dir)
        else:
            store_dir = args.store or default_store_dir()
    except EAkteError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    from desktop.app import run  # Qt is imported only when the window opens

    return run(store_dir, screenshot=args.screenshot, demo_server_dir=server_dir)


if __name__ == "__main__":
    sys.exit(main())
