"""The main window's menu bar: every window-wide action with its shortcut.

Built again with the window after a language change; the window owns the signals the actions
trigger and the handlers for what it does itself (find in page, language, about).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.i18n import LANGUAGES, current_language, tr
from ui.page_keys import PageKey


class MenuHost(Protocol):
    """What the menus need of the window: its menu bar, its signals and a few handlers."""

    new_visit_requested: Any
    new_enterprise_requested: Any
    new_project_requested: Any
    save_requested: Any
    print_requested: Any
    brief_requested: Any
    import_requested: Any
    search_requested: Any
    sync_now_requested: Any
    account_requested: Any
    bureau_settings_requested: Any

    def menuBar(self) -> QMenuBar: ...  # Qt's name
    def addAction(self, action: QAction) -> None: ...  # Qt's name
    def close(self) -> bool: ...
    def show_page(self, key: PageKey) -> None: ...
    def focus_page_filter(self) -> None: ...
    def choose_language(self, code: str) -> None: ...
    def show_about(self) -> None: ...


@dataclass(frozen=True, slots=True)
class WindowActions:
    new_visit: QAction
    new_enterprise: QAction
    new_project: QAction
    import_enterprises: QAction
    save: QAction
    print_visit: QAction
    print_brief: QAction
    search: QAction
    find: QAction
    pages: dict[PageKey, QAction]
    languages: dict[str, QAction]
    sync_now: QAction
    account: QAction
    bureau_settings: QAction

    @property
    def needing_data(self) -> tuple[QAction, ...]:
        """Actions that wait for the database to be open."""
        return (
            self.new_visit,
            self.new_enterprise,
            self.new_project,
            self.import_enterprises,
            self.save,
            self.print_visit,
            self.print_brief,
            self.search,
            self.bureau_settings,
        )


def build_menus(window: MenuHost, owner: QWidget) -> WindowActions:
    """Fill the window's menu bar; actions are children of ``owner`` (deleted on a rebuild)."""

    def menu(title: str) -> QMenu:
        made = QMenu(title, owner)
        made.setToolTipsVisible(True)
        window.menuBar().addMenu(made)
        return made

    def action(text: str, shortcut: str | None, slot: Any, tip: str = "") -> QAction:
        """A window-wide action whose tooltip names its shortcut ("记录一次拜访 (Ctrl+N)")."""
        made = QAction(text, owner)
        if shortcut:
            made.setShortcut(QKeySequence(shortcut))
            key = made.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            made.setToolTip(tr("{tip} ({key})", tip=tip or text, key=key) if tip else key)
        elif tip:
            made.setToolTip(tip)
        made.triggered.connect(slot)
        window.addAction(made)
        return made

    file_menu = menu(tr("文件(&F)"))
    new_visit = action(tr("新建拜访(&V)"), "Ctrl+N", window.new_visit_requested, tr("记录一次拜访"))
    new_enterprise = action(
        tr("新建企业(&E)"), "Ctrl+Shift+N", window.new_enterprise_requested, tr("建立企业档案")
    )
    new_project = action(
        tr("新建项目(&P)…"), "Ctrl+Shift+P", window.new_project_requested, tr("登记一个招商项目")
    )
    save = action(tr("保存(&S)"), "Ctrl+S", window.save_requested, tr("立即保存正在编辑的内容"))
    import_enterprises = action(
        tr("导入企业名单(&I)…"),
        "Ctrl+I",
        window.import_requested,
        tr("从 Excel 或 CSV 表格导入企业名单"),
    )
    print_visit = action(
        tr("打印拜访纪要(&R)…"),
        "Ctrl+P",
        window.print_requested,
        tr("预览并打印所选拜访的纪要"),
    )
    print_brief = action(
        tr("打印出访前简报(&B)…"),
        None,
        window.brief_requested,
        tr("为企业库中打开的企业生成出访前简报；多家企业请在“报表”页选择"),
    )
    for item in (new_visit, new_enterprise, new_project, save):
        file_menu.addAction(item)
    file_menu.addSeparator()
    file_menu.addAction(print_visit)
    file_menu.addAction(print_brief)
    file_menu.addSeparator()
    file_menu.addAction(import_enterprises)
    file_menu.addSeparator()
    quit_action = QAction(tr("退出(&X)"), owner)
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)

    view_menu = menu(tr("视图(&V)"))
    pages: dict[PageKey, QAction] = {}
    for key in PageKey:
        page_action = QAction(key.title, owner)
        if key.shortcut:
            page_action.setShortcut(QKeySequence(key.shortcut))
        page_action.triggered.connect(lambda _checked=False, key=key: window.show_page(key))
        view_menu.addAction(page_action)
        window.addAction(page_action)
        pages[key] = page_action
    view_menu.addSeparator()
    search = action(
        tr("搜索(&K)…"),
        "Ctrl+K",
        window.search_requested,
        tr("在企业、联系人、拜访、洽谈和项目中搜索"),
    )
    view_menu.addAction(search)
    find = QAction(tr("筛选当前页(&F)"), owner)
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    find.triggered.connect(window.focus_page_filter)
    view_menu.addAction(find)
    window.addAction(find)
    view_menu.addSeparator()
    language_menu = QMenu(tr("语言(&L)"), owner)
    view_menu.addMenu(language_menu)
    group = QActionGroup(owner)
    group.setExclusive(True)
    languages: dict[str, QAction] = {}
    for code, name in LANGUAGES.items():
        language = QAction(name, owner)
        language.setCheckable(True)
        language.setChecked(code == current_language())
        language.triggered.connect(lambda _checked=False, code=code: window.choose_language(code))
        group.addAction(language)
        language_menu.addAction(language)
        languages[code] = language

    sync_menu = menu(tr("同步(&S)"))
    sync_now = action(tr("立即同步(&S)"), "F5", window.sync_now_requested, tr("立即同步"))
    sync_menu.addAction(sync_now)
    account = QAction(tr("账户与同步(&A)…"), owner)
    account.triggered.connect(window.account_requested)
    sync_menu.addAction(account)

    tools_menu = menu(tr("工具(&T)"))
    bureau_settings = action(
        tr("单位设置(&B)…"),
        None,
        window.bureau_settings_requested,
        tr("证据要求、督办期限和指标口径，由单位管理员设置，同步到全单位"),
    )
    tools_menu.addAction(bureau_settings)

    help_menu = menu(tr("帮助(&H)"))
    about = QAction(tr("关于 SquadDesk(&A)"), owner)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(window.show_about)
    help_menu.addAction(about)

    actions = WindowActions(
        new_visit=new_visit,
        new_enterprise=new_enterprise,
        new_project=new_project,
        import_enterprises=import_enterprises,
        save=save,
        print_visit=print_visit,
        print_brief=print_brief,
        search=search,
        find=find,
        pages=pages,
        languages=languages,
        sync_now=sync_now,
        account=account,
        bureau_settings=bureau_settings,
    )
    for waiting in (*actions.needing_data, *pages.values()):
        waiting.setEnabled(False)
    return actions
