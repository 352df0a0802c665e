"""``squaddesk-server``: serve, manage users, import a client export (DESIGN §4).

    squaddesk-server --database-url URL --data-dir DIR [--host H] [--port P] [--workers N]
    squaddesk-server --database-url URL --data-dir DIR user add NAME --squad SQUAD --role ROLE
    squaddesk-server … user list | user revoke NAME | user passwd NAME
    squaddesk-server … import FILE.json --squad NAME
    squaddesk-server … migrate
    squaddesk-server … backup --out FILE|DIR
    squaddesk-server … restore FILE [--force]

Serving is the default when no command is given. ``--database-url`` defaults to env
``SQUADDESK_DATABASE_URL``, then a SQLite file in the data dir; ``--data-dir`` to env
``SQUADDESK_SERVER_DATA_DIR``. Passwords come from env ``SQUADDESK_PASSWORD``, else the
terminal. Bad input prints one line on stderr and exits non-zero, never a traceback (a bug's
traceback goes to ``DIR/logs/server-error.log``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from app.domain.vocabulary import Role
from app.i18n import DEFAULT_LANGUAGE, set_language, tr
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
from server.backup_cli import add_backup_commands
from server.config import (
    DATA_DIR_ENV,
    DEFAULT_HOST,
    DEFAULT_PORT,
    MIGRATE_ENV,
    ConfigProblem,
    ServerConfig,
)

PROG = "squaddesk-server"
PASSWORD_ENV = "SQUADDESK_PASSWORD"
LANG_ENV = "SQUADDESK_LANG"
ERROR_LOG = Path("logs") / "server-error.log"
PROGRESS_SECONDS = 3.0

Handler = Callable[[argparse.Namespace, ServerConfig], int]


class CommandProblem(Exception):
    """An expected failure of a command; the message (translated) is printed as is."""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(os.environ.get(LANG_ENV) or DEFAULT_LANGUAGE)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    config: ServerConfig | None = None
    try:
        config = _config(args)
        handler: Handler = getattr(args, "handler", run_serve)
        return handler(args, config)
    except KeyboardInterrupt:
        say_error(tr("已中断"))
        return EXIT_INTERRUPTED
    except Exception as error:
        message = _expected_message(error)
        if message is None:
            log = _log_internal_error(config, arguments)
            message = tr("内部错误：{error}（详情见 {log}）", error=one_line(repr(error)), log=log)
        say_error(message)
        return EXIT_FAILED


def _expected_message(error: Exception) -> str | None:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from server.accounts import AccountProblem
    from server.backup_format import BackupProblem
    from server.export_reader import ReadProblem
    from server.importer import ImportRefused

    expected = CommandProblem | ConfigProblem | AccountProblem | ImportRefused | BackupProblem
    if isinstance(error, expected):
        return str(error)
    if isinstance(error, ReadProblem):
        return tr("{message}；未导入任何数据", message=str(error))
    if isinstance(error, ArgumentError | NoSuchModuleError):
        return tr("数据库地址无效：{reason}", reason=one_line(str(error)))
    if isinstance(error, OperationalError):
        return tr("无法使用数据库：{reason}", reason=one_line(str(error.orig or error)))
    return None


# -- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description=tr("SquadDesk 同步服务器"))
    _add_database(parser, default=None)
    _add_listen(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    serve = commands.add_parser("serve", help=tr("启动服务器（不写命令时的默认操作）"))
    _add_database(serve, default=argparse.SUPPRESS)
    _add_listen(serve, default=argparse.SUPPRESS)
    serve.set_defaults(handler=run_serve)

    migrate = commands.add_parser("migrate", help=tr("把数据库升级到当前版本"))
    _add_database(migrate, default=argparse.SUPPRESS)
    migrate.set_defaults(handler=run_migrate)

    user = commands.add_parser("user", help=tr("管理用户"))
    user_commands = user.add_subparsers(
        dest="user_command", metavar="ACTION", required=True, parser_class=OneLineParser
    )
    add = user_commands.add_parser("add", help=tr("添加用户（小分队不存在时一并创建）"))
    add.add_argument("name", metavar="NAME", help=tr("用户名"))
    add.add_argument("--squad", required=True, metavar="SQUAD", help=tr("所属小分队名称"))
    add.add_argument(
        "--role", required=True, choices=[role.value for role in Role], help=tr("角色")
    )
    add.set_defaults(handler=run_user_add)
    listing = user_commands.add_parser("list", help=tr("列出用户"))
    listing.set_defaults(handler=run_user_list)
    revoke = user_commands.add_parser("revoke", help=tr("吊销用户的全部登录令牌"))
    revoke.add_argument("name", metavar="NAME", help=tr("用户名"))
    revoke.set_defaults(handler=run_user_revoke)
    passwd = user_commands.add_parser("passwd", help=tr("修改用户密码（同时吊销其登录令牌）"))
    passwd.add_argument("name", metavar="NAME", help=tr("用户名"))
    passwd.set_defaults(handler=run_user_passwd)
    for sub in (add, listing, revoke, passwd):
        _add_database(sub, default=argparse.SUPPRESS)

    load = commands.add_parser("import", help=tr("用客户端导出的 JSON 文件为服务器导入数据"))
    load.add_argument("file", metavar="FILE.json", help=tr("squaddesk-cli export 写出的文件"))
    load.add_argument(
        "--squad", required=True, metavar="NAME", help=tr("没有小分队的记录归入此小分队")
    )
    _add_database(load, default=argparse.SUPPRESS)
    load.set_defaults(handler=run_import)

    add_backup_commands(commands, lambda sub: _add_database(sub, default=argparse.SUPPRESS))
    return parser


def _add_database(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--database-url",
        metavar="URL",
        default=default,
        help=tr(
            "数据库地址（默认取环境变量 SQUADDESK_DATABASE_URL，否则为数据目录中的 SQLite 文件）"
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help=tr("服务器数据目录（附件文件、默认数据库；默认取环境变量 {env}）", env=DATA_DIR_ENV),
    )


def _add_listen(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--host", default=default, help=tr("监听地址（默认 {host}）", host=DEFAULT_HOST)
    )
    parser.add_argument(
        "--port", type=int, default=default, help=tr("监听端口（默认 {port}）", port=DEFAULT_PORT)
    )
    parser.add_argument("--workers", type=int, default=default, help=tr("工作进程数（默认 1）"))


def _config(args: argparse.Namespace) -> ServerConfig:
    data_dir = args.data_dir or os.environ.get(DATA_DIR_ENV)
    if not data_dir:
        raise CommandProblem(
            tr("请用 --data-dir 指定服务器数据目录（或设置环境变量 {env}）", env=DATA_DIR_ENV)
        )
    config = ServerConfig.resolve(args.database_url, data_dir)
    host = getattr(args, "host", None) or DEFAULT_HOST
    port = getattr(args, "port", None)
    workers = getattr(args, "workers", None)
    port = DEFAULT_PORT if port is None else port
    workers = 1 if workers is None else workers
    if not 0 <= port <= 65535:
        raise CommandProblem(tr("端口 {port} 无效（应为 0–65535）", port=port))
    if workers < 1:
        raise CommandProblem(tr("工作进程数 {workers} 无效（至少为 1）", workers=workers))
    return ServerConfig(config.database_url, config.data_dir, host, port, workers)


# -- commands -------------------------------------------------------------------------------


def run_serve(_args: argparse.Namespace, config: ServerConfig) -> int:
    import uvicorn

    from server.app import create_app, open_database

    if config.workers == 1:
        uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info")
        return EXIT_OK
    open_database(config).dispose()  # migrate once, before the workers start
    os.environ.update(config.environment())
    os.environ[MIGRATE_ENV] = "0"
    uvicorn.run(
        "server.app:app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers,
        log_level="info",
    )
    return EXIT_OK


def run_migrate(_args: argparse.Namespace, config: ServerConfig) -> int:
    from server.app import open_database

    database = open_database(config)
    revision = database.revision()
    database.dispose()
    say(tr("数据库已是当前版本（{revision}）", revision=revision))
    return EXIT_OK


def run_user_add(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.accounts import add_user, check_username
    from server.app import open_database

    check_username(args.name)
    password = _password(tr("用户 {name} 的密码：", name=args.name), confirm=True)
    database = open_database(config)
    try:
        added = add_user(database, args.name, args.squad, Role(args.role), password)
    finally:
        database.dispose()
    squad = (
        tr("新建小分队“{squad}”", squad=added.squad_name)
        if added.squad_created
        else tr("小分队“{squad}”", squad=added.squad_name)
    )
    say(
        tr(
            "已添加用户 {name}（{role}，{squad}）",
            name=added.username,
            role=added.role.label,
            squad=squad,
        )
    )
    return EXIT_OK


def run_user_list(_args: argparse.Namespace, config: ServerConfig) -> int:
    from server.accounts import list_users
    from server.app import open_database

    database = open_database(config)
    try:
        lines = list_users(database)
    finally:
        database.dispose()
    if not lines:
        say(tr("还没有用户；用“{prog} user add”添加", prog=PROG))
    for line in lines:
        state = tr("启用") if line.active else tr("停用")
        say(
            tr(
                "{name}\t{role}\t{squad}\t{state}\t有效令牌 {tokens}",
                name=line.username,
                role=_role_label(line.role),
                squad=line.squad_name,
                state=state,
                tokens=line.live_tokens,
            )
        )
    return EXIT_OK


def _role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def run_user_revoke(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.accounts import revoke_user
    from server.app import open_database

    database = open_database(config)
    try:
        count = revoke_user(database, args.name)
    finally:
        database.dispose()
    say(tr("已吊销用户 {name} 的 {count} 个登录令牌", name=args.name, count=count))
    return EXIT_OK


def run_user_passwd(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.accounts import set_password
    from server.app import open_database

    password = _password(tr("用户 {name} 的新密码：", name=args.name), confirm=True)
    database = open_database(config)
    try:
        count = set_password(database, args.name, password)
    finally:
        database.dispose()
    say(tr("已修改用户 {name} 的密码，并吊销了 {count} 个登录令牌", name=args.name, count=count))
    return EXIT_OK


def run_import(args: argparse.Namespace, config: ServerConfig) -> int:
    from server.app import open_database
    from server.importer import import_export

    database = open_database(config)
    try:
        summary = import_export(database, Path(args.file), args.squad, _Progress())
    finally:
        database.dispose()
    rate = summary.total_inserted / summary.seconds if summary.seconds else 0.0
    say(
        tr(
            "已导入 {inserted} 条记录（服务器上已有 {present} 条，未改动），用时 {seconds} 秒，"
            "每秒 {rate} 条",
            inserted=f"{summary.total_inserted:,}",
            present=f"{summary.total_present:,}",
            seconds=f"{summary.seconds:.1f}",
            rate=f"{rate:,.0f}",
        )
    )
    return EXIT_OK


class _Progress:
    """A line on stderr every few seconds while a long import runs."""

    def __init__(self) -> None:
        self._last = time.monotonic()

    def __call__(self, table: str, done: int) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_SECONDS:
            self._last = now
            say(tr("正在导入 {table}：{done} 条", table=table, done=f"{done:,}"), sys.stderr)


def _password(prompt: str, *, confirm: bool) -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise CommandProblem(tr("请设置环境变量 {env} 或在终端中运行以输入密码", env=PASSWORD_ENV))
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass(tr("再输入一次：")) != password:
        raise CommandProblem(tr("两次输入的密码不一致"))
    return password


# -- output ---------------------------------------------------------------------------------


def _log_internal_error(config: ServerConfig | None, arguments: list[str]) -> str:
    directory = config.data_dir if config is not None else Path.cwd()
    path = directory / ERROR_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now(dt.UTC).isoformat()} {PROG} {' '.join(arguments)}\n")
            log.write(traceback.format_exc())
    except OSError:
        return tr("（无法写入错误日志）")
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
