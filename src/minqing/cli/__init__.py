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
import datetime as dt
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from minqing import __version__

log = logging.getLogger("minqing")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minqing", description="民情流水线：社区民情受理、办理、公示反馈与跟踪监督。"
    )
    parser.add_argument("--db", help="数据库文件路径或 postgresql:// 地址（默认：用户数据文件夹）")
    parser.add_argument(
        "--user", help="以哪个账号操作（密码取自环境变量 MINQING_PASSWORD，或在终端输入）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出数据")
    parser.add_argument("--version", action="version", version=f"minqing {__version__}")
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
        members,
        printing,
        residents,
        search,
        stats,
        suggest,
        transfer,
    )

    for group in (
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
    """Print data as JSON with --json, else the human text (or data as lines)."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        print(text)
    else:
        print(data)


def open_db(args: argparse.Namespace) -> Any:
    """Opens the database and signs the `--user` in (see the module docstring)."""
    from minqing.core.storage.db import open_database

    opened = open_database(args.db)
    args.signed_in = _sign_in(getattr(args, "user", None))
    return opened


def _sign_in(user: str | None) -> Any:
    from minqing.core.accounts import services as accounts
    from minqing.core.errors import MinqingError

    if not accounts.has_accounts():
        return None
    if not user:
        raise MinqingError(
            "这个数据库已设账号：请用 --user 用户名 登录"
            "（密码放在环境变量 MINQING_PASSWORD 里，或在终端输入）。"
        )
    password = os.environ.get("MINQING_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise MinqingError("请在环境变量 MINQING_PASSWORD 里给出密码。")
        password = getpass.getpass(f"{user} 的密码：")
    return accounts.sign_in(user, password)


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
    args = parser.parse_args(argv)
    if args.self_check:
        from minqing.app import run_self_check

        return run_self_check()
    if args.command is None:
        from minqing.app import run_window

        return run_window(args.db)
    from minqing.core.errors import MinqingError

    try:
        return int(args.func(args) or 0)
    except MinqingError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:
        from minqing.logs import log_file

        log.exception("command failed: %s", argv)
        print(f"程序出现意外错误，详情已写入日志：{log_file()}", file=sys.stderr)
        return 1
