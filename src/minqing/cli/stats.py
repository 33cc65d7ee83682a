"""`minqing stats --from 2026-11-01 --to 2026-11-30 [--window …] [--json] [--excel FILE]`."""

from __future__ import annotations

import argparse

from minqing.cli import actor, date_arg, emit, open_db
from minqing.core.enums import Channel
from minqing.core.errors import DomainError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("stats", help="统计：响应率、解决率、满意率等，以及各类计数")
    p.add_argument("--from", dest="start", type=date_arg, help="受理日期从 2026-11-01")
    p.add_argument("--to", dest="end", type=date_arg, help="受理日期到（含）")
    p.add_argument("--month", help="整月，如 2026-11（代替 --from/--to）")
    p.add_argument("--window", help="服务窗口")
    p.add_argument("--grid", help="片区")
    p.add_argument("--channel", help="渠道：" + "、".join(c.label for c in Channel))
    p.add_argument("--staff", help="责任人（姓名）")
    p.add_argument("--excel", help="同时导出为 Excel 文件（.xlsx）")
    p.set_defaults(func=_run)


def build_filter(args: argparse.Namespace) -> object:
    from minqing.core import community as community_service
    from minqing.core.supervision import statistics
    from minqing.printing.data import find_grid

    if args.month:
        start, end = statistics.month_range(args.month)
    else:
        if args.start is None or args.end is None:
            raise DomainError("from", "请用 --from 和 --to 给出日期范围，或用 --month 2026-11。")
        start, end = args.start, args.end
    if end < start:
        raise DomainError("to", "结束日期不能早于开始日期。")
    home = community_service.the_community()
    channel = None
    if args.channel:
        try:
            channel = Channel.parse(args.channel).value
        except ValueError:
            choices = "、".join(c.label for c in Channel)
            raise DomainError("channel", f"渠道“{args.channel}”不认识，应为：{choices}。") from None
    return statistics.StatsFilter(
        start,
        end,
        window_id=community_service.find_window(args.window).id if args.window else None,
        grid_id=find_grid(home, args.grid).id if args.grid else None,
        channel=channel,
        staff_id=community_service.find_staff(home, args.staff).id if args.staff else None,
    )


def as_text(stats: object) -> str:
    from minqing.core.supervision.statistics import Statistics

    assert isinstance(stats, Statistics)
    lines = [
        f"统计范围：{stats.filter.describe()}",
        f"受理民情 {stats.total} 件，当前超期 {stats.overdue} 件",
        "",
    ]
    for rate in stats.rates.values():
        d = rate.definition
        lines.append(f"{d.name}  {rate.text:>7}  （{rate.counts}）  {d.formula}")
    m = stats.mediation
    lines += [
        "",
        f"矛盾纠纷调解（司法调解）：受理 {m.reported} 起，排查 {m.screened} 起，"
        f"调解 {m.mediated} 起，调成 {m.succeeded} 起；"
        f"排查率 {m.screening.text}，调成率 {m.success.text}",
    ]
    for title, rows in (
        ("按渠道", stats.by_channel),
        ("按服务窗口", stats.by_window),
        ("按办理类型", stats.by_disposition),
        ("按环节", stats.by_stage),
        ("按片区", stats.by_grid),
        ("民情信息员（按受理人）", stats.by_informant),
    ):
        lines.append(
            f"{title}：" + "，".join(f"{k} {v}" for k, v in rows if v) if rows else f"{title}：无"
        )
    if stats.faults:
        lines.append(
            "问题（按责任人）："
            + "；".join(
                f"{f.owner} {f.total}（能办未办 {f.not_handled}，超时办理 {f.late}，"
                f"未及时答复 {f.not_answered}）"
                for f in stats.faults
            )
        )
    if stats.recurring:
        lines.append("反复出现的问题（近三个月同一窗口、同一楼院）：")
        lines += [
            f"  {r.window}  {r.place}  {r.count} 件（未办结 {r.still_open}）"
            for r in stats.recurring[:10]
        ]
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from minqing.core.supervision import statistics

    open_db(args)
    flt = build_filter(args)
    assert isinstance(flt, statistics.StatsFilter)
    stats = statistics.compute(flt, actor=actor(args))
    if args.excel:
        from minqing.core.supervision.statistics_export import export_statistics

        if not args.excel.lower().endswith(".xlsx"):
            raise DomainError("excel", "Excel 文件名应以 .xlsx 结尾。")
        export_statistics(args.excel, stats, actor=actor(args))
    emit(args, stats.to_dict(), as_text(stats))
    return 0
