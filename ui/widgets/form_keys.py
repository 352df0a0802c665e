"""Ctrl+S and Esc inside a form: the form's own keys, never the window's.

The main window has a Save action on Ctrl+S. Were a form to bind the same keys as shortcuts,
Qt would find two and fire neither, so a form claims them as plain key presses instead: it
accepts the ``ShortcutOverride`` (``claims_form_key``) and acts in ``keyPressEvent``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence


def is_save_key(event: QKeyEvent) -> bool:
    return event.matches(QKeySequence.StandardKey.Save)


def is_escape_key(event: QKeyEvent) -> bool:
    return event.key() == Qt.Key.Key_Escape


def claims_form_key(event: QEvent) -> bool:
    """Accept Ctrl+S or Esc offered as a shortcut, so it reaches the form as a key press."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and (is_save_key(event) or is_escape_key(event))
    ):
        event.accept()
        return True
    return False
