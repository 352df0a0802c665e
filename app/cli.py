"""``squaddesk-cli``: demo data, whole-database JSON export/import, sync and reports (DESIGN §4).
No Qt. The report commands live in ``app.cli_reports``.

Every subcommand takes ``--data-dir DIR`` (before or after its name; default: env
``SQUADDESK_DATA_DIR``, else the per-user data dir) and the global ``--lang zh_CN|en``
(default: env ``SQUADDESK_LANG``, else Chinese). Exit 0 on success with a short summary on
stdout; an expected failure prints exactly one line on stderr and exits 1 (2 for bad command
lines) with nothing changed; a bug prints one ``内部错误`` line and logs the traceback to
``DIR/logs/cli-error.log``, never to the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from app.cli_reports import add_report_parser
from app.domain.errors import AppError
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language, tr
from app.paths import resolve_data_dir
from app.sync.labels import table_label
from app.terminal import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    OneLineParser,
    one_line,
    say,
    say_error,
)

PROG = "squaddesk-cli"
LANG_ENV = "SQUADDESK_LANG"
ERROR_LOG = Path("logs") / "cli-error.log"
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})
DEFAULT_SEED = 42
PROGRESS_SECONDS = 3.0

Handler = Callable[[argparse.Namespace, Path], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; returns the exit status (never raises, never prints a traceback)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(arguments))
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:  # --help, or a usage error already reported in one line
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    data_dir: Path | None = None
    try:
        data_dir = resolve_data_dir(args.data_dir)
        handler: Handler = args.handler
        return handler(args, data_dir)
    except AppError as error:
        say_error(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        say_error(tr("已中断；本次操作没有保存任何更改"))
        return EXIT_INTERRUPTED
    except Exception as error:
        log = _log_internal_error(data_dir, arguments)
        detail = f"{type(error).__name__}: {error}"
        if log is None:
            say_error(tr("内部错误：{error}", error=_shorten(detail)))
        else:
            say_error(tr("内部错误：{error}（详情见 {log}）", error=_shorten(detail), log=log))
        return EXIT_FAILED


# -- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description=tr("SquadDesk 招商小分队工作台命令行：演示数据、整库导出与导入、同步、报表"),
    )
    _add_common(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help=tr("生成演示数据（仅用于空的数据目录）"))
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help=tr("small：几百家企业；large：10 万家企业的性能测试数据集（默认 small）"),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=tr("随机种子，相同种子生成相同数据（默认 {seed}）", seed=DEFAULT_SEED),
    )
    _add_common(demo, default=argparse.SUPPRESS)
    demo.set_defaults(handler=run_demo)

    export = commands.add_parser("export", help=tr("把整个数据库导出为 JSON 文件"))
    export.add_argument("--out", required=True, metavar="FILE.json", help=tr("导出文件路径"))
    _add_common(export, default=argparse.SUPPRESS)
    export.set_defaults(handler=run_export)

    load = commands.add_parser(
        "import",
        help=tr(
            "导入 JSON 导出文件（按记录 id 更新或新增，可重复导入），"
            "或导入 .xlsx/.csv 企业名单（按表头自动对应列）"
        ),
    )
    load.add_argument("file", metavar="FILE.json|FILE.xlsx|FILE.csv", help=tr("要导入的文件"))
    load.add_argument(
        "--on-duplicate",
        choices=("update", "skip"),
        default="skip",
        help=tr("企业名单中已有的企业：update 用表中非空的值更新，skip 跳过（默认 skip）"),
    )
    load.add_argument(
        "--rejected-out",
        metavar="FILE.xlsx",
        help=tr("把未导入的行及原因写入此 .xlsx 文件"),
    )
    _add_common(load, default=argparse.SUPPRESS)
    load.set_defaults(handler=run_import)

    sync = commands.add_parser(
        "sync", help=tr("与单位服务器同步：上传本机的更改，下载其他人的更改")
    )
    sync.add_argument("--server", required=True, metavar="URL", help=tr("服务器地址（https://…）"))
    sync.add_argument("--user", required=True, metavar="NAME", help=tr("用户名"))
    sync.add_argument(
        "--confirm-deletions",
        action="store_true",
        help=tr("服务器一次删除本机大量记录时也继续（默认停止并提示）"),
    )
    _add_common(sync, default=argparse.SUPPRESS)
    sync.set_defaults(handler=run_sync)
    add_report_parser(commands, _add_common)
    return parser


def _add_common(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help=tr("数据目录（默认取环境变量 SQUADDESK_DATA_DIR，否则为用户数据目录）"),
    )
    parser.add_argument(
        "--lang",
        choices=tuple(LANGUAGES),
        default=default,
        help=tr("界面语言（默认取环境变量 SQUADDESK_LANG，否则为简体中文）"),
    )


def _language_from(arguments: list[str]) -> str:
    """``--lang`` is needed before the parser is built (help texts are translated)."""
    language = os.environ.get(LANG_ENV) or DEFAULT_LANGUAGE
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(arguments):
            language = arguments[index + 1]
        elif argument.startswith("--lang="):
            language = argument.split("=", 1)[1]
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


# -- subcommands ----------------------------------------------------------------------------


def run_demo(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        from app.demo.generator import DemoSize, build_demo
    except ImportError as error:
        raise AppError(tr("此版本没有附带演示数据生成器")) from error
    from app.database.opening import open_local_database

    size = DemoSize(args.size)
    database = open_local_database(data_dir, create=True)
    try:
        progress = _DemoProgress() if size == DemoSize.LARGE else None
        summary = build_demo(database, size, args.seed, progress=progress)
    finally:
        database.dispose()
    total = sum(summary.counts.values())
    say(
        tr(
            "已在“{path}”生成演示数据（{size}，种子 {seed}）：共 {total} 条记录，用时 {seconds} 秒",
            path=str(data_dir),
            size=args.size,
            seed=args.seed,
            total=f"{total:,}",
            seconds=f"{summary.seconds:.1f}",
        )
    )
    for table, count in summary.counts.items():
        label = table_label(table)
        say(tr("  {label}：{count}", label=label, count=f"{count:,}"))
    return EXIT_OK


class _DemoProgress:
    """Progress lines on stderr: each stage when it starts, then every tenth of the way."""

    def __init__(self) -> None:
        self._label = ""
        self._tenths = -1

    def __call__(self, label: str, done: int, total: int) -> None:
        tenths = done * 10 // total if total else 10
        if label == self._label and tenths <= self._tenths:
            return
        self._label, self._tenths = label, tenths
        say(
            tr(
                "{label}：{done}/{total}（{percent}%）",
                label=label,
                done=f"{done:,}",
                total=f"{total:,}",
                percent=tenths * 10,
            ),
            sys.stderr,
        )


def run_export(args: argparse.Namespace, data_dir: Path) -> int:
    from app.database.opening import open_local_database
    from app.exchange.json_export import export_json

    database = open_local_database(data_dir, create=False)
    try:
        summary = export_json(database, Path(args.out), _table_progress(tr("已导出")))
    finally:
        database.dispose()
    say(
        tr(
            "已导出 {count} 条记录到“{path}”（用时 {seconds} 秒）",
            count=f"{summary.total:,}",
            path=str(summary.path),
            seconds=f"{summary.seconds:.1f}",
        )
    )
    return EXIT_OK


def run_import(args: argparse.Namespace, data_dir: Path) -> int:
    from app.database.opening import has_database, open_local_database
    from app.exchange.json_import import apply_export, load_export
    from app.services.workspace import Workspace

    started = time.perf_counter()
    path = Path(args.file)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _run_list_import(args, data_dir, path)
    existed = has_database(data_dir)
    database = open_local_database(data_dir, create=False) if existed else None
    try:
        loaded = load_export(path)
        if database is None:
            loaded.refuse_dangling()  # an empty database cannot hold what the file lacks
            database = open_local_database(data_dir, create=True)
        actor = Workspace(database, data_dir).actor("import")
        summary = apply_export(database, loaded, actor, _table_progress(tr("已导入")))
    finally:
        if database is not None:
            database.dispose()
    say(
        tr(
            "已导入：新增 {inserted} 条，更新 {updated} 条，未变 {unchanged} 条"
            "（用时 {seconds} 秒）",
            inserted=f"{summary.inserted:,}",
            updated=f"{summary.updated:,}",
            unchanged=f"{summary.unchanged:,}",
            seconds=f"{time.perf_counter() - started:.1f}",  # reading and checking included
        )
    )
    return EXIT_OK


REJECTED_SHOWN = 20


def _run_list_import(args: argparse.Namespace, data_dir: Path, path: Path) -> int:
    """``import FILE.xlsx|csv``: an enterprise list, columns mapped by their headers."""
    from app.database.opening import has_database, open_local_database
    from app.domain.errors import ImportProblem
    from app.importers.columns import ColumnMapping
    from app.importers.sheets import read_sheet
    from app.services.enterprise_import import EnterpriseImportService
    from app.services.enterprise_import_views import OnDuplicate
    from app.services.workspace import Workspace

    if not has_database(data_dir):  # a file refused as a whole must not leave a database
        sheet = read_sheet(path)
        if not ColumnMapping.detect(sheet.headers).has_name:
            raise ImportProblem(
                tr("“{file}”中找不到企业名称列；未导入任何数据", file=sheet.file_name)
            )
    database = open_local_database(data_dir, create=True)
    try:
        service = EnterpriseImportService(Workspace(database, data_dir))
        result = service.run(path, on_duplicate=OnDuplicate(args.on_duplicate))
        written = None
        if args.rejected_out and result.rejected:
            written = service.export_rejected(result, Path(args.rejected_out))
    finally:
        database.dispose()
    summary = tr(
        "已导入企业名单“{file}”：新增 {created} 家，更新 {updated} 家，跳过重复 {skipped} 家，"
        "未导入 {rejected} 行（用时 {seconds} 秒）",
        file=result.file_name,
        created=f"{result.created:,}",
        updated=f"{result.updated:,}",
        skipped=f"{result.skipped:,}",
        rejected=f"{len(result.rejected):,}",
        seconds=f"{result.seconds:.1f}",
    )
    if result.unchanged:
        summary += tr("；另有 {count} 家已有企业无需更新", count=f"{result.unchanged:,}")
    say(summary)
    for row in result.rejected[:REJECTED_SHOWN]:
        say(tr("  第 {row} 行：{reason}", row=row.number, reason=row.reason), sys.stderr)
    hidden = len(result.rejected) - REJECTED_SHOWN
    if hidden > 0 and written is None:
        say(
            tr(
                "  另有 {count} 行未列出；用 --rejected-out FILE.xlsx 导出全部未导入的行",
                count=hidden,
            ),
            sys.stderr,
        )
    if written is not None:
        say(tr("未导入的行及原因已写入“{path}”", path=str(written)))
    return EXIT_OK


def run_sync(args: argparse.Namespace, data_dir: Path) -> int:
    """Password: env ``SQUADDESK_PASSWORD``, else the keyring, else asked on the terminal."""
    from app.database.opening import open_local_database
    from app.services.sync_account import normalise_server_url
    from app.services.workspace import Workspace
    from app.sync.credentials import resolve_password
    from app.sync.engine import SyncEngine
    from app.sync.errors import SyncProblem

    server_url = normalise_server_url(args.server)
    username = args.user.strip()
    if not username:
        raise AppError(tr("请用 --user 指定用户名"))
    database = open_local_database(data_dir, create=True)
    try:
        workspace = Workspace(database, data_dir)
        if workspace.demo_label() is not None:
            raise SyncProblem("demo", tr("演示数据库不能同步（演示数据只在本机使用）"))
        password = resolve_password(server_url, username)
        if not password:
            raise SyncProblem(
                "password_needed",
                tr("没有密码：请设置环境变量 SQUADDESK_PASSWORD，或在终端中运行以便输入密码"),
            )
        engine = SyncEngine(workspace, password=password, server_url=server_url, username=username)
        report = engine.run(progress=_sync_progress(), confirm_mass_delete=args.confirm_deletions)
    finally:
        database.dispose()
    say(
        tr(
            "已同步：上传 {pushed} 条，下载 {pulled} 条，冲突 {conflicts} 条，被拒 {rejected} 条",
            pushed=f"{report.pushed:,}",
            pulled=f"{report.pulled:,}",
            conflicts=f"{report.conflicts:,}",
            rejected=f"{report.rejected:,}",
        )
    )
    notice = report.restore_notice()
    if notice is not None:
        say(notice)
    return EXIT_OK


def _sync_progress() -> Callable[[str, int, int], None] | None:
    """Sync progress on stderr when a person watches the terminal, at most every few seconds."""
    if not sys.stderr.isatty():
        return None
    last: dict[str, float] = {}

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage in last and now - last[stage] < PROGRESS_SECONDS:
            return
        last[stage] = now
        shown = f"{done:,}/{total:,}" if total else f"{done:,}"
        say(f"{stage}: {shown}", sys.stderr)

    return report


def _table_progress(verb: str) -> Callable[[str, int], None] | None:
    """Rows done per table on stderr, only when a person is watching the terminal: at the
    first report of each table, then at most every few seconds."""
    if not sys.stderr.isatty():
        return None
    last: dict[str, float] = {}

    def report(table: str, rows: int) -> None:
        now = time.monotonic()
        if table in last and now - last[table] < PROGRESS_SECONDS:
            return
        last[table] = now
        say(f"{verb} {table}: {rows:,}", sys.stderr)

    return report


# -- output ---------------------------------------------------------------------------------


def _shorten(text: str, limit: int = 300) -> str:
    flat = one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _log_internal_error(data_dir: Path | None, arguments: list[str]) -> Path | None:
    """Append the current traceback to the data dir's error log (else the temp dir's)."""
    candidates = [data_dir / ERROR_LOG] if data_dir is not None and data_dir.is_dir() else []
    candidates.append(Path(tempfile.gettempdir()) / "squaddesk-cli-error.log")
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    entry = f"--- {stamp} {PROG} {' '.join(arguments)}\n{traceback.format_exc()}\n"
    for path in candidates:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as log:
                log.write(entry)
        except OSError:
            continue
        return path
    return None


if __name__ == "__main__":
    raise SystemExit(main())
