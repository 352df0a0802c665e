"""The 报表 page on the small demo: choose a report, what it covers and a squad, then 预览,
打印, 另存为 PDF or 导出 Excel; the week follows the bureau's week start."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import desktop_fixtures
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.tables import EnterpriseRow, MemberRow
from app.domain.period import Period, PeriodKind
from app.domain.vocabulary import Role
from app.services.bureau_settings import BureauSettingsService
from app.services.workspace import Workspace
from ui.formatting import format_date
from ui.reports.report_kinds import ReportKind
from ui.reports.report_page_services import ReportPageServices
from ui.reports.report_preview import ReportPreview
from ui.reports.reports_page import ReportsPage
from ui.task_runner import TaskRunner

demo_template = desktop_fixtures.demo_template
demo_dir = desktop_fixtures.demo_dir
demo_workspace = desktop_fixtures.demo_workspace
runner = desktop_fixtures.runner
chinese = desktop_fixtures.chinese
WAIT = 30_000
pytestmark = pytest.mark.qt_log_ignore(
    *desktop_fixtures.OFFSCREEN_NOISE.args,
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",
)


def make_page(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> ReportsPage:
    page = ReportsPage(ReportPageServices.for_workspace(workspace), runner)
    qtbot.addWidget(page)
    page.resize(1236, 700)
    page.show()
    with qtbot.waitSignal(page.figures_loaded, timeout=WAIT):
        page.refresh()
    qtbot.waitUntil(lambda: page.squad_combo.count() > 1, timeout=WAIT)
    return page


@pytest.fixture
def page(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> Iterator[ReportsPage]:
    made = make_page(qtbot, demo_workspace, runner)
    yield made
    for window in made.launcher.previews:
        window.close()


def preview(qtbot: QtBot, page: ReportsPage) -> ReportPreview:
    with qtbot.waitSignal(page.launcher.preview_opened, timeout=WAIT) as opened:
        QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    window: ReportPreview = opened.args[0]
    qtbot.waitUntil(
        lambda: window.page_count > 0 or bool(window.problem_label.text()), timeout=WAIT
    )
    assert window.problem_label.text() == ""
    return window


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def choose_squad(page: ReportsPage, index: int = 1) -> str:
    page.squad_combo.setCurrentIndex(index)
    return page.squad_combo.currentText()


def test_weekly_report_of_a_squad_previews_the_chosen_week(qtbot: QtBot, page: ReportsPage) -> None:
    assert page.kind is ReportKind.WEEKLY
    squad = choose_squad(page)
    QTest.mouseClick(page.week_picker.previous_button, Qt.MouseButton.LeftButton)
    week = page.week
    window = preview(qtbot, page)
    document = window.document
    assert document is not None and document.title == "一周一快报"
    assert squad in document.subtitle and str(week) in document.subtitle
    assert week.first_day.isoformat() in document.subtitle
    assert window.page_label.text() == f"第 1 页 共 {window.page_count} 页"
    assert squad in pdf_text(window.pdf_data)


def test_dispatch_report_of_a_squad_for_the_chosen_month(qtbot: QtBot, page: ReportsPage) -> None:
    QTest.mouseClick(
        page.kind_tabs, Qt.MouseButton.LeftButton, pos=page.kind_tabs.tabRect(1).center()
    )
    assert page.kind is ReportKind.DISPATCH
    assert page.month_chooser.isVisible() and not page.week_picker.isVisible()
    assert page.squad_combo.isVisible()
    squad = choose_squad(page, 2)
    QTest.mouseClick(page.month_chooser.previous_button, Qt.MouseButton.LeftButton)
    month = page.month_chooser.period
    assert month.kind is PeriodKind.MONTH
    assert month.label in page.summary_label.text() and squad in page.summary_label.text()
    window = preview(qtbot, page)
    document = window.document
    assert document is not None and document.title == "一月一调度"
    assert squad in document.subtitle and month.label in document.subtitle
    assert month.start.isoformat() in document.subtitle


def test_ranking_report_for_the_chosen_quarter(qtbot: QtBot, page: ReportsPage) -> None:
    page.choose_kind(ReportKind.RANKING)
    assert not page.squad_combo.isVisible()  # every squad is ranked
    quarter = page.quarter_chooser.period
    assert quarter == Period.containing(PeriodKind.QUARTER, quarter.start)
    window = preview(qtbot, page)
    document = window.document
    assert document is not None and document.title == "一季一评比"
    assert quarter.label in document.subtitle
    squads = [page.squad_combo.itemText(i) for i in range(1, page.squad_combo.count())]
    text = pdf_text(window.pdf_data)
    assert all("".join(squad.split()) in text for squad in squads)


def test_the_week_follows_the_bureau_week_start(
    qtbot: QtBot, demo_workspace: Workspace, runner: TaskRunner, chinese: None
) -> None:
    member_id = demo_workspace.current_member_id()
    with demo_workspace.database.write(Actor(None, source="import")) as session:
        if member_id is not None:  # the demo's user: made an admin, who may set the week start
            session.get_one(MemberRow, member_id).role = Role.ADMIN.value
    settings = BureauSettingsService(demo_workspace)
    settings.save(dataclasses.replace(settings.rules(), week_start=5))  # Friday to Thursday
    page = make_page(qtbot, demo_workspace, runner)
    week = page.week
    assert week.start == 5
    assert week.first_day.isoweekday() == 5 and week.last_day.isoweekday() == 4
    assert week == page.week_picker.current_week()
    assert format_date(week.first_day) in page.week_picker.range_label.text()
    assert page.figures is not None and page.figures.week == week
    assert "周五" in page.figures_view.definitions_label.text()
    with qtbot.waitSignal(page.figures_loaded, timeout=WAIT) as loaded:
        QTest.mouseClick(page.week_picker.next_button, Qt.MouseButton.LeftButton)
    assert page.week == week.next() == loaded.args[0].week
    assert page.week.first_day == week.last_day + dt.timedelta(days=1)
    window = preview(qtbot, page)
    assert window.document is not None
    assert page.week.first_day.isoformat() in window.document.subtitle
    window.close()


def test_brief_for_several_enterprises_picked_by_name(
    qtbot: QtBot, page: ReportsPage, demo_workspace: Workspace
) -> None:
    with demo_workspace.database.read() as session:
        names = session.scalars(
            select(EnterpriseRow.name)
            .where(EnterpriseRow.deleted.is_(False))
            .order_by(EnterpriseRow.name)
            .limit(2)
        ).all()
    page.choose_kind(ReportKind.BRIEF)
    assert not page.preview_button.isEnabled()  # nothing chosen yet
    picker = page.enterprises.picker
    page.window().activateWindow()

    def chosen_names() -> list[str]:
        return [enterprise.name for enterprise in page.enterprises.chosen]

    for count, name in enumerate(names, start=1):
        picker.setFocus()
        picker.clear()
        desktop_fixtures.type_text(qtbot, picker, name)
        qtbot.waitUntil(picker.popup_visible, timeout=WAIT)
        popup = QApplication.activePopupWidget() or picker
        QTest.keyClick(popup, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(chosen_names()) == count)  # noqa: B023
    assert chosen_names() == list(names)
    assert picker.text() == ""
    assert page.preview_button.isEnabled()
    window = preview(qtbot, page)
    assert window.document is not None and window.document.title == "出访前企业简报"
    text = pdf_text(window.pdf_data)
    assert all("".join(name.split()) in text for name in names)
    page.enterprises.list.setCurrentRow(0)
    QTest.mouseClick(page.enterprises.remove_button, Qt.MouseButton.LeftButton)
    assert chosen_names() == [names[1]]


def test_save_pdf_and_excel_and_print_from_the_page(
    qtbot: QtBot, page: ReportsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.choose_kind(ReportKind.DISPATCH)
    suggested: list[str] = []

    def fake_save(*args: Any, **_kwargs: Any) -> tuple[str, str]:
        suggested.append(args[2])
        suffix = Path(args[2]).suffix
        return str(tmp_path / f"调度{suffix}"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    with qtbot.waitSignal(page.launcher.saved, timeout=WAIT) as saved:
        QTest.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    pdf = Path(saved.args[0])
    assert Path(suggested[0]).name.startswith("一月一调度")
    assert page.message_bar.text == f"已保存到 {pdf}"
    reader = PdfReader(pdf)
    assert "一月一调度" in "".join(reader.pages[0].extract_text().split())

    with qtbot.waitSignal(page.launcher.saved, timeout=WAIT) as saved:
        QTest.mouseClick(page.excel_button, Qt.MouseButton.LeftButton)
    workbook = load_workbook(Path(saved.args[0]))
    assert len(workbook.sheetnames) >= 2

    target = tmp_path / "printed.pdf"

    def fake_exec(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    with qtbot.waitSignal(page.launcher.printed, timeout=WAIT) as printed:
        QTest.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [len(reader.pages)]
    assert len(PdfReader(target).pages) == len(reader.pages)
    assert "已发送到打印机" in page.message_bar.text
