"""A long-text conflict: base / theirs / mine side by side, block by block (the merge hunks).

Each block both sides changed gets a choice — 对方 / 我的 / 两者都要 (the default, so nothing
typed is dropped by a hasty save) — and the merged text below follows the choices live. The
preview can be edited by hand before saving; once it is, the choices stop rewriting it until
"按选择重新生成".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.i18n import mark, tr
from app.sync.merge import join_hunks
from ui.sync.conflict_views import (
    BASE_COLOUR,
    MINE_COLOUR,
    NOTE_STYLE,
    THEIRS_COLOUR,
    conflict_title,
    detail_headings,
    note_label,
    title_label,
)

if TYPE_CHECKING:
    from app.services.conflicts import ConflictDetail
    from app.sync.merge import Hunk

CHOICES = (("theirs", mark("对方")), ("mine", mark("我的")), ("both", mark("两者都要")))
DEFAULT_CHOICE = "both"
FOLD_LINES = 6  # longer agreed blocks show their first and last two lines
CELL_STYLE = "QLabel {{ background: {colour}; border: 1px solid {border}; padding: 4px; }}"
AGREED_COLOUR = "#ffffff"


def _shown_lines(lines: Sequence[str], fold: bool) -> str:
    stripped = [line.rstrip("\r\n") for line in lines]
    if fold and len(stripped) > FOLD_LINES:
        hidden = len(stripped) - 4
        return "\n".join(
            [*stripped[:2], tr("⋯ 省略 {count} 行相同内容 ⋯", count=hidden), *stripped[-2:]]
        )
    return "\n".join(stripped)


class TextMergeView(QWidget):
    keep_mine_requested = Signal()
    keep_theirs_requested = Signal()
    merged_requested = Signal(str)
    preview_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ConflictDetail | None = None
        self.choice_buttons: dict[int, dict[str, QRadioButton]] = {}
        self._groups: list[QButtonGroup] = []
        self._filling = False
        self._edited = False
        self.title = title_label(self)
        self.explanation = note_label(self)
        self.explanation.setText(
            tr(
                "两边改了同一段文字。逐段选择保留哪一边（默认两者都要，不丢任何内容），"
                "在下方检查合并结果，需要时直接修改，然后保存。"
            )
        )
        self._hunks_widget = QWidget()
        self._grid = QGridLayout(self._hunks_widget)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._hunks_widget)

        self.preview = QPlainTextEdit(self)
        self.preview.textChanged.connect(self._on_preview_text_changed)
        self.edited_label = QLabel(tr("合并结果已手动修改，逐段选择暂不生效。"), self)
        self.edited_label.setStyleSheet("color: #8a5a00;")
        self.regenerate_button = QPushButton(tr("按选择重新生成"), self)
        self.regenerate_button.clicked.connect(self._on_regenerate_button_clicked)
        preview_heading = QHBoxLayout()
        preview_heading.addWidget(QLabel(tr("合并结果（可直接修改）"), self))
        preview_heading.addStretch(1)
        preview_heading.addWidget(self.edited_label)
        preview_heading.addWidget(self.regenerate_button)
        preview_box = QWidget(self)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 4, 0, 0)
        preview_layout.addLayout(preview_heading)
        preview_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(scroll)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 200])  # the blocks get the room; the preview scrolls
        splitter.setChildrenCollapsible(False)
        self.preview.setMinimumHeight(80)

        self.save_button = QPushButton(tr("保存合并结果"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.keep_mine_button = QPushButton(tr("全部用我的"), self)
        self.keep_mine_button.clicked.connect(self.keep_mine_requested)
        self.keep_theirs_button = QPushButton(tr("全部用对方的"), self)
        self.keep_theirs_button.clicked.connect(self.keep_theirs_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._show_edited(False)

    # -- public ----------------------------------------------------------------------------------

    @property
    def choices(self) -> dict[int, str]:
        chosen: dict[int, str] = {}
        for index, buttons in self.choice_buttons.items():
            for choice, button in buttons.items():
                if button.isChecked():
                    chosen[index] = choice
        return chosen

    @property
    def edited(self) -> bool:
        return self._edited

    def show_detail(self, detail: ConflictDetail) -> None:
        self.detail = detail
        self.title.setText(conflict_title(detail))
        self._fill_grid(detail)
        self._show_edited(False)
        self._regenerate()
        self.set_enabled(True)

    def set_enabled(self, enabled: bool) -> None:
        for button in (self.save_button, self.keep_mine_button, self.keep_theirs_button):
            button.setEnabled(enabled)

    # -- building --------------------------------------------------------------------------------

    def _fill_grid(self, detail: ConflictDetail) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for group in self._groups:
            group.deleteLater()
        self._groups = []
        self.choice_buttons = {}
        for column, text in enumerate([*detail_headings(detail), tr("采用")]):
            heading = QLabel(text, self._hunks_widget)
            heading.setWordWrap(True)
            heading.setStyleSheet("font-weight: bold;")
            self._grid.addWidget(heading, 0, column)
        for column in range(3):
            self._grid.setColumnStretch(column, 1)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        for index, hunk in enumerate(detail.hunks):
            self._add_hunk(index + 1, index, hunk)
        self._grid.setRowStretch(len(detail.hunks) + 1, 1)  # spare room below, not in the cells

    def _add_hunk(self, row: int, index: int, hunk: Hunk) -> None:
        sides = (hunk.base, hunk.theirs, hunk.mine)
        colours = (BASE_COLOUR, THEIRS_COLOUR, MINE_COLOUR)
        for column, (lines, colour) in enumerate(zip(sides, colours, strict=True)):
            cell = QLabel(self._hunks_widget)
            cell.setTextFormat(Qt.TextFormat.PlainText)
            cell.setWordWrap(True)
            cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if hunk.conflict:
                cell.setStyleSheet(CELL_STYLE.format(colour=colour, border="#c9d2dc"))
            else:
                cell.setStyleSheet(CELL_STYLE.format(colour=AGREED_COLOUR, border="#eceff3"))
            text = _shown_lines(lines, fold=not hunk.conflict)
            cell.setText(text if text else tr("（空）"))
            self._grid.addWidget(cell, row, column)
        if not hunk.conflict:
            agreed = QLabel(tr("一致"), self._hunks_widget)
            agreed.setStyleSheet(NOTE_STYLE)
            agreed.setAlignment(Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(agreed, row, 3)
            return
        box = QWidget(self._hunks_widget)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(4, 0, 0, 0)
        box_layout.setSpacing(2)
        group = QButtonGroup(self)
        buttons: dict[str, QRadioButton] = {}
        for choice, label in CHOICES:
            button = QRadioButton(tr(label), box)
            button.setChecked(choice == DEFAULT_CHOICE)
            button.toggled.connect(self._on_choice_toggled)
            group.addButton(button)
            box_layout.addWidget(button)
            buttons[choice] = button
        box_layout.addStretch(1)
        self._groups.append(group)
        self.choice_buttons[index] = buttons
        self._grid.addWidget(box, row, 3)

    # -- preview ---------------------------------------------------------------------------------

    def _regenerate(self) -> None:
        if self.detail is None:
            return
        text = join_hunks(self.detail.hunks, self.choices)
        self._filling = True
        try:
            self.preview.setPlainText(text)
        finally:
            self._filling = False
        self.preview_changed.emit(text)

    def _show_edited(self, edited: bool) -> None:
        self._edited = edited
        self.edited_label.setVisible(edited)
        self.regenerate_button.setVisible(edited)
        for buttons in self.choice_buttons.values():
            for button in buttons.values():
                button.setEnabled(not edited)

    # -- handlers --------------------------------------------------------------------------------

    def _on_choice_toggled(self, checked: bool) -> None:
        if checked and not self._edited:
            self._regenerate()

    def _on_preview_text_changed(self) -> None:
        if not self._filling and not self._edited:
            self._show_edited(True)

    def _on_regenerate_button_clicked(self) -> None:
        self._show_edited(False)
        self._regenerate()

    def _on_save_button_clicked(self) -> None:
        self.merged_requested.emit(self.preview.toPlainText())
