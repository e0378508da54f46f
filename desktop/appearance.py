"""Light and dark appearance, following the system unless the clerk chose otherwise.

Qt 6.8+ can switch the colour scheme itself (``QStyleHints.setColorScheme``) where the
platform supports it (Windows 11 style, macOS, GNOME/KDE themes). Where it cannot (older
Windows styles, minimal platforms), the request has no effect, so we check the palette that
results and fall back to Fusion with an explicit palette. This module is the one place with
colour values; widgets take theirs from the palette.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger("eakte.desktop.appearance")

_SCHEMES = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}
# The style the application started with, to return to from the Fusion fallback.
_original_style: str | None = None


def configure_high_dpi() -> None:
    """Fractional scale factors (125 %, 150 %) as they are, not rounded: crisp text on the
    laptops' displays. Must run before the QApplication exists."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_appearance(app: QApplication, mode: str) -> None:
    """``mode``: "system", "light" or "dark" (see ``sync.settings``); anything else is
    treated as "system"."""
    global _original_style
    if _original_style is None:
        _original_style = app.style().name()
    scheme = _SCHEMES.get(mode, Qt.ColorScheme.Unknown)
    if app.style().name() != _original_style:  # undo an earlier fallback first
        app.setStyle(QStyleFactory.create(_original_style))
    app.setPalette(QPalette())  # the style's and platform's own palette
    app.styleHints().setColorScheme(scheme)
    if scheme == Qt.ColorScheme.Unknown:
        return
    want_dark = scheme == Qt.ColorScheme.Dark
    if is_dark(app.palette()) == want_dark:
        return
    log.info("the platform did not switch to %s; using Fusion with its own palette", mode)
    fusion = QStyleFactory.create("Fusion")
    app.setStyle(fusion)
    app.setPalette(dark_palette() if want_dark else fusion.standardPalette())


def dark_palette() -> QPalette:
    """A dark palette for Fusion: light text on dark grey, a blue accent for the selection."""
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(232, 232, 232)
    disabled_text = QColor(140, 140, 145)
    accent, accent_text = QColor(52, 120, 198), QColor(255, 255, 255)
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: window,
        QPalette.ColorRole.ToolTipBase: base,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled_text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 110, 110),
        QPalette.ColorRole.Light: QColor(70, 70, 74),
        QPalette.ColorRole.Midlight: QColor(58, 58, 62),
        QPalette.ColorRole.Mid: QColor(38, 38, 40),
        QPalette.ColorRole.Dark: QColor(20, 20, 22),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
        QPalette.ColorRole.Highlight: accent,
        QPalette.ColorRole.HighlightedText: accent_text,
        QPalette.ColorRole.Link: QColor(110, 170, 240),
        QPalette.ColorRole.LinkVisited: QColor(180, 140, 230),
        QPalette.ColorRole.Accent: accent,
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled_text)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, window)
    return palette
