"""Shared fixtures: a fresh store in a temp folder with a tiny file plan."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

# Qt tests run without a display; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sync.records import operations as ops
from sync.records.model import Case, Dossier, FilePlan, Municipality, PlanUnit
from sync.store.database import Store


def pytest_configure(config: pytest.Config) -> None:
    """Settings, logs, crash reports and caches of code under test go to a private folder,
    never to the user's (platformdirs follows the XDG variables on Linux, and computes paths
    when asked); no machine-wide configuration either."""
    home = Path(tempfile.mkdtemp(prefix="eakte-tests-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["EAKTE_MACHINE_CONFIG"] = str(home / "no-machine-config.toml")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


@dataclass
class Plan:
    municipality: Municipality
    plan: FilePlan
    unit: PlanUnit
    dossier: Dossier
    case: Case


@pytest.fixture
def plan(store: Store) -> Plan:
    with store.write() as s:
        m = ops.create_municipality(s, "meinhard", "Gemeinde Meinhard")
        fp = ops.create_file_plan(s, m, "Aktenplan Test")
        top = ops.add_plan_unit(s, fp, "0", "Allgemeine Verwaltung")
        unit = ops.add_plan_unit(
            s, fp, "022.1", "Geschäftsordnung", parent=top, retention_years=10, disposal="B"
        )
        dossier = ops.create_dossier(s, unit, "Sitzungen 2026", opened_on=date(2026, 3, 1))
        case = ops.create_case(s, dossier, "Sitzung März", opened_on=date(2026, 3, 2))
    return Plan(m, fp, unit, dossier, case)
