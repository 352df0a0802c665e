"""新建名录 / 编辑名录 and 添加企业 / 编辑条目: small forms saved on the task runner.

Enter or Ctrl+S saves, Esc cancels. A problem is named under its field and the dialog stays
open; ``saved`` carries the id written once the unit of work has committed.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.enterprise import FIRST_HONOUR_YEAR
from app.domain.errors import AppError, ValidationError
from app.domain.vocabulary import HonourKind
from app.i18n import tr
from app.services.honour_directory_views import (
    BATCH_LIMIT,
    NAME_LIMIT,
    RANK_LIMIT,
    SOURCE_LIMIT,
    TITLE_LIMIT,
    DirectoryDraft,
    DirectoryView,
    EntryDraft,
    EntryView,
    suggested_title,
)
from ui.task_runner import TaskRunner
from ui.visits.form_rows import FieldProblems

if TYPE_CHECKING:
    from app.services.honour_directories import HonourDirectoryService


class _SavingDialog(QDialog):
    saved = Signal(str)

    def __init__(self, runner: TaskRunner, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._saving = False
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.problems = FieldProblems()
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("保存"))
        self.save_button.setToolTip(tr("保存（Enter 或 Ctrl+S）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        if self._saving:
            return
        self.problems.clear()
        self.message.hide()
        self._saving = True
        self.save_button.setEnabled(False)
        self._runner.submit(self._work(), self._on_saved, self._on_save_failed, owner=self)

    @abstractmethod
    def _work(self) -> Callable[[Any], str]:
        """The database work of saving what the dialog shows; returns the record's id."""

    def _on_saved(self, row_id: str) -> None:
        self._saving = False
        self.saved.emit(row_id)
        self.accept()

    def _on_save_failed(self, error: AppError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if not (
            isinstance(error, ValidationError) and self.problems.show(error.field, error.message)
        ):
            self.message.setText(error.message)
            self.message.show()


class DirectoryDialog(_SavingDialog):
    """A new list (``directory`` None) or an existing one's kind, year, batch, title, source.

    The title follows kind, year and batch (``2025年专精特新“小巨人”名单（第七批）``) until the
    user types one of their own.
    """

    def __init__(
        self,
        service: HonourDirectoryService,
        runner: TaskRunner,
        directory: DirectoryView | None,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(runner, tr("新建名录") if directory is None else tr("编辑名录"), parent)
        self._service = service
        self._directory = directory
        this_year = (today or dt.date.today()).year
        self.kind = QComboBox(self)
        for kind in HonourKind:
            self.kind.addItem(kind.label, kind.value)
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_HONOUR_YEAR, this_year + 1)
        self.year.setValue(this_year)
        self.year.setGroupSeparatorShown(False)
        self.batch = QLineEdit(self)
        self.batch.setMaxLength(BATCH_LIMIT)
        self.batch.setPlaceholderText(tr("如：第七批（没有批次可不填）"))
        self.title = QLineEdit(self)
        self.title.setMaxLength(TITLE_LIMIT)
        self.source = QLineEdit(self)
        self.source.setMaxLength(SOURCE_LIMIT)
        self.source.setPlaceholderText(tr("如：工业和信息化部公告（2025年第X号）"))
        self.problems.add_row(self.form, tr("类别"), "kind", self.kind)
        self.problems.add_row(self.form, tr("年份"), "year", self.year)
        self.problems.add_row(self.form, tr("批次"), "batch", self.batch)
        self.problems.add_row(self.form, tr("名录名称"), "title", self.title)
        self.problems.add_row(self.form, tr("来源"), "source", self.source)
        self._finish_layout()

        if directory is not None:
            index = self.kind.findData(directory.kind)
            if index < 0:  # a kind this version does not know: keep it
                self.kind.addItem(directory.kind_label, directory.kind)
                index = self.kind.count() - 1
            self.kind.setCurrentIndex(index)
            self.year.setMaximum(max(self.year.maximum(), directory.year))
            self.year.setValue(directory.year)
            self.batch.setText(directory.batch)
            self.source.setText(directory.source)
        self._suggestion = self._suggested()
        self.title.setText(directory.title if directory is not None else self._suggestion)
        self.kind.currentIndexChanged.connect(self._on_identity_changed)
        self.year.valueChanged.connect(self._on_identity_changed)
        self.batch.textChanged.connect(self._on_identity_changed)
        for line in (self.batch, self.title, self.source):
            line.returnPressed.connect(self.save)

    def draft(self) -> DirectoryDraft:
        return DirectoryDraft(
            kind=str(self.kind.currentData()),
            year=self.year.value(),
            batch=self.batch.text(),
            title=self.title.text(),
            source=self.source.text(),
        )

    def _suggested(self) -> str:
        return suggested_title(str(self.kind.currentData()), self.year.value(), self.batch.text())

    def _on_identity_changed(self, *_args: object) -> None:
        suggestion = self._suggested()
        if self.title.text().strip() in ("", self._suggestion):  # not typed by the user
            self.title.setText(suggestion)
        self._suggestion = suggestion

    def _work(self) -> Callable[[Any], str]:
        service, draft, directory = self._service, self.draft(), self._directory
        if directory is None:
            return lambda _token: service.create_directory(draft)

        def update(_token: Any) -> str:
            service.update_directory(directory.id, draft)
            return directory.id

        return update


class EntryDialog(_SavingDialog):
    """添加企业 to a list, or change an entry's name, USCC or rank (matched again on save)."""

    def __init__(
        self,
        service: HonourDirectoryService,
        runner: TaskRunner,
        directory: DirectoryView,
        entry: EntryView | None,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("添加企业到“{title}”", title=directory.title)
        super().__init__(runner, title if entry is None else tr("编辑名录条目"), parent)
        self._service = service
        self._directory = directory
        self._entry = entry
        self.name = QLineEdit(self)
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setPlaceholderText(tr("名录上印的企业名称"))
        self.uscc = QLineEdit(self)
        self.uscc.setMaxLength(30)
        self.uscc.setPlaceholderText(tr("18 位，可不填；填写后按代码匹配企业档案"))
        self.rank = QSpinBox(self)
        self.rank.setRange(0, RANK_LIMIT)
        self.rank.setSpecialValueText(tr("无排名"))
        self.problems.add_row(self.form, tr("企业名称"), "name", self.name)
        self.problems.add_row(self.form, tr("统一社会信用代码"), "uscc", self.uscc)
        self.problems.add_row(self.form, tr("排名"), "rank", self.rank)
        hint = QLabel(
            tr(
                "按统一社会信用代码匹配企业档案；没有代码时按注册名称完全一致匹配"
                "（“有限公司”与“有限责任公司”视为不同名称）。"
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6b7a;")
        self.form.addRow(hint)
        self._finish_layout()
        if entry is not None:
            self.name.setText(entry.name)
            self.uscc.setText(entry.uscc or "")
            self.rank.setValue(entry.rank or 0)
        for line in (self.name, self.uscc):
            line.returnPressed.connect(self.save)

    def draft(self) -> EntryDraft:
        rank = self.rank.value()
        return EntryDraft(name=self.name.text(), uscc=self.uscc.text(), rank=rank or None)

    def _work(self) -> Callable[[Any], str]:
        service, draft, entry = self._service, self.draft(), self._entry
        directory_id = self._directory.id
        if entry is None:
            return lambda _token: service.add_entry(directory_id, draft).id
        return lambda _token: service.update_entry(entry.id, draft).id


def delete_confirmation(
    directory: DirectoryView, parent: QWidget
) -> tuple[QMessageBox, QPushButton]:
    """The 删除名录 question naming how many entries go with the list, and its 删除 button
    (取消 is the default)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        tr("删除名录"),
        tr("删除名录“{title}”？", title=directory.title),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        tr(
            "其中 {count} 家企业的条目会一并删除，这些企业档案上的这项荣誉也随之去掉。",
            count=directory.entry_count,
        )
    )
    delete = box.addButton(tr("删除"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole))
    return box, delete
