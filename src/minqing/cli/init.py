"""`minqing init` — a new office from the command line (a server set-up has no window)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from minqing.cli import emit
from minqing.core.errors import DomainError, MinqingError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "init",
        help="新建办公室：社区和管理员账号",
        description="在空数据库里创建社区和它的管理员账号（密码取自环境变量 MINQING_PASSWORD，"
        "或在终端输入两次）。之后每个命令都要用 --user 登录。",
    )
    parser.add_argument("--community", required=True, help="社区名称，如 中和社区")
    parser.add_argument("--admin", required=True, help="管理员姓名（也是用户名）")
    parser.add_argument("--hotline", default="", help="民情热线，如 0451-86123456")
    parser.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="片区:负责人:电话",
        help="一个片区及其负责人和专线，可重复，如 第一片区:李红:13900001111",
    )
    parser.set_defaults(func=run)


def _grid(text: str):  # type: ignore[no-untyped-def]
    from minqing.core.community import GridSpec

    parts = [p.strip() for p in text.replace("：", ":").split(":")]
    if not parts[0] or len(parts) > 3:
        raise DomainError(
            "grid", f"片区“{text}”写法不对，应为 片区:负责人:电话，如 第一片区:李红:13900001111。"
        )
    return GridSpec(*(parts + ["", ""])[:3])


def _password() -> str:
    password = os.environ.get("MINQING_PASSWORD")
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise MinqingError("请在环境变量 MINQING_PASSWORD 里给出管理员的密码。")
    first = getpass.getpass("管理员的新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise MinqingError("两次输入的密码不一样，请重新运行。")
    return first


def run(args: argparse.Namespace) -> int:
    from minqing.core.accounts import services as accounts
    from minqing.core.storage.db import open_database

    grids = [_grid(g) for g in args.grid]
    password = _password()
    open_database(args.db)
    account = accounts.set_up_office(
        args.community, args.admin, password, hotline=args.hotline, grids=grids
    )
    community = account.staff.community
    emit(
        args,
        {"community": community.name, "admin": account.username},
        f"已创建“{community.name}”，管理员账号：{account.username}。"
        f"以后请用 minqing --user {account.username} … 操作。",
    )
    return 0
