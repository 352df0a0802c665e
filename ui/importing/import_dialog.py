"""导入企业名单: a wizard over ``EnterpriseImportService``.

选择文件 → 对应列 (file column → field, detected from the headers) → 预览 (first rows with the
cells that would be refused marked, counts, 跳过/更新 已有企业) → 导入 on the task runner with
progress → 结果 (counts, the rows not imported with reasons, 导出未导入行…, 撤销本次导入).
``import_finished(int)`` carries how many enterprises were created or updated, so pages reload.
Opened with ``open()`` (window-modal, no nested event loop).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import mark, tr
from app.services.enterprise_import_views import (
    ImportPreview,
    ImportResult,
    OnDuplicate,
    UndoImportResult,
)
from ui.importing.import_history_dialog import ImportHistoryDialog
from ui.importing.mapping_editor import MappingEditor
from ui.importing.preview_page import PreviewPage
from ui.importing.result_page import ResultPage
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.enterprise_import import EnterpriseImportService

OpenChooser = Callable[[QWidget], Path | None]
SaveChooser = Callable[[QWidget, str], Path | None]
_ERROR_STYLE = "color: #b3261e;"


def choose_list_file(parent: QWidget) -> Path | None:
    """Ask for the list file (the tests put their own chooser in its place)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        tr("选择企业名单"),
        "",
        tr("企业名单 (*.xlsx *.xlsm *.csv);;所有文件 (*)"),
    )
    return Path(name) if name else None


def choose_rejected_file(parent: QWidget, suggested: str) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent, tr("导出未导入的行"), suggested, tr("Excel 工作簿 (*.xlsx)")
    )
    return Path(name) if name else None


class Step(IntEnum):
    FILE = 0
    MAPPING = 1
    PREVIEW = 2
    RUNNING = 3
    RESULT = 4


STEP_TITLES = {
    Step.FILE: mark("第 1 步，共 3 步：选择企业名单文件"),
    Step.MAPPING: mark("第 2 步，共 3 步：核对每一列导入为哪一项"),
    Step.PREVIEW: mark("第 3 步，共 3 步：预览并导入"),
    Step.RUNNING: mark("正在导入…"),
    Step.RESULT: mark("导入完成"),
}


class _ProgressRelay(QObject):
    """Carries progress from the database thread to the dialog (a queued signal)."""

    progressed = Signal(int, int)


