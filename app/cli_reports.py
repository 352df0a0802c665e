"""``squaddesk-cli report …``: print a report to a PDF (or its tables to .xlsx). No Qt.

    report visit VISIT_ID --out FILE.pdf
    report weekly --week 2026-W48 [--squad NAME] --out FILE.pdf
    report dispatch --month 2026-11 [--squad NAME] --out FILE.pdf      (一月一调度)
    report ranking --quarter 2026-Q4 --out FILE.pdf                     (一季一评比)
    report brief ENTERPRISE_ID [ENTERPRISE_ID …] --out FILE.pdf        (出访前简报)

``--out`` ending in ``.xlsx`` writes the report's tables to a workbook instead. A week follows
the bureau's reporting-week start day (ISO weeks unless the bureau set another). Bad input — an
unknown visit, squad or enterprise, a malformed week, month or quarter, an unwritable file — is
one line on stderr and exit 1; nothing is written.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import AppError, ValidationError
from app.domain.period import Period
from app.i18n import tr
from app.reports.document import ReportDocument
from app.services.weekly_figures_views import IsoWeek, weeks_in
from app.terminal import EXIT_OK, OneLineParser, say

if TYPE_CHECKING:
    from app.services.reports import ReportService

AddCommon = Callable[[argparse.ArgumentParser, object], None]
OUT_SUFFIXES = (".pdf", ".xlsx")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?Q([1-4])\s*$", re.IGNORECASE)


def add_report_parser(
    commands: argparse._SubParsersAction[OneLineParser], add_common: AddCommon
) -> None:
    report = commands.add_parser(
        "report", help=tr("生成报表：拜访纪要、一周一快报等（PDF 或 Excel）")
    )
    add_common(report, argparse.SUPPRESS)
    kinds = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)

    visit = kinds.add_parser("visit", help=tr("一次拜访的拜访纪要"))
    visit.add_argument("visit_id", metavar="VISIT_ID", help=tr("拜访记录的 id"))
    _out(visit, add_common)
    visit.set_defaults(handler=run_report, build=_visit)

    weekly = kinds.add_parser("weekly", help=tr("一周一快报（某小分队或全局）"))
    weekly.add_argument("--week", required=True, metavar="2026-W48", help=tr("周次（ISO 周）"))
    weekly.add_argument("--squad", metavar="NAME", help=tr("小分队名称（不填则为全局）"))
    _out(weekly, add_common)
    weekly.set_defaults(handler=run_report, build=_weekly)

    dispatch = kinds.add_parser("dispatch", help=tr("一月一调度：逾期清单、包抓责任人与下一步"))
    dispatch.add_argument("--month", required=True, metavar="2026-11", help=tr("月份"))
    dispatch.add_argument("--squad", metavar="NAME", help=tr("小分队名称（不填则为全局）"))
    _out(dispatch, add_common)
    dispatch.set_defaults(handler=run_report, build=_dispatch)

    ranking = kinds.add_parser("ranking", help=tr("一季一评比：各小分队排名与考核指标"))
    ranking.add_argument("--quarter", required=True, metavar="2026-Q4", help=tr("季度"))
    _out(ranking, add_common)
    ranking.set_defaults(handler=run_report, build=_ranking)

    brief = kinds.add_parser("brief", help=tr("出访前企业简报（一家或多家企业）"))
    brief.add_argument("enterprise_ids", nargs="+", metavar="ENTERPRISE_ID", help=tr("企业 id"))
    _out(brief, add_common)
    brief.set_defaults(handler=run_report, build=_brief)


def _out(parser: argparse.ArgumentParser, add_common: AddCommon) -> None:
    parser.add_argument(
        "--out", required=True, metavar="FILE.pdf", help=tr("输出文件（.pdf，或 .xlsx 导出表格）")
    )
    add_common(parser, argparse.SUPPRESS)


def run_report(args: argparse.Namespace, data_dir: Path) -> int:
    from app.database.opening import open_local_database
    from app.reports.pdf import render_pdf
    from app.reports.xlsx import render_xlsx
    from app.services.reports import ReportService
    from app.services.workspace import Workspace

    out = Path(args.out)
    if out.suffix.lower() not in OUT_SUFFIXES:
        raise ValidationError("out", tr("输出文件“{path}”应以 .pdf 或 .xlsx 结尾", path=str(out)))
    database = open_local_database(data_dir, create=False)
    try:
        service = ReportService(Workspace(database, data_dir))
        document: ReportDocument = args.build(service, args)
    finally:
        database.dispose()
    try:
        written = (render_xlsx if out.suffix.lower() == ".xlsx" else render_pdf)(document, out)
    except OSError as error:
        raise AppError(
            tr("无法写入“{path}”：{reason}", path=str(out), reason=error.strerror or str(error))
        ) from error
    say(tr("已生成“{title}”：{path}", title=document.title, path=str(written)))
    return EXIT_OK


# -- one builder per kind ----------------------------------------------------------------------


def _visit(service: ReportService, args: argparse.Namespace) -> ReportDocument:
    return service.visit_summary(args.visit_id.strip())


def _weekly(service: ReportService, args: argparse.Namespace) -> ReportDocument:
    week = parse_week(args.week, service.week_start())
    squad_id = service.squad_named(args.squad).id if args.squad else None
    return service.weekly(week, squad_id)


def _dispatch(service: ReportService, args: argparse.Namespace) -> ReportDocument:
    month = parse_month(args.month)
    squad_id = service.squad_named(args.squad).id if args.squad else None
    return service.dispatch(month, squad_id)


def _ranking(service: ReportService, args: argparse.Namespace) -> ReportDocument:
    return service.ranking(parse_quarter(args.quarter))


def _brief(service: ReportService, args: argparse.Namespace) -> ReportDocument:
    return service.trip_brief([value.strip() for value in args.enterprise_ids])


# -- parsing what the user typed ---------------------------------------------------------------


def parse_week(text: str, start: int = 1) -> IsoWeek:
    """``2026-W48`` → the reporting week; a one-line ``ValidationError`` naming the problem."""
    try:
        return IsoWeek.parse(text, start)
    except ValueError:
        year = text.strip()[:4]
        last = weeks_in(int(year)) if year.isdigit() and 1 <= int(year) <= 9998 else 53
        raise ValidationError(
            "week",
            tr(
                "周次“{text}”无效：应写作 2026-W48 这样的 ISO 周（该年为第 1–{last} 周）",
                text=text,
                last=last,
            ),
        ) from None


def parse_month(text: str) -> Period:
    found = _MONTH.match(text)
    if found and 1 <= int(found[2]) <= 12 and 1 <= int(found[1]) <= 9998:
        return Period.month(int(found[1]), int(found[2]))
    raise ValidationError("month", tr("月份“{text}”无效：应写作 2026-11 这样的年-月", text=text))


def parse_quarter(text: str) -> Period:
    found = _QUARTER.match(text)
    if found and 1 <= int(found[1]) <= 9998:
        return Period.quarter(int(found[1]), int(found[2]))
    raise ValidationError(
        "quarter", tr("季度“{text}”无效：应写作 2026-Q4 这样的年-季度（Q1–Q4）", text=text)
    )
