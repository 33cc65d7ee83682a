"""公示: the cases handled in a period, for the notice board. Personal details are masked here,
in the document, so no caller can forget it; only cases marked for posting are accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from minqing.core.cases.public import NoticeRow, public
from minqing.printing.common import (
    Document,
    Office,
    Output,
    PrintResult,
    Progress,
    chinese_date,
    chinese_period,
    month_bounds,
    paper_size,
    printed_on,
)
from minqing.printing.table import Column, Layout, render_table

__all__ = ["NoticeRow", "render_notice"]

COLUMNS = [
    Column("编号", 3.1, "center"),
    Column("受理日期", 2.3, "center"),
    Column("反映人", 3.0),
    Column("服务窗口", 2.4, "center"),
    Column("反映事项", 6.6),
    Column("办理情况", 6.6),
    Column("办理结果", 2.4, "center"),
]
RED = HexColor("#B71C1C")
GREY = HexColor("#555555")
SEAL = 45 * mm  # room for a 42 mm round seal
# Read on a notice board from a metre or two: body 12 pt on A4, 16 pt on A3.
BODY = {"A4": 12.0, "A3": 16.0}


def _cells(row: NoticeRow) -> list[str]:
    cells = public(row).cells
    cells[1] = f"{row.intake_date.month}月{row.intake_date.day}日"
    return cells


def render_notice(
    office: Office,
    rows: Sequence[NoticeRow],
    out: Output,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    paper: str = "A4",
    red: bool = False,
) -> PrintResult:
    """One posting period (公示期) per sheet set, landscape; the caller picks the period (by
    default this month); without one, the month of `today`. It ends once with the issuer (the
    residents' committee), the date and a 45 mm seal box; `red` adds the 红头 on page 1."""
    posted = [r for r in rows if r.posted_on is not None]
    day = today or dt.date.today()
    if start is None or end is None:
        first, last = month_bounds(day)
        start, end = start or first, end or last
    size = BODY[paper.strip().upper()] if paper.strip().upper() in BODY else BODY["A4"]
    scale = size / BODY["A4"]
    title = f"{office.name}民情办理公示"
    doc = Document(out, paper_size(paper, landscape_=True), title, office.name)
    period = f"公示期：{chinese_period(start, end)}"
    stamp = f"打印日期：{printed_on(day)}"
    margin = 14 * mm * scale

    red_h = 22 * mm * scale if red else 0.0

    def header(d: Document, page: int, pages: int) -> None:
        d.pen.face = "song"
        top = d.height
        if red and page == 1:
            issuer_size = 26 * scale
            d.pen.text(
                d.width / 2,
                top - 14 * mm * scale,
                office.committee_issuer,
                issuer_size,
                align="center",
                bold=True,
                color=RED,
            )
            d.canvas.setStrokeColor(RED)
            d.canvas.setLineWidth(2)
            d.canvas.line(margin, top - 19 * mm * scale, d.width - margin, top - 19 * mm * scale)
            d.canvas.setStrokeColorRGB(0, 0, 0)
            top -= red_h
        d.pen.text(d.width / 2, top - 16 * mm * scale, title, 24 * scale, align="center", bold=True)
        d.pen.text(margin, top - 25 * mm * scale, period, size, bold=True)
        d.pen.text(
            d.width - margin,
            top - 25 * mm * scale,
            f"本期公示 {len(posted)} 件    {stamp}",
            size * 0.9,
            align="right",
        )
        hot = office.hotline or office.hotline2
        if hot:
            d.pen.text(
                margin,
                16 * mm * scale,
                f"如对办理结果有意见，请拨打民情热线 {hot}，"
                "或投入民情信箱。为保护居民隐私，姓名、电话、住址已部分隐去。",
                size * 0.9,
            )
        d.pen.face = "sans"

    cells = [_cells(r) for r in posted] or [["", "", "", "", "本期没有需要公示的民情。", "", ""]]
    layout = Layout(
        size=size,
        margin=margin,
        head=30 * mm * scale,
        first_head=30 * mm * scale + red_h,
        foot=9 * mm * scale,
        footer_size=size * 0.9,
        reserve=8 * mm * scale,
        end_room=SEAL + 6 * mm,
    )

    def end(d: Document, y: float) -> None:
        """The issuer and date beside the seal box, right-aligned under the last row."""
        d.pen.face = "song"
        right = d.width - margin
        box_x, box_y = right - SEAL, y - SEAL - 4 * mm
        d.canvas.setStrokeColor(HexColor("#BBBBBB"))
        d.canvas.setDash(3, 2)
        d.canvas.setLineWidth(0.6)
        d.canvas.rect(box_x, box_y, SEAL, SEAL)
        d.canvas.setDash()
        d.canvas.setStrokeColorRGB(0, 0, 0)
        d.pen.text(
            box_x + SEAL / 2, box_y + SEAL / 2 - 4, "（盖章）", 11, align="center", color=GREY
        )
        d.pen.text(
            box_x - 8 * mm, box_y + SEAL - 12 * mm, office.committee_issuer, size, align="right"
        )
        d.pen.text(box_x - 8 * mm, box_y + SEAL - 22 * mm, chinese_date(day), size, align="right")
        d.pen.face = "sans"

    ok = render_table(doc, COLUMNS, cells, header, layout=layout, progress=progress, after=end)
    return doc.finish(len(posted), cancelled=not ok)
