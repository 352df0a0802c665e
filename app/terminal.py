"""What both command lines (``squaddesk-cli``, ``squaddesk-server``) share: exit codes, one-line
messages that survive any terminal encoding, and a parser that reports mistakes in one line."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from app.i18n import tr

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def say(text: str, stream: TextIO | None = None) -> None:
    """Print and flush; characters the terminal cannot show become ``?`` instead of a crash."""
    out = sys.stdout if stream is None else stream
    try:
        print(text, file=out, flush=True)
    except UnicodeEncodeError:
        encoding = out.encoding or "ascii"
        print(text.encode(encoding, "replace").decode(encoding), file=out, flush=True)


def say_error(message: str) -> None:
    say(one_line(message), sys.stderr)


def one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split()) or tr("未知错误")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class OneLineParser(argparse.ArgumentParser):
    """Reports a bad command line in one line (plus exit 2), not argparse's usage block."""

    def error(self, message: str) -> NoReturn:
        say_error(
            tr(
                "命令行有误：{reason}（运行“{prog} --help”查看用法）",
                reason=message,
                prog=self.prog,
            )
        )
        raise SystemExit(EXIT_USAGE)
