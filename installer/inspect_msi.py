"""Check a built MSI with msitools' ``msiinfo``: the tables, the per-machine install, the
UpgradeCode (the same as in installer/eakte.wxs and as released: it may never change), the
properties for silent deployment and the registry values they write, the shortcut and that
every file of the bundle is in it. Prints what it checked; exit 1 on the first failure.

``uv run python installer/inspect_msi.py dist/eakte-VERSION.msi dist/eakte``
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

WXS = Path(__file__).with_name("eakte.wxs")
# The UpgradeCode of every E-Akte MSI ever released. A different one would install a second
# E-Akte beside the old one instead of replacing it.
UPGRADE_CODE = "{3ACADE35-3079-43F5-9E7E-BC526FD87915}"
TABLES = ("File", "Component", "Shortcut", "Registry", "Upgrade", "Property", "Directory")
SETTINGS = {  # public property -> registry value under HKLM\SOFTWARE\E-Akte
    "SERVER_URL": "server_url",
    "MUNICIPALITY": "municipality",
    "CACHE_MB": "cache_mb",
    "LANGUAGE": "language",
}
HKLM = "2"


class InspectionError(Exception):
    pass


def msiinfo(*args: str) -> str:
    tool = shutil.which("msiinfo")
    if tool is None:
        raise InspectionError("msiinfo missing: apt-get install msitools")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout  # noqa: S603


def rows(msi: Path, table: str) -> list[list[str]]:
    """The table's rows (msiinfo export: three header lines, then tab-separated rows)."""
    return [line.split("\t") for line in msiinfo("export", str(msi), table).splitlines()[3:]]


def expect(condition: bool, ok: str, failure: str) -> None:
    if not condition:
        raise InspectionError(failure)
    print(f"  ok  {ok}")


def inspect(msi: Path, bundle: Path) -> None:
    tables = set(msiinfo("tables", str(msi)).split())
    missing = [t for t in TABLES if t not in tables]
    expect(not missing, f"tables {', '.join(TABLES)}", f"tables missing: {missing}")

    properties = {r[0]: r[1] for r in rows(msi, "Property") if len(r) > 1}
    declared = re.search(r'UpgradeCode="([0-9A-Fa-f-]+)"', WXS.read_text(encoding="utf-8"))
    expect(
        declared is not None and f"{{{declared.group(1).upper()}}}" == UPGRADE_CODE,
        f"eakte.wxs declares the released UpgradeCode {UPGRADE_CODE}",
        f"installer/eakte.wxs changed the UpgradeCode (must stay {UPGRADE_CODE})",
    )
    expect(
        properties.get("UpgradeCode") == UPGRADE_CODE,
        "the MSI carries that UpgradeCode",
        f"UpgradeCode in the MSI: {properties.get('UpgradeCode')}",
    )
    upgrades = rows(msi, "Upgrade")
    expect(
        any(r[0] == UPGRADE_CODE and r[-1] == "WIX_UPGRADE_DETECTED" for r in upgrades)
        and any(r[-1] == "WIX_DOWNGRADE_DETECTED" for r in upgrades),
        "major upgrade: older versions are replaced, a downgrade is refused",
        f"Upgrade table: {upgrades}",
    )
    sequence = {r[0] for r in rows(msi, "InstallExecuteSequence")}
    expect(
        "RemoveExistingProducts" in sequence,
        "RemoveExistingProducts is scheduled",
        "no RemoveExistingProducts",
    )
    expect(
        properties.get("ALLUSERS") == "1",
        "per-machine (ALLUSERS=1)",
        f"ALLUSERS={properties.get('ALLUSERS')}",
    )
    directories = {r[0]: r for r in rows(msi, "Directory")}
    expect(
        directories.get("INSTALLDIR", ["", ""])[1] == "ProgramFiles64Folder",
        "installs into Program Files (64-bit)\\E-Akte",
        f"INSTALLDIR: {directories.get('INSTALLDIR')}",
    )

    secure = set(properties.get("SecureCustomProperties", "").split(";"))
    components = {r[0]: r for r in rows(msi, "Component")}
    registry = {r[3]: r for r in rows(msi, "Registry")}
    for prop, value in SETTINGS.items():
        expect(
            prop in secure,
            f"{prop} is a secure public property",
            f"{prop} not in SecureCustomProperties",
        )
        row = registry.get(value)
        expect(
            row is not None
            and row[1] == HKLM
            and row[2] == "SOFTWARE\\E-Akte"
            and row[4] == f"[{prop}]",
            f"{prop} -> HKLM\\SOFTWARE\\E-Akte\\{value}",
            f"registry row for {value}: {row}",
        )
        assert row is not None
        component = components.get(row[5])
        expect(
            component is not None and component[4] == prop,
            f"  written only if {prop} is given (component condition)",
            f"component of {value}: {component}",
        )

    shortcuts = rows(msi, "Shortcut")
    expect(
        any(
            r[0] == "StartMenuShortcut" and r[1] == "ProgramMenuFolder" and r[2] == "E-Akte"
            for r in shortcuts
        ),
        "Start-menu shortcut E-Akte",
        f"Shortcut table: {shortcuts}",
    )
    files = rows(msi, "File")
    on_disk = sum(1 for p in bundle.rglob("*") if p.is_file())
    expect(
        len(files) == on_disk,
        f"all {on_disk} files of the bundle",
        f"{len(files)} files in the MSI, {on_disk} in {bundle}",
    )
    user_data = [r for r in rows(msi, "Directory") if "LocalAppData" in r[0] or "AppData" in r[0]]
    expect(
        not user_data,
        "nothing installed into the users' folders (their stores stay)",
        f"user folders: {user_data}",
    )


def main(argv: list[str]) -> int:
    msi, bundle = Path(argv[0]), Path(argv[1])
    print(f"inspecting {msi}")
    try:
        inspect(msi, bundle)
    except InspectionError as exc:
        print(f"  FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
