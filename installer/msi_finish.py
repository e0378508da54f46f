"""What wixl (msitools 0.101) cannot express, written into the MSI after it: each machine-wide
setting's component gets the condition "its property was given", and the four public
properties are made secure (listed in SecureCustomProperties, which wixl writes itself for
MajorUpgrade, so the .wxs cannot define it). Uses msitools' ``msibuild -q`` (SQL on the MSI).

``uv run python installer/msi_finish.py dist/eakte-VERSION.msi``
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

#: Component of installer/eakte.wxs -> the public property that must be given for it.
CONDITIONS = {
    "RegServerUrl": "SERVER_URL",
    "RegMunicipality": "MUNICIPALITY",
    "RegCacheMb": "CACHE_MB",
    "RegLanguage": "LANGUAGE",
}
PREVIOUS = tuple(f"PREVIOUS_{name}" for name in CONDITIONS.values())


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: apt-get install msitools")
    return found


def property_value(msi: Path, name: str) -> str | None:
    exported = subprocess.run(  # noqa: S603 - fixed tool, our file
        [_tool("msiinfo"), "export", str(msi), "Property"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in exported.splitlines()[3:]:  # after the header rows
        key, _, value = line.partition("\t")
        if key == name:
            return value
    return None


def finish(msi: Path) -> None:
    existing = property_value(msi, "SecureCustomProperties")
    secure = [p for p in (existing or "").split(";") if p]
    secure += [p for p in (*CONDITIONS.values(), *PREVIOUS) if p not in secure]
    queries = [
        f"UPDATE `Component` SET `Condition` = '{prop}' WHERE `Component` = '{component}'"
        for component, prop in CONDITIONS.items()
    ]
    value = ";".join(secure)
    if existing is None:
        queries.append(
            "INSERT INTO `Property` (`Property`, `Value`) "
            f"VALUES ('SecureCustomProperties', '{value}')"
        )
    else:
        queries.append(
            f"UPDATE `Property` SET `Value` = '{value}' WHERE `Property` = 'SecureCustomProperties'"
        )
    for query in queries:
        subprocess.run([_tool("msibuild"), str(msi), "-q", query], check=True)  # noqa: S603


if __name__ == "__main__":
    finish(Path(sys.argv[1]))
