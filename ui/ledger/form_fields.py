"""The parts both ledger dialogs are built of: a field with its error line beneath, a date that
may be 无期限, and the enterprise picker with a project combo that follows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.errors import AppError, ValidationError
from app.i18n import tr
from app.services.negotiation_views import ProjectChoice
from app.services.visit_choices import VisitChoices
from app.services.visit_views import EnterpriseChoice
from ui.formatting import qdate
from ui.negotiations.typed_date_edit import TypedDateEdit
from ui.task_runner import TaskRunner
from ui.visits.enterprise_picker import EnterprisePicker

ERROR_STYLE = "color: #b3261e;"


class FieldErrors:
    """Error lines under the fields of a form, by the field name a ``ValidationError`` uses;
    anything else goes to the form's general line."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._lines: dict[str, tuple[QLabel, QWidget]] = {}

    def wrap(self, field: str, widget: QWidget, parent: QWidget) -> QWidget:
        """``widget`` with an (empty, hidden) error line beneath, for a form row."""
        box = QWidget(parent)
        box.setSizePolicy(widget.sizePolicy())  # a fixed-height field keeps its row short
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        line = QLabel(box)
        line.setStyleSheet(ERROR_STYLE)
        line.setWordWrap(True)
        line.hide()
        layout.addWidget(line)
        self._lines[field] = (line, widget)
        return box

    def line(self, field: str) -> QLabel:
        return self._lines[field][0]

    def show(self, error: AppError) -> None:
        """Name the problem under its field (focused), or on the general line."""
        self.clear()
        field = error.field if isinstance(error, ValidationError) else ""
        if field in self._lines:
            line, widget = self._lines[field]
            line.setText(error.message)
            line.show()
            widget.setFocus()
        else:
            self._general.setText(error.message)

    def show_text(self, field: str, message: str) -> None:
        line = self._lines[field][0]
        line.setText(message)
        line.setVisible(bool(message))

    def clear(self) -> None:
        self._general.clear()
        for line, _widget in self._lines.values():
            line.clear()
            line.hide()

    @property
    def messages(self) -> dict[str, str]:
        """What is shown now, by field ("" for the general line)."""
        shown = {field: line.text() for field, (line, _w) in self._lines.items() if line.text()}
        if self._general.text():
            shown[""] = self._general.text()
        return shown


class OptionalDateEdit(QWidget):
    """A typed date with a 无期限 box beside it; ``value()`` is None when that box is ticked."""

    def __init__(self, parent: QWidget | None = None, *, none_text: str = "") -> None:
        super().__init__(parent)
        self.date_edit = TypedDateEdit(self)
        self.none_check = QCheckBox(none_text or tr("无期限"), self)
        self.none_check.toggled.connect(self._on_none_check_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.none_check)
        layout.addStretch(1)
        self.setFocusProxy(self.date_edit)

    def value(self) -> dt.date | None:
        if self.none_check.isChecked():
            return None
        day = self.date_edit.date().toPython()
        assert isinstance(day, dt.date)
        return day

    def set_value(self, day: dt.date | None, default: dt.date | None = None) -> None:
        """Show ``day``; for None tick 无期限 (the date box keeps ``default`` for an untick)."""
        shown = day or default
        if shown is not None:
            self.date_edit.setDate(qdate(shown))
        self.none_check.setChecked(day is None)

    def _on_none_check_toggled(self, checked: bool) -> None:
        self.date_edit.setEnabled(not checked)


class EnterpriseProjectFields(QObject):
    """The enterprise picker of the visit form and a project combo that offers the chosen
    enterprise's projects (first line: 不关联项目)."""

    projects_loaded = Signal()
    enterprise_changed = Signal()

    def __init__(
        self,
        choices: VisitChoices,
        projects_of: Callable[[str], tuple[ProjectChoice, ...]],
        runner: TaskRunner,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._projects_of = projects_of
        self._runner = runner
        self._wanted_project: str | None = None
        self._loading = False
        self.picker = EnterprisePicker(choices, runner, parent)
        self.picker.enterprise_chosen.connect(self._on_picker_enterprise_chosen)
        self.project_combo = QComboBox(parent)
        self.project_combo.setMinimumContentsLength(24)
        self._fill_projects(())

    @property
    def enterprise_id(self) -> str | None:
        chosen = self.picker.chosen
        return chosen.id if chosen is not None else None

    @property
    def project_id(self) -> str | None:
        if self._loading:
            return self._wanted_project  # what the combo is about to show
        value = self.project_combo.currentData()
        return str(value) if value else None

    def set_enterprise(self, enterprise_id: str, name: str, project_id: str | None = None) -> None:
        """Start from a known enterprise (editing) and select ``project_id`` once its projects
        are read."""
        self.picker.set_chosen(EnterpriseChoice(enterprise_id, name, "", ""))
        self._load_projects(enterprise_id, project_id)

    def set_locked(self, locked: bool, why: str = "") -> None:
        for widget in (self.picker, self.project_combo):
            widget.setEnabled(not locked)
            widget.setToolTip(why if locked else "")

    def _on_picker_enterprise_chosen(self, enterprise: EnterpriseChoice) -> None:
        self.enterprise_changed.emit()
        self._load_projects(enterprise.id, None)

    def _load_projects(self, enterprise_id: str, project_id: str | None) -> None:
        self._wanted_project = project_id
        self._loading = True
        projects_of = self._projects_of
        self._runner.submit(
            lambda _token: projects_of(enterprise_id),
            lambda found: self._on_projects_found(enterprise_id, found),
            self._on_projects_failed,
            owner=self,
        )

    def _on_projects_found(self, enterprise_id: str, found: tuple[ProjectChoice, ...]) -> None:
        if enterprise_id != self.enterprise_id:
            return  # another enterprise was picked meanwhile
        self._loading = False
        self._fill_projects(found)
        index = self.project_combo.findData(self._wanted_project) if self._wanted_project else 0
        self.project_combo.setCurrentIndex(max(index, 0))
        self.projects_loaded.emit()

    def _on_projects_failed(self, _error: AppError) -> None:
        self._loading = False  # the combo offers 不关联项目 only; saving names the problem

    def _fill_projects(self, projects: tuple[ProjectChoice, ...]) -> None:
        self.project_combo.clear()
        self.project_combo.addItem(tr("（不关联项目）"), "")
        for project in projects:
            self.project_combo.addItem(project.name, project.id)
