"""`minqing check | backup | restore FILE | backups | password` — looking after the database
file, and one's own password (an account whose password an administrator set must change it
before any other command)."""

from __future__ import annotations

import argparse
from pathlib import Path

from minqing.cli import actor, emit, open_db, password
from minqing.core.errors import MinqingError
from minqing.core.storage import backup, health


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    check = sub.add_parser("check", help="检查数据库完整性和结构版本")
    check.set_defaults(func=_check)
    make = sub.add_parser("backup", help="立即备份数据库")
    make.set_defaults(func=_backup)
    restore = sub.add_parser("restore", help="从备份文件恢复（恢复前会先备份当前数据）")
    restore.add_argument("file")
    restore.set_defaults(func=_restore)
    backups = sub.add_parser("backups", help="列出备份")
    backups.set_defaults(func=_list_backups)
    change = sub.add_parser(
        "password",
        help="修改自己的密码（--user 登录；新密码取自环境变量 MINQING_NEW_PASSWORD，或在终端输入）",
    )
    change.set_defaults(func=_change_password)


def _sqlite_path(args: argparse.Namespace) -> Path:
    opened = open_db(args)
    if opened.path is None:
        raise MinqingError("服务器数据库请用 PostgreSQL 自带的 pg_dump 备份。")
    return opened.path


def _check(args: argparse.Namespace) -> int:
    opened = open_db(args)
    report = health.check(opened)
    marks = {(True, False): "", (True, True): "  ← 请注意", (False, False): "  ← 有问题"}
    lines = [
        f"{item.name}：{item.detail}{marks[(item.ok, item.warning and item.ok)]}" for item in report
    ]
    emit(args, [item.__dict__ for item in report], "\n".join(lines))
    return 0 if all(item.ok for item in report) else 3


def _backup(args: argparse.Namespace) -> int:
    path = _sqlite_path(args)
    target = backup.back_up_open(path, actor=actor(args))
    emit(args, {"backup": str(target)}, f"已备份到：{target}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    path = _sqlite_path(args)
    safety = backup.restore_open(path, Path(args.file), actor=actor(args))
    emit(
        args,
        {"restored": args.file, "previous_state_saved_to": str(safety)},
        f"已从“{args.file}”恢复。恢复前的数据已备份到：{safety}",
    )
    return 0


def _list_backups(args: argparse.Namespace) -> int:
    path = _sqlite_path(args)
    files = backup.list_backups(path)
    emit(args, [str(f) for f in files], "\n".join(str(f) for f in files) or "还没有备份。")
    return 0


def _change_password(args: argparse.Namespace) -> int:
    from minqing.core.accounts import services as accounts

    open_db(args)
    staff = actor(args)
    if staff is None:
        raise MinqingError("这个数据库还没有账号，没有密码可改。")
    new = password(args.user, "MINQING_NEW_PASSWORD", "新密码")
    accounts.change_password(staff, password(args.user), new)
    emit(args, {"changed": True}, f"{staff.name}的密码已修改。")
    return 0
