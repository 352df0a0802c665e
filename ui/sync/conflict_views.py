"""One conflict of a scalar field (or a delete against an edit): base, theirs and mine side by
side, and the three ways out: 保留我的 / 保留对方的 / 编辑合并 (恢复记录 / 保持删除 for deletes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from ui.formatting import EMPTY
from ui.sync.sync_times import short_time

if TYPE_CHECKING:
    from app.services.conflicts import ConflictDetail

BASE_COLOUR = "#f4f5f7"
THEIRS_COLOUR = "#e8f0fb"
MINE_COLOUR = "#e9f6ea"
VALUE_STYLE = "QPlainTextEdit {{ background: {colour}; border: 1px solid #d6dbe1; }}"
NOTE_STYLE = "color: #5f6b7a;"


def side_heading(title: str, who: str, when: str) -> str:
    """对方的 · 张三 · 2026年11月28日 10:12 — who and when, when known."""
    parts = [title, *(part for part in (who, when) if part)]
    return tr(" · ").join(parts)


def detail_headings(detail: ConflictDetail) -> tuple[str, str, str]:
    return (
        tr("原值（双方修改前）"),
        side_heading(tr("对方的"), detail.theirs_by, short_time(detail.theirs_at)),
        side_heading(tr("我的"), detail.mine_by, short_time(detail.mine_at)),
    )


def title_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setBold(True)
    label.setFont(font)
    return label


def note_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def conflict_title(detail: ConflictDetail) -> str:
    item = detail.item
    return tr("{record} · {field}", record=item.record_label, field=item.field_label)


class FieldConflictView(QWidget):
    keep_mine_requested = Signal()
    keep_theirs_requested = Signal()
    merged_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ConflictDetail | None = None
        self.title = title_label(self)
        self.explanation = note_label(self)
        self.headings = [QLabel(self) for _ in range(3)]
        for heading in self.headings:
            heading.setWordWrap(True)
        self.base_value = self._value(BASE_COLOUR)
        self.theirs_value = self._value(THEIRS_COLOUR)
        self.mine_value = self._value(MINE_COLOUR)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        for column, (heading, value) in enumerate(
            zip(self.headings, (self.base_value, self.theirs_value, self.mine_value), strict=True)
        ):
            grid.addWidget(heading, 0, column)
            grid.addWidget(value, 1, column)
            grid.setColumnStretch(column, 1)

        self.merge_label = QLabel(tr("合并后的值"), self)
        self.merge_edit = QPlainTextEdit(self)
        self.merge_edit.setMaximumHeight(90)
        self.save_merge_button = QPushButton(tr("保存合并结果"), self)
        self.save_merge_button.clicked.connect(self._on_save_merge_button_clicked)
        self.cancel_merge_button = QPushButton(tr("取消编辑"), self)
        self.cancel_merge_button.clicked.connect(self._on_cancel_merge_button_clicked)
        merge_buttons = QHBoxLayout()
        merge_buttons.addStretch(1)
        merge_buttons.addWidget(self.cancel_merge_button)
        merge_buttons.addWidget(self.save_merge_button)

        self.keep_mine_button = QPushButton(self)
        self.keep_mine_button.clicked.connect(self.keep_mine_requested)
        self.keep_theirs_button = QPushButton(self)
        self.keep_theirs_button.clicked.connect(self.keep_theirs_requested)
        self.edit_button = QPushButton(tr("编辑合并…"), self)
        self.edit_button.setToolTip(tr("从我的值出发，改成双方都认可的值"))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addWidget(self.keep_mine_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(grid)
        layout.addWidget(self.merge_label)
        layout.addWidget(self.merge_edit)
        layout.addLayout(merge_buttons)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._show_merge_editor(False)

    def show_detail(self, detail: ConflictDetail) -> None:
        self.detail = detail
        deleted = detail.item.kind == "delete"
        self.title.setText(conflict_title(detail))
        if deleted:
            self.explanation.setText(
                tr(
                    "这条记录一边被删除、另一边被修改了。记录现在处于删除状态，修改过的内容"
                    "保存在这里：恢复记录会带回这些修改，保持删除则确认删除。"
                )
            )
        else:
            self.explanation.setText(
                tr(
                    "同一字段在两边都改了。服务器现在保存的是对方的值，你的值保存在这里，"
                    "请选择保留哪一个，或者编辑出合并后的值。"
                )
            )
        for heading, text in zip(self.headings, detail_headings(detail), strict=True):
            heading.setText(text)
        self.base_value.setPlainText(detail.base or EMPTY)
        self.theirs_value.setPlainText(detail.theirs or EMPTY)
        self.mine_value.setPlainText(detail.mine or EMPTY)
        self.keep_mine_button.setText(tr("恢复记录") if deleted else tr("保留我的"))
        self.keep_theirs_button.setText(tr("保持删除") if deleted else tr("保留对方的"))
        self.edit_button.setVisible(not deleted)
        self._show_merge_editor(False)
        self.set_enabled(True)

    def set_enabled(self, enabled: bool) -> None:
        for button in (
            self.keep_mine_button,
            self.keep_theirs_button,
            self.edit_button,
            self.save_merge_button,
        ):
            button.setEnabled(enabled)

    def _on_edit_button_clicked(self) -> None:
        if self.detail is not None:
            self.merge_edit.setPlainText(self.detail.mine)
        self._show_merge_editor(True)
        self.merge_edit.setFocus()

    def _on_cancel_merge_button_clicked(self) -> None:
        self._show_merge_editor(False)

    def _on_save_merge_button_clicked(self) -> None:
        self.merged_requested.emit(self.merge_edit.toPlainText())

    def _show_merge_editor(self, shown: bool) -> None:
        for widget in (
            self.merge_label,
            self.merge_edit,
            self.save_merge_button,
            self.cancel_merge_button,
        ):
            widget.setVisible(shown)
        self.edit_button.setEnabled(not shown)

    def _value(self, colour: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setReadOnly(True)
        edit.setMaximumHeight(90)
        edit.setStyleSheet(VALUE_STYLE.format(colour=colour))
        return edit
