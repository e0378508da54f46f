"""Machine-wide settings from the Windows registry: the values the MSI writes under
``HKLM\\SOFTWARE\\E-Akte`` from its public properties (``msiexec /i eakte.msi
SERVER_URL=... MUNICIPALITY=... CACHE_MB=... LANGUAGE=...``, see installer/eakte.wxs).

Reading (:func:`read`, Windows only) and mapping (:func:`settings_from_values`, tested on
every platform) are apart. Nothing here raises: a missing key means "no values", a value of
the wrong type is skipped with a warning; the settings validators judge the rest.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

log = logging.getLogger("eakte.sync.settings")

KEY = r"SOFTWARE\E-Akte"
SOURCE = r"HKLM\SOFTWARE\E-Akte"
# Registry value types (winreg.REG_*; spelled out so that the mapping is testable on Linux).
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_DWORD = 4
INTEGER_KEYS = frozenset({"cache_mb"})

#: A value as the registry returns it: (data, type).
RegistryValue = tuple[object, int]


def read() -> dict[str, RegistryValue]:
    """All values of ``HKLM\\SOFTWARE\\E-Akte`` (64-bit view); empty if absent or not on
    Windows."""
    if sys.platform != "win32":
        return {}
    import winreg

    try:
        key = winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE, KEY, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        )
    except FileNotFoundError:
        return {}
    except OSError as exc:
        log.warning("machine-wide settings in %s not readable: %s", SOURCE, exc)
        return {}
    values: dict[str, RegistryValue] = {}
    with key:
        index = 0
        while True:
            try:
                name, data, kind = winreg.EnumValue(key, index)
            except OSError:  # no more values
                break
            values[name] = (data, kind)
            index += 1
    return values


def settings_from_values(values: Mapping[str, RegistryValue]) -> dict[str, object]:
    """Registry values -> raw settings for the validators. REG_SZ text as is (``cache_mb``
    as a number when it is one; a DWORD is accepted there too). An empty text counts as not
    set: the MSI never writes one, but an administrator editing by hand might."""
    raw: dict[str, object] = {}
    for name, (data, kind) in values.items():
        if kind in (REG_SZ, REG_EXPAND_SZ) and isinstance(data, str):
            text = data.strip()
            if not text:
                continue
            if name in INTEGER_KEYS and text.isdigit():
                raw[name] = int(text)
            else:
                raw[name] = text
        elif kind == REG_DWORD and isinstance(data, int) and name in INTEGER_KEYS:
            raw[name] = data
        else:
            log.warning("%s: value %r of registry type %s ignored", SOURCE, name, kind)
    return raw


__all__ = ["KEY", "REG_DWORD", "REG_EXPAND_SZ", "REG_SZ", "SOURCE", "read", "settings_from_values"]
