"""One enterprise's dossier (企业档案): essentials, then a tab per kind of record."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.services.enterprise_views import Dossier, EnterpriseDetail
from ui.enterprises.dossier_sections import Section, honours_text, intent_level_text, links_text
from ui.enterprises.duplicate_bar import DuplicateBar
from ui.formatting import format_date, format_decimal, format_money, join_names
from ui.widgets.attachment_strip import AttachmentStrip
from ui.widgets.key_value_form import KeyValueForm
from ui.widgets.list_table import list_table
from ui.widgets.record_table_model import RecordTableModel

_EMPTY_PAGE, _LOADING_PAGE, _DOSSIER_PAGE = range(3)
ENTERPRISE_TABLE = "enterprises"


class DossierView(QWidget):
    """Shows a ``Dossier``; asks by signal for what the user wants done with it."""

    delete_requested = Signal(str, str)  # enterprise id, name
    visit_activated = Signal(str)
    edit_requested = Signal(str)  # enterprise id
    visit_requested = Signal(str)  # enterprise id: a new visit to it
    note_requested = Signal(str, str)  # enterprise id, note id ("" for a new note)
    history_requested = Signal(str, str)  # table, row id
    enterprise_activated = Signal(str)  # a look-alike opened from the duplicate notice
    merge_requested = Signal(str, str)  # this enterprise, the look-alike
    undo_merge_requested = Signal(str, str)  # survivor (this one), merged

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dossier: Dossier | None = None
        self._attachments: AttachmentStrip | None = None
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._message_page(tr("在左侧选择一家企业，查看其档案")))
        self._stack.addWidget(self._message_page(tr("正在载入企业档案…")))
        self._stack.addWidget(self._build_dossier_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    # -- public ----------------------------------------------------------------------------------

    @property
    def dossier(self) -> Dossier | None:
        return self._dossier

    @property
    def title_text(self) -> str:
        return self._title.text()

    def section_model(self, section: Section) -> RecordTableModel:
        return self._models[section]

    def section_table(self, section: Section) -> QTableView:
        return self._tables[section]

    def essentials(self) -> KeyValueForm:
        return self._form

    @property
    def duplicate_bar(self) -> DuplicateBar:
        return self._duplicates

    @property
    def merge_notice(self) -> str:
        """What the undo-merge notice says while shown, else an empty string."""
        return self._merges.text() if not self._merges.isHidden() else ""

    def click_undo_merge(self) -> None:
        self._undo_merge.click()

    def action_button(self, name: str) -> QPushButton:
        """One of the header's buttons: edit, visit, note, history, delete."""
        return self._actions[name]

    def conflict_notice(self) -> str:
        """The conflict banner's text while it is shown, else an empty string."""
        return self._conflicts.text() if not self._conflicts.isHidden() else ""

    def show_loading(self) -> None:
        if self._dossier is None:
            self._stack.setCurrentIndex(_LOADING_PAGE)

    def clear(self) -> None:
        self._dossier = None
        for model in self._models.values():
            model.set_rows(())
        self._stack.setCurrentIndex(_EMPTY_PAGE)

    def add_attachments(self, strip: AttachmentStrip) -> None:
        """Show the enterprise's photos and files at the end of 概况 (drop more onto them)."""
        self._form.add_section(tr("照片和文件"))
        self._form.add_wide(strip)
        self._attachments = strip
        if self._dossier is not None:
            strip.set_owner("enterprises", self._dossier.enterprise.id)

    @property
    def attachments(self) -> AttachmentStrip | None:
        return self._attachments

    def show_dossier(self, dossier: Dossier) -> None:
        self._dossier = dossier
        enterprise = dossier.enterprise
        if self._attachments is not None:
            self._attachments.set_owner("enterprises", enterprise.id)
        self._title.setText(enterprise.name)
        self._subtitle.setText(
            "  ·  ".join(
                part
                for part in (
                    enterprise.region_name,
                    enterprise.industry_name,
                    enterprise.squad_name,
                )
                if part
            )
        )
        self._conflicts.setVisible(dossier.open_conflicts > 0)
        self._conflicts.setText(
            tr(
                "这家企业有 {count} 处同步冲突待处理：两台电脑改了同一内容，"
                "请到“冲突”页决定保留哪一份",
                count=dossier.open_conflicts,
            )
        )
        self._fill_form(dossier)
        self._duplicates.show_candidates(dossier.duplicates, can_merge=True)
        self._show_merges(dossier)
        for number, section in enumerate(Section, start=1):
            rows = section.rows(dossier)
            self._models[section].set_rows(rows)
            self._tabs.setTabText(
                number, tr("{title} {count}", title=section.title, count=len(rows))
            )
        self._stack.setCurrentIndex(_DOSSIER_PAGE)

    # -- building --------------------------------------------------------------------------------

    def _message_page(self, text: str) -> QWidget:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #7a8591;")
        return label

    def _build_dossier_page(self) -> QWidget:
        page = QWidget()
        self._title = QLabel(page)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._subtitle = QLabel(page)
        self._subtitle.setStyleSheet("color: #5f6b7a;")
        header_text = QVBoxLayout()
        header_text.setSpacing(2)
        header_text.addWidget(self._title)
        header_text.addWidget(self._subtitle)
        self._actions = {
            "edit": self._action(page, tr("编辑"), tr("编辑企业档案（F2）"), self._on_edit_clicked),
            "visit": self._action(
                page, tr("新建拜访"), tr("为这家企业记一次拜访（Ctrl+N）"), self._on_visit_clicked
            ),
            "note": self._action(page, tr("新建洽谈记录"), tr("记一轮洽谈"), self._on_note_clicked),
            "history": self._action(
                page, tr("历史"), tr("谁在何时改了哪些字段（Ctrl+H）"), self._on_history_clicked
            ),
            "delete": self._action(page, tr("删除企业"), tr("删除后可以撤销"), self.request_delete),
        }
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for name in ("edit", "visit", "note", "history"):
            actions.addWidget(self._actions[name])
        actions.addStretch(1)
        actions.addWidget(self._actions["delete"])
        header = QVBoxLayout()
        header.addLayout(header_text)
        header.addLayout(actions)
        self._duplicates = DuplicateBar(page)
        self._duplicates.open_requested.connect(self.enterprise_activated)
        self._duplicates.merge_requested.connect(self._on_duplicates_merge_requested)
        self._merges = self._build_merge_notice(page)

        self._tabs = QTabWidget(page)
        self._tabs.setDocumentMode(True)
        self._tabs.setUsesScrollButtons(True)
        self._form = self._build_form()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._form)
        self._tabs.addTab(scroll, tr("概况"))
        self._models: dict[Section, RecordTableModel] = {}
        self._tables: dict[Section, QTableView] = {}
        for section in Section:
            model = RecordTableModel(section.columns, self)
            self._models[section] = model
            self._tables[section] = self._section_table(section, model)
            self._tabs.addTab(self._tables[section], section.title)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 8, 8)
        self._conflicts = QLabel(page)
        self._conflicts.setWordWrap(True)
        self._conflicts.setStyleSheet(
            "background: #fdecea; color: #8a1c12; border-radius: 4px; padding: 6px 8px;"
        )
        self._conflicts.hide()
        layout.addLayout(header)
        layout.addWidget(self._conflicts)
        layout.addWidget(self._duplicates)
        merges = QHBoxLayout()
        merges.addWidget(self._merges, 1)
        merges.addWidget(self._undo_merge)
        layout.addLayout(merges)
        layout.addWidget(self._tabs, 1)
        return page

    def _section_table(self, section: Section, model: RecordTableModel) -> QTableView:
        table = list_table(model, show_grid=True)
        table.horizontalHeader().setDefaultSectionSize(110)
        if section is Section.VISITS:
            table.setToolTip(tr("双击打开拜访记录"))
            table.activated.connect(self._on_visits_table_activated)
        if section is Section.NOTES:
            table.setToolTip(tr("双击打开洽谈记录"))
            table.activated.connect(self._on_notes_table_activated)
        return table

    def _action(
        self, parent: QWidget, text: str, tip: str, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(text, parent)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build_merge_notice(self, parent: QWidget) -> QLabel:
        notice = QLabel(parent)
        notice.setWordWrap(True)
        notice.setStyleSheet(
            "background: #eef3f9; color: #1f3b5b; border-radius: 4px; padding: 6px 8px;"
        )
        notice.hide()
        self._undo_merge = QPushButton(tr("撤销合并"), parent)
        self._undo_merge.setToolTip(tr("把并入的企业及其记录恢复原样"))
        self._undo_merge.clicked.connect(self._on_undo_merge_clicked)
        self._undo_merge.hide()
        return notice

    def _show_merges(self, dossier: Dossier) -> None:
        merges = dossier.merges
        self._merges.setVisible(bool(merges))
        self._undo_merge.setVisible(bool(merges))
        if merges:
            latest = merges[0]
            self._merges.setText(
                tr(
                    "“{name}”已于 {date} 并入这家企业。",
                    name=latest.merged_name,
                    date=format_date(latest.merged_at.astimezone().date()),
                )
            )

    def _build_form(self) -> KeyValueForm:
        form = KeyValueForm()
        form.add_section(tr("基本信息"))
        form.add_row("uscc", tr("统一社会信用代码"))
        form.add_row("region", tr("地区"))
        form.add_row("industry", tr("行业"))
        form.add_row("capital", tr("注册资本"))
        form.add_row("legal", tr("法定代表人"))
        form.add_row("founded", tr("成立日期"))
        form.add_row("headquarters", tr("总部"))
        form.add_row("address", tr("地址"))
        form.add_row("squad", tr("小分队"))
        form.add_row("owner", tr("包抓责任人"))
        form.add_row("tags", tr("标签"))
        form.add_section(tr("投资意向与要素需求"))
        form.add_row("intent", tr("投资意向"))
        form.add_row("intent_level", tr("意向强度"))
        form.add_row("land", tr("用地（亩）"))
        form.add_row("water", tr("用水"))
        form.add_row("power", tr("用电"))
        form.add_row("workforce", tr("用工（人）"))
        form.add_row("site", tr("选址偏好"))
        form.add_section(tr("荣誉与产业链"))
        form.add_row("honours", tr("荣誉"))
        form.add_row("links", tr("产业链环节"))
        form.add_section(tr("企业简介"))
        form.add_row("profile", tr("简介"))
        return form

    def _fill_form(self, dossier: Dossier) -> None:
        e: EnterpriseDetail = dossier.enterprise
        values = {
            "uscc": e.uscc or "",
            "region": e.region_name,
            "industry": e.industry_name,
            "capital": format_money(e.registered_capital),
            "legal": e.legal_representative,
            "founded": format_date(e.founded_on),
            "headquarters": e.headquarters,
            "address": e.address,
            "squad": e.squad_name,
            "owner": e.owner_name,
            "tags": join_names(e.tags),
            "intent": e.investment_intent,
            "intent_level": intent_level_text(e.intent_level),
            "land": format_decimal(e.land_mu),
            "water": e.water_need,
            "power": e.power_need,
            "workforce": "" if e.workforce_need is None else str(e.workforce_need),
            "site": e.site_preference,
            "honours": honours_text(dossier.honours),
            "links": links_text(dossier.links),
            "profile": e.profile,
        }
        for key, text in values.items():
            self._form.set_value(key, text)

    # -- handlers --------------------------------------------------------------------------------

    def _current_id(self) -> str | None:
        return self._dossier.enterprise.id if self._dossier is not None else None

    def _on_edit_clicked(self) -> None:
        if (enterprise_id := self._current_id()) is not None:
            self.edit_requested.emit(enterprise_id)

    def _on_visit_clicked(self) -> None:
        if (enterprise_id := self._current_id()) is not None:
            self.visit_requested.emit(enterprise_id)

    def _on_note_clicked(self) -> None:
        if (enterprise_id := self._current_id()) is not None:
            self.note_requested.emit(enterprise_id, "")

    def _on_history_clicked(self) -> None:
        self.request_history()

    def request_history(self) -> None:
        """Ask (by ``history_requested``) for the shown enterprise's change history."""
        if (enterprise_id := self._current_id()) is not None:
            self.history_requested.emit(ENTERPRISE_TABLE, enterprise_id)

    def _on_duplicates_merge_requested(self, other_id: str) -> None:
        if (enterprise_id := self._current_id()) is not None:
            self.merge_requested.emit(enterprise_id, other_id)

    def _on_undo_merge_clicked(self) -> None:
        if self._dossier is not None and self._dossier.merges:
            latest = self._dossier.merges[0]
            self.undo_merge_requested.emit(latest.survivor_id, latest.merged_id)

    def _on_notes_table_activated(self, index: QModelIndex) -> None:
        enterprise_id = self._current_id()
        if index.isValid() and enterprise_id is not None:
            note = self._models[Section.NOTES].row_at(index.row())
            self.note_requested.emit(enterprise_id, note.id)

    def request_delete(self) -> None:
        """Ask (by ``delete_requested``) for the shown enterprise to be deleted."""
        if self._dossier is not None:
            enterprise = self._dossier.enterprise
            self.delete_requested.emit(enterprise.id, enterprise.name)

    def _on_visits_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.visit_activated.emit(self._models[Section.VISITS].row_at(index.row()).id)
