"""The command line: `minqing [--db PATH|URL] [--user NAME] [--json] COMMAND …`.

Each command group lives in its own module with a `register(subparsers)` function that adds
its parsers and sets `func` to a handler `(args) -> int`. Handlers call core services only.
Errors the user can fix exit 2 with one Chinese line; anything else is logged, exit 1.

Once the office has accounts, every command that opens the database needs `--user` (the
password from MINQING_PASSWORD, or asked for on a terminal), reading included: lists and
shows carry residents' names and phones. Handlers pass `actor(args)` to the services, which
refuse what the account's role may not do, exactly as in the window.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from minqing import __version__

log = logging.getLogger("minqing")

# argparse's own words (usage, headings, its error messages), in Chinese. argparse looks its
# texts up through the module's gettext functions when it builds and runs a parser, so they
# are swapped in while ours does (see `_chinese`) and left alone for anyone else.
_ARGPARSE_TEXT = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示这段帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项，可选：%(choices)s",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的%(type)s",
    "expected one argument": "后面要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "not allowed with argument %s": "不能和 %s 同时使用",
    "one of the arguments %s is required": "必须给出 %s 中的一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令“%(parser_name)s”，可选：%(choices)s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "expected %s argument": "后面要跟 %s 个值",
    "expected %s arguments": "后面要跟 %s 个值",
}
_TYPE_NAMES = {"int": "整数", "float": "数字", "date_arg": "日期"}


def _translate(text: str) -> str:
    return _ARGPARSE_TEXT.get(text, text)


def _translate_n(singular: str, plural: str, n: int) -> str:
    return _translate(singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _translate_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """A usage mistake is one Chinese line on stderr and exit 2 (the help says the rest)."""

    def error(self, message: str) -> NoReturn:
        for name, label in _TYPE_NAMES.items():
            message = message.replace(f"有效的{name}", f"有效的{label}")
        if "可选：" in message:
            head, choices = message.split("可选：", 1)
            message = head + "可选：" + choices.replace("'", "").replace(", ", "、")
        self.exit(2, f"错误：{message.rstrip('。')}。用“{self.prog} -h”查看用法。\n")

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _chinese():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _chinese():
            return super().parse_args(*args, **kwargs)

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()


def build_parser() -> argparse.ArgumentParser:
    with _chinese():
        return _build_parser()


def _build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="minqing", description="民情流水线：社区民情受理、办理、公示反馈与跟踪监督。"
    )
    parser.add_argument("--db", help="数据库文件路径或 postgresql:// 地址（默认：用户数据文件夹）")
    parser.add_argument(
        "--user", help="以哪个账号操作（密码取自环境变量 MINQING_PASSWORD，或在终端输入）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出数据")
    parser.add_argument(
        "--version", action="version", version=f"minqing {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--self-check", action="store_true", help="打开临时数据库、构建主窗口后退出（用于检查安装）"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Real import statements, so a build cannot silently lose a command group.
    from minqing.cli import (
        admin,
        calendar,
        cards,
        cases,
        demo,
        exchange,
        init,
        members,
        printing,
        residents,
        search,
        stats,
        suggest,
        transfer,
    )

    for group in (
        init,
        demo,
        calendar,
        cases,
        search,
        admin,
        printing,
        residents,
        cards,
        stats,
        exchange,
        members,
        suggest,
        transfer,
    ):
        group.register(sub)
    return parser


def date_arg(text: str) -> dt.date:
    """An argparse type for dates: a bad one is a usage error with the expected form."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 2026-11-01。") from None


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print data as JSON with --json, else the human text (or data as lines). Control
    characters in text saved before validation refused them are dropped, so no stored ESC
    sequence ever drives the terminal (JSON escapes them anyway)."""
    from minqing.core.validate import strip_controls

    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(strip_controls(str(text if text is not None else data)))


def open_db(args: argparse.Namespace) -> Any:
    """Opens the database and signs the `--user` in (see the module docstring)."""
    from minqing.core.storage.db import open_database

    opened = open_database(args.db)
    args.signed_in = _sign_in(
        getattr(args, "user", None), changing_password=getattr(args, "command", "") == "password"
    )
    return opened


def _sign_in(user: str | None, *, changing_password: bool = False) -> Any:
    """The staff member `user` names, signed in; an account that must choose a new password
    may do only that (`minqing password`), as in the window."""
    from minqing.core.accounts import services as accounts
    from minqing.core.errors import MinqingError

    if not accounts.has_accounts():
        return None
    if not user:
        raise MinqingError(
            "这个数据库已设账号：请用 --user 用户名 登录"
            "（密码放在环境变量 MINQING_PASSWORD 里，或在终端输入）。"
        )
    staff = accounts.sign_in(user, password(user))
    if not changing_password and accounts.get_account(staff).must_change_password:
        raise MinqingError(
            f"{staff.name}的密码是管理员设置的临时密码，请先改成自己的密码再操作："
            f"minqing --user {user} password（新密码放在环境变量 MINQING_NEW_PASSWORD 里，"
            "或在终端输入）。"
        )
    return staff


def password(user: str, variable: str = "MINQING_PASSWORD", prompt: str = "密码") -> str:
    """A password from the environment, or typed on a terminal; never from the command line
    (other users of the PC can read a process's arguments)."""
    from minqing.core.errors import MinqingError

    value = os.environ.get(variable)
    if value is None:
        if not sys.stdin.isatty():
            raise MinqingError(f"请在环境变量 {variable} 里给出{user}的{prompt}。")
        value = getpass.getpass(f"{user} 的{prompt}：")
    return value


def actor(args: argparse.Namespace) -> Any:
    """The signed-in staff member, or None for an office without accounts."""
    return getattr(args, "signed_in", None)


def named_staff(args: argparse.Namespace, name: str | None, option: str, action: str = "") -> Any:
    """A staff member named by `--by`/`--responder`. Once `--user` signs someone in the name is
    never silently ignored: it must be the signed-in person, or (with `action`, the
    first-responder rule) the signed-in person's role must allow naming someone else."""
    from minqing.core.accounts import permissions
    from minqing.core.community import find_staff, the_community
    from minqing.core.errors import DomainError

    signed_in = actor(args)
    if not name:
        return signed_in
    named = find_staff(the_community(), name)
    if signed_in is None or named.id == signed_in.id:
        return named
    if action:
        permissions.require(signed_in, action)
        return named
    raise DomainError(
        option.lstrip("-"),
        f"已用 --user 以{signed_in.name}的身份登录，操作记在登录的人名下；"
        f"不能再用 {option} 指定{named.name}。请去掉 {option}，或用{named.name}的账号登录。",
    )


def main(argv: Sequence[str] | None = None) -> int:
    from minqing.logs import setup_logging

    setup_logging()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # a usage mistake (2, message printed) or -h / --version (0)
        if stop.code in (0, None):
            raise
        return int(stop.code) if isinstance(stop.code, int) else 2
    if args.self_check:
        from minqing.app import run_self_check

        return run_self_check()
    if args.command is None:
        from minqing.app import run_window

        return run_window(args.db)
    from minqing.core.errors import MinqingError
    from minqing.core.storage.failures import user_error

    try:
        check_arguments(args)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
        return code
    except BrokenPipeError:
        # `minqing case list | head -1`: the reader has what it wanted; end quietly, and point
        # stdout at nothing so the interpreter's own flush at exit can't fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:
        mapped = exc if isinstance(exc, MinqingError) else user_error(exc)
        if mapped is not None:
            print(f"错误：{mapped}", file=sys.stderr)
            return 2
        from minqing.logs import log_file

        log.exception("command failed: %s", args.command)  # never argv: it may hold personal data
        print(f"程序出现意外错误，详情已写入日志：{log_file()}", file=sys.stderr)
        return 1


OUTPUT_OPTIONS = {"out": "--out", "excel": "--excel"}
COUNT_OPTIONS = {"limit": "--limit", "cases": "--cases"}


def check_arguments(args: argparse.Namespace) -> None:
    """Options many commands share, checked once: an output file goes into a folder that
    exists (never made for it: a typo should not create folders), counts are not negative."""
    from minqing.core.errors import DomainError

    for name, option in OUTPUT_OPTIONS.items():
        value = getattr(args, name, None)
        if isinstance(value, str):
            output_file(name, value, option)
    for name, option in COUNT_OPTIONS.items():
        value = getattr(args, name, None)
        if isinstance(value, int) and value < 0:
            raise DomainError(name, f"{option} 不能是负数（现在是 {value}），请给 0 或正整数。")


def output_file(field: str, value: str, option: str) -> Path:
    from minqing.core.errors import DomainError

    target = Path(value).expanduser()
    if not value.strip() or target.is_dir():
        raise DomainError(field, f"{option} 应是一个文件名（现在是“{value}”）。")
    folder = target.parent
    if not folder.is_dir():
        raise DomainError(
            field, f"{option} 的文件夹“{folder}”不存在。请先建好这个文件夹，或换一个位置。"
        )
    return target
