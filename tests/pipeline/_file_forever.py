"""Child process for the crash test: files a folder into a store, slowly enough to be killed
in the middle of a batch."""

from __future__ import annotations

import sys
from pathlib import Path

from sync.filing.pipeline import Filer
from sync.store.database import Store

if __name__ == "__main__":
    store_dir, case_id, folder = sys.argv[1:4]
    with Store.open(Path(store_dir)) as store:
        for _ in Filer(store, batch_files=4).file_paths([Path(folder)], case_id):
            pass
