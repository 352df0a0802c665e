"""The fields of one negotiation round, laid out for the keyboard: a widget the note dialog holds.

Round, date and project on top; 对方诉求 and 我方条件 side by side, 分歧点 under them; the next
round (what, and a date once ticked); then the commitments. Tab walks them in that order.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.negotiation import ROUND_LIMIT, NoteDraft, label
from app.i18n import tr
from app.services.negotiation_views import NoteForm
from ui.formatting import qdate
from ui.negotiations.commitment_lines import CommitmentLine
from ui.negotiations.commitments_editor import CommitmentsEditor
from ui.negotiations.typed_date_edit import TypedDateEdit

NEXT_ROUND_DAYS = 14
"""A next-round date, once asked for, starts this many days after the round."""


class NoteFields(QWidget):
    """Shows a ``NoteForm`` for editing and reads it back as a ``NoteDraft``."""

    changed = Signal()
    """The user changed a field (never emitted while a form is being loaded)."""
    focus_left = Signal()
    """A text field lost the keyboard focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form: NoteForm | None = None
        self._loading = False
        self._round_touched = False
        self.round_spin = QSpinBox(self)
        self.round_spin.setRange(1, ROUND_LIMIT)
        self.round_spin.setPrefix(tr("第 "))
        self.round_spin.setSuffix(tr(" 轮"))
        self.round_spin.setToolTip(tr("已按本企业（或所选项目）的洽谈记录建议下一个轮次"))
        self.held_edit = TypedDateEdit(self)
        self.project_combo = QComboBox(self)
        self.project_combo.setMinimumWidth(220)
        self.asks_edit = self._text_edit(tr("对方提出的要求：用地、政策、配套…"))
        self.offers_edit = self._text_edit(tr("我方给出的条件"))
        self.sticking_edit = self._text_edit(tr("尚未谈拢的问题"))
        self.next_round_edit = QLineEdit(self)
        self.next_round_edit.setPlaceholderText(tr("下一轮谈什么、在哪里、谁参加"))
        self.next_round_edit.installEventFilter(self)
        self.next_date_check = QCheckBox(tr("定于"), self)
        self.next_date_check.setToolTip(tr("勾选后填写下一轮洽谈日期（空格键勾选）"))
        self.next_date_edit = TypedDateEdit(self)
        self.next_date_edit.setEnabled(False)
        self.commitments = CommitmentsEditor(self)
        self._lay_out()
        self._connect()

    # -- public ----------------------------------------------------------------------------------

    def load(self, form: NoteForm) -> None:
        """Fill the fields from ``form`` (a new round when it holds no note)."""
        self._form = form
        self._loading = True
        self.project_combo.clear()
        self.project_combo.addItem(tr("（不关联项目）"), None)
        for project in form.projects:
            self.project_combo.addItem(project.name, project.id)
        self.held_edit.setMaximumDate(qdate(form.today))
        self.commitments.set_members(form.members, form.current_member_id)
        note = form.note
        lines: tuple[CommitmentLine, ...] = ()
        if note is None:
            latest = self.project_combo.findData(form.latest_project_id)
            self.project_combo.setCurrentIndex(max(latest, 0))
            self.round_spin.setValue(form.next_round(self.project_combo.currentData()))
            self.held_edit.setDate(qdate(form.today))
            self.next_date_edit.setDate(qdate(form.today + dt.timedelta(days=NEXT_ROUND_DAYS)))
        else:
            self.project_combo.setCurrentIndex(max(self.project_combo.findData(note.project_id), 0))
            self.round_spin.setValue(note.round_no)
            self.held_edit.setDate(qdate(note.held_on))
            self.asks_edit.setPlainText(note.their_asks)
            self.offers_edit.setPlainText(note.our_offers)
            self.sticking_edit.setPlainText(note.sticking_points)
            self.next_round_edit.setText(note.next_round)
            self.next_date_check.setChecked(note.next_round_on is not None)
            next_on = note.next_round_on or note.held_on + dt.timedelta(days=NEXT_ROUND_DAYS)
            self.next_date_edit.setDate(qdate(next_on))
            lines = tuple(CommitmentLine.of(view) for view in note.commitments)
        self.commitments.set_lines(lines, form.today)
        self._loading = False

    def draft(self) -> NoteDraft:
        held = self.held_edit.date().toPython()
        next_on = (
            self.next_date_edit.date().toPython() if self.next_date_check.isChecked() else None
        )
        assert isinstance(held, dt.date) and (next_on is None or isinstance(next_on, dt.date))
        return NoteDraft(
            round_no=self.round_spin.value(),
            held_on=held,
            their_asks=self.asks_edit.toPlainText(),
            our_offers=self.offers_edit.toPlainText(),
            sticking_points=self.sticking_edit.toPlainText(),
            next_round=self.next_round_edit.text(),
            next_round_on=next_on,
            project_id=self.project_combo.currentData(),
            commitments=tuple(line.draft() for line in self.commitments.lines()),
        )

    def widget_for(self, field: str) -> QWidget | None:
        """The widget a validation message about ``field`` points at."""
        return {
            "round_no": self.round_spin,
            "held_on": self.held_edit,
            "project_id": self.project_combo,
            "their_asks": self.asks_edit,
            "our_offers": self.offers_edit,
            "sticking_points": self.sticking_edit,
            "next_round": self.next_round_edit,
            "next_round_on": self.next_date_edit,
            "commitments": self.commitments.table,
        }.get(field)

    @property
    def last_widget(self) -> QWidget:
        """The last field in Tab order (the dialog's buttons follow it)."""
        return self.commitments.reinstate_button

    # -- Qt --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.focus_left.emit()
        return super().eventFilter(watched, event)

    # -- building --------------------------------------------------------------------------------

    def _text_edit(self, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.installEventFilter(self)
        return edit

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for field, widget in (
            ("round_no", self.round_spin),
            ("held_on", self.held_edit),
            ("project_id", self.project_combo),
        ):
            top.addWidget(QLabel(label(field), self))
            top.addWidget(widget)
            top.addSpacing(12)
        top.addStretch(1)
        texts = QGridLayout()
        texts.addWidget(QLabel(label("their_asks"), self), 0, 0)
        texts.addWidget(QLabel(label("our_offers"), self), 0, 1)
        texts.addWidget(self.asks_edit, 1, 0)
        texts.addWidget(self.offers_edit, 1, 1)
        texts.addWidget(QLabel(label("sticking_points"), self), 2, 0, 1, 2)
        texts.addWidget(self.sticking_edit, 3, 0, 1, 2)
        texts.setRowStretch(1, 3)
        texts.setRowStretch(3, 2)
        following = QHBoxLayout()
        following.addWidget(QLabel(label("next_round"), self))
        following.addWidget(self.next_round_edit, 1)
        following.addWidget(self.next_date_check)
        following.addWidget(self.next_date_edit)
        ledger = QLabel(tr("承诺事项（每一条都记入承诺兑现台账，按期限跟踪）"), self)
        ledger.setStyleSheet("font-weight: 600; padding-top: 6px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(texts, 3)
        layout.addLayout(following)
        layout.addWidget(ledger)
        layout.addWidget(self.commitments, 2)
        order: list[QWidget] = [
            self.round_spin,
            self.held_edit,
            self.project_combo,
            self.asks_edit,
            self.offers_edit,
            self.sticking_edit,
            self.next_round_edit,
            self.next_date_check,
            self.next_date_edit,
            self.commitments.content_edit,
        ]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        for edit in (self.asks_edit, self.offers_edit, self.sticking_edit):
            edit.textChanged.connect(self._on_field_changed)
        self.next_round_edit.textChanged.connect(self._on_field_changed)
        self.round_spin.valueChanged.connect(self._on_round_spin_value_changed)
        self.held_edit.dateChanged.connect(self._on_field_changed)
        self.next_date_edit.dateChanged.connect(self._on_field_changed)
        self.next_date_check.toggled.connect(self._on_next_date_check_toggled)
        self.project_combo.currentIndexChanged.connect(self._on_project_combo_changed)
        self.commitments.lines_changed.connect(self._on_field_changed)

    # -- handlers --------------------------------------------------------------------------------

    def _on_field_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _on_round_spin_value_changed(self, _value: int) -> None:
        if not self._loading:
            self._round_touched = True
        self._on_field_changed()

    def _on_next_date_check_toggled(self, checked: bool) -> None:
        self.next_date_edit.setEnabled(checked)
        if checked and not self._loading:  # ready for the date to be typed over
            self.next_date_edit.setFocus(Qt.FocusReason.TabFocusReason)
        self._on_field_changed()

    def _on_project_combo_changed(self, _index: int) -> None:
        """A new round about another project gets that project's next round number, unless
        the user chose the number themselves."""
        form = self._form
        if not self._loading and form is not None and form.note is None and not self._round_touched:
            self._loading = True
            self.round_spin.setValue(form.next_round(self.project_combo.currentData()))
            self._loading = False
        self._on_field_changed()
