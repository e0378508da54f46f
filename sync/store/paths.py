"""Where things live on disk, per user (Windows: %LOCALAPPDATA%\\eakte)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "eakte"


def default_store_dir() -> Path:
    """The store folder: ``$EAKTE_STORE`` if set, else the per-user data folder."""
    override = os.environ.get("EAKTE_STORE")
    if override:
        return Path(override)
    return user_data_path(APP_NAME, appauthor=False) / "store"


def log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the packages, in a checkout and in an installed wheel;
    in the frozen app (PyInstaller) in its bundle folder (installer/eakte.spec puts it there)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