class EnterpriseImportDialog(QDialog):
    import_finished = Signal(int)  # enterprises created or updated
    import_undone = Signal(str)  # the message shown
    preview_loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        service: EnterpriseImportService,
        runner: TaskRunner,
        parent: QWidget | None = None,
        path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("导入企业名单"))
        self.resize(980, 640)
        self._service = service
        self._runner = runner
        self._path: Path | None = None
        self._preview: ImportPreview | None = None
        self._result: ImportResult | None = None
        self._busy = False
        self.choose_file: OpenChooser = choose_list_file
        self.choose_rejected_file: SaveChooser = choose_rejected_file
        self._relay = _ProgressRelay(self)
        self._relay.progressed.connect(self._on_progressed)

        self.step_title = QLabel(self)
        self.step_title.setStyleSheet("font-size: 15px; font-weight: bold; color: #1f3b5b;")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.preview_page = PreviewPage(self)
        self.pages.addWidget(self.preview_page)
        self.pages.addWidget(self._running_page())
        self.result_page = ResultPage(self)
        self.result_page.export_requested.connect(self._on_result_page_export_requested)
        self.result_page.undo_requested.connect(self._on_result_page_undo_requested)
        self.pages.addWidget(self.result_page)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.hide()

        self.history_button = QPushButton(tr("以前的导入…"), self)
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.back_button = QPushButton(tr("上一步"), self)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button = QPushButton(tr("下一步"), self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.close_button = QPushButton(tr("取消"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_title)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._show_step(Step.FILE)
        if path is not None:
            self.load_file(path)

    # -- public ----------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return Step(self.pages.currentIndex())

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    @property
    def import_result(self) -> ImportResult | None:
        return self._result

    def load_file(self, path: Path) -> None:
        """Read ``path`` and go on to the mapping step (on the task runner)."""
        self._path = path
        self.file_label.setText(str(path))
        self._load_preview(None, Step.MAPPING)

    def set_on_duplicate(self, choice: OnDuplicate) -> None:
        self.preview_page.set_on_duplicate(choice)

    # -- pages -----------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            tr(
                "选择一份企业名单：Excel 工作簿（.xlsx、.xlsm）或 CSV 文件（UTF-8 或 GBK 编码）。"
                "第一行（或标题行下面的一行）应是表头，如“企业名称”“统一社会信用代码”"
                "“所属行业”“注册资本（万元）”“联系人”；认得的表头会自动对应，下一步可以修改。"
                "旧版 .xls 文件请先在 Excel 或 WPS 中另存为 .xlsx。"
            ),
            page,
        )
        intro.setWordWrap(True)
        self.choose_button = QPushButton(tr("选择文件…"), page)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.file_label = QLabel(tr("尚未选择文件"), page)
        self.file_label.setStyleSheet("color: #5f6b7a;")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget(self)
        self.mapping_hint = QLabel(page)
        self.mapping_hint.setWordWrap(True)
        self.mapping_editor = MappingEditor(page)
        self.mapping_notes = QLabel(page)
        self.mapping_notes.setWordWrap(True)
        self.mapping_notes.setStyleSheet("color: #8a5a00;")
        self.mapping_editor.mapping_changed.connect(self._on_mapping_editor_mapping_changed)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mapping_hint)
        layout.addWidget(self.mapping_editor, 1)
        layout.addWidget(self.mapping_notes)
        return page

    def _running_page(self) -> QWidget:
        page = QWidget(self)
        self.progress_label = QLabel(tr("正在导入，请稍候…"), page)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 0)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        return page

    # -- steps -----------------------------------------------------------------------------------

    def _show_step(self, step: Step) -> None:
        self.pages.setCurrentIndex(step)
        self.step_title.setText(tr(STEP_TITLES[step]))
        self.back_button.setVisible(step in (Step.MAPPING, Step.PREVIEW))
        self.next_button.setVisible(step in (Step.FILE, Step.MAPPING, Step.PREVIEW))
        self.history_button.setVisible(step is Step.FILE)
        self.next_button.setText(tr("导入") if step is Step.PREVIEW else tr("下一步"))
        self.close_button.setText(tr("完成") if step is Step.RESULT else tr("取消"))
        self.close_button.setEnabled(step is not Step.RUNNING)
        self._update_next()

    def _update_next(self) -> None:
        step = self.step
        if self._busy:
            enabled = False
        elif step is Step.FILE:
            enabled = self._path is not None
        elif step is Step.MAPPING:
            enabled = self.mapping_editor.mapping.has_name
        elif step is Step.PREVIEW:
            enabled = self._preview is not None and self._preview.can_import
        else:
            enabled = False
        self.next_button.setEnabled(enabled)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.choose_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self._update_next()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _load_preview(self, mapping: object, then: Step) -> None:
        path = self._path
        if path is None:
            return
        service = self._service
        self._show_error("")
        self._set_busy(True)
        chosen = self.mapping_editor.mapping if mapping is not None else None
        self._runner.submit(
            lambda _token: service.preview(path, chosen),
            on_success=lambda preview: self._on_preview_loaded(preview, then),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_preview_loaded(self, preview: ImportPreview, then: Step) -> None:
        self._set_busy(False)
        self._preview = preview
        if then is Step.MAPPING:
            self.mapping_editor.set_preview(preview)
            self.mapping_hint.setText(
                tr(
                    "“{file}”（{sheet}）第 {row} 行是表头，共 {count} 列。"
                    "请核对每一列导入为哪一项；选“不导入”的列将被忽略。",
                    file=preview.file_name,
                    sheet=preview.sheet_name,
                    row=preview.header_row,
                    count=len(preview.headers),
                )
            )
            self.mapping_notes.setText("\n".join(preview.notes))
        else:
            self.preview_page.set_preview(preview)
        self._show_step(then)
        self.preview_loaded.emit()

    def _on_failed(self, error: AppError) -> None:
        self._set_busy(False)
        if self.step is Step.RUNNING:
            self._show_step(Step.PREVIEW)
        self._show_error(str(error))
        self.failed.emit(str(error))

    # -- importing -------------------------------------------------------------------------------

    def _start_import(self) -> None:
        path = self._path
        if path is None or self._preview is None:
            return
        service = self._service
        mapping = self._preview.mapping
        on_duplicate = self.preview_page.on_duplicate
        emit = self._relay.progressed.emit
        counts = self._preview.counts
        total = counts.new + (counts.existing if on_duplicate is OnDuplicate.UPDATE else 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress_label.setText(tr("正在导入 {count} 行，请稍候…", count=f"{total:,}"))
        self._show_error("")
        self._set_busy(True)
        self._show_step(Step.RUNNING)
        self._runner.submit(
            lambda _token: service.run(path, mapping, on_duplicate, progress=emit),
            on_success=self._on_imported,
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_imported(self, result: ImportResult) -> None:
        self._set_busy(False)
        self._result = result
        self.result_page.set_result(result)
        self._show_step(Step.RESULT)
        self.import_finished.emit(result.imported)

    def _on_result_page_export_requested(self) -> None:
        result = self._result
        if result is None:
            return
        suggested = str(Path(result.file_name).with_suffix("")) + tr("（未导入的行）") + ".xlsx"
        target = self.choose_rejected_file(self, suggested)
        if target is None:
            return
        service = self._service
        self._runner.submit(
            lambda _token: service.export_rejected(result, target),
            on_success=self._on_rejected_exported,
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_rejected_exported(self, path: Path) -> None:
        self.result_page.set_message(tr("未导入的行已导出到“{path}”", path=str(path)))

    def _on_result_page_undo_requested(self) -> None:
        result = self._result
        if result is None or result.receipt_id is None:
            return
        receipt_id = result.receipt_id
        service = self._service
        self.result_page.undo_button.setEnabled(False)
        self._runner.submit(
            lambda _token: service.undo(receipt_id),
            on_success=self._on_undone,
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_undone(self, undone: UndoImportResult) -> None:
        self.result_page.set_message(undone.message)
        self.import_undone.emit(undone.message)

    # -- buttons ---------------------------------------------------------------------------------

    def _on_choose_button_clicked(self) -> None:
        path = self.choose_file(self)
        if path is not None:
            self.load_file(path)

    def _on_next_button_clicked(self) -> None:
        step = self.step
        if step is Step.FILE and self._path is not None:
            self.load_file(self._path)
        elif step is Step.MAPPING:
            self._load_preview(self.mapping_editor.mapping, Step.PREVIEW)
        elif step is Step.PREVIEW:
            self._start_import()

    def _on_back_button_clicked(self) -> None:
        self._show_error("")
        self._show_step(Step(self.step - 1))

    def _on_mapping_editor_mapping_changed(self) -> None:
        self._update_next()

    def _on_history_button_clicked(self) -> None:
        dialog = ImportHistoryDialog(self._service, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.import_undone.connect(self.import_undone)
        dialog.open()

    # -- closing ---------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.step is Step.RUNNING:
            return  # the import is one unit of work: it finishes (or fails) as a whole
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.step is Step.RUNNING:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.step is Step.RUNNING and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)
