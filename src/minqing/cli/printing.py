"""`minqing print cards|receipt|notice|register|flowchart --out FILE.pdf` — printed PDFs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from minqing.cli import actor, date_arg, emit, open_db
from minqing.core.errors import DomainError

if TYPE_CHECKING:
    from minqing.core.cases.queries import CaseFilter


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pr = sub.add_parser(
        "print", help="打印连心卡、校准页、受理回执、公示、受理日志、流程图、承诺书（PDF）"
    )
    docs = pr.add_subparsers(dest="document", metavar="DOCUMENT", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = docs.add_parser(name, help=help_text)
        p.add_argument("--out", required=True, help="输出的 PDF 文件")
        p.set_defaults(func=_run)
        return p

    cards = add("cards", "民情连心卡：每户一张，A4 每页十张，正反面（未发卡的住户登记为已发卡）")
    cards.add_argument("--grid", help="只打印这个片区（名称或编号）")
    cards.add_argument(
        "--programme", help="五彩连心卡：橙色夕阳卡、绿色春雷卡、红色爱心卡、粉色帮扶卡、蓝色关爱卡"
    )
    cards.add_argument(
        "--no-record", action="store_true", help="不登记发卡（没有发过卡的住户不印卡号）"
    )
    cards.add_argument(
        "--layout", help="卡纸版式：cut（自己裁切，默认）、c32011（85×54 预切）、cn90（90×54 预切）"
    )
    cal = add("calibration", "连心卡校准页：双面打印后量出正反面偏移")
    cal.add_argument("--layout", help="卡纸版式（同 print cards）")
    receipt = add("receipt", "受理回执（A5）")
    receipt.add_argument("number", help="受理编号")
    receipt.add_argument("--counterfoil", action="store_true", help="下方加存根（社区留存）")
    notice = add("notice", "民情办理公示（一个公示期，默认本月；只含标记公示的民情，隐去个人信息）")
    notice.add_argument(
        "--from", dest="start", type=date_arg, help="公示期开始 2024-05-01（默认本月1日）"
    )
    notice.add_argument("--to", dest="end", type=date_arg, help="公示期结束（默认本月最后一天）")
    notice.add_argument("--paper", default="A4", help="纸张：A4（默认，横向）或 A3")
    notice.add_argument("--red-header", action="store_true", help="加红头（发文单位见社区设置）")
    reg = add("register", "民情受理日志")
    reg.add_argument("--from", dest="start", type=date_arg, help="受理日期从")
    reg.add_argument("--to", dest="end", type=date_arg, help="受理日期到")
    reg.add_argument("--window", help="服务窗口")
    reg.add_argument("--stage", help="环节")
    reg.add_argument("--disposition", help="五件制类型")
    reg.add_argument("--grid", help="片区")
    flow = add("flowchart", "民情流水线服务流程图（海报）")
    flow.add_argument("--paper", default="A4", help="纸张：A4（默认）或 A3（上墙海报）")
    com = add("commitments", "党员公开承诺书：整季度（党组织承诺书 + 每名党员一页）")
    com.add_argument("--quarter", required=True, help="季度，如 2026Q4")
    com.add_argument("--member", action="append", default=[], help="只打印这名党员（可重复）")
    com.add_argument("--branch", action="store_true", help="只打印党组织公开承诺书")
    com.add_argument("--paper", default="A4", help="纸张：A4（默认）或 A3（上墙公示）")
    com.add_argument("--a3", action="store_true", help=argparse.SUPPRESS)  # = --paper A3
    com.add_argument("--red-header", action="store_true", help="加红头（发文单位见社区设置）")
    opts = docs.add_parser(
        "settings", help="打印设置：发文单位、党组织承诺、不拆开的词、卡纸与偏移"
    )
    opts.add_argument("--committee", help="居委会发文单位（空字符串恢复默认“<社区>居民委员会”）")
    opts.add_argument("--branch", help="党组织名称（空字符串恢复默认“<社区>党支部”）")
    opts.add_argument("--pledge", action="append", help="党组织自己的承诺，一条一个（可重复）")
    opts.add_argument("--no-break", help="排版时不拆开的词，用“、”分隔，如 办理时限、院落")
    opts.add_argument("--card-layout", help="卡纸版式：cut、c32011、cn90")
    opts.add_argument("--front-offset", help="正面偏移（毫米）：向右,向上，如 0.5,-1")
    opts.add_argument("--back-offset", help="背面偏移（毫米）：向右,向上")
    opts.set_defaults(func=_run_settings)
    report = docs.add_parser("report", help="民情工作月报（PDF，或 .xlsx 得到 Excel）")
    report.add_argument("--month", required=True, help="月份，如 2026-11")
    report.add_argument("--out", required=True, help="输出文件：.pdf 或 .xlsx")
    report.set_defaults(func=_run_report)


def _progress(done: int, total: int) -> bool:
    if sys.stderr.isatty() and total:
        print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr)
    return True


def _run_report(args: argparse.Namespace) -> int:
    from minqing.printing.documents import print_monthly_report

    if not args.out.lower().endswith((".pdf", ".xlsx")):
        raise DomainError("out", "输出文件名应以 .pdf 或 .xlsx 结尾。")
    open_db(args)
    result = print_monthly_report(args.out, month=args.month, actor=actor(args))
    if result.warning:
        print(f"注意：{result.warning}", file=sys.stderr)
    emit(
        args,
        {"out": args.out, "pages": result.pages, "cases": result.items},
        f"已生成 {args.out}（{result.pages} 页，本月受理 {result.items} 件）"
        if result.pages
        else f"已生成 {args.out}（本月受理 {result.items} 件）",
    )
    return 0


def _offset(text: str | None, current: tuple[float, float]) -> tuple[float, float]:
    if text is None:
        return current
    try:
        dx, dy = (float(v) for v in text.replace("，", ",").split(","))
    except ValueError:
        raise DomainError("offset", f"偏移“{text}”应写成 向右,向上 的毫米数，如 0.5,-1。") from None
    return dx, dy


def _run_settings(args: argparse.Namespace) -> int:
    from minqing.core.community import the_community
    from minqing.printing import data

    open_db(args)
    who = actor(args)
    changing = any(
        v is not None
        for v in (
            args.committee, args.branch, args.pledge, args.no_break, args.card_layout,
            args.front_offset, args.back_offset,
        )
    )  # fmt: skip
    if changing:
        from minqing.core.accounts import permissions

        permissions.require(who, "programme.edit")
        front, back = data.card_offsets()
        front, back = _offset(args.front_offset, front), _offset(args.back_offset, back)
        data.save_print_settings(
            committee=args.committee,
            branch=args.branch,
            branch_pledges=args.pledge,
            no_break_words=args.no_break.replace(",", "、").split("、")
            if args.no_break is not None
            else None,
        )
        if args.card_layout or args.front_offset or args.back_offset:
            data.save_card_settings(args.card_layout, front, back)
    current = data.print_settings()
    office = data.load_office(the_community())
    (fx, fy), (bx, by) = current.offsets
    emit(
        args,
        {
            "committee": office.committee_issuer,
            "branch": office.branch_issuer,
            "branch_pledges": list(current.branch_pledges),
            "no_break_words": list(current.no_break_words),
            "card_layout": current.card_layout,
            "front_offset": [fx, fy],
            "back_offset": [bx, by],
        },
        "\n".join(
            [
                f"居委会发文单位：{office.committee_issuer}",
                f"党组织：{office.branch_issuer}",
                "党组织承诺：" + ("；".join(current.branch_pledges) or "（默认）"),
                "不拆开的词：" + ("、".join(current.no_break_words) or "（仅内置）"),
                f"卡纸版式：{current.card_layout}",
                f"正面偏移：向右 {fx} 毫米，向上 {fy} 毫米；背面偏移：向右 {bx} 毫米，向上 {by} 毫米",
            ]
        ),
    )
    return 0


def _paper(text: str) -> str:
    paper = text.strip().upper()
    if paper not in ("A4", "A3"):
        raise DomainError("paper", f"纸张“{text}”不认识，应为 A4 或 A3。")
    return paper


def _choice(enum: Any, text: str, field: str, what: str) -> str:
    try:
        return str(enum.parse(text).value)
    except ValueError:
        names = "、".join(item.label for item in enum)
        raise DomainError(field, f"{what}“{text}”不认识，应为：{names}。") from None


def register_filter(args: argparse.Namespace) -> CaseFilter:
    """The register's options as the case list's filter: names become ids here."""
    from minqing.core.cases.queries import CaseFilter
    from minqing.core.community import the_community
    from minqing.core.enums import Disposition, Stage
    from minqing.core.models import Window
    from minqing.printing.data import find_grid

    community = the_community()
    window_id = None
    if args.window:
        window = Window.get_or_none(Window.name == args.window.strip())
        if window is None:
            names = "、".join(w.name for w in Window.select().order_by(Window.sort))
            raise DomainError("window", f"找不到服务窗口“{args.window}”。可选：{names}")
        window_id = window.id
    return CaseFilter(
        date_from=args.start,
        date_to=args.end,
        window_id=window_id,
        grid_id=find_grid(community, args.grid).id if args.grid else None,
        stage=_choice(Stage, args.stage, "stage", "环节") if args.stage else None,
        disposition=(
            _choice(Disposition, args.disposition, "disposition", "类型")
            if args.disposition
            else None
        ),
    )


def _run(args: argparse.Namespace) -> int:
    from minqing.printing import documents

    if not args.out.lower().endswith(".pdf"):
        raise DomainError("out", "输出文件名应以 .pdf 结尾。")
    open_db(args)
    who = actor(args)
    kind = args.document
    if kind == "cards":
        result = documents.print_cards(
            args.out,
            grid=args.grid,
            programme=args.programme,
            progress=_progress,
            actor=who,
            record=not args.no_record,
            layout=args.layout,
        )
    elif kind == "calibration":
        result = documents.print_card_calibration(args.out, layout=args.layout)
    elif kind == "receipt":
        result = documents.print_receipt(
            args.number, args.out, counterfoil=args.counterfoil, actor=who
        )
    elif kind == "notice":
        result = documents.print_notice(
            args.out,
            start=args.start,
            end=args.end,
            progress=_progress,
            actor=who,
            paper=_paper(args.paper),
            red=args.red_header,
        )
    elif kind == "register":
        result = documents.print_register(
            args.out,
            register_filter(args),
            mask_personal=False,  # full phones if core's rule allows this user
            progress=_progress,
            actor=who,
        )
    elif kind == "commitments":
        result = documents.print_commitments(
            args.out,
            quarter=args.quarter,
            members=args.member,
            branch=args.branch,
            a3=args.a3 or _paper(args.paper) == "A3",
            red=args.red_header,
            progress=_progress,
            actor=who,
        )
    else:
        result = documents.print_flowchart(args.out, paper=_paper(args.paper))
    if result.warning:
        print(f"注意：{result.warning}", file=sys.stderr)
    emit(
        args,
        {
            "out": str(result.path),
            "pages": result.pages,
            "items": result.items,
            "missing": "".join(result.missing),
        },
        f"已生成 {result.path}（{result.pages} 页，{result.items} 项）",
    )
    return 0
