"""The chain and link forms: 新建/编辑产业链 (name, 链长 name and title, description) and
新建/编辑环节 (name, kind, position, description). Each saves on the task runner and stays open
showing the message when the save is refused."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.chain import (
    CHAIN_NAME_LIMIT,
    LEADER_NAME_LIMIT,
    LEADER_TITLE_LIMIT,
    LINK_NAME_LIMIT,
    ChainDraft,
    LinkDraft,
)
from app.domain.errors import AppError
from app.domain.vocabulary import ChainPosition, LinkKind
from app.i18n import mark, tr
from app.services.chain_views import ChainView, LinkView
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.form_keys import is_save_key

PROBLEM_STYLE = "color: #b3261e;"
KIND_HINTS = {
    LinkKind.BUILD: mark("建链：本地还没有、要从无到有引进的环节"),
    LinkKind.FILL: mark("补链：本地薄弱、缺少关键企业的环节"),
    LinkKind.STRENGTHEN: mark("强链：本地已有基础、要做大做强的环节"),
    LinkKind.EXTEND: mark("延链：向上下游延伸、提高附加值的环节"),
}


class SavingDialog(QDialog):
    """A small form whose OK runs ``save`` on the runner; ``saved(id)`` once it is written."""

    saved = Signal(str)

    def __init__(self, runner: TaskRunner, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.problem = QLabel(self)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_save_key(event):
            self._on_buttons_accepted()
            event.accept()
            return
        super().keyPressEvent(event)

    @abstractmethod
    def work(self) -> Callable[[CancelToken], Any]:
        """The database work of saving what the dialog shows (run on the task runner)."""

    def _on_buttons_accepted(self) -> None:
        self.buttons.setEnabled(False)
        self._runner.submit(self.work(), self._on_saved, self._on_failed, owner=self)

    def _on_saved(self, row_id: object) -> None:
        self.saved.emit(str(row_id or ""))
        self.accept()

    def _on_failed(self, error: AppError) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(error.message)
        self.problem.show()


class ChainDialog(SavingDialog):
    """New chain (``chain`` None) or its edit; ``save(draft)`` returns the chain's id."""

    def __init__(
        self,
        runner: TaskRunner,
        save: Callable[[ChainDraft], str | None],
        chain: ChainView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, tr("新建产业链") if chain is None else tr("编辑产业链"), parent)
        self._save = save
        self.name = QLineEdit(chain.name if chain else "", self)
        self.name.setMaxLength(CHAIN_NAME_LIMIT)
        self.name.setPlaceholderText(tr("如：新能源汽车产业链"))
        self.leader_name = QLineEdit(chain.leader_name if chain else "", self)
        self.leader_name.setMaxLength(LEADER_NAME_LIMIT)
        self.leader_name.setPlaceholderText(tr("链长姓名"))
        self.leader_title = QLineEdit(chain.leader_title if chain else "", self)
        self.leader_title.setMaxLength(LEADER_TITLE_LIMIT)
        self.leader_title.setPlaceholderText(tr("如：副市长"))
        self.description = QPlainTextEdit(chain.description if chain else "", self)
        self.description.setPlaceholderText(tr("发展方向、招商重点"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(90)
        self.form.addRow(tr("产业链名称"), self.name)
        self.form.addRow(tr("链长"), self.leader_name)
        self.form.addRow(tr("链长职务"), self.leader_title)
        self.form.addRow(tr("说明"), self.description)

    def draft(self) -> ChainDraft:
        return ChainDraft(
            name=self.name.text(),
            leader_name=self.leader_name.text(),
            leader_title=self.leader_title.text(),
            description=self.description.toPlainText(),
        )

    def work(self) -> Callable[[CancelToken], Any]:
        save, draft = self._save, self.draft()
        return lambda _token: save(draft)


class LinkDialog(SavingDialog):
    """New link of a chain (``link`` None) or its edit; ``save(draft)`` returns the link's id."""

    def __init__(
        self,
        runner: TaskRunner,
        save: Callable[[LinkDraft], str | None],
        chain_name: str,
        link: LinkView | None = None,
        position: ChainPosition = ChainPosition.MIDSTREAM,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("新建环节") if link is None else tr("编辑环节")
        super().__init__(runner, tr("{title} — {chain}", title=title, chain=chain_name), parent)
        self._save = save
        self.name = QLineEdit(link.name if link else "", self)
        self.name.setMaxLength(LINK_NAME_LIMIT)
        self.name.setPlaceholderText(tr("如：动力电池"))
        self.kind = QComboBox(self)
        for kind in LinkKind:
            self.kind.addItem(kind.label, kind.value)
            self.kind.setItemData(
                self.kind.count() - 1, tr(KIND_HINTS[kind]), Qt.ItemDataRole.ToolTipRole
            )
        self.kind.setCurrentIndex(self.kind.findData((link.kind if link else LinkKind.FILL).value))
        self.kind_hint = QLabel(self)
        self.kind_hint.setStyleSheet("color: #5f6b7a;")
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.position = QComboBox(self)
        for where in ChainPosition:
            self.position.addItem(where.label, where.value)
        self.position.setCurrentIndex(
            self.position.findData((link.position if link else position).value)
        )
        self.description = QPlainTextEdit(link.description if link else "", self)
        self.description.setPlaceholderText(tr("重点引进的企业类型、产品"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(80)
        self.form.addRow(tr("环节名称"), self.name)
        self.form.addRow(tr("类别"), self.kind)
        self.form.addRow("", self.kind_hint)
        self.form.addRow(tr("位置"), self.position)
        self.form.addRow(tr("说明"), self.description)
        self._on_kind_changed()

    def draft(self) -> LinkDraft:
        return LinkDraft(
            name=self.name.text(),
            kind=LinkKind(self.kind.currentData()),
            position=ChainPosition(self.position.currentData()),
            description=self.description.toPlainText(),
        )

    def work(self) -> Callable[[CancelToken], Any]:
        save, draft = self._save, self.draft()
        return lambda _token: save(draft)

    def _on_kind_changed(self, _index: int = 0) -> None:
        self.kind_hint.setText(tr(KIND_HINTS[LinkKind(self.kind.currentData())]))
