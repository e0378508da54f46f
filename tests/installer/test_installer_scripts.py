"""The build helpers of installer/: the MSI's file list and the Windows version resource."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "installer" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wxs_files = _load("wxs_files")
version_resource = _load("version_resource")


def _bundle(root: Path) -> Path:
    bundle = root / "eakte"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "eakte.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"zip")
    (bundle / "_internal" / "resources" / "Gemeinde & Amt.json").write_text("{}")
    return bundle


def test_component_guids_never_change() -> None:
    # Pinned: released MSIs carry these; a new namespace would break upgrades' bookkeeping.
    assert wxs_files.component_guid("_internal/base_library.zip") == (
        "ECDD17D9-5F35-5E43-9361-9EB1D2787C88"
    )


def test_the_fragment_lists_every_file_but_the_skipped_one(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    text = wxs_files.fragment(bundle, frozenset({"eakte.exe"}))
    assert text == wxs_files.fragment(bundle, frozenset({"eakte.exe"}))  # reproducible
    tree = ET.fromstring(text.split("\n", 1)[1])  # after the XML declaration
    files = {f.get("Source"): f for f in tree.iter(f"{WIX}File")}
    assert set(files) == {
        "eakte/_internal/base_library.zip",
        "eakte/_internal/resources/Gemeinde & Amt.json",
    }
    components = [c.get("Id") for c in tree.iter(f"{WIX}Component")]
    refs = [r.get("Id") for r in tree.iter(f"{WIX}ComponentRef")]
    assert sorted(components) == sorted(refs) and len(set(components)) == 2
    directories = [d.get("Name") for d in tree.iter(f"{WIX}Directory")]
    assert directories == ["_internal", "resources"]


def test_the_version_resource_has_four_numbers(tmp_path: Path) -> None:
    assert version_resource.version_quad("0.1.0") == (0, 1, 0, 0)
    assert version_resource.version_quad("1.2.3rc1") == (1, 2, 3, 0)
    assert version_resource.version_quad("2026.11.3.7") == (2026, 11, 3, 7)
    path = version_resource.write_version_file(tmp_path / "v.txt", "1.2.3")
    text = path.read_text(encoding="utf-8")
    assert "filevers=(1, 2, 3, 0)" in text and "StringStruct('ProductVersion', '1.2.3')" in text
