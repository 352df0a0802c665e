"""Make the README's sample reports from the small demo: PDFs in ``docs/samples/`` and their
first pages rendered to PNG with QtPdf (offscreen, white background).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/take_report_samples.py

Builds a fresh demo data dir in a temporary folder and prints, through ``ReportService`` exactly
as the app and the CLI do: a visit summary (the visit with the most follow-up tasks), a pre-trip
brief for two enterprises, this week's 一周一快报 for the busiest squad, this month's 一月一调度
and this quarter's 一季一评比.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"
sys.path.insert(0, str(HERE.parent))

from app.database.opening import open_local_database  # noqa: E402
from app.database.tables import TaskRow, VisitRow  # noqa: E402
from app.demo.generator import DemoSize, build_demo  # noqa: E402
from app.domain.period import Period  # noqa: E402
from app.reports.document import ReportDocument  # noqa: E402
from app.reports.pdf import render_pdf  # noqa: E402
from app.services.reports import ReportService  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

SCALE = 1.4  # pixels per point: a readable page in the README at ~830 px wide


def render_pages(pdf: Path, pages: int) -> list[Path]:
    document = QPdfDocument()
    document.load(str(pdf))
    written = []
    for index in range(min(pages, document.pageCount())):
        size = document.pagePointSize(index)
        pixels = QSize(round(size.width() * SCALE), round(size.height() * SCALE))
        page = document.render(index, pixels)
        canvas = QImage(pixels, QImage.Format.Format_RGB32)
        canvas.fill(QColor("white"))
        painter = QPainter(canvas)
        painter.drawImage(0, 0, page)
        painter.end()
        target = pdf.with_name(f"{pdf.stem}-{index + 1}.png")
        canvas.save(str(target))
        written.append(target)
    return written


def pick_records(workspace: Workspace) -> tuple[str, list[str], str]:
    """The visit with the most follow-up tasks, the two most visited enterprises, and the
    squad with the most visits."""
    with workspace.database.read() as session:
        visit_id = session.scalar(
            select(VisitRow.id)
            .join(TaskRow, TaskRow.visit_id == VisitRow.id)
            .group_by(VisitRow.id)
            .order_by(func.count(TaskRow.id).desc(), func.length(VisitRow.discussion).desc())
            .limit(1)
        )
        enterprises = session.scalars(
            select(VisitRow.enterprise_id)
            .group_by(VisitRow.enterprise_id)
            .order_by(func.count(VisitRow.id).desc())
            .limit(2)
        ).all()
        squad_id = session.scalar(
            select(VisitRow.squad_id)
            .where(VisitRow.squad_id.is_not(None))
            .group_by(VisitRow.squad_id)
            .order_by(func.count(VisitRow.id).desc())
            .limit(1)
        )
    assert visit_id and squad_id and len(enterprises) == 2, "the demo has visits with tasks"
    return visit_id, list(enterprises), squad_id


def main() -> int:
    app = QGuiApplication(sys.argv)
    SAMPLES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="squaddesk-samples-") as folder:
        data_dir = Path(folder)
        database = open_local_database(data_dir, create=True)
        try:
            build_demo(database, DemoSize.SMALL, 42)
            workspace = Workspace(database, data_dir)
            service = ReportService(workspace)
            today = dt.date.today()
            visit_id, enterprises, squad_id = pick_records(workspace)
            quarter = (today.month - 1) // 3 + 1
            documents: dict[str, tuple[ReportDocument, int]] = {
                "visit-summary": (service.visit_summary(visit_id), 2),
                "trip-brief": (service.trip_brief(enterprises), 1),
                "weekly": (service.weekly(service.current_week(today), squad_id), 1),
                "weekly-bureau": (service.weekly(service.current_week(today), None), 1),
                "dispatch": (service.dispatch(Period.month(today.year, today.month), None), 1),
                "ranking": (service.ranking(Period.quarter(today.year, quarter)), 2),
            }
        finally:
            database.dispose()
        for name, (document, pages) in documents.items():
            pdf = render_pdf(document, SAMPLES / f"{name}.pdf")
            for png in render_pages(pdf, pages):
                print(png.relative_to(HERE.parent))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
