"""The reports page (报表): choose a report and what it covers, then 预览 / 打印 / 另存为 PDF /
导出 Excel.

- 一周一快报: a reporting week (the bureau's week start, ``BureauRules.week_start``) and a squad
  or the whole bureau; the week's figures are shown live below, with their definitions.
- 一月一调度: a month and a squad or the whole bureau.
- 一季一评比: a quarter (every squad is ranked).
- 出访前简报: one or several enterprises.

Reports are built by ``ReportService`` on the task runner (``ReportLauncher``); files are named
after the report and saved in the folder used last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import AppError
from app.domain.period import Period, PeriodKind
from app.i18n import tr
from app.services.figure_definitions import figure_definitions
from app.services.weekly_figures_views import (
    FigureDefinition,
    IsoWeek,
    SquadOption,
    WeeklyFigures,
)
from ui.dashboard.period_chooser import PeriodChooser
from ui.reports.enterprise_list_picker import EnterpriseListPicker
from ui.reports.report_files import ReportFolder, ReportFormat
from ui.reports.report_kinds import ReportKind
from ui.reports.report_launcher import ReportLauncher
from ui.reports.report_output import Build
from ui.reports.report_page_services import ReportPageServices
from ui.reports.week_picker import WeekPicker
from ui.reports.weekly_figures_view import WeeklyFiguresView
from ui.task_runner import CancelToken, TaskRunner
from ui.widgets.message_bar import UndoMessageBar

_MUTED = "color: #5f6b7a;"
KINDS = tuple(ReportKind)


@dataclass(frozen=True, slots=True)
class _Setup:
    """What the page loads when shown: the squads, the week start and the week's 口径."""

    squads: tuple[SquadOption, ...]
    week_start: int
    definitions: tuple[FigureDefinition, ...]


