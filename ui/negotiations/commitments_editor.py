"""承诺事项 of one round: a typing row (content, promised by, due date; Enter adds) over the list.

Keyboard: type the content, Tab to the promiser and the due date, Enter adds the line and puts
the cursor back for the next one. In the list, Enter (or F2) loads a line back into the typing row
to change it; Delete withdraws a saved line (asking for the reason) or takes back one added in
this editor; a withdrawn line can be reinstated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.ids import new_id
from app.domain.negotiation import COMMITMENT_LIMIT, REASON_LIMIT
from app.domain.vocabulary import CommitmentStatus
from app.i18n import tr
from app.services.member_choices import MemberChoice
from ui.formatting import qdate
from ui.negotiations.commitment_lines import Column, CommitmentLine, CommitmentLinesModel
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.widgets.list_table import list_table

DEFAULT_DUE_DAYS = 30
"""A new commitment is due this many days after today unless the user says otherwise."""
_WIDTHS = {Column.CONTENT: 330, Column.PROMISED_BY: 80, Column.DUE: 120}


class CommitmentsEditor(QWidget):
    """Edits the commitment lines of one round; never drops a saved commitment silently."""

    lines_changed = Signal()
    problem_found = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = dt.date.today()
        self._me: str | None = None
        self._editing_id: str | None = None
        self._discarded: list[str] = []
        self._reason_dialog: QInputDialog | None = None
        self.model = CommitmentLinesModel(self)

        self.content_edit = QLineEdit(self)
        self.content_edit.setPlaceholderText(tr("承诺内容，如：协调 200 亩用地指标"))
        self.content_edit.setMaxLength(COMMITMENT_LIMIT)
        self.promiser_combo = QComboBox(self)
        self.promiser_combo.setToolTip(tr("承诺人（默认是我）"))
        self.due_edit = TypedDateEdit(self)
        self.add_button = QPushButton(tr("添加承诺"), self)
        self.add_button.setToolTip(tr("把这一条加入承诺事项（Enter）"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        for widget in (self.content_edit, self.promiser_combo, self.due_edit):
            widget.installEventFilter(self)

        self.table = list_table(self.model, self, widths=_WIDTHS)
        self.table.setToolTip(
            tr("Enter 或 F2：修改选中的承诺；Delete：撤回（需说明原因）；右键查看更多操作")
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.edit_action = self._action(
            tr("修改"), ["Return", "Enter", "F2"], self._on_edit_action_triggered
        )
        self.withdraw_action = self._action(
            tr("撤回…"), ["Delete"], self._on_withdraw_action_triggered
        )
        self.reinstate_action = self._action(tr("恢复"), [], self._on_reinstate_action_triggered)
        self.withdraw_button = QPushButton(tr("撤回…"), self)
        self.withdraw_button.setToolTip(tr("撤回选中的承诺并说明原因（Delete）"))
        self.withdraw_button.clicked.connect(self.withdraw_action.trigger)
        self.reinstate_button = QPushButton(tr("恢复"), self)
        self.reinstate_button.setToolTip(tr("恢复选中的已撤回承诺"))
        self.reinstate_button.clicked.connect(self.reinstate_action.trigger)
        for button in (self.add_button, self.withdraw_button, self.reinstate_button):
            button.setAutoDefault(False)

        entry = QHBoxLayout()
        entry.addWidget(self.content_edit, 1)
        entry.addWidget(QLabel(tr("承诺人"), self))
        entry.addWidget(self.promiser_combo)
        entry.addWidget(QLabel(tr("兑现期限"), self))
        entry.addWidget(self.due_edit)
        entry.addWidget(self.add_button)
        side = QVBoxLayout()
        side.addWidget(self.withdraw_button)
        side.addWidget(self.reinstate_button)
        side.addStretch(1)
        below = QHBoxLayout()
        below.addWidget(self.table, 1)
        below.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(entry)
        layout.addLayout(below, 1)
        self.setTabOrder(self.content_edit, self.promiser_combo)
        self.setTabOrder(self.promiser_combo, self.due_edit)
        self.setTabOrder(self.due_edit, self.add_button)
        self.setTabOrder(self.add_button, self.table)
        self.setTabOrder(self.table, self.withdraw_button)
        self.setTabOrder(self.withdraw_button, self.reinstate_button)
        self._reset_entry()
        self._update_actions()

    # -- public ----------------------------------------------------------------------------------

    def set_members(self, members: Sequence[MemberChoice], me: str | None) -> None:
        self._me = me
        self.promiser_combo.clear()
        self.promiser_combo.addItem(tr("（未指定）"), None)
        for member in members:
            self.promiser_combo.addItem(member.name, member.id)
        self._select_promiser(me)

    def set_lines(self, lines: Sequence[CommitmentLine], today: dt.date) -> None:
        self._today = today
        self.model.set_lines(lines, today)
        self._discarded.clear()
        self._reset_entry()
        self._update_actions()

    def lines(self) -> tuple[CommitmentLine, ...]:
        return self.model.lines

    def discarded(self) -> tuple[str, ...]:
        """Lines added here and taken back again (they may have been autosaved meanwhile)."""
        return tuple(self._discarded)

    def has_typed_entry(self) -> bool:
        return bool(self.content_edit.text().strip())

    def commit_typed_entry(self) -> bool:
        """Add (or apply) what is in the typing row; False, with a problem shown, if it cannot."""
        content = " ".join(self.content_edit.text().split())
        if not content:
            self.problem_found.emit(tr("请填写承诺内容"))
            self.content_edit.setFocus()
            return False
        due = self.due_edit.date().toPython()
        assert isinstance(due, dt.date)
        promiser = self.promiser_combo.currentData()
        name = self.promiser_combo.currentText() if promiser else ""
        if self._editing_id is None:
            line = CommitmentLine(new_id(), content, promiser, name, due)
            self.model.append(line)
            self.table.scrollTo(self.model.index(self.model.rowCount() - 1, 0))
        else:
            row = self.model.row_of(self._editing_id)
            if row is not None:
                old = self.model.line_at(row)
                self.model.replace_line(
                    replace(
                        old,
                        content=content,
                        promised_by_id=promiser,
                        promised_by_name=name,
                        due_on=due,
                    )
                )
        self._reset_entry()
        self.content_edit.setFocus()
        self.lines_changed.emit()
        return True

    # -- Qt --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.commit_typed_entry()
                return True
            if key == Qt.Key.Key_Escape and self._editing_id is not None:
                self._reset_entry()
                self.table.setFocus()
                return True
        return super().eventFilter(watched, event)

    # -- handlers --------------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.commit_typed_entry()

    def _on_edit_action_triggered(self) -> None:
        line = self._selected()
        if line is None:
            return
        self._editing_id = line.id
        self.content_edit.setText(line.content)
        self._select_promiser(line.promised_by_id)
        if line.due_on is not None:
            self.due_edit.setDate(qdate(line.due_on))
        self.add_button.setText(tr("更新承诺"))
        self.content_edit.setFocus()
        self.content_edit.selectAll()

    def _on_withdraw_action_triggered(self) -> None:
        line = self._selected()
        if line is None or line.withdrawn:
            return
        if line.fresh:
            self.model.remove(line.id)
            self._discarded.append(line.id)
            if self._editing_id == line.id:
                self._reset_entry()
            self._update_actions()
            self.lines_changed.emit()
            return
        if line.status is CommitmentStatus.HONOURED:
            self.problem_found.emit(tr("已兑现的承诺不能撤回"))
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(tr("撤回承诺"))
        dialog.setLabelText(tr("撤回“{content}”的原因：", content=line.content))
        dialog.setTextValue("")
        dialog.textValueSelected.connect(lambda reason: self._withdraw(line.id, reason))
        self._reason_dialog = dialog
        dialog.open()

    def _on_reinstate_action_triggered(self) -> None:
        line = self._selected()
        if line is not None and line.withdrawn:
            self.model.replace_line(line.reinstate())
            self._update_actions()
            self.lines_changed.emit()

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.edit_action, self.withdraw_action, self.reinstate_action):
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- internals -------------------------------------------------------------------------------

    @property
    def reason_dialog(self) -> QInputDialog | None:
        """The open "why withdraw" question, if any (tests answer it from the keyboard)."""
        return self._reason_dialog

    def _withdraw(self, line_id: str, reason: str) -> None:
        reason = " ".join(reason.split())[:REASON_LIMIT]
        row = self.model.row_of(line_id)
        if row is None:
            return
        if not reason:
            self.problem_found.emit(tr("撤回承诺须说明原因"))
            return
        self.model.replace_line(self.model.line_at(row).withdraw(reason))
        self._update_actions()
        self.lines_changed.emit()

    def _action(self, text: str, keys: Sequence[str], slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.table)
        if keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    def _selected(self) -> CommitmentLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.line_at(rows[0].row()) if rows else None

    def _select_promiser(self, member_id: str | None) -> None:
        index = self.promiser_combo.findData(member_id)
        self.promiser_combo.setCurrentIndex(max(index, 0))

    def _reset_entry(self) -> None:
        self._editing_id = None
        self.content_edit.clear()
        self._select_promiser(self._me)
        self.due_edit.setDate(qdate(self._today + dt.timedelta(days=DEFAULT_DUE_DAYS)))
        self.add_button.setText(tr("添加承诺"))

    def _update_actions(self, *_args: object) -> None:
        line = self._selected()
        can_withdraw = line is not None and not line.withdrawn
        self.edit_action.setEnabled(line is not None)
        self.withdraw_action.setEnabled(can_withdraw)
        self.withdraw_button.setEnabled(can_withdraw)
        can_reinstate = line is not None and line.withdrawn
        self.reinstate_action.setEnabled(can_reinstate)
        self.reinstate_button.setEnabled(can_reinstate)
