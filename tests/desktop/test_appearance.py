"""desktop.appearance: light and dark palettes that really render, back to the system's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.appearance import apply_appearance, dark_palette, is_dark


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    style, window = qapp.style().name(), qapp.palette().color(QPalette.ColorRole.Window)
    yield qapp
    apply_appearance(qapp, "system")
    assert qapp.style().name() == style
    assert qapp.palette().color(QPalette.ColorRole.Window) == window


def rendered_lightness(qtbot: QtBot) -> int:
    """Mean lightness of a small form as it is drawn."""
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("Aktenzeichen"))
    layout.addWidget(QLineEdit("022.1-0007/2026"))
    widget.resize(200, 80)
    image = widget.grab().toImage()
    samples = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 5)
        for y in range(0, image.height(), 5)
    ]
    return sum(samples) // len(samples)


def test_dark_and_light_render_as_such(qtbot: QtBot, app: QApplication) -> None:
    apply_appearance(app, "dark")
    assert is_dark(app.palette())
    assert rendered_lightness(qtbot) < 100
    apply_appearance(app, "light")
    assert not is_dark(app.palette())
    assert rendered_lightness(qtbot) > 180


def test_an_unknown_mode_means_system(app: QApplication) -> None:
    window = app.palette().color(QPalette.ColorRole.Window)
    apply_appearance(app, "dark")
    apply_appearance(app, "kunterbunt")
    assert app.palette().color(QPalette.ColorRole.Window) == window


def test_dark_palette_text_contrasts(qapp: QApplication) -> None:
    palette = dark_palette()
    for background, text in (
        (QPalette.ColorRole.Window, QPalette.ColorRole.WindowText),
        (QPalette.ColorRole.Base, QPalette.ColorRole.Text),
        (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText),
    ):
        assert contrast(palette.color(background), palette.color(text)) >= 4.5


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(colour) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
