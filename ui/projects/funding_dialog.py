"""A 实际到资 entry: date, amount in 万元, note, and (for a new entry) its 到资凭证 file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.domain.errors import ValidationError
from app.domain.money import parse_wan
from app.i18n import tr
from app.services.project_views import FundingChange, FundingEntryView, ProjectDetail
from ui.formatting import format_decimal, qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.projects.dialog_frame import FormDialog
from ui.projects.stage_move_dialog import FileChooser, choose_file
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from ui.projects.project_services import ProjectServices


class FundingDialog(FormDialog):
    """Adds an entry (``entry`` None) or corrects one; ``funding_saved`` carries the outcome."""

    funding_saved = Signal(object)  # FundingChange

    def __init__(
        self,
        services: ProjectServices,
        runner: TaskRunner,
        project: ProjectDetail,
        entry: FundingEntryView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = tr("添加到资记录") if entry is None else tr("修改到资记录")
        super().__init__(runner, title, parent)
        self._services = services
        self._project = project
        self._entry = entry
        self._proof: Path | None = None
        self.choose_file: FileChooser = choose_file
        self.resize(460, 260)

        self.date_edit = TypedDateEdit(self)
        self.date_edit.setDate(qdate(entry.received_on if entry else project.today))
        self.date_edit.setMaximumDate(qdate(project.today))
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setPlaceholderText(tr("万元，如 3000 或 1.2亿"))
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(tr("如：首期注册资本金到位"))
        self.proof_label = QLabel(tr("（未选择）"), self)
        self.proof_button = QPushButton(tr("选择文件…"), self)
        self.proof_button.setAutoDefault(False)
        self.proof_button.clicked.connect(self._on_proof_clicked)
        proof = QHBoxLayout()
        proof.addWidget(self.proof_label, 1)
        proof.addWidget(self.proof_button)
        self.form.addRow(tr("到资日期"), self.date_edit)
        self.form.addRow(tr("金额（万元）"), self.amount_edit)
        self.form.addRow(tr("说明"), self.note_edit)
        if entry is None:
            self.form.addRow(tr("到资凭证"), proof)
        else:
            self.amount_edit.setText(format_decimal(entry.amount.wan))
            self.note_edit.setText(entry.note)
        self.name_field("received_on", self.date_edit)
        self.name_field("amount", self.amount_edit)
        self.name_field("note", self.note_edit)
        self.name_field("proof", self.proof_button)
        self.amount_edit.setFocus()

    def set_proof(self, path: Path | None) -> None:
        self._proof = path
        self.proof_label.setText(path.name if path else tr("（未选择）"))

    def save(self) -> None:
        funding, project_id, entry, proof = (
            self._services.funding,
            self._project.id,
            self._entry,
            self._proof,
        )
        raw, note = self.amount_edit.text(), self.note_edit.text()
        on = self.date_edit.date().toPython()
        assert isinstance(on, dt.date)

        def work(_token: CancelToken) -> FundingChange:
            if not raw.strip():
                raise ValidationError("amount", tr("请填写到资金额"))
            amount = parse_wan(raw, "amount")
            if entry is None:
                return funding.add(project_id, on, amount, note, proof)
            return funding.edit(entry.id, on, amount, note)

        self.submit(work, self._on_saved)

    def _on_proof_clicked(self) -> None:
        path = self.choose_file(self, tr("选择到资凭证文件"))
        if path is not None:
            self.set_proof(path)

    def _on_saved(self, change: FundingChange) -> None:
        self.funding_saved.emit(change)
        self.accept()
