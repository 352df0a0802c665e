"""One visit, read-only: when, where, who met whom, what was said and what comes next.

Below the text: the visit's follow-up tasks and its photos and documents. 编辑 (or Enter/F2 on
the list) opens the visit's form; 历史 asks for its change history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import mark, tr
from app.services.visit_views import VisitDetail
from ui.formatting import format_date, join_names
from ui.task_runner import TaskRunner
from ui.visits.table_height import fit_rows
from ui.widgets.attachment_strip import AttachmentStrip
from ui.widgets.key_value_form import KeyValueForm
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordColumn, RecordTableModel

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService

_TASK_COLUMNS = (
    RecordColumn(mark("任务"), lambda t: t.title),
    RecordColumn(mark("负责人"), lambda t: t.owner_name),
    RecordColumn(mark("截止日期"), lambda t: format_date(t.due_on)),
    RecordColumn(mark("状态"), lambda t: tr("已完成") if t.done else tr("待办")),
)

_EMPTY_PAGE, _LOADING_PAGE, _DETAIL_PAGE = range(3)


class VisitDetailView(QWidget):
    """Shows a ``VisitDetail``; asks for deletion or for the enterprise's dossier by signal."""

    delete_requested = Signal(str, str)  # visit id, a short description
    enterprise_activated = Signal(str)
    edit_requested = Signal(str)
    history_requested = Signal(str, str)  # "visits", visit id
    print_requested = Signal(str)  # visit id

    def __init__(
        self,
        attachments: AttachmentService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._visit: VisitDetail | None = None
        self._attachments = attachments
        self._runner = runner
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._message_page(tr("在左侧选择一条拜访记录查看详情")))
        self._stack.addWidget(self._message_page(tr("正在载入拜访记录…")))
        self._stack.addWidget(self._build_detail_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    @property
    def visit(self) -> VisitDetail | None:
        return self._visit

    @property
    def title_text(self) -> str:
        return self._title.text()

    def form(self) -> KeyValueForm:
        return self._form

    @property
    def task_model(self) -> RecordTableModel:
        return self._task_model

    @property
    def attachment_strip(self) -> AttachmentStrip:
        return self._strip

    def show_loading(self) -> None:
        if self._visit is None:
            self._stack.setCurrentIndex(_LOADING_PAGE)

    def clear(self) -> None:
        self._visit = None
        self._stack.setCurrentIndex(_EMPTY_PAGE)

    def show_visit(self, visit: VisitDetail) -> None:
        self._visit = visit
        name = _escape(visit.enterprise_name)
        self._title.setText(f'<a href="enterprise" style="text-decoration: none;">{name}</a>')
        self._subtitle.setText(
            "  ·  ".join(part for part in (format_date(visit.visited_on), visit.place) if part)
        )
        attendees = [
            tr("{name}（{title}）", name=a.name, title=a.title) if a.title else a.name
            for a in visit.attendees
        ]
        values = {
            "date": format_date(visit.visited_on),
            "enterprise": visit.enterprise_name,
            "place": visit.place,
            "trip": visit.trip_title,
            "link": visit.chain_link_label,
            "squad": visit.squad_name,
            "author": visit.author_name,
            "participants": join_names(p.name for p in visit.participants),
            "attendees": join_names(attendees),
            "purpose": visit.purpose,
            "discussion": visit.discussion,
            "outcomes": visit.outcomes,
            "next_steps": visit.next_steps,
        }
        for key, text in values.items():
            self._form.set_value(key, text)
        self._task_model.set_rows(visit.tasks)
        fit_rows(self._tasks, len(visit.tasks), most=6)
        self._tasks_heading.setVisible(bool(visit.tasks))
        self._tasks.setVisible(bool(visit.tasks))
        self._strip.set_owner("visits", visit.id)
        self._stack.setCurrentIndex(_DETAIL_PAGE)

    def _message_page(self, text: str) -> QWidget:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #7a8591;")
        return label

    def _build_detail_page(self) -> QWidget:
        page = QWidget()
        self._title = QLabel(page)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._title.setToolTip(tr("打开该企业的档案"))
        self._title.linkActivated.connect(self._on_title_link_activated)
        self._subtitle = QLabel(page)
        self._subtitle.setStyleSheet("color: #5f6b7a;")
        self._edit = QPushButton(tr("编辑"), page)
        self._edit.setToolTip(tr("打开拜访表单（在列表中按回车或 F2 也可以）"))
        self._edit.clicked.connect(self._on_edit_clicked)
        self._history = QPushButton(tr("历史"), page)
        self._history.setToolTip(tr("这条拜访记录的修改历史"))
        self._history.clicked.connect(self._on_history_clicked)
        self.print_button = QPushButton(tr("打印纪要"), page)
        self.print_button.setToolTip(tr("预览并打印这次拜访的纪要 (Ctrl+P)"))
        self.print_button.clicked.connect(self._on_print_clicked)
        self._delete = QPushButton(tr("删除"), page)
        self._delete.setToolTip(tr("删除拜访记录（Delete）；删除后可以撤销"))
        self._delete.clicked.connect(self._on_delete_clicked)
        header_text = QVBoxLayout()
        header_text.setSpacing(2)
        header_text.addWidget(self._title)
        header_text.addWidget(self._subtitle)
        header = QHBoxLayout()
        header.addLayout(header_text, 1)
        for button in (self._edit, self.print_button, self._history, self._delete):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

        self._form = KeyValueForm()
        self._form.add_section(tr("基本情况"))
        self._form.add_row("date", tr("拜访日期"))
        self._form.add_row("enterprise", tr("拜访企业"))
        self._form.add_row("place", tr("地点"))
        self._form.add_row("trip", tr("所属出行"))
        self._form.add_row("link", tr("产业链环节"))
        self._form.add_row("squad", tr("小分队"))
        self._form.add_row("author", tr("记录人"))
        self._form.add_section(tr("参会人员"))
        self._form.add_row("participants", tr("我方人员"))
        self._form.add_row("attendees", tr("对方人员"))
        self._form.add_section(tr("拜访内容"))
        self._form.add_row("purpose", tr("拜访目的"))
        self._form.add_row("discussion", tr("洽谈内容"))
        self._form.add_row("outcomes", tr("成果"))
        self._form.add_row("next_steps", tr("下一步"))
        self._task_model = RecordTableModel(_TASK_COLUMNS, self)
        self._tasks = list_table(self._task_model, page, widths=(200, 70, 120))
        self._tasks_heading = _heading(tr("跟进任务"), page)
        self._strip = AttachmentStrip(self._attachments, self._runner, page)
        body = QWidget(page)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self._form)
        body_layout.addWidget(self._tasks_heading)
        body_layout.addWidget(self._tasks)
        body_layout.addWidget(_heading(tr("照片和文件"), page))
        body_layout.addWidget(self._strip)
        body_layout.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        return page

    def _on_title_link_activated(self, _link: str) -> None:
        if self._visit is not None:
            self.enterprise_activated.emit(self._visit.enterprise_id)

    def _on_edit_clicked(self) -> None:
        if self._visit is not None:
            self.edit_requested.emit(self._visit.id)

    def _on_history_clicked(self) -> None:
        if self._visit is not None:
            self.history_requested.emit("visits", self._visit.id)

    def _on_print_clicked(self) -> None:
        if self._visit is not None:
            self.print_requested.emit(self._visit.id)

    def _on_delete_clicked(self) -> None:
        self.request_delete()

    def request_delete(self) -> None:
        """Ask (by ``delete_requested``) for the shown visit to be deleted."""
        if self._visit is not None:
            description = tr(
                "{date} 拜访{name}",
                date=format_date(self._visit.visited_on),
                name=self._visit.enterprise_name,
            )
            self.delete_requested.emit(self._visit.id, description)


def _heading(text: str, parent: QWidget) -> QLabel:
    heading = QLabel(text, parent)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    heading.setStyleSheet("color: #2b4a6f; padding: 8px 4px 0 4px;")
    return heading


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
