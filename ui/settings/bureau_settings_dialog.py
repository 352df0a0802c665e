"""单位设置: the bureau's name (printed at the head of its reports) and its rules — evidence per
project gate, overdue thresholds, KPI formulas.

Everyone can read them (so a cadre sees why a move was refused or how 履约率 is computed);
only a bureau admin, or anyone on a laptop not signed in to a bureau, can change them. Saved
rules sync to every laptop of the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.bureau_rules import (
    BUREAU_NAME_MAX,
    EVIDENCE_KINDS,
    GATES,
    BureauRules,
    Cohort,
    KpiFormula,
    KpiKey,
)
from app.domain.errors import AppError, ValidationError
from app.domain.vocabulary import PIPELINE, AttachmentKind, ProjectStage
from app.i18n import mark, tr
from ui.task_runner import TaskRunner

if TYPE_CHECKING:
    from app.services.bureau_settings import BureauSettingsService

_WEEKDAYS = (
    mark("周一"),
    mark("周二"),
    mark("周三"),
    mark("周四"),
    mark("周五"),
    mark("周六"),
    mark("周日"),
)
_ERROR = "color: #b3261e;"
_MUTED = "color: #5f6b7a;"


@dataclass(frozen=True, slots=True)
class _Loaded:
    rules: BureauRules
    editable: bool


class _FormulaEditor(QWidget):
    """One KPI's formula: cohort, the stage that counts, options, and the formula as text."""

    changed = Signal()

    def __init__(self, key: KpiKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.cohort = QComboBox()
        for cohort in Cohort:
            self.cohort.addItem(cohort.label, cohort.value)
        self.reached = QComboBox()
        for stage in PIPELINE[3:]:
            self.reached.addItem(tr("已到“{stage}”", stage=stage.label), stage.value)
        self.or_funded = QCheckBox(tr("已有实际到资的也计入"))
        self.exclude_terminated = QCheckBox(tr("分母不含已解约的项目"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setStyleSheet(_MUTED)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow(tr("统计范围"), self.cohort)
        if key is not KpiKey.FUNDING:
            form.addRow(tr("计入分子"), self.reached)
            form.addRow("", self.or_funded)
        form.addRow("", self.exclude_terminated)
        form.addRow(tr("口径"), self.text)
        for combo in (self.cohort, self.reached):
            combo.currentIndexChanged.connect(self._on_any_changed)
        for box in (self.or_funded, self.exclude_terminated):
            box.toggled.connect(self._on_any_changed)

    def show_formula(self, formula: KpiFormula) -> None:
        self.cohort.setCurrentIndex(self.cohort.findData(formula.cohort.value))
        if formula.reached is not None:
            self.reached.setCurrentIndex(self.reached.findData(formula.reached.value))
        self.or_funded.setChecked(formula.or_funded)
        self.exclude_terminated.setChecked(formula.exclude_terminated)
        self.text.setText(formula.describe())

    def formula(self) -> KpiFormula:
        reached: ProjectStage | None = None
        if self.key is not KpiKey.FUNDING:
            reached = ProjectStage(self.reached.currentData())
        return KpiFormula(
            key=self.key,
            cohort=Cohort(self.cohort.currentData()),
            reached=reached,
            or_funded=self.key is not KpiKey.FUNDING and self.or_funded.isChecked(),
            exclude_terminated=self.exclude_terminated.isChecked(),
        )

    def _on_any_changed(self) -> None:
        self.text.setText(self.formula().describe())
        self.changed.emit()


class BureauSettingsDialog(QDialog):
    """Shows the bureau's rules and, for those who may, edits them."""

    saved = Signal(object)  # the BureauRules now in force

    def __init__(
        self, service: BureauSettingsService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._rules = BureauRules()
        self.setWindowTitle(tr("单位设置"))
        self.setMinimumSize(680, 400)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(_MUTED)
        self.bureau_name = QLineEdit()
        self.bureau_name.setMaxLength(BUREAU_NAME_MAX)
        self.bureau_name.setPlaceholderText(tr("如：江淮市投资促进局"))
        self.bureau_name.setToolTip(tr("印在拜访纪要、快报等报表的抬头"))
        name_row = QFormLayout()
        name_row.addRow(tr("单位名称"), self.bureau_name)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_evidence(), tr("证据要求"))
        self.tabs.addTab(self._build_deadlines(), tr("督办期限"))
        self.tabs.addTab(self._build_formulas(), tr("指标口径"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.defaults_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setText(tr("恢复默认"))
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self._on_defaults_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(name_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._set_editable(False)
        self.notice.setText(tr("正在读取单位设置…"))
        runner.submit(
            lambda _token: _Loaded(service.rules(), service.can_edit()),
            self._on_loaded,
            self._on_failed,
            owner=self,
        )

    # -- building ------------------------------------------------------------------------------

    def _build_evidence(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        explain = QLabel(
            tr(
                "项目推进到某一阶段前，必须先上传所勾选的证据材料；跳过阶段时，途经各阶段的要求都要满足。"
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet(_MUTED)
        grid.addWidget(explain, 0, 0, 1, len(EVIDENCE_KINDS) + 1)
        for column, kind in enumerate(EVIDENCE_KINDS, start=1):
            grid.addWidget(QLabel(kind.label), 1, column, Qt.AlignmentFlag.AlignCenter)
        self.evidence_boxes: dict[tuple[ProjectStage, AttachmentKind], QCheckBox] = {}
        for row, gate in enumerate(GATES, start=2):
            grid.addWidget(QLabel(tr("进入“{stage}”", stage=gate.label)), row, 0)
            for column, kind in enumerate(EVIDENCE_KINDS, start=1):
                box = QCheckBox()
                box.setAccessibleName(tr("{stage}：{kind}", stage=gate.label, kind=kind.label))
                grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignCenter)
                self.evidence_boxes[(gate, kind)] = box
        grid.setRowStretch(len(GATES) + 2, 1)
        return page

    def _build_deadlines(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.not_started = self._months(60)
        self.unfulfilled = self._months(60)
        self.not_producing = self._months(120)
        self.quiet_days = QSpinBox()
        self.quiet_days.setRange(1, 3650)
        self.quiet_days.setSuffix(tr(" 天"))
        self.week_start = QComboBox()
        for number, name in enumerate(_WEEKDAYS, start=1):
            self.week_start.addItem(tr(name), number)
        form.addRow(tr("签约后未开工，超过"), self.not_started)
        form.addRow(tr("签约后未履约（三未），超过"), self.unfulfilled)
        form.addRow(tr("开工后未建成投产（三未），超过"), self.not_producing)
        form.addRow(tr("产业链环节无拜访，超过"), self.quiet_days)
        form.addRow(tr("每周从哪天开始"), self.week_start)
        self.deadline_fields: dict[str, QWidget] = {
            "not_started_months": self.not_started,
            "unfulfilled_months": self.unfulfilled,
            "not_producing_months": self.not_producing,
            "link_quiet_days": self.quiet_days,
            "week_start": self.week_start,
        }
        return page

    def _months(self, most: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, most)
        box.setSuffix(tr(" 个月"))
        return box

    def _build_formulas(self) -> QWidget:
        page = QTabWidget()
        self.formula_editors: dict[KpiKey, _FormulaEditor] = {}
        for key in KpiKey:
            editor = _FormulaEditor(key)
            page.addTab(editor, key.label)
            self.formula_editors[key] = editor
        return page

    # -- values --------------------------------------------------------------------------------

    def show_rules(self, rules: BureauRules) -> None:
        self._rules = rules
        self.bureau_name.setText(rules.bureau_name)
        for (gate, kind), box in self.evidence_boxes.items():
            box.setChecked(kind in rules.evidence.get(gate, ()))
        self.not_started.setValue(rules.not_started_months)
        self.unfulfilled.setValue(rules.unfulfilled_months)
        self.not_producing.setValue(rules.not_producing_months)
        self.quiet_days.setValue(rules.link_quiet_days)
        self.week_start.setCurrentIndex(self.week_start.findData(rules.week_start))
        for key, editor in self.formula_editors.items():
            editor.show_formula(rules.formula(key))

    def rules_shown(self) -> BureauRules:
        evidence = {
            gate: tuple(
                kind for kind in EVIDENCE_KINDS if self.evidence_boxes[(gate, kind)].isChecked()
            )
            for gate in GATES
        }
        rules = replace(
            self._rules,
            bureau_name=self.bureau_name.text().strip(),
            evidence={gate: kinds for gate, kinds in evidence.items() if kinds},
            not_started_months=self.not_started.value(),
            unfulfilled_months=self.unfulfilled.value(),
            not_producing_months=self.not_producing.value(),
            link_quiet_days=self.quiet_days.value(),
            week_start=int(self.week_start.currentData()),
        )
        for editor in self.formula_editors.values():
            rules = rules.with_formula(editor.formula())
        return rules

    def _set_editable(self, editable: bool) -> None:
        self.bureau_name.setEnabled(editable)
        for widget in self.tabs.findChildren(QWidget):
            if isinstance(widget, (QCheckBox, QComboBox, QSpinBox)):
                widget.setEnabled(editable)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(editable)
        self.defaults_button.setEnabled(editable)

    # -- handlers ------------------------------------------------------------------------------

    def _on_loaded(self, loaded: _Loaded) -> None:
        self.show_rules(loaded.rules)
        self._set_editable(loaded.editable)
        self.notice.setText(
            tr("这些规则同步到全单位的每台电脑。")
            if loaded.editable
            else tr("只有单位管理员可以修改单位设置；这里列出全单位正在执行的规则。")
        )

    def _on_defaults_clicked(self) -> None:
        """The default rules; the bureau's name is not a rule and stays."""
        self.show_rules(replace(BureauRules(), bureau_name=self.bureau_name.text()))

    def _on_save_clicked(self) -> None:
        rules = self.rules_shown()
        self.error.hide()
        self.buttons.setEnabled(False)
        self._runner.submit(
            lambda _token: self._service.save(rules), self._on_saved, self._on_failed, owner=self
        )

    def _on_saved(self, rules: Any) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(rules)
        self.accept()

    def _on_failed(self, error: AppError) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(str(error))
        self.error.show()
        if isinstance(error, ValidationError) and error.field == "bureau_name":
            self.bureau_name.setFocus()
        elif isinstance(error, ValidationError):
            field = self.deadline_fields.get(error.field)
            if field is not None:
                self.tabs.setCurrentIndex(1)
                field.setFocus()
