"""单位设置: shows the rules in force, saves an admin's change, is read-only for others."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import desktop_fixtures
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import LocalSetting, MemberRow, SquadRow
from app.domain.bureau_rules import Cohort, KpiKey
from app.domain.vocabulary import AttachmentKind, ProjectStage, Role
from app.services.bureau_settings import BureauSettingsService
from app.services.workspace import CURRENT_MEMBER, Workspace
from ui.settings.bureau_settings_dialog import BureauSettingsDialog
from ui.task_runner import TaskRunner

SQUAD = "0190b6a0-0000-7000-8000-000000000001"
MEMBER = "0190b6a0-0000-7000-8000-000000000012"

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD, name="新材料小分队"))
        s.flush()
        s.add(MemberRow(id=MEMBER, name="李明", squad_id=SQUAD, role=Role.MEMBER.value))
    yield Workspace(database, tmp_path)
    database.dispose()


@pytest.fixture
def runner(qtbot: object) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def open_dialog(qtbot: QtBot, workspace: Workspace, runner: TaskRunner) -> BureauSettingsDialog:
    dialog = BureauSettingsDialog(BureauSettingsService(workspace), runner)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.not_started.value() == 3 and "正在读取" not in dialog.notice.text()
    )
    assert save is not None
    return dialog


def test_an_admin_change_is_saved_and_the_formula_text_follows_it(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    dialog = open_dialog(qtbot, workspace, runner)
    assert dialog.evidence_boxes[(ProjectStage.SIGNED, AttachmentKind.AGREEMENT)].isChecked()
    QTest.mouseClick(
        dialog.evidence_boxes[(ProjectStage.SIGNED, AttachmentKind.AGREEMENT)],
        Qt.MouseButton.LeftButton,
    )
    dialog.not_started.setValue(6)
    editor = dialog.formula_editors[KpiKey.START]
    editor.cohort.setCurrentIndex(editor.cohort.findData(Cohort.ALL.value))
    assert editor.text.text().startswith("开工率 = 截至期末累计签约的项目中")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        QTest.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    rules = BureauSettingsService(workspace).rules()
    assert rules.not_started_months == 6
    assert ProjectStage.SIGNED not in rules.evidence
    assert rules.formula(KpiKey.START).cohort is Cohort.ALL


def test_a_plain_member_sees_the_rules_but_cannot_change_them(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.merge(LocalSetting(key=CURRENT_MEMBER, value=MEMBER))
    dialog = open_dialog(qtbot, workspace, runner)
    assert "只有单位管理员" in dialog.notice.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert not dialog.not_started.isEnabled()
    assert not dialog.evidence_boxes[
        (ProjectStage.STARTED, AttachmentKind.GROUNDBREAKING_PHOTO)
    ].isEnabled()


def test_the_bureau_name_is_saved_and_shown_again(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    dialog = open_dialog(qtbot, workspace, runner)
    assert dialog.bureau_name.text() == ""
    dialog.bureau_name.setFocus()
    desktop_fixtures.type_text(qtbot, dialog.bureau_name, "  江淮市投资促进局 ")
    QTest.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.bureau_name.text() == "  江淮市投资促进局 "  # a name is not a rule to reset
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        QTest.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert BureauSettingsService(workspace).rules().bureau_name == "江淮市投资促进局"
    again = open_dialog(qtbot, workspace, runner)
    qtbot.waitUntil(lambda: again.bureau_name.text() == "江淮市投资促进局", timeout=5000)


def test_a_plain_member_cannot_rename_the_bureau(
    qtbot: QtBot,
    workspace: Workspace,
    runner: TaskRunner,
) -> None:
    with workspace.database.write(Actor(None, source="import")) as s:
        s.merge(LocalSetting(key=CURRENT_MEMBER, value=MEMBER))
    dialog = open_dialog(qtbot, workspace, runner)
    assert not dialog.bureau_name.isEnabled()
