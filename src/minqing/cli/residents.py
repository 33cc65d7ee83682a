"""`minqing residents import FILE.xlsx [--dry-run] [--skip-bad]` and
`minqing residents export --out FILE.xlsx [--grid …]` — the resident ledger (台账) in Excel."""

from __future__ import annotations

import argparse

from minqing.cli import actor, emit, open_db
from minqing.core.errors import DomainError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("residents", help="居民台账：从 Excel 导入、导出到 Excel")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="从 .xlsx 台账导入居民和住户（先预览，再写入）")
    imp.add_argument("file", help="Excel 文件（.xlsx）")
    imp.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    imp.add_argument(
        "--skip-bad",
        action="store_true",
        help="有问题的行跳过，其余照常导入（默认：有问题则不导入）",
    )
    imp.set_defaults(func=_import)
    exp = actions.add_parser("export", help="把居民台账导出为 .xlsx")
    exp.add_argument("--out", required=True, help="输出的 .xlsx 文件")
    exp.add_argument("--grid", help="只导出这个片区")
    exp.set_defaults(func=_export)


def _import(args: argparse.Namespace) -> int:
    from minqing.core.community import the_community
    from minqing.core.registry import ledger_import

    open_db(args)
    community = the_community()
    ledger = ledger_import.read_ledger(args.file)
    plan = ledger_import.make_plan(ledger, community)
    data = {
        "sheet": ledger.sheet,
        "header_row": ledger.header_row,
        "columns": {ledger_import.FIELDS[k]: ledger.headers[c] for k, c in ledger.mapping.items()},
        "add": plan.count("add"),
        "update": plan.count("update"),
        "unchanged": plan.count("skip"),
        "blank": plan.blank,
        "errors": [{"row": e.row, "reason": e.reason} for e in plan.errors],
        "written": False,
    }
    columns = "，".join(f"{k}←“{v}”" for k, v in data["columns"].items())
    text = [f"工作表“{ledger.sheet}”，表头在第 {ledger.header_row} 行；{columns}", plan.report()]
    if args.dry_run:
        text.append("预览完毕，未写入任何数据。")
    elif plan.errors and not args.skip_bad:
        emit(args, data, "\n".join(text))
        raise DomainError(
            "file",
            f"有 {len(plan.errors)} 行有问题，未导入任何数据。"
            "请修改后重试，或加 --skip-bad 跳过这些行。",
        )
    else:
        made = ledger_import.apply_plan(plan, actor=actor(args))
        data["written"] = True
        data["households_created"] = made["households"]
        text.append(
            f"已导入：新增 {made['add']} 人，更新 {made['update']} 人，"
            f"新建住户 {made['households']} 户。"
        )
    emit(args, data, "\n".join(text))
    return 0


def _export(args: argparse.Namespace) -> int:
    from minqing.core.community import the_community
    from minqing.core.models import Household, Resident
    from minqing.core.registry import ledger_export
    from minqing.printing.data import find_grid

    if not args.out.lower().endswith(".xlsx"):
        raise DomainError("out", "输出文件名应以 .xlsx 结尾。")
    open_db(args)
    community = the_community()
    ids = None
    if args.grid:
        grid = find_grid(community, args.grid)
        ids = [
            r.id
            for r in Resident.select(Resident.id)
            .join(Household)
            .where(Household.grid == grid)
            .order_by(Resident.id)
        ]
    written = ledger_export.export_registry(args.out, community, ids, actor=actor(args))
    emit(args, {"out": args.out, "rows": written}, f"已导出 {written} 位居民到 {args.out}")
    return 0
