"""The statistics as an Excel workbook: one sheet per table the panel shows, each under the
filter it was computed for. Shared by the statistics panel, `stats --excel` and the monthly
report's .xlsx twin; the permission (stats.view) and the export log are decided here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minqing.core.accounts import audit, permissions
from minqing.core.models import Staff
from minqing.core.spreadsheet import Column, Sheet, write_workbook
from minqing.core.supervision.statistics import Statistics

WIDTH = 16
PERCENT = "0.0%"


def _columns(*headers: str) -> list[Column]:
    return [
        Column(h, 60, wrap=True)
        if h == "计算方法"
        else Column(h, WIDTH, PERCENT if h in ("数值", "上期") else None)
        for h in headers
    ]


def sheets(stats: Statistics, previous: Statistics | None = None) -> list[Sheet]:
    rates = [(r, previous.rates.get(k) if previous else None) for k, r in stats.rates.items()]
    rates += [
        (stats.mediation.screening, previous.mediation.screening if previous else None),
        (stats.mediation.success, previous.mediation.success if previous else None),
    ]
    m = stats.mediation
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            "指标",
            ["指标", "数值", "分子", "分母", "上期", "计算方法"],
            [
                ["受理民情（件）", stats.total, "", "", previous.total if previous else "", ""],
                ["当前超期（件）", stats.overdue, "", "", previous.overdue if previous else "", ""],
            ]
            + [
                [
                    r.definition.name,
                    r.value,
                    r.numerator,
                    r.denominator,
                    p.value if p else "",
                    r.definition.formula,
                ]
                for r, p in rates
            ],
        ),
        (
            "调解",
            ["受理纠纷", "排查", "调解", "调成"],
            [[m.reported, m.screened, m.mediated, m.succeeded]],
        ),
        ("按渠道", ["渠道", "件数"], [list(x) for x in stats.by_channel]),
        ("按窗口", ["服务窗口", "件数"], [list(x) for x in stats.by_window]),
        ("按办理类型", ["办理类型", "件数"], [list(x) for x in stats.by_disposition]),
        ("按环节", ["环节", "件数"], [list(x) for x in stats.by_stage]),
        ("按片区", ["片区", "件数"], [list(x) for x in stats.by_grid]),
        ("按责任人", ["责任人", "件数"], [list(x) for x in stats.by_owner]),
        ("民情信息员", ["受理人", "件数"], [list(x) for x in stats.by_informant]),
        ("满意度", ["最近一次回访", "件数"], [list(x) for x in stats.satisfaction]),
        (
            "问题",
            ["责任人", "能办未办", "超时办理", "未及时答复", "合计"],
            [[f.owner, f.not_handled, f.late, f.not_answered, f.total] for f in stats.faults],
        ),
        (
            "反复出现",
            ["服务窗口", "楼院", "件数", "未办结", "首次", "最近"],
            [[r.window, r.place, r.count, r.still_open, r.first, r.last] for r in stats.recurring],
        ),
        (
            "每日受理" if len(stats.trend) <= 62 else "每月受理",
            ["日期", "件数"],
            [list(x) for x in stats.trend],
        ),
    ]
    caption = f"统计范围：{stats.filter.describe()}"
    return [
        Sheet(title, _columns(*headers), rows, caption=caption, total=len(rows))
        for title, headers, rows in tables
    ]


def export_statistics(
    path: str | Path,
    stats: Statistics,
    previous: Statistics | None = None,
    *,
    what: str = "民情统计",
    actor: Staff | None = None,
) -> int:
    """Write the workbook (the statistics name staff with their faults: stats.view, logged)."""
    permissions.require(actor, "stats.view")
    write_workbook(path, sheets(stats, previous))
    audit.log_export(actor, what, stats.total, path)  # counted in cases, as the panel shows
    return stats.total
