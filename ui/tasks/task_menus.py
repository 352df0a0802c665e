"""The two small menus of the tasks page: 推迟 (snooze) and 转交 (reassign to a squad member).

Both open on the selected row with their first choice active, so Enter takes it and the arrow
keys pick another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.i18n import tr
from app.services.member_choices import MemberChoice
from app.services.tasks import TaskListRow, snoozed_due
from ui.formatting import format_date

SNOOZE_DAYS = (1, 7)


def snooze_menu(
    parent: QWidget,
    task: TaskListRow,
    today: dt.date,
    on_days: Callable[[int], None],
    on_pick: Callable[[], None],
) -> QMenu:
    """明天 / 下周 (counted from the due date when it is still ahead) / 选择日期…"""
    menu = QMenu(parent)
    menu.setObjectName("snoozeMenu")
    from_today = task.due_on is None or task.due_on <= today
    for days in SNOOZE_DAYS:
        target = format_date(snoozed_due(task.due_on, today, days))
        if days == 1:
            text = (
                tr("明天（{date}）", date=target)
                if from_today
                else tr("推迟一天（{date}）", date=target)
            )
        else:
            text = (
                tr("下周（{date}）", date=target)
                if from_today
                else tr("推迟一周（{date}）", date=target)
            )
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False, days=days: on_days(days))
    menu.addSeparator()
    pick = menu.addAction(tr("选择日期…"))
    pick.triggered.connect(lambda _checked=False: on_pick())
    menu.setActiveAction(menu.actions()[0])
    return menu


def reassign_menu(
    parent: QWidget,
    members: Sequence[MemberChoice],
    owner_id: str | None,
    on_member: Callable[[MemberChoice], None],
) -> QMenu:
    """The squad's members; the present owner is ticked and cannot be chosen."""
    menu = QMenu(parent)
    menu.setObjectName("reassignMenu")
    first: QAction | None = None
    for member in members:
        action = menu.addAction(member.name)
        if member.id == owner_id:
            action.setCheckable(True)
            action.setChecked(True)
            action.setEnabled(False)
            action.setText(tr("{name}（当前负责人）", name=member.name))
            continue
        action.triggered.connect(lambda _checked=False, member=member: on_member(member))
        first = first or action
    if first is None:
        empty = menu.addAction(tr("小分队里没有其他队员"))
        empty.setEnabled(False)
    else:
        menu.setActiveAction(first)
    return menu