class ReportsPage(QWidget):
    """Every report in one place; the weekly figures live under 一周一快报."""

    enterprise_activated = Signal(str)
    figures_loaded = Signal(object)  # WeeklyFigures
    setup_loaded = Signal()  # squads and the bureau's week start are in the pickers

    def __init__(
        self,
        services: ReportPageServices,
        runner: TaskRunner,
        folder: ReportFolder | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._generation = 0
        self._figures: WeeklyFigures | None = None
        self.launcher = ReportLauncher(runner, folder or ReportFolder(), self)
        self.launcher.saved.connect(self._on_launcher_saved)
        self.launcher.printed.connect(self._on_launcher_printed)
        self.launcher.failed.connect(self._on_launcher_failed)
        self.launcher.busy_changed.connect(self._on_launcher_busy_changed)
        self._build(today)

    # -- public ----------------------------------------------------------------------------------

    @property
    def kind(self) -> ReportKind:
        return KINDS[self.kind_tabs.currentIndex()]

    @property
    def week(self) -> IsoWeek:
        return self.week_picker.week

    @property
    def figures(self) -> WeeklyFigures | None:
        return self._figures

    def choose_kind(self, kind: ReportKind) -> None:
        self.kind_tabs.setCurrentIndex(KINDS.index(kind))

    def set_week(self, week: IsoWeek) -> None:
        """Show ``week`` (the figures reload)."""
        self.week_picker.set_week(week)

    def refresh(self) -> None:
        """Reload the squads and the bureau's week start, then the figures."""
        reports, figures = self._services.reports, self._services.figures

        def load(_token: CancelToken) -> _Setup:
            return _Setup(reports.squads(), reports.week_start(), figures.definitions())

        self._submit(load, self._on_setup_loaded)

    def preview(self) -> None:
        """预览: build the chosen report and show it in a preview window."""
        build = self._report_build()
        if build is not None:
            self.launcher.preview(self.kind.label, build)

    def print_report(self) -> None:
        build = self._report_build()
        if build is not None:
            self.launcher.print_report(build)

    def save(self, kind: ReportFormat) -> None:
        build = self._report_build()
        if build is not None:
            self.launcher.save(build, kind)

    # -- building --------------------------------------------------------------------------------

    def _build(self, today: Callable[[], dt.date]) -> None:
        self.kind_tabs = QTabBar(self)
        self.kind_tabs.setDocumentMode(True)
        self.kind_tabs.setExpanding(False)
        for kind in KINDS:
            self.kind_tabs.addTab(kind.label)
        self.kind_tabs.currentChanged.connect(self._on_kind_tabs_changed)

        self.week_picker = WeekPicker(today, self)
        self.week_picker.week_changed.connect(self._on_week_picker_changed)
        self.month_chooser = self._period_chooser(PeriodKind.MONTH, today())
        self.quarter_chooser = self._period_chooser(PeriodKind.QUARTER, today())
        for chooser in (self.month_chooser, self.quarter_chooser):
            chooser.period_changed.connect(self._on_period_chooser_changed)
        brief_hint = QLabel(tr("在下方加入要出访的企业"), self)
        brief_hint.setStyleSheet(_MUTED)
        self.choices_stack = QStackedWidget(self)
        for widget in (self.week_picker, self.month_chooser, self.quarter_chooser, brief_hint):
            self.choices_stack.addWidget(_left_aligned(widget))
        self.squad_label = QLabel(tr("范围"), self)
        self.squad_combo = QComboBox(self)
        self.squad_combo.addItem(tr("全局（全部小分队）"), "")
        self.squad_combo.setMinimumContentsLength(12)
        self.squad_combo.currentIndexChanged.connect(self._on_squad_combo_changed)

        self.preview_button = self._button(tr("预览"), self.preview)
        self.print_button = self._button(tr("打印…"), self.print_report)
        self.pdf_button = self._button(tr("另存为 PDF…"), self._on_pdf_button_clicked)
        self.excel_button = self._button(tr("导出 Excel…"), self._on_excel_button_clicked)
        self.about_label = QLabel(self)
        self.about_label.setWordWrap(True)
        self.about_label.setStyleSheet(_MUTED)
        self.message_bar = UndoMessageBar(self)

        self.figures_view = WeeklyFiguresView(figure_definitions(), self)
        self.figures_view.enterprise_activated.connect(self.enterprise_activated)
        self.enterprises = EnterpriseListPicker(self._services.choices, self._runner, self)
        self.enterprises.chosen_changed.connect(self._on_enterprises_chosen_changed)
        self.content_stack = QStackedWidget(self)
        self.content_stack.addWidget(self.figures_view)
        self.summary_label = QLabel(self)  # the month and the quarter: what will be made
        self.summary_label.setStyleSheet("font-size: 16px; font-weight: 600; padding-top: 8px;")
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.content_stack.addWidget(self.summary_label)
        self.content_stack.addWidget(self.enterprises)

        choices = QHBoxLayout()
        choices.addWidget(self.choices_stack)
        choices.addStretch(1)
        choices.addWidget(self.squad_label)
        choices.addWidget(self.squad_combo)
        actions = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.pdf_button, self.excel_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.kind_tabs)
        layout.addLayout(choices)
        layout.addLayout(actions)
        layout.addWidget(self.about_label)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.content_stack, 1)
        self._show_kind()

    def _period_chooser(self, kind: PeriodKind, today: dt.date) -> PeriodChooser:
        chooser = PeriodChooser(today, self)
        chooser.kind_combo.hide()  # the report fixes the kind of period
        chooser.set_period(Period.containing(kind, today))
        return chooser

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- handlers --------------------------------------------------------------------------------

    def _on_kind_tabs_changed(self, _index: int) -> None:
        self._show_kind()

    def _on_week_picker_changed(self, _week: IsoWeek) -> None:
        self._reload_figures()

    def _on_squad_combo_changed(self, _index: int) -> None:
        self._reload_figures()
        self._update_summary()

    def _on_period_chooser_changed(self, _period: Period) -> None:
        self._update_summary()

    def _on_enterprises_chosen_changed(self, _chosen: object) -> None:
        self._update_actions()

    def _on_pdf_button_clicked(self) -> None:
        self.save(ReportFormat.PDF)

    def _on_excel_button_clicked(self) -> None:
        self.save(ReportFormat.XLSX)

    def _on_setup_loaded(self, setup: _Setup) -> None:
        keep = self.squad_combo.currentData()
        self.squad_combo.blockSignals(True)
        while self.squad_combo.count() > 1:
            self.squad_combo.removeItem(1)
        for squad in setup.squads:
            self.squad_combo.addItem(squad.name, squad.id)
        self.squad_combo.setCurrentIndex(max(self.squad_combo.findData(keep), 0))
        self.squad_combo.blockSignals(False)
        self.figures_view.set_definitions(setup.definitions)
        self.week_picker.blockSignals(True)
        self.week_picker.set_start(setup.week_start)
        self.week_picker.blockSignals(False)
        self._reload_figures()
        self.setup_loaded.emit()

    def _on_figures_loaded(self, figures: WeeklyFigures) -> None:
        self._figures = figures
        self.figures_view.show_figures(figures)
        self.figures_loaded.emit(figures)

    def _on_load_failed(self, error: AppError) -> None:
        self.figures_view.show_problem(error.message)

    def _on_launcher_saved(self, path: str) -> None:
        self.message_bar.show_message(tr("已保存到 {path}", path=path))

    def _on_launcher_printed(self, pages: int) -> None:
        self.message_bar.show_message(tr("已发送到打印机（{pages} 页）", pages=pages))

    def _on_launcher_failed(self, message: str) -> None:
        self.message_bar.show_message(message)

    def _on_launcher_busy_changed(self, busy: bool) -> None:
        if busy:
            self.message_bar.show_message(tr("正在生成报表…"))
        elif self.message_bar.text == tr("正在生成报表…"):
            self.message_bar.hide()

    # -- internals -------------------------------------------------------------------------------

    def _show_kind(self) -> None:
        kind = self.kind
        self.choices_stack.setCurrentIndex(KINDS.index(kind))
        self.content_stack.setCurrentIndex({ReportKind.WEEKLY: 0, ReportKind.BRIEF: 2}.get(kind, 1))
        self.squad_label.setVisible(kind.has_squad)
        self.squad_combo.setVisible(kind.has_squad)
        self.about_label.setText(kind.about)
        self._update_actions()
        self._update_summary()

    def _update_summary(self) -> None:
        """“一月一调度 · 2026年11月 · 全局（全部小分队）”: what 预览 will make."""
        kind = self.kind
        if kind is ReportKind.DISPATCH:
            parts = (kind.label, self.month_chooser.period.label, self.squad_combo.currentText())
        elif kind is ReportKind.RANKING:
            parts = (kind.label, self.quarter_chooser.period.label, tr("各小分队"))
        else:
            return
        self.summary_label.setText(" · ".join(parts))

    def _update_actions(self) -> None:
        ready = self.kind is not ReportKind.BRIEF or bool(self.enterprises.chosen)
        for button in (self.preview_button, self.print_button, self.pdf_button, self.excel_button):
            button.setEnabled(ready)
            button.setToolTip("" if ready else tr("请先加入至少一家企业"))

    def _report_build(self) -> Build | None:
        """How to build the chosen report (plain data only: it runs on the task runner)."""
        reports = self._services.reports
        squad_id: str | None = self.squad_combo.currentData() or None
        match self.kind:
            case ReportKind.WEEKLY:
                week = self.week_picker.week
                return lambda: reports.weekly(week, squad_id)
            case ReportKind.DISPATCH:
                month = self.month_chooser.period
                return lambda: reports.dispatch(month, squad_id)
            case ReportKind.RANKING:
                quarter = self.quarter_chooser.period
                return lambda: reports.ranking(quarter)
            case ReportKind.BRIEF:
                ids = self.enterprises.enterprise_ids
                return (lambda: reports.trip_brief(ids)) if ids else None

    def _reload_figures(self) -> None:
        self._generation += 1
        generation, service = self._generation, self._services.figures
        week, squad_id = self.week_picker.week, self.squad_combo.currentData() or None

        def done(figures: WeeklyFigures) -> None:
            if generation == self._generation:
                self._on_figures_loaded(figures)

        self._submit(lambda _token: service.figures(week, squad_id), done)

    def _submit(self, work: Callable[[CancelToken], Any], done: Callable[[Any], None]) -> None:
        self._runner.submit(work, done, self._on_load_failed, owner=self)


def _left_aligned(widget: QWidget) -> QWidget:
    """``widget`` at its own width (a stacked widget stretches its pages to the widest)."""
    holder = QWidget(widget.parentWidget())
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return holder
