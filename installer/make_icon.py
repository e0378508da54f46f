"""The application icon (``eakte.ico``), drawn with Pillow so that no binary sits in git and
every build makes the same file: a dark blue file folder with a white "E".

``uv run python installer/make_icon.py OUT.ico`` writes it; installer/eakte.spec calls
:func:`write_icon`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = (22, 63, 122, 255)
TAB = (52, 104, 176, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int = 256) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = size / 16
    pen.rounded_rectangle((1 * unit, 2 * unit, 8 * unit, 5 * unit), radius=unit, fill=TAB)
    pen.rounded_rectangle((1 * unit, 4 * unit, 15 * unit, 14 * unit), radius=unit, fill=BLUE)
    # The "E" as four bars, so it needs no font.
    bar = max(1.0, 1.4 * unit)
    left, top, bottom, right = 5 * unit, 6 * unit, 12.5 * unit, 11 * unit
    pen.rectangle((left, top, left + bar, bottom), fill=WHITE)
    middle = (top + bottom) / 2
    for y, end in ((top, right), (middle - bar / 2, right - unit), (bottom - bar, right)):
        pen.rectangle((left, y, end, y + bar), fill=WHITE)
    return image


def write_icon(path: Path) -> Path:
    """Write the icon with all sizes Windows asks for (Explorer, Start menu, taskbar)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draw(256).save(path, format="ICO", sizes=[(s, s) for s in SIZES])
    return path


if __name__ == "__main__":
    print(write_icon(Path(sys.argv[1] if len(sys.argv) > 1 else "eakte.ico")))
