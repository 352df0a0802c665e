"""The app icon in each platform's format, drawn from ``resources/icons/squaddesk.svg`` at build
time (nothing binary is committed): PNG for Linux, ICO (several sizes) for Windows, ICNS for macOS.

Qt's SVG renderer draws the pictures (no QGuiApplication needed to paint on a QImage); Pillow, which
reportlab already brings, writes the ICO and ICNS containers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_SIZE = 256
ICNS_SIZE = 1024  # the largest macOS size; Pillow scales it down for the smaller entries


@dataclass(frozen=True)
class AppIcons:
    svg: Path
    png: Path
    ico: Path
    icns: Path


def render_png(svg: Path, size: int, target: Path) -> Path:
    """Draw ``svg`` into a square transparent PNG of ``size`` pixels."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a usable SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):  # PNG, from the suffix
        raise OSError(f"could not write {target}")
    return target


def render_icons(svg: Path, out_dir: Path) -> AppIcons:
    """Write ``squaddesk.png``, ``.ico`` and ``.icns`` into ``out_dir``."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    png = render_png(svg, PNG_SIZE, out_dir / "squaddesk.png")
    large = render_png(svg, ICNS_SIZE, out_dir / f"squaddesk-{ICNS_SIZE}.png")
    ico = out_dir / "squaddesk.ico"
    icns = out_dir / "squaddesk.icns"
    with Image.open(large) as picture:
        picture.save(ico, sizes=[(size, size) for size in ICO_SIZES])
        picture.save(icns)
    return AppIcons(svg=svg, png=png, ico=ico, icns=icns)
