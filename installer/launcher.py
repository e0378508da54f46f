"""Entry point of the frozen (PyInstaller) application: ``eakte.exe`` runs this file.

It lives outside the layered packages so that it may import both ``desktop`` and ``server``:
the frozen app has no ``python -m``, so the embedded demo server (``sync/embedded.py``) starts
the app itself again with the hidden first argument ``--serve-embedded``.
"""

from __future__ import annotations

import multiprocessing
import sys

SERVE_EMBEDDED = "--serve-embedded"


def main() -> int:
    # First of all: the viewer's render process is started with "spawn", which in a frozen
    # app runs this executable again; freeze_support() turns such a child into the worker
    # instead of a second copy of the application (which would spawn again, endlessly).
    multiprocessing.freeze_support()
    arguments = sys.argv[1:]
    if arguments[:1] == [SERVE_EMBEDDED]:
        from server.cli.main import main as server_main

        return server_main(arguments[1:])
    from desktop.cli import main as desktop_main

    return desktop_main(arguments)


if __name__ == "__main__":
    sys.exit(main())
