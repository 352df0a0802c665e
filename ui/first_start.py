"""First start on an empty database: offer demo data, and load it with a progress display."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.i18n import tr
from ui.task_runner import CancelToken, TaskRunner

if TYPE_CHECKING:
    from app.database.unit_of_work import Database

DEMO_SEED = 42
SERVER_RESULT = 2  # the dialog's result code for "连接单位服务器"


class FirstStartDialog(QDialog):
    """载入演示数据 / 连接单位服务器 / 从空白开始. Closing the dialog counts as starting blank."""

    demo_chosen = Signal()
    blank_chosen = Signal()
    server_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("欢迎使用 SquadDesk"))
        heading = QLabel(tr("数据库还是空的"), self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        text = QLabel(
            tr(
                "可以先载入一套演示数据（几百家虚构的企业、拜访、项目和任务）熟悉软件，"
                "也可以从空白开始录入真实数据，或者连接单位的同步服务器，下载本小分队的数据。\n"
                "演示数据只会载入空数据库，不会与真实数据混在一起。"
            ),
            self,
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.demo_button = QPushButton(tr("载入演示数据"), self)
        self.blank_button = QPushButton(tr("从空白开始"), self)
        self.server_button = QPushButton(tr("连接单位服务器"), self)
        self.server_button.clicked.connect(self._on_server_button_clicked)
        self.demo_button.setDefault(True)
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.server_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.blank_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.finished.connect(self._on_self_finished)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _on_server_button_clicked(self) -> None:
        self.done(SERVER_RESULT)

    def _on_self_finished(self, result: int) -> None:
        if result == SERVER_RESULT:
            self.server_chosen.emit()
        elif result == QDialog.DialogCode.Accepted:
            self.demo_chosen.emit()
        else:
            self.blank_chosen.emit()


class DemoLoader(QObject):
    """Fills an empty database with the small demo on the task runner, showing progress."""

    loaded = Signal(object)  # the generator's DemoSummary
    failed = Signal(str)
    _progressed = Signal(str, int, int)  # emitted on the worker thread, delivered queued

    def __init__(self, runner: TaskRunner, database: Database, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner = runner
        self._database = database
        self._parent_widget = parent
        self._dialog: QProgressDialog | None = None
        self._progressed.connect(self._on_self_progressed)

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return self._dialog

    def start(self) -> None:
        dialog = QProgressDialog(tr("正在载入演示数据…"), "", 0, 0, self._parent_widget)
        dialog.setWindowTitle(tr("载入演示数据"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(380)
        dialog.show()
        self._dialog = dialog
        database, report = self._database, self._progressed.emit

        def work(_token: CancelToken) -> Any:
            from app.demo.generator import DemoSize, build_demo

            return build_demo(database, DemoSize.SMALL, seed=DEMO_SEED, progress=report)

        self._runner.submit(work, self._on_demo_built, self._on_demo_failed, owner=self)

    def _on_self_progressed(self, label: str, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.setLabelText(label)
            self._dialog.setMaximum(max(total, 1))
            self._dialog.setValue(min(done, total))

    def _on_demo_built(self, summary: object) -> None:
        self._close_dialog()
        self.loaded.emit(summary)

    def _on_demo_failed(self, error: AppError) -> None:
        self._close_dialog()
        self.failed.emit(error.message)

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
