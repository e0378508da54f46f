"""German texts for documents the viewer cannot show: what happened and what to do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def failure_texts() -> dict[str, tuple[str, str]]:
    """Title and message for each reason the render process could not show a document."""
    damaged = (
        QCoreApplication.translate("DocumentViewer", "Datei beschädigt"),
        QCoreApplication.translate(
            "DocumentViewer",
            "Die Datei ist beschädigt und kann hier nicht angezeigt werden. Bitte mit der "
            "Standardanwendung versuchen oder beim Absender eine neue Fassung anfordern.",
        ),
    )
    return {
        "encrypted": (
            QCoreApplication.translate("DocumentViewer", "Kennwortgeschützt"),
            QCoreApplication.translate(
                "DocumentViewer",
                "Das Dokument ist mit einem Kennwort geschützt und kann hier nicht angezeigt "
                "werden. Bitte mit der Standardanwendung öffnen und dort das Kennwort "
                "eingeben, oder beim Absender eine ungeschützte Fassung anfordern.",
            ),
        ),
        "corrupt": damaged,
        "empty": damaged,
        "missing": (
            QCoreApplication.translate("DocumentViewer", "Datei nicht vorhanden"),
            QCoreApplication.translate(
                "DocumentViewer",
                "Die Datei zu diesem Dokument ist auf diesem Rechner nicht vorhanden. Sie "
                "wird bei der nächsten Synchronisierung geladen; bitte das Dokument dann "
                "erneut öffnen.",
            ),
        ),
        "crashed": (
            QCoreApplication.translate("DocumentViewer", "Darstellung abgebrochen"),
            QCoreApplication.translate(
                "DocumentViewer",
                "Beim Darstellen dieses Dokuments ist die Anzeige abgestürzt; die Datei ist "
                "vermutlich beschädigt. Bitte mit der Standardanwendung öffnen oder beim "
                "Absender eine neue Fassung anfordern.",
            ),
        ),
    }
