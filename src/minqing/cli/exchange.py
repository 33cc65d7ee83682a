"""`minqing import 12345 FILE.xlsx [--dry-run]`, `minqing export 12345 --out FILE.xlsx`,
`minqing export open311 --out FILE.json`: exchanging cases with the city's platforms.

The import prints every bad row with its number and reason and then refuses the whole file;
`--dry-run` shows what would happen and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt

from minqing.cli import actor, emit, named_staff, open_db
from minqing.core import community, validate
from minqing.core.cases import open311
from minqing.core.channels import city_orders
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Community, Staff


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="导入外部数据：12345热线交办工单（Excel）")
    kinds = imp.add_subparsers(dest="kind", metavar="KIND", required=True)
    hotline = kinds.add_parser("12345", help="导入12345热线交办工单，每条工单登记为一条民情")
    hotline.add_argument("file", help="工单表格（.xlsx）")
    hotline.add_argument("--dry-run", action="store_true", help="只检查并预览，不写入")
    hotline.add_argument(
        "--window",
        help=f"诉求类别不是服务窗口名称时归入的窗口（默认：{city_orders.DEFAULT_WINDOW}）",
    )
    hotline.add_argument("--by", help="首问责任人（姓名；默认：第一位在岗的前台工作人员）")
    hotline.set_defaults(func=_import_12345)

    exp = sub.add_parser("export", help="导出数据：12345工单答复（Excel）、Open311（JSON）")
    kinds = exp.add_subparsers(dest="kind", metavar="KIND", required=True)
    replies = kinds.add_parser("12345", help="导出12345工单的办理答复，交回热线平台")
    replies.add_argument("--out", required=True, help="输出文件（.xlsx）")
    _period(replies, "按工单受理日期")
    replies.set_defaults(func=_export_12345)
    georeport = kinds.add_parser(
        "open311", help="导出为 Open311 GeoReport v2 服务请求（不含居民姓名、电话、身份证号）"
    )
    georeport.add_argument("--out", required=True, help="输出文件（.json）")
    _period(georeport, "按受理日期")
    georeport.set_defaults(func=_export_open311)


def _period(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--from", dest="start", help=f"开始日期（{what}，如 2026-11-01）")
    parser.add_argument("--to", dest="end", help="结束日期（含当天）")


def _dates(args: argparse.Namespace) -> tuple[dt.date | None, dt.date | None]:
    start = validate.date_value("start", args.start, "开始日期")
    end = validate.date_value("end", args.end, "结束日期")
    if start and end and start > end:
        raise DomainError("start", "开始日期不能晚于结束日期。")
    return start, end


def _responder(office: Community, name: str | None) -> Staff:
    if name:
        return community.find_staff(office, name)
    active = Staff.select().where((Staff.community == office) & (Staff.active == True))  # noqa: E712
    person = active.where(Staff.role == "front_desk").order_by(Staff.id).first()
    person = person or active.order_by(Staff.id).first()
    if person is None:
        raise NotFound("社区里还没有在岗的工作人员，无法指定首问责任人。请用 --by 指定。")
    return person


def _import_12345(args: argparse.Namespace) -> int:
    open_db(args)
    office = community.the_community()
    preview = city_orders.read(args.file, window=args.window)
    responder = (
        named_staff(args, args.by, "--by", "case.choose_responder")
        if actor(args)
        else _responder(office, args.by)
    )
    data = {
        "new": [
            {
                "row": r.row,
                "order_number": r.order_number,
                "window": r.window,
                "suggested": r.suggested,
                "text": r.text,
            }
            for r in preview.new
        ],
        "existing": [
            {"row": row, "order_number": order, "case": number}
            for row, order, number in preview.existing
        ],
        "bad": [
            {"row": b.row, "order_number": b.order_number, "reason": b.reason} for b in preview.bad
        ],
        "created": [],
        "dry_run": args.dry_run,
    }
    lines = [f"表头在第 {preview.header_row} 行；{preview.summary()}。"]
    lines += [
        f"  {r.row:>4}  {r.order_number}  → {r.window}{'（按内容推荐）' if r.suggested else ''}"
        f"  {r.text[:30]}"
        for r in preview.new
    ]
    if preview.bad:
        lines.append("有问题的行：")
        lines += [f"  {b}" for b in preview.bad]
        emit(args, data, "\n".join(lines))
        raise DomainError(
            "file", f"有 {len(preview.bad)} 行有问题，整个文件没有导入。请改正后重新导入。"
        )
    if args.dry_run:
        lines.append(f"预览完毕，没有写入（首问责任人将是 {responder.name}）。")
        emit(args, data, "\n".join(lines))
        return 0
    result = city_orders.apply(preview, first_responder=responder, actor=actor(args))
    data["created"] = [{"order_number": o, "case": n} for o, n in result.created]
    lines.append(f"已导入 {len(result.created)} 条工单，跳过已导入的 {result.skipped} 条。")
    lines += [f"  {o} → {n}" for o, n in result.created]
    emit(args, data, "\n".join(lines))
    return 0


def _export_12345(args: argparse.Namespace) -> int:
    open_db(args)
    start, end = _dates(args)
    count = city_orders.export_replies(
        args.out, community.the_community(), start, end, actor=actor(args)
    )
    emit(args, {"file": args.out, "orders": count}, f"已导出 {count} 条工单答复：{args.out}")
    return 0


def _export_open311(args: argparse.Namespace) -> int:
    open_db(args)
    start, end = _dates(args)
    count = open311.export(args.out, community.the_community(), start, end, actor=actor(args))
    emit(
        args,
        {"file": args.out, "requests": count},
        f"已导出 {count} 条服务请求（Open311 GeoReport v2，不含居民姓名、电话、身份证号）："
        f"{args.out}",
    )
    return 0
