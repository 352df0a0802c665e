"""Photos and documents of one record as a strip of thumbnails: drop files, add, open, remove.

Files dropped on the strip (or chosen with 添加附件…) are copied into the data dir's blob store
and attached on the task runner. Double-click or Enter opens a copy with the file's own name;
Delete removes it with 撤销 in the bar underneath.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.message_bar import UndoMessageBar
from ui.widgets.thumbnails import THUMBNAIL_SIZE, load_thumbnail
from ui.widgets.undoable_delete import UndoableDelete

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService, AttachmentView

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AttachmentListModel(QAbstractListModel):
    """Attachments of one record with their thumbnails (a file icon until one is made)."""

    def __init__(self, file_icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[AttachmentView, ...] = ()
        self._icons: dict[str, QIcon] = {}
        self._file_icon = file_icon

    def set_rows(self, rows: tuple[AttachmentView, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_thumbnail(self, sha256: str, image: QImage) -> None:
        self._icons[sha256] = QIcon(QPixmap.fromImage(image))
        for row, view in enumerate(self._rows):
            if view.sha256 == sha256:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def has_thumbnail(self, sha256: str) -> bool:
        return sha256 in self._icons

    def row_at(self, row: int) -> AttachmentView:
        return self._rows[row]

    @property
    def rows(self) -> tuple[AttachmentView, ...]:
        return self._rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        view = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return view.filename
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(view.sha256, self._file_icon)
        if role == Qt.ItemDataRole.ToolTipRole:
            size = tr("{size} KB", size=f"{max(1, view.size // 1024):,}")
            if not view.available:
                return tr("{name}（{size}，尚未下载到本机）", name=view.filename, size=size)
            return tr("{name}（{size}）", name=view.filename, size=size)
        if role == ID_ROLE:
            return view.id
        return None


class AttachmentStrip(QWidget):
    """The attachments of one record; ``set_owner(table, None)`` until the record exists."""

    attachments_changed = Signal()

    def __init__(
        self, service: AttachmentService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._owner: tuple[str, str] | None = None
        self._owner_table = ""
        self.setAcceptDrops(True)
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._model = AttachmentListModel(file_icon, self)
        self._view = QListView(self)
        self._view.setModel(self._model)
        self._view.setViewMode(QListView.ViewMode.IconMode)
        self._view.setFlow(QListView.Flow.LeftToRight)
        self._view.setWrapping(False)
        self._view.setResizeMode(QListView.ResizeMode.Adjust)
        self._view.setMovement(QListView.Movement.Static)
        self._view.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self._view.setGridSize(QSize(THUMBNAIL_SIZE + 40, THUMBNAIL_SIZE + 36))
        self._view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._view.setFixedHeight(THUMBNAIL_SIZE + 56)
        self._view.setAcceptDrops(False)  # the strip takes the drop, not the view
        self._view.activated.connect(self._on_view_activated)
        self._view.setToolTip(tr("拖入照片或文件即可添加；回车打开，Delete 删除"))
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self._view)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._on_remove_shortcut_activated)

        self._hint = QLabel(self)
        self._hint.setStyleSheet("color: #7a8591;")
        self._add = QPushButton(tr("添加附件…"), self)
        self._add.setToolTip(tr("选择照片、扫描件或其他文件（也可直接拖入）"))
        self._add.clicked.connect(self._on_add_clicked)
        self._bar = UndoMessageBar(self)
        self._deletion = UndoableDelete(runner, self._bar, service.remove, service.restore, self)
        self._deletion.deleted.connect(self._on_deletion_changed)
        self._deletion.restored.connect(self._on_deletion_changed)
        self.file_dialog: QFileDialog | None = None

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._hint, 1)
        top.addWidget(self._add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._view)
        layout.addWidget(self._bar)
        self._update_hint()

    # -- public ----------------------------------------------------------------------------------

    @property
    def model(self) -> AttachmentListModel:
        return self._model

    @property
    def view(self) -> QListView:
        return self._view

    @property
    def message_bar(self) -> UndoMessageBar:
        return self._bar

    @property
    def hint_text(self) -> str:
        return self._hint.text()

    def set_owner(self, owner_table: str, owner_id: str | None) -> None:
        """Show this record's attachments; with no id yet, adding waits for the record."""
        self._owner_table = owner_table
        owner = (owner_table, owner_id) if owner_id else None
        if owner == self._owner:
            return
        self._owner = owner
        self._model.set_rows(())
        self._update_hint()
        if owner is not None:
            self.reload()

    def reload(self) -> None:
        if self._owner is None:
            return
        table, owner_id = self._owner
        service = self._service
        self._runner.submit(
            lambda _token: service.list_for(table, owner_id),
            on_success=lambda rows: self._on_rows_loaded((table, owner_id), rows),
            on_failure=self._on_failure,
            owner=self,
        )

    def add_files(self, paths: list[Path]) -> None:
        """Attach these files to the record (each its own unit of work, in order)."""
        if self._owner is None or not paths:
            return
        table, owner_id = self._owner
        service = self._service
        for path in paths:
            self._runner.submit(
                partial(_add_file, service, table, owner_id, path),
                on_success=self._on_file_added,
                on_failure=self._on_failure,
                owner=self,
            )

    # -- drag and drop ---------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._owner is not None and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event.mimeData().urls())
        if self._owner is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    # -- handlers --------------------------------------------------------------------------------

    def _on_rows_loaded(self, owner: tuple[str, str], rows: tuple[AttachmentView, ...]) -> None:
        if owner != self._owner:
            return  # the form moved on to another record meanwhile
        self._model.set_rows(rows)
        self._update_hint()
        service = self._service
        for view in rows:
            if not view.is_image or not view.available or self._model.has_thumbnail(view.sha256):
                continue
            source = service.path_of(view.sha256)
            cached = service.thumbnail_path(view.sha256, THUMBNAIL_SIZE)
            self._runner.submit(
                partial(_thumbnail, source, cached),
                on_success=partial(self._on_thumbnail_loaded, view.sha256),
                owner=self,
            )

    def _on_thumbnail_loaded(self, sha256: str, image: QImage | None) -> None:
        if image is not None:
            self._model.set_thumbnail(sha256, image)

    def _on_file_added(self, view: AttachmentView) -> None:
        if self._owner == (view.owner_table, view.owner_id):
            self.reload()
        self._bar.show_message(tr("已添加附件“{name}”", name=view.filename))
        self.attachments_changed.emit()

    def _on_deletion_changed(self, _attachment_id: str) -> None:
        self.reload()
        self.attachments_changed.emit()

    def _on_add_clicked(self) -> None:
        dialog = QFileDialog(self, tr("添加附件"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [
                tr("照片和扫描件 (*.jpg *.jpeg *.png *.gif *.bmp *.webp *.tif *.tiff *.pdf)"),
                tr("所有文件 (*)"),
            ]
        )
        dialog.filesSelected.connect(self._on_file_dialog_files_selected)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()

    def _on_file_dialog_files_selected(self, files: list[str]) -> None:
        self.file_dialog = None
        self.add_files([Path(name) for name in files])

    def _on_view_activated(self, index: QModelIndex) -> None:
        view = self._model.row_at(index.row())
        if not view.available:
            self._bar.show_message(
                tr("“{name}”还没有下载到本机，同步后即可打开", name=view.filename)
            )
            return
        self._runner.submit(
            partial(copy_to_open, self._service.path_of(view.sha256), view.filename),
            on_success=self._on_copy_made,
            owner=self,
        )

    def _on_copy_made(self, copy: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    def _on_remove_shortcut_activated(self) -> None:
        index = self._view.currentIndex()
        if index.isValid():
            view = self._model.row_at(index.row())
            self._deletion.delete(view.id, view.filename)

    def _on_failure(self, error: AppError) -> None:
        self._bar.show_message(error.message)

    def _update_hint(self) -> None:
        count = self._model.rowCount()
        if self._owner is None:
            text = tr("保存记录后即可添加照片和文件")
        elif count == 0:
            text = tr("暂无附件 — 把照片或扫描件拖到这里")
        else:
            text = tr("{count} 个附件", count=count)
        self._hint.setText(text)
        self._add.setEnabled(self._owner is not None)


def _add_file(
    service: AttachmentService, table: str, owner_id: str, path: Path, _token: CancelToken
) -> AttachmentView:
    return service.add_file(table, owner_id, path)


def copy_to_open(source: Path, filename: str, _token: CancelToken) -> Path:
    """A copy under the file's own name: the blob has no extension the system could go by."""
    copy = Path(tempfile.mkdtemp(prefix="squaddesk-")) / Path(filename).name
    shutil.copyfile(source, copy)
    return copy


def _thumbnail(source: Path, cached: Path, _token: CancelToken) -> QImage | None:
    return load_thumbnail(source, cached)


def _local_files(urls: list[QUrl]) -> list[Path]:
    paths = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    return [path for path in paths if path.is_file()]
