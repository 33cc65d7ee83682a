"""`minqing demo`: make the demo 中和社区, or top it up to N cases."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import Any

from minqing.cli import emit, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="生成演示社区（中和社区）或补足演示民情",
        description="空数据库：生成中和社区（3690 户、11136 人）和一年的民情；"
        "已是演示数据库：补足到指定数量的民情（只添加缺少的）。同一种子生成完全相同的数据。",
    )
    parser.add_argument("--cases", type=int, default=2000, help="民情总数（默认 2000）")
    parser.add_argument(
        "--seed", type=int, default=1, help="随机种子（默认 1；补足时沿用首次的种子）"
    )
    parser.add_argument(
        "--reference",
        type=dt.date.fromisoformat,
        default=None,
        help="参照日期 YYYY-MM-DD：民情分布在它之前的 365 天（默认今天）",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from minqing.core import demo

    open_db(args)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not args.json:
            print(f"\r生成民情 {done}/{total}", end="", file=sys.stderr, flush=True)

    result = demo.build(args.cases, args.seed, args.reference, progress=progress)
    if result.added and not args.json:
        print(file=sys.stderr)
    seconds = round(time.perf_counter() - started, 1)
    data = {
        "community": result.community.name,
        "created": result.created,
        "seed": result.seed,
        "reference": result.reference.isoformat(),
        "added": result.added,
        "cases": result.cases,
        "seconds": seconds,
    }
    what = "已生成演示社区" if result.created else "演示社区已存在"
    text = (
        f"{what}“{result.community.name}”（种子 {result.seed}，参照日期 {result.reference}）："
        f"新增民情 {result.added} 条，共 {result.cases} 条，用时 {seconds} 秒。"
    )
    emit(args, data, text)
    return 0
