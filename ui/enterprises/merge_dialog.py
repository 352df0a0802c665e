"""合并重复企业: both dossiers side by side with what each holds, the survivor chosen, confirm.

The dialog only asks; the page merges on the task runner when ``merge_confirmed`` arrives and
offers 撤销 afterwards. Opened with ``open()`` (window-modal, no nested event loop).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.enterprise import label
from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.enterprise_merge import MOVED_LABELS, MergePreview, MergeSide, moved_label
from ui.formatting import EMPTY, join_names
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.enterprise_merge import EnterpriseMergeService

_FACTS = (
    ("name", mark("企业名称")),
    ("uscc", mark("统一社会信用代码")),
    ("region", mark("地区")),
    ("industry", mark("行业")),
    ("legal", mark("法定代表人")),
    ("squad", mark("小分队")),
    ("owner", mark("包抓责任人")),
    ("filled", mark("已填字段")),
)


class MergeDialog(QDialog):
    """Shows ``first`` (where the user was) and ``second``; the first survives by default."""

    merge_confirmed = Signal(str, str)  # survivor id, merged id
    preview_loaded = Signal()

    def __init__(
        self,
        service: EnterpriseMergeService,
        runner: TaskRunner,
        first_id: str,
        second_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("合并重复企业"))
        self.setMinimumWidth(760)
        self._preview: MergePreview | None = None
        self._ids = (first_id, second_id)
        intro = QLabel(
            tr(
                "两份档案将合并为一份：选择保留哪一家，另一家的拜访、洽谈、联系人、项目、任务等"
                "全部移到保留的企业下，它空白的字段取另一家的值，标签合并；另一家随后删除。"
                "合并后可以撤销。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(4)
        self._choice = QButtonGroup(self)
        self._radios = (QRadioButton(tr("保留这一家"), self), QRadioButton(tr("保留这一家"), self))
        for number, radio in enumerate(self._radios):
            self._choice.addButton(radio, number)
            self._grid.addWidget(radio, 0, number + 1)
        self._radios[0].setChecked(True)
        self._choice.idToggled.connect(self._on_choice_id_toggled)
        self._values: dict[str, tuple[QLabel, QLabel]] = {}
        rows = [*_FACTS, ("", mark("各类记录（条）")), *MOVED_LABELS.items()]
        for row, (key, caption) in enumerate(rows, start=1):
            name = QLabel(tr(caption), self)
            if not key:  # a heading over the counts
                name.setStyleSheet("color: #2b4a6f; font-weight: bold;")
                self._grid.setRowMinimumHeight(row, name.sizeHint().height() + 10)
                self._grid.addWidget(name, row, 0, 1, 3, Qt.AlignmentFlag.AlignBottom)
                continue
            name.setStyleSheet("color: #5f6b7a;")
            self._grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignRight)
            pair = (QLabel(EMPTY, self), QLabel(EMPTY, self))
            for column, value in enumerate(pair, start=1):
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self._grid.addWidget(value, row, column)
            self._values[key] = pair
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(2, 1)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        self._summary = QLabel(tr("正在统计两家企业的记录…"), self)
        self._summary.setWordWrap(True)
        self._summary.setStyleSheet(
            "background: #eef3f9; border-radius: 4px; padding: 8px; color: #1f3b5b;"
        )
        self._buttons = QDialogButtonBox(self)
        self._merge = QPushButton(tr("合并"), self)
        self._merge.setDefault(True)
        self._merge.setEnabled(False)
        self._buttons.addButton(self._merge, QDialogButtonBox.ButtonRole.AcceptRole)
        self._buttons.addButton(
            QPushButton(tr("取消"), self), QDialogButtonBox.ButtonRole.RejectRole
        )
        self._buttons.accepted.connect(self._on_buttons_accepted)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._grid)
        layout.addWidget(line)
        layout.addWidget(self._summary)
        layout.addWidget(self._buttons)
        runner.submit(
            lambda _token: service.preview(first_id, second_id),
            on_success=self._on_preview_loaded,
            on_failure=self._on_preview_failed,
            owner=self,
        )

    # -- public ----------------------------------------------------------------------------------

    @property
    def summary_text(self) -> str:
        return self._summary.text()

    @property
    def preview(self) -> MergePreview | None:
        return self._preview

    def value_text(self, key: str, side: int) -> str:
        return self._values[key][side].text()

    def choose_survivor(self, side: int) -> None:
        self._radios[side].setChecked(True)

    def confirm(self) -> None:
        self._merge.click()

    @property
    def survivor_side(self) -> int:
        return max(self._choice.checkedId(), 0)

    # -- handlers --------------------------------------------------------------------------------

    def _on_preview_loaded(self, preview: MergePreview) -> None:
        self._preview = preview
        for side, data in enumerate((preview.first, preview.second)):
            self._radios[side].setText(tr("保留“{name}”", name=data.name))
            for key, text in _side_texts(data).items():
                self._values[key][side].setText(text or EMPTY)
        self._merge.setEnabled(True)
        self._update_summary()
        self.preview_loaded.emit()

    def _on_preview_failed(self, error: AppError) -> None:
        self._summary.setText(error.message)

    def _on_choice_id_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update_summary()

    def _update_summary(self) -> None:
        preview = self._preview
        if preview is None:
            return
        sides = (preview.first, preview.second)
        keep, other = sides[self.survivor_side], sides[1 - self.survivor_side]
        moving = tr("、").join(
            tr("{count} 条{kind}", count=other.count(table), kind=moved_label(table))
            for table in MOVED_LABELS
            if other.count(table)
        )
        text = tr(
            "保留“{keep}”，删除“{other}”。",
            keep=keep.name,
            other=other.name,
        )
        text += (
            tr("移过来的记录：{moving}。", moving=moving)
            if moving
            else tr("“{other}”下没有要移动的记录。", other=other.name)
        )
        fills = preview.fills[self.survivor_side]
        if fills:
            text += tr(
                "“{keep}”空白的{fields}将取自“{other}”。",
                keep=keep.name,
                fields=join_names(label(field) for field in fills),
                other=other.name,
            )
        text += tr("合并后可以撤销。")
        self._summary.setText(text)

    def _on_buttons_accepted(self) -> None:
        if self._preview is None:
            return
        survivor = self._ids[self.survivor_side]
        merged = self._ids[1 - self.survivor_side]
        self.accept()
        self.merge_confirmed.emit(survivor, merged)


def _side_texts(side: MergeSide) -> dict[str, str]:
    texts = {
        "name": side.name,
        "uscc": side.uscc or "",
        "region": side.region_name,
        "industry": side.industry_name,
        "legal": side.legal_representative,
        "squad": side.squad_name,
        "owner": side.owner_name,
        "filled": tr("{count} 项", count=side.filled_fields),
    }
    for table in MOVED_LABELS:
        texts[table] = str(side.count(table))
    return texts
