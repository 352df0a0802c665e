"""The dossier editor (编辑企业档案 / 新建企业): every field, contacts, honours, links, files.

Keyboard first: Tab walks the fields, Alt+1…Alt+5 jump between pages, Ctrl+S saves everything
in one unit of work (fields, contacts, honours and chain links together — or nothing, with the
problem shown under the field that is wrong and the focus on it), Esc cancels (asking first,
in a bar, only when something was changed). Attachments are the exception: a dropped file is
stored at once (it is a file, not typing), so they need a saved enterprise to attach to.

Unsaved typing is kept in the local database at most two seconds behind (``editor_draft``),
so a crash loses nothing: the next edit of the same enterprise offers it back.

While the name or USCC is typed, enterprises that look the same are looked up (debounced, on
the task runner) and named in a bar with 打开 and, when editing, 合并….
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.errors import AppError, ValidationError
from app.i18n import tr
from app.services.enterprise_views import DuplicateCandidate, EditContext
from ui.enterprises.contacts_editor import ContactsEditor
from ui.enterprises.discard_bar import DiscardBar
from ui.enterprises.duplicate_bar import DuplicateBar
from ui.enterprises.editor_draft import DraftBar, DraftKeeper, parse_draft
from ui.enterprises.editor_pages import CONTACTS_TAB, IDENTITY_TAB, PAGE_COUNT, EditorPages
from ui.enterprises.enterprise_fields import EnterpriseFields
from ui.enterprises.field_grid import ERROR_STYLE
from ui.enterprises.honours_editor import HonoursEditor, LinksEditor
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.attachment_strip import AttachmentStrip
from ui.widgets.form_keys import claims_form_key, is_escape_key, is_save_key

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.enterprises import EnterpriseService

DUPLICATE_CHECK_MS = 400


class EnterpriseEditor(QWidget):
    """Edits one enterprise (or a new one); tells the page by signal when it is done."""

    opened = Signal(str)  # enterprise id, "" for a new one, once the fields are filled
    saved = Signal(str)  # enterprise id
    cancelled = Signal()
    enterprise_activated = Signal(str)  # 打开 on a duplicate
    merge_requested = Signal(str, str)  # this enterprise, the duplicate
    duplicates_shown = Signal(int)  # how many look-alikes the bar names (0: bar hidden)
    save_state_changed = Signal(str, str)  # "saving" | "saved" | "failed", message

    def __init__(
        self,
        service: EnterpriseService,
        attachments: AttachmentService,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._context: EditContext | None = None
        self._enterprise_id: str | None = None
        self._saving = False
        self._merge_after_save: str | None = None
        self._kept: dict[str, Any] | None = None
        self._duplicate_token: CancelToken | None = None
        self._duplicate_timer = QTimer(self)
        self._duplicate_timer.setSingleShot(True)
        self._duplicate_timer.setInterval(DUPLICATE_CHECK_MS)
        self._duplicate_timer.timeout.connect(self._on_duplicate_timer_timeout)

        self._pages = EditorPages(attachments, runner, self)
        self._pages.fields.identity_edited.connect(self._duplicate_timer.start)
        self._duplicates = DuplicateBar(self)
        self._duplicates.open_requested.connect(self.enterprise_activated)
        self._duplicates.merge_requested.connect(self._on_duplicates_merge_requested)
        self._draft = DraftKeeper(service, runner, self._draft_snapshot, self)
        self._pages.edited.connect(self._draft.touch)
        self._draft_bar = DraftBar(self)
        self._draft_bar.restore_clicked.connect(self._on_draft_bar_restore_clicked)
        self._draft_bar.discard_clicked.connect(self._on_draft_bar_discard_clicked)
        self._discard_bar = DiscardBar(self)
        self._discard_bar.discard_clicked.connect(self._discard)
        self._build()
        self._bind_keys()

    # -- public ----------------------------------------------------------------------------------

    @property
    def enterprise_id(self) -> str | None:
        return self._enterprise_id

    @property
    def fields(self) -> EnterpriseFields:
        return self._pages.fields

    @property
    def contacts_editor(self) -> ContactsEditor:
        return self._pages.contacts

    @property
    def honours_editor(self) -> HonoursEditor:
        return self._pages.honours

    @property
    def links_editor(self) -> LinksEditor:
        return self._pages.links

    @property
    def attachment_strip(self) -> AttachmentStrip:
        return self._pages.strip

    @property
    def pages(self) -> EditorPages:
        return self._pages

    @property
    def duplicate_bar(self) -> DuplicateBar:
        return self._duplicates

    @property
    def draft_bar(self) -> DraftBar:
        return self._draft_bar

    @property
    def discard_bar_visible(self) -> bool:
        return not self._discard_bar.isHidden()

    @property
    def problem_text(self) -> str:
        return self._problem.text() if not self._problem.isHidden() else ""

    def open_new(self) -> None:
        self._load(None)

    def open_existing(self, enterprise_id: str) -> None:
        self._load(enterprise_id)

    def has_changes(self) -> bool:
        return self._context is not None and self._pages.has_changes()

    def keep_typing_now(self) -> None:
        """Keep the unsaved typing at once (the 2-second timer does it otherwise)."""
        self._draft.keep_now()

    def show_page(self, number: int) -> None:
        self._pages.show_page(number)

    def save(self) -> None:
        """Save everything typed (Ctrl+S); problems are shown at the field that is wrong."""
        if self._context is None or self._saving:
            return
        self._problem.hide()
        self._pages.fields.clear_errors()
        if not self._pages.contacts.commit_pending():
            self._pages.setCurrentIndex(CONTACTS_TAB)
            return
        try:
            edit = self._pages.edit(self._enterprise_id)
        except ValidationError as error:
            self._show_problem(error)
            return
        if edit is None:  # nothing changed: nothing to write
            self._on_saved(self._enterprise_id or "")
            return
        self._saving = True
        self._draft.stop()  # the save removes the kept typing in its own unit of work
        self._status.setText(tr("正在保存…"))
        self.save_state_changed.emit("saving", "")
        service = self._service
        self._runner.submit(
            lambda _token: service.save(edit),
            on_success=self._on_saved,
            on_failure=self._on_save_failed,
            owner=self,
        )

    def cancel(self) -> None:
        """Esc: leave at once when nothing changed, else ask in the bar (Esc again discards)."""
        if self._discard_bar.isVisible() or not self.has_changes():
            self._discard()
        else:
            self._discard_bar.show()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the editor open (another page, the window closing): keep the typing now."""
        self._draft.keep_now()
        super().hideEvent(event)

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self._title = QLabel(self)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._title.setFont(font)
        self._status = QLabel(tr("Ctrl+S 保存 · Esc 取消 · Alt+1…5 切换页面"), self)
        self._status.setStyleSheet("color: #5f6b7a;")
        save = QPushButton(tr("保存"), self)
        save.setToolTip(tr("保存全部修改（Ctrl+S）"))
        save.clicked.connect(self.save)
        cancel = QPushButton(tr("取消"), self)
        cancel.setToolTip(tr("放弃修改，回到档案（Esc）"))
        cancel.clicked.connect(self.cancel)
        header = QHBoxLayout()
        header.addWidget(self._title, 1)
        header.addWidget(self._status)
        header.addWidget(cancel)
        header.addWidget(save)
        self._problem = QLabel(self)
        self._problem.setStyleSheet(ERROR_STYLE)
        self._problem.setWordWrap(True)
        self._problem.hide()
        self._loading = QLabel(tr("正在载入…"), self)
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(header)
        for bar in (self._discard_bar, self._draft_bar, self._duplicates, self._problem):
            layout.addWidget(bar)
        layout.addWidget(self._loading)
        layout.addWidget(self._pages, 1)
        self._pages.hide()

    def _bind_keys(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        bindings: list[tuple[QKeySequence, Any]] = []
        for number in range(PAGE_COUNT):
            bindings.append((QKeySequence(f"Alt+{number + 1}"), lambda n=number: self.show_page(n)))
        for keys, slot in bindings:
            shortcut = QShortcut(keys, self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def event(self, event: QEvent) -> bool:
        # Ctrl+S and Esc belong to the editor while it has focus (see ui/widgets/form_keys.py).
        return claims_form_key(event) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_save_key(event):
            event.accept()
            self.save()
        elif is_escape_key(event):
            event.accept()
            self.cancel()
        else:
            super().keyPressEvent(event)

    # -- loading ---------------------------------------------------------------------------------

    def _load(self, enterprise_id: str | None) -> None:
        self._enterprise_id = enterprise_id
        self._context = None
        self._title.setText(tr("新建企业") if enterprise_id is None else tr("编辑企业档案"))
        service = self._service
        self._runner.submit(
            lambda _token: service.edit_context(enterprise_id),
            on_success=self._on_context_loaded,
            on_failure=self._on_load_failed,
            owner=self,
        )

    def _on_context_loaded(self, context: EditContext) -> None:
        self._context = context
        self._pages.load(context, self._enterprise_id)
        if context.dossier is not None:
            self._title.setText(tr("编辑：{name}", name=context.dossier.enterprise.name))
            self._show_duplicates(context.dossier.duplicates)
        self._kept = parse_draft(context.draft)
        if self._kept is not None:
            self._draft_bar.offer(str(self._kept.get("kept_at", "")))
        self._draft.start(self._enterprise_id, stored=context.draft is not None)
        self._loading.hide()
        self._pages.show()
        self.show_page(IDENTITY_TAB)
        self.opened.emit(self._enterprise_id or "")

    def _on_load_failed(self, error: AppError) -> None:
        self._loading.setText(error.message)

    # -- saving ----------------------------------------------------------------------------------

    def _on_saved(self, enterprise_id: str) -> None:
        self._saving = False
        self._draft.stop()
        self._enterprise_id = enterprise_id
        self._status.setText(tr("已保存"))
        self.save_state_changed.emit("saved", "")
        self.saved.emit(enterprise_id)
        other, self._merge_after_save = self._merge_after_save, None
        if other is not None:
            self.merge_requested.emit(enterprise_id, other)

    def _on_save_failed(self, error: AppError) -> None:
        self._saving = False
        self._merge_after_save = None
        self._draft.start(self._enterprise_id)
        self._draft.keep_now()
        self._status.setText(tr("未保存"))
        self.save_state_changed.emit("failed", error.message)
        if isinstance(error, ValidationError):
            self._show_problem(error)
        else:
            self._problem.setText(error.message)
            self._problem.show()

    def _show_problem(self, error: ValidationError) -> None:
        if not self._pages.show_problem(error):
            self._problem.setText(error.message)
            self._problem.show()

    def _discard(self) -> None:
        self._duplicate_timer.stop()
        self._draft.discard()
        self.cancelled.emit()

    # -- kept typing -----------------------------------------------------------------------------

    def _draft_snapshot(self) -> dict[str, Any] | None:
        if self._saving or not self.has_changes():
            return None
        return self._pages.snapshot()

    def _on_draft_bar_restore_clicked(self) -> None:
        if self._kept is not None:
            self._pages.restore(self._kept)
            self._draft.touch()

    def _on_draft_bar_discard_clicked(self) -> None:
        self._kept = None
        self._draft.discard()
        self._draft.start(self._enterprise_id)

    # -- duplicates ------------------------------------------------------------------------------

    def _on_duplicate_timer_timeout(self) -> None:
        if self._duplicate_token is not None:
            self._duplicate_token.cancel()
        texts = self._pages.fields.raw_texts()
        name, uscc, exclude = texts["name"], texts["uscc"], self._enterprise_id
        service = self._service
        self._duplicate_token = self._runner.submit(
            lambda _token: tuple(service.find_duplicates(name, uscc, exclude)),
            on_success=self._show_duplicates,
            owner=self,
        )

    def _show_duplicates(self, candidates: tuple[DuplicateCandidate, ...]) -> None:
        self._duplicates.show_candidates(candidates, can_merge=self._enterprise_id is not None)
        self.duplicates_shown.emit(len(candidates))

    def _on_duplicates_merge_requested(self, other_id: str) -> None:
        """Merging starts from what is saved: unsaved typing is saved first, then merged."""
        if self._enterprise_id is None:
            return
        if self.has_changes():
            self._merge_after_save = other_id
            self.save()
        else:
            self.merge_requested.emit(self._enterprise_id, other_id)
