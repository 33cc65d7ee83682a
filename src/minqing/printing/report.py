"""民情工作月报: the month's numbers and rates against the previous month, overdue and reopened
cases, faults, recurring matters and charts — a PDF for the leaders, and the same as Excel.

The rates' formulas are printed beside them from `core.rates`, the text the panel shows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import JOIN
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from minqing.core.accounts import permissions
from minqing.core.cases.pipeline import OPEN_STAGES
from minqing.core.community import the_community
from minqing.core.enums import Stage
from minqing.core.models import Case, Grid, Staff, Window
from minqing.core.supervision import statistics, statistics_export
from minqing.core.supervision.rates import ALL_RATES, Rate, change_text
from minqing.core.supervision.statistics import Statistics, StatsFilter
from minqing.printing import data
from minqing.printing.common import (
    Document,
    Office,
    Output,
    PrintResult,
    chinese_period,
    printed_on,
)
from minqing.printing.fonts import text_width

BAR = HexColor("#3A78B5")
GRID_LINE = HexColor("#999999")
HEAD_FILL = HexColor("#EEEEEE")
MARGIN = 15 * mm
LIST_LIMIT = 25
RECURRING_LIMIT = 15
HEADING_H = 11 * mm
BAR_ROW = 5.2 * mm


@dataclass(frozen=True)
class CaseLine:
    number: str
    intake_date: dt.date
    window: str
    owner: str
    due_date: dt.date | None
    stage: str
    reopen_count: int
    text: str


@dataclass
class MonthlyReport:
    month: str  # 2026-11
    current: Statistics
    previous: Statistics
    overdue: list[CaseLine]
    overdue_total: int
    reopened: list[CaseLine]
    reopened_total: int
    # with a zero row for every grid, grid worker and window that had nothing this month
    by_grid: list[tuple[str, int]] = field(default_factory=list)
    by_owner: list[tuple[str, int]] = field(default_factory=list)
    by_window: list[tuple[str, int]] = field(default_factory=list)


def with_zeros(items: Sequence[tuple[str, int]], names: Sequence[str]) -> list[tuple[str, int]]:
    """Every name in its order (0 when absent), then whatever else was counted."""
    counts = dict(items)
    out = [(name, counts.pop(name, 0)) for name in names]
    return out + list(counts.items())


def _lines(flt: StatsFilter, condition: Any, *order: Any) -> tuple[list[CaseLine], int]:
    where = flt.cases() & condition
    total = Case.select().where(where).count()
    rows = (
        Case.select(
            Case.number,
            Case.intake_date,
            Window.name,
            Staff.name,
            Case.due_date,
            Case.stage,
            Case.reopen_count,
            Case.text,
        )
        .join(Window, on=(Case.window == Window.id))
        .switch(Case)
        .join(Staff, JOIN.LEFT_OUTER, on=(Case.owner == Staff.id))
        .where(where)
        .order_by(*order, Case.due_date, Case.id)
        .limit(LIST_LIMIT)
        .tuples()
    )
    lines = [
        CaseLine(n, d, w, o or "未指定", due, Stage(s).label, r, t.replace("\n", " "))
        for n, d, w, o, due, s, r, t in rows
    ]
    return lines, total


def load_report(
    month: str, today: dt.date | None = None, *, actor: Staff | None = None, **filters: Any
) -> MonthlyReport:
    start, end = statistics.month_range(month)
    before_end = start - dt.timedelta(days=1)
    as_of = today or dt.date.today()
    flt = StatsFilter(start, end, as_of=as_of, **filters)
    prev = StatsFilter(before_end.replace(day=1), before_end, as_of=as_of, **filters)
    open_late = Case.stage.in_([s.value for s in OPEN_STAGES]) & (Case.due_date < as_of)
    overdue, overdue_total = _lines(flt, open_late)
    reopened, reopened_total = _lines(flt, Case.reopen_count > 0, Case.reopen_count.desc())
    current = statistics.compute(flt, actor=actor)
    grids = list(Grid.select(Grid.name, Grid.staff).order_by(Grid.sort, Grid.id))
    owners = [
        s.name
        for s in Staff.select(Staff.name)
        .where(Staff.id.in_([g.staff_id for g in grids if g.staff_id]))
        .order_by(Staff.id)
    ]
    windows = [w.name for w in Window.select(Window.name).order_by(Window.sort, Window.id)]
    return MonthlyReport(
        month,
        current,
        statistics.compute(prev, actor=actor),
        overdue,
        overdue_total,
        reopened,
        reopened_total,
        with_zeros(current.by_grid, [g.name for g in grids]),
        with_zeros(current.by_owner, owners),
        with_zeros(current.by_window, windows),
    )


# --- PDF ---------------------------------------------------------------------------------------


class _Flow:
    """A cursor down A4 pages: headings, tables and bar charts, a new page when one is full.

    A heading waits for the block under it, so it never stands alone at a page's foot; a
    table's header row is drawn again on every page it runs onto."""

    def __init__(self, doc: Document, title: str, pages: int | None = None) -> None:
        self.doc, self.pen, self.c = doc, doc.pen, doc.canvas
        self.title = title
        self.pages = pages  # the total, known on the second pass
        self.width = doc.width - 2 * MARGIN
        self.y = doc.height - MARGIN
        self.pending: str | None = None
        self.repeat: Any = None  # draws the running table's header on a new page

    def need(self, height: float) -> None:
        extra = HEADING_H if self.pending else 0.0
        if self.y - height - extra < MARGIN + 8 * mm:
            self.page_end()
            self.y = self.doc.height - MARGIN
            self.pen.text(MARGIN, self.y - 3 * mm, self.title + "（续）", 9, color=GRID_LINE)
            self.y -= 9 * mm
            if self.repeat is not None and not self.pending:
                self.repeat()
        if self.pending:
            self.y -= 7 * mm
            self.pen.text(MARGIN, self.y, self.pending, 12.5, bold=True)
            self.y -= HEADING_H - 7 * mm
            self.pending = None

    def page_end(self) -> None:
        number = self.doc.pages + 1
        total = f" 共 {self.pages} 页" if self.pages else ""
        self.pen.text(self.doc.width / 2, 9 * mm, f"第 {number} 页{total}", 8, align="center")
        self.doc.end_page()

    def heading(self, text: str) -> None:
        self.pending = text

    def para(self, text: str, size: float = 9.5) -> None:
        self.need(12 * mm)
        self.y = self.pen.paragraph(MARGIN, self.y - size, text, self.width, size) + size * 0.3

    def table(
        self,
        headers: Sequence[str],
        weights: Sequence[float],
        rows: Sequence[Sequence[str]],
        size: float = 8.5,
        wrap_last: bool = False,
    ) -> None:
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        pad, leading = 1.5 * mm, size * 1.3
        head_h = leading + 2 * pad
        first = self._height(rows[0], widths, size, leading, pad, wrap_last) if rows else 0.0
        self.need(head_h + first)

        def head() -> None:
            self._row(headers, widths, size, leading, pad, head=True)

        head()
        self.repeat = head
        for row in rows:
            self._row(row, widths, size, leading, pad, wrap_last=wrap_last)
        self.repeat = None
        self.y -= 2 * mm

    @staticmethod
    def _height(
        cells: Sequence[str], widths: list[float], size: float, leading: float, pad: float,
        wrap_last: bool,
    ) -> float:  # fmt: skip
        from minqing.printing.fonts import wrap

        last = wrap(cells[-1], widths[-1] - 2 * pad, size - 1) if wrap_last else [cells[-1]]
        height = max(1, len(last)) * (leading if not wrap_last else (size - 1) * 1.3) + 2 * pad
        return max(height, leading + 2 * pad)

    def _row(
        self,
        cells: Sequence[str],
        widths: list[float],
        size: float,
        leading: float,
        pad: float,
        head: bool = False,
        wrap_last: bool = False,
    ) -> None:
        from minqing.printing.fonts import wrap

        last = wrap(cells[-1], widths[-1] - 2 * pad, size - 1) if wrap_last else [cells[-1]]
        height = self._height(cells, widths, size, leading, pad, wrap_last)
        if not head:
            self.need(height)
        c, x = self.c, MARGIN
        c.setLineWidth(0.4)
        c.setStrokeColor(GRID_LINE)
        if head:
            c.setFillColor(HEAD_FILL)
        c.rect(MARGIN, self.y - height, self.width, height, stroke=1, fill=1 if head else 0)
        c.setFillColorRGB(0, 0, 0)
        for i, (text, w) in enumerate(zip(cells, widths, strict=True)):
            if i:
                c.line(x, self.y, x, self.y - height)
            if i == len(cells) - 1 and wrap_last and not head:
                ty = self.y - pad - size + 1
                for line in last:
                    self.pen.text(x + pad, ty, line, size - 1)
                    ty -= (size - 1) * 1.3
            else:
                smallest = (
                    6 if head or i < len(cells) - 1 else size
                )  # long text is cut with …, not shrunk
                self.pen.fitted(
                    x + pad, self.y - pad - size, text, w - 2 * pad, size, smallest, bold=head
                )
            x += w
        self.y -= height

    def bars(
        self,
        title: str,
        items: Sequence[tuple[str, int]],
        x: float,
        width: float,
        top: float,
    ) -> float:
        """Horizontal bars from `top`, every row (zeros too); returns the y below them."""
        shown = list(items)
        self.pen.text(x, top - 4 * mm, title, 10, bold=True)
        y = top - 9 * mm
        label_w = min(max([text_width(k, 8) for k, _ in shown] + [10 * mm]) + 2 * mm, width * 0.4)
        most = max([v for _, v in shown] + [1])
        bar_w = width - label_w - 14 * mm
        for key, value in shown:
            self.pen.fitted(x + label_w - 2 * mm, y, key, label_w - 2 * mm, 8, 6, align="right")
            if value:
                self.c.setFillColor(BAR)
                self.c.rect(x + label_w, y - 1, max(bar_w * value / most, 0.5), 8, stroke=0, fill=1)
                self.c.setFillColorRGB(0, 0, 0)
            self.pen.text(x + label_w + bar_w * value / most + 1.5 * mm, y, str(value), 8)
            y -= BAR_ROW
        if not shown:
            self.pen.text(x, y, "（无）", 8)
            y -= BAR_ROW
        return y

    def charts(
        self,
        left: tuple[str, Sequence[tuple[str, int]]],
        right: tuple[str, Sequence[tuple[str, int]]],
    ) -> None:
        rows = max(len(left[1]), len(right[1]), 1)
        self.need(rows * BAR_ROW + 14 * mm)
        half = self.width / 2
        low = min(
            self.bars(left[0], left[1], MARGIN, half - 4 * mm, self.y),
            self.bars(right[0], right[1], MARGIN + half + 4 * mm, half - 4 * mm, self.y),
        )
        self.y = low - 2 * mm

    def columns(self, title: str, items: Sequence[tuple[str, int]]) -> None:
        """A column per day (the daily trend), zeros included, labels every fifth day."""
        height = 38 * mm
        self.need(height + 14 * mm)
        self.pen.text(MARGIN, self.y - 4 * mm, title, 10, bold=True)
        base = self.y - 9 * mm - height + 6 * mm
        top = height - 10 * mm
        most = max([v for _, v in items] + [1])
        step = self.width / max(len(items), 1)
        c = self.c
        c.setStrokeColor(GRID_LINE)
        c.setLineWidth(0.4)
        c.line(MARGIN, base, MARGIN + self.width, base)
        for i, (label, value) in enumerate(items):
            x = MARGIN + i * step
            if value:
                c.setFillColor(BAR)
                c.rect(x + step * 0.15, base, step * 0.7, top * value / most, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
                self.pen.text(
                    x + step / 2, base + top * value / most + 1 * mm, str(value), 6, align="center"
                )
            if i % 5 == 0 or i == len(items) - 1:
                self.pen.text(x + step / 2, base - 3.5 * mm, label, 6.5, align="center")
        self.y = base - 7 * mm


def _rate_rows(report: MonthlyReport) -> list[list[str]]:
    cur, prev = report.current, report.previous
    rows = [
        [
            "受理民情（件）",
            str(cur.total),
            str(prev.total),
            _diff(cur.total, prev.total),
            "受理日期在本月的民情",
        ],
        [
            "当前超期（件）",
            str(cur.overdue),
            str(prev.overdue),
            _diff(cur.overdue, prev.overdue),
            "受理、办理环节且已过办理时限",
        ],
    ]
    pairs: dict[str, tuple[Rate, Rate]] = {k: (r, prev.rates[k]) for k, r in cur.rates.items()}
    pairs["screening"] = (cur.mediation.screening, prev.mediation.screening)
    pairs["mediation_success"] = (cur.mediation.success, prev.mediation.success)
    for definition in ALL_RATES:
        now, before = pairs[definition.key]
        rows.append(
            [
                definition.name,
                f"{now.text}（{now.counts}）",
                before.text,
                change_text(now, before),
                f"{definition.numerator} ÷ {definition.denominator}",
            ]
        )
    return rows


def _diff(now: int, before: int) -> str:
    return "持平" if now == before else f"{'↑' if now > before else '↓'}{abs(now - before)}"


def render_report(
    office: Office,
    report: MonthlyReport,
    out: Output,
    today: dt.date | None = None,
    *,
    pages: int | None = None,
) -> PrintResult:
    """Drawn twice: the first pass (to memory) counts the pages for "第 x 页 共 y 页"."""
    if pages is None:
        pages = _draw(office, report, io.BytesIO(), today, None).pages
    return _draw(office, report, out, today, pages)


def _draw(
    office: Office, report: MonthlyReport, out: Output, today: dt.date | None, pages: int | None
) -> PrintResult:
    year, month = report.month.split("-")
    title = f"{office.name}民情工作月报（{int(year)}年{int(month)}月）"
    doc = Document(out, A4, title, office.name)
    flow = _Flow(doc, title, pages)
    flow.pen.text(doc.width / 2, flow.y - 8 * mm, title, 17, align="center", bold=True)
    flow.y -= 14 * mm
    period = report.current.filter
    flow.pen.text(
        MARGIN, flow.y, f"统计范围：{chinese_period(period.date_from, period.date_to)}", 9
    )
    flow.pen.text(doc.width - MARGIN, flow.y, f"制表日期：{printed_on(today)}", 9, align="right")
    flow.y -= 2 * mm
    cur = report.current
    flow.heading("一、主要指标（与上月比较）")
    flow.table(
        ["指标", "本月", "上月", "变化", "计算方法"],
        [2.0, 2.8, 1.2, 1.9, 5.8],
        _rate_rows(report),
        wrap_last=True,
    )
    m = cur.mediation
    flow.para(
        f"矛盾纠纷调解：本月受理纠纷 {m.reported} 起，排查 {m.screened} 起，调解 {m.mediated} 起，"
        f"调成 {m.succeeded} 起；排查率 {m.screening.text}，调成率 {m.success.text}。"
    )
    flow.heading("二、受理情况")
    flow.charts(("按渠道", cur.by_channel), ("按服务窗口", report.by_window or cur.by_window))
    flow.charts(("按办理类型", cur.by_disposition), ("回访满意度", cur.satisfaction))
    flow.columns("每日受理（件）", cur.trend)
    flow.charts(
        ("按片区", report.by_grid or cur.by_grid), ("按责任人", report.by_owner or cur.by_owner)
    )
    flow.heading(f"三、超期未办民情（共 {report.overdue_total} 件）")
    _case_table(flow, report.overdue, report.overdue_total, overdue=True)
    flow.heading(f"四、重新办理的民情（共 {report.reopened_total} 件）")
    _case_table(flow, report.reopened, report.reopened_total, overdue=False)
    flow.heading("五、督查发现的问题（按责任人）")
    if cur.faults:
        flow.table(
            ["责任人", "能办未办", "超时办理", "未及时答复", "合计"],
            [3, 2, 2, 2, 1.5],
            [
                [f.owner, str(f.not_handled), str(f.late), str(f.not_answered), str(f.total)]
                for f in cur.faults
            ],
        )
    else:
        flow.para("本月督查未发现问题。")
    recurring = cur.recurring[:RECURRING_LIMIT]
    cut = (
        f"；前 {len(recurring)} 项，共 {len(cur.recurring)} 项"
        if len(cur.recurring) > len(recurring)
        else ""
    )
    flow.heading(f"六、反复出现的问题（近三个月同一窗口、同一楼院 3 次以上{cut}）")
    if cur.recurring:
        flow.table(
            ["服务窗口", "楼院", "件数", "未办结", "首次", "最近"],
            [2, 4, 1, 1.2, 1.8, 1.8],
            [
                [
                    r.window,
                    r.place,
                    str(r.count),
                    str(r.still_open),
                    r.first.isoformat(),
                    r.last.isoformat(),
                ]
                for r in recurring
            ],
        )
        if cut:
            flow.para(
                f"（前 {len(recurring)} 项，共 {len(cur.recurring)} 项；全部见 Excel 月报。）", 8.5
            )
        flow.para("同一楼院反复反映同一类问题，请从根源上研究解决，而不是逐件处理。", 8.5)
    else:
        flow.para("没有反复出现的问题。")
    flow.page_end()
    return doc.finish(cur.total)


def _case_table(flow: _Flow, lines: list[CaseLine], total: int, overdue: bool) -> None:
    if not lines:
        flow.para("无。")
        return
    flow.table(
        [
            "编号",
            "受理日期",
            "服务窗口",
            "责任人",
            "办理时限" if overdue else "重办次数",
            "环节",
            "内容",
        ],
        [1.6, 1.5, 1.4, 1.2, 1.5, 1.1, 4.5],
        [
            [
                c.number,
                c.intake_date.isoformat(),
                c.window,
                c.owner,
                (c.due_date.isoformat() if c.due_date else "") if overdue else str(c.reopen_count),
                c.stage,
                c.text,
            ]
            for c in lines
        ],
        size=8,
    )
    if total > len(lines):
        flow.para(f"（前 {len(lines)} 件，共 {total} 件；全部请在民情列表中查看。）", 8)


def print_report(
    month: str, out: Output, today: dt.date | None = None, *, actor: Staff | None = None
) -> PrintResult:
    """The PDF, or for an .xlsx path the statistics workbook (written and logged by core)."""
    permissions.require(actor, "stats.view")
    community = the_community()
    report = load_report(month, today, actor=actor)
    if isinstance(out, (str, Path)) and str(out).lower().endswith(".xlsx"):
        statistics_export.export_statistics(
            out, report.current, report.previous, what=f"民情工作月报 {month}", actor=actor
        )
        return PrintResult(None, 0, report.current.total)
    return render_report(data.load_office(community), report, out, today)
