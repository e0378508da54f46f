"""German texts of the blob store, written for the clerk: what happened and what to do."""

from __future__ import annotations

MSG_CORRUPT = (
    "Die gespeicherte Datei zu diesem Dokument ist beschädigt (Prüfsumme stimmt nicht). "
    "Sie wird nicht angezeigt; bitte die Synchronisierung starten, um sie neu zu laden."
)
MSG_MISSING = (
    "Die Datei zu diesem Dokument ist auf diesem Rechner nicht vorhanden. "
    "Bitte die Synchronisierung starten, um sie zu laden."
)
MSG_TRANSFER = (
    "Die empfangene Datei ist unvollständig oder beschädigt (Prüfsumme oder Größe stimmt "
    "nicht). Sie wurde verworfen; bitte die Synchronisierung erneut starten."
)
MSG_STAGE_LOST = (
    "Die zwischengespeicherte Datei ist nicht mehr vorhanden. Bitte die Datei erneut ablegen."
)


def human_size(n: int) -> str:
    """A German size for messages: ``512 Bytes``, ``2,5 MB``."""
    if n < 1000:
        return f"{n} Bytes"
    for unit, factor in (("GB", 1e9), ("MB", 1e6)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".", ",")
    return f"{n / 1e3:.1f} KB".replace(".", ",")


def too_large(max_size: int, size: int | None) -> str:
    actual = f" Sie ist {human_size(size)} groß." if size is not None else ""
    return (
        f"Die Datei ist zu groß: erlaubt sind höchstens {human_size(max_size)}.{actual} "
        "Bitte die Datei verkleinern (z. B. als PDF komprimieren) oder aufteilen."
    )
