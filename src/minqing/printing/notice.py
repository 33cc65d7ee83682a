"""公示: the cases handled in a period, for the notice board. Personal details are masked here,
in the document, so no caller can forget it; only cases marked for posting are accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from minqing.core.cases.public import NoticeRow, public
from minqing.printing.common import (
    Document,
    Office,
    Output,
    PrintResult,
    Progress,
    chinese_date,
    printed_on,
)
from minqing.printing.table import Column, render_table

__all__ = ["NoticeRow", "render_notice"]

COLUMNS = [
    Column("编号", 1.25, "center"),
    Column("受理日期", 1.1, "center"),
    Column("反映人", 1.3),
    Column("服务窗口", 1.0, "center"),
    Column("反映事项", 4.2),
    Column("办理情况", 4.2),
    Column("办理结果", 1.3, "center"),
]


def render_notice(
    office: Office,
    rows: Sequence[NoticeRow],
    out: Output,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    posted = [r for r in rows if r.posted_on is not None]
    title = f"{office.name}民情办理公示"
    doc = Document(out, landscape(A4), title, office.name)
    if start and end:
        period = f"公示期间：{chinese_date(start)}至{chinese_date(end)}"
    else:
        period = ""
    stamp = f"打印日期：{printed_on(today)}"

    def header(d: Document, page: int, pages: int) -> None:
        d.pen.text(d.width / 2, d.height - 13 * mm, title, 17, align="center", bold=True)
        d.pen.text(12 * mm, d.height - 20 * mm, period or f"共 {len(posted)} 件", 9)
        d.pen.text(
            d.width - 12 * mm,
            d.height - 20 * mm,
            f"{stamp}    共 {len(posted)} 件",
            9,
            align="right",
        )
        hot = office.hotline or office.hotline2
        if hot:
            d.pen.text(
                12 * mm,
                6 * mm,
                f"如对办理结果有意见，请拨打民情热线 {hot}，"
                "或投入民情信箱。为保护居民隐私，姓名、电话、住址已部分隐去。",
                7.5,
            )

    cells = [public(r).cells for r in posted] or [
        ["", "", "", "", "本期没有需要公示的民情。", "", ""]
    ]
    ok = render_table(doc, COLUMNS, cells, header, progress=progress)
    return doc.finish(len(posted), cancelled=not ok)
