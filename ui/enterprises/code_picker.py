"""A line edit that completes codes from a code list (GB/T 2260 regions, GB/T 4754 industries).

Typing two or more characters of a name or a code opens the matches (anywhere in the entry:
"城关" finds 620102 甘肃省兰州市城关区, "3985" finds 3985 电子专用材料制造). Choosing one writes
"code name"; a bare code typed without choosing is kept as typed and checked on save.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

MIN_CHARS = 2
VISIBLE_ITEMS = 12


class CodePicker(QLineEdit):
    """``code()`` is the leading code of the text; ``set_code`` shows a code with its name."""

    code_chosen = Signal(str)

    def __init__(self, entries: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = dict(entries)
        self._completer = QCompleter(self)
        self._completer.setModel(QStringListModel([f"{c} {n}" for c, n in entries], self))
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.setMaxVisibleItems(VISIBLE_ITEMS)
        self._completer.setWidget(self)
        self._completer.activated[str].connect(  # type: ignore[index]  # the text overload
            self._on_completer_activated
        )
        self.textEdited.connect(self._on_self_text_edited)

    @property
    def completer_popup_visible(self) -> bool:
        popup = self._completer.popup()
        return popup is not None and popup.isVisible()

    def code(self) -> str:
        parts = self.text().split()
        return parts[0] if parts else ""

    def set_code(self, code: str | None) -> None:
        if not code:
            self.clear()
            return
        name = self._names.get(code, "")
        self.setText(f"{code} {name}".strip())
        self.setCursorPosition(0)

    def _on_self_text_edited(self, text: str) -> None:
        typed = text.strip()
        if len(typed) < MIN_CHARS:
            popup = self._completer.popup()
            if popup is not None:
                popup.hide()
            return
        self._completer.setCompletionPrefix(typed)
        self._completer.complete()

    def _on_completer_activated(self, text: str) -> None:
        self.setText(text)
        self.setCursorPosition(0)
        self.code_chosen.emit(self.code())
