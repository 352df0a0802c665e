"""Reports on the large dataset, beside bare baselines taken in the same run (DESIGN §7).

- Visit summary (拜访纪要): ``ReportService.visit_summary`` + ``pdf_bytes`` for the visit with
  the longest discussion and for a median one — reading the visit, enterprise, people, notes,
  commitments and tasks, laying out A4 pages with the CJK font embedded as a subset. Baseline:
  bare reportlab (``SimpleDocTemplate``, one ``Paragraph`` per text, plain ``Table``s of the
  same cells, the same registered TrueType font) printing exactly the same texts, with no
  document model, no font runs, no page stamping. Target ≤ 3×.
- Quarterly ranking (一季一评比) and monthly dispatch (一月一调度) for the whole bureau, for
  the same quarter and month: no target in DESIGN §7; printed for the record.
- Weekly report (一周一快报) for the squad with the most visits, and for the whole bureau, for
  the dataset's busiest recent week: ``ReportService.weekly`` + ``pdf_bytes``. Baseline: bare
  sqlite3 computing the same week's visit, enterprise and trip counts for that squad. Target ≤ 1 s.

Fonts are registered once before timing (the app does it once per process). Each figure is the
median of several runs.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections.abc import Callable
from contextlib import closing
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from reportlab.platypus import Table as BareTable

from app.database.opening import database_path, open_local_database
from app.domain.period import Period
from app.reports.document import Fields, Figures, Heading, Notes, ReportDocument, Table, Text
from app.reports.fonts import CJK_FONT, register_fonts
from app.reports.pdf import pdf_bytes
from app.services.reports import ReportService
from app.services.weekly_figures_views import IsoWeek
from app.services.workspace import Workspace
from bench.dataset import large_data_dir
from bench.harness import Figure, median_of, report, time_call

RUNS = 7


def _bare_pdf(document: ReportDocument) -> bytes:
    """The same texts and cells as ``document``, printed with bare reportlab."""
    style = ParagraphStyle("bare", fontName=CJK_FONT, fontSize=10, leading=15, wordWrap="CJK")
    story: list[object] = [Paragraph(escape(document.title), style)]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(escape(block.text), style))
        elif isinstance(block, Text):
            story.extend(
                Paragraph(escape(part).replace("\n", "<br/>"), style)
                for part in block.text.split("\n\n")
                if part.strip()
            )
        elif isinstance(block, Fields):
            story.append(
                BareTable(
                    [
                        [Paragraph(escape(k), style), Paragraph(escape(v), style)]
                        for k, v in block.pairs
                    ],
                    splitInRow=1,
                )
            )
        elif isinstance(block, Table) and block.rows:
            story.append(
                BareTable(
                    [
                        [Paragraph(escape("" if c is None else str(c)), style) for c in row]
                        for row in block.rows
                    ],
                    repeatRows=0,
                    splitInRow=1,
                )
            )
        elif isinstance(block, Figures):
            story.extend(Paragraph(escape(f"{n} {v} {d}"), style) for n, v, d in block.tiles)
        elif isinstance(block, Notes):
            story.extend(Paragraph(escape(f"{n}：{t}"), style) for n, t in block.items)
    stream = io.BytesIO()
    SimpleDocTemplate(stream, pagesize=A4).build(story)
    return stream.getvalue()


def _pdf_of(build: Callable[[], ReportDocument]) -> bytes:
    return pdf_bytes(build())


def _summary_pdf(service: ReportService, visit_id: str) -> bytes:
    return pdf_bytes(service.visit_summary(visit_id))


def _visits(bare: sqlite3.Connection) -> list[tuple[str, str]]:
    longest = bare.execute(
        "SELECT id FROM visits WHERE deleted = 0 ORDER BY length(discussion) DESC LIMIT 1"
    ).fetchone()[0]
    count = bare.execute("SELECT count(*) FROM visits WHERE deleted = 0").fetchone()[0]
    median = bare.execute(
        "SELECT id FROM visits WHERE deleted = 0 ORDER BY length(discussion) LIMIT 1 OFFSET ?",
        (count // 2,),
    ).fetchone()[0]
    return [("longest discussion", longest), ("median discussion", median)]


def _busiest(bare: sqlite3.Connection) -> tuple[str, IsoWeek]:
    squad_id, last = bare.execute(
        "SELECT squad_id, max(visited_on) FROM visits WHERE deleted = 0 AND squad_id IS NOT NULL"
        " GROUP BY squad_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return squad_id, IsoWeek.containing(dt.date.fromisoformat(last) - dt.timedelta(days=7))


BARE_WEEK = """
SELECT (SELECT count(*) FROM visits WHERE visited_on BETWEEN :a AND :b AND deleted = 0
          AND squad_id = :s),
       (SELECT count(DISTINCT enterprise_id) FROM visits WHERE visited_on BETWEEN :a AND :b
          AND deleted = 0 AND squad_id = :s),
       (SELECT sum(min(julianday(end_on), julianday(:b)) - max(julianday(start_on), julianday(:a))
          + 1) FROM trips WHERE start_on <= :b AND end_on >= :a AND deleted = 0 AND squad_id = :s)
"""


def main() -> None:
    data_dir = large_data_dir()
    register_fonts()
    database = open_local_database(data_dir, create=False)
    figures: list[Figure] = []
    try:
        service = ReportService(Workspace(database, data_dir))
        with closing(sqlite3.connect(database_path(data_dir))) as bare:
            visits = _visits(bare)
            squad_id, week = _busiest(bare)
            for label, visit_id in visits:
                document = service.visit_summary(visit_id)
                mine = [time_call(partial(_summary_pdf, service, visit_id)) for _ in range(RUNS)]
                base = [time_call(partial(_bare_pdf, document)) for _ in range(RUNS)]
                figures.append(
                    Figure(
                        f"visit summary PDF, {label}",
                        median_of(mine),
                        median_of(base),
                        "ms",
                        "≤ 3× bare reportlab",
                    )
                )
            params = {
                "a": week.first_day.isoformat(),
                "b": week.last_day.isoformat(),
                "s": squad_id,
            }
            base = [
                time_call(lambda: bare.execute(BARE_WEEK, params).fetchone()) for _ in range(RUNS)
            ]
            mine = [
                time_call(lambda: pdf_bytes(service.weekly(week, squad_id))) for _ in range(RUNS)
            ]
            figures.append(
                Figure(
                    f"weekly report PDF, busiest squad, {week}",
                    median_of(mine),
                    median_of(base),
                    "ms",
                    "≤ 1000 ms",
                )
            )
            whole = [time_call(lambda: pdf_bytes(service.weekly(week, None))) for _ in range(3)]
            figures.append(
                Figure(
                    f"weekly report PDF, whole bureau, {week}",
                    median_of(whole),
                    None,
                    "ms",
                    "≤ 1000 ms",
                )
            )
            quarter = Period.quarter(week.year, (week.first_day.month - 1) // 3 + 1)
            month = Period.month(week.first_day.year, week.first_day.month)
            for name, build in (
                (
                    f"quarterly ranking PDF, {quarter.start:%Y-%m} quarter",
                    partial(service.ranking, quarter),
                ),
                (
                    f"monthly dispatch PDF, whole bureau, {month.start:%Y-%m}",
                    partial(service.dispatch, month),
                ),
            ):
                runs = [time_call(partial(_pdf_of, build)) for _ in range(3)]
                figures.append(Figure(name, median_of(runs), None, "ms", "—"))
    finally:
        database.dispose()
    report("Reports", figures)


if __name__ == "__main__":
    main()
