"""Take the README's screenshots from the real app on the small demo (offscreen, 1366×768).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/take_screenshots.py

Builds a fresh demo data dir in a temporary folder, drives the window as a user would (a dossier
with visits, a visit being typed, Ctrl+K with a query, a project, the KPI dashboard and overdue
lists, the chain map) and saves PNGs next to this file.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from app.database.opening import open_local_database  # noqa: E402
from app.database.tables import EnterpriseRow, VisitRow  # noqa: E402
from app.demo.generator import DemoSize, build_demo  # noqa: E402
from app.settings import Settings  # noqa: E402
from ui.app_setup import create_application, register_fonts  # noqa: E402
from ui.main import Desktop  # noqa: E402
from ui.main_window import PageKey  # noqa: E402


def wait(app: QApplication, ms: int, until: Callable[[], bool] | None = None) -> None:
    loop = QEventLoop()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(ms)
    if until is not None:
        poll = QTimer()
        poll.timeout.connect(lambda: until() and loop.quit())
        poll.start(20)
    loop.exec()


def busiest_enterprise(data_dir: Path) -> str:
    database = open_local_database(data_dir)
    try:
        with database.read() as session:
            found = session.scalar(
                select(EnterpriseRow.id)
                .join(VisitRow, VisitRow.enterprise_id == EnterpriseRow.id)
                .group_by(EnterpriseRow.id)
                .order_by(func.count(VisitRow.id).desc())
                .limit(1)
            )
        assert found is not None, "the demo has visits"
        return found
    finally:
        database.dispose()


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(HERE / name))
    print(HERE / name)


def main() -> None:
    app = create_application([sys.argv[0]])
    register_fonts()
    data_dir = Path(tempfile.mkdtemp(prefix="squaddesk-shots-")) / "data"
    database = open_local_database(data_dir)
    build_demo(database, DemoSize.SMALL, seed=42)
    database.dispose()
    enterprise_id = busiest_enterprise(data_dir)

    desktop = Desktop(data_dir, Settings(data_dir))
    window = desktop.window
    window.resize(1366, 768)
    shown: list[float] = []
    desktop.first_rows_shown.connect(shown.append)
    desktop.start()
    wait(app, 20_000, lambda: bool(shown))
    router = desktop.router
    assert router is not None

    router.open_enterprise(enterprise_id)
    wait(app, 1500)
    save(window, "screenshot-dossier.png")

    router.open_new_visit(enterprise_id)
    visits = window.page(PageKey.VISITS)
    wait(app, 3000, lambda: getattr(visits, "editor", None) is not None)
    editor = visits.editor  # type: ignore[union-attr]
    editor.place.setText("企业总部三楼会议室")
    editor.purpose.setPlainText("了解二期扩产计划，推介我市新材料产业园。")
    editor.discussion.setPlainText(
        "对方计划新建年产5万吨精密结构件生产基地，一期用地约150亩，关注用电指标和人才公寓配套。\n"
        "我方介绍了园区标准厂房、电价优惠和“拿地即开工”审批流程。\n"
        "对方希望下月组织技术团队实地考察。"
    )
    editor.discussion.setFocus()
    wait(app, 2500)
    save(window, "screenshot-visit-form.png")

    router.open_search()
    palette = router.palette
    assert palette is not None
    palette.query_edit.setText("新材料")
    wait(app, 2500, lambda: palette.model.rowCount() > 3)
    wait(app, 300)
    picture = window.grab()  # the palette is a popup of its own: paint it where it floats
    painter = QPainter(picture)
    painter.drawPixmap(palette.geometry().topLeft() - window.geometry().topLeft(), palette.grab())
    painter.end()
    picture.save(str(HERE / "screenshot-search.png"))
    print(HERE / "screenshot-search.png")
    palette.close()

    window.show_page(PageKey.PROJECTS)
    projects = window.page(PageKey.PROJECTS)
    wait(app, 3000, lambda: getattr(projects, "selected_project", lambda: None)() is not None)
    wait(app, 1500)
    save(window, "screenshot-projects.png")

    window.show_page(PageKey.DASHBOARD)
    wait(app, 4000)
    save(window, "screenshot-dashboard.png")
    dashboard = window.page(PageKey.DASHBOARD)
    dashboard.show_overdue()  # type: ignore[union-attr]
    wait(app, 1500)
    save(window, "screenshot-overdue.png")

    window.show_page(PageKey.CHAINS)
    wait(app, 3000)
    save(window, "screenshot-chain-map.png")

    window.close()
    desktop.shutdown()


if __name__ == "__main__":
    main()
