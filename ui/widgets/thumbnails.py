"""Thumbnails of image attachments, made once and cached beside the blob store.

``QImage`` (not ``QPixmap``) so the work can run on the task runner's thread; the reader scales
while decoding, so a 12-megapixel photo never sits in memory at full size.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

THUMBNAIL_SIZE = 96


def load_thumbnail(source: Path, cached: Path, size: int = THUMBNAIL_SIZE) -> QImage | None:
    """The cached thumbnail, made from ``source`` if missing; None when it is not an image."""
    if cached.is_file():
        image = QImage(str(cached))
        if not image.isNull():
            return image
    if not source.is_file():
        return None
    reader = QImageReader(str(source))
    reader.setAutoTransform(True)  # photos from phones carry their rotation in EXIF
    original = reader.size()
    if not original.isValid():
        return None
    reader.setScaledSize(original.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    cached.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=".part-", suffix=cached.suffix, dir=cached.parent)
    os.close(descriptor)
    partial = Path(name)  # unique: two pages may make the same thumbnail at once
    try:
        if image.save(str(partial)):  # the format follows the suffix
            os.replace(partial, cached)  # a half-written thumbnail is never read back
    finally:
        partial.unlink(missing_ok=True)
    return image
