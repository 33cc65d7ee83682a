"""`minqing [--user ADMIN] transfer --to URL | --from URL [--replace]` — moving the office's
data between its SQLite file and a PostgreSQL server (or any two databases), counts checked
afterwards. Once accounts exist, only an administrator may (on both databases): a transfer
copies full ID numbers and phones, and is logged as such (see core.storage.transfer)."""

from __future__ import annotations

import argparse
import sys

from minqing.cli import emit, password
from minqing.core.storage.db import resolve_url, shown_url


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "transfer",
        help="把数据转移到另一个数据库（如 PostgreSQL 服务器），或从它取回一份",
        description="复制全部数据（含完整的身份证号和电话）并核对每张表的行数。"
        "--to：从当前数据库（--db）复制到 URL；"
        "--from：从 URL 复制到当前数据库（例如把服务器数据存成一个 SQLite 备份文件）。"
        "已设账号的数据库只允许管理员转移：用 --user 登录，两边都要是管理员；"
        "转移记入两边的操作记录和导出记录。",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="URL", help="目标：postgresql://用户@主机/库名 或 文件路径")
    where.add_argument(
        "--from", dest="source", metavar="URL", help="来源：postgresql://… 或文件路径"
    )
    parser.add_argument("--replace", action="store_true", help="目标已有数据时覆盖它")
    parser.set_defaults(func=_transfer)


def _transfer(args: argparse.Namespace) -> int:
    from minqing.core.storage.transfer import Credentials, copy_database

    current = resolve_url(args.db)
    source, target = (current, args.to) if args.to else (args.source, current)

    def progress(table: str, done: int, total: int) -> None:
        if not args.json and total >= 20000 and (done == total or done % 20000 == 0):
            print(f"{table}：{done}/{total}", file=sys.stderr)

    credentials = Credentials(args.user, password(args.user)) if args.user else None
    counts = copy_database(
        source, target, replace=args.replace, progress=progress, credentials=credentials
    )
    rows = sum(c.target for c in counts)
    emit(
        args,
        {
            "from": shown_url(source),
            "to": shown_url(target),
            "tables": [c.__dict__ for c in counts],
        },
        f"已转移 {len(counts)} 张表、共 {rows} 行，行数核对一致："
        f"{shown_url(source)} → {shown_url(target)}",
    )
    return 0
