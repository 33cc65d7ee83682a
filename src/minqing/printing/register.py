"""民情受理日志: the intake register, for any filter of the case list.

Internal, but phones arrive masked unless the caller may see them (see data.load_register)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from minqing.printing.common import Document, Office, Output, PrintResult, Progress, printed_on
from minqing.printing.table import Column, Layout, render_table


@dataclass(frozen=True)
class RegisterRow:
    number: str
    intake_date: dt.date
    channel: str
    name: str
    phone: str
    address: str
    window: str
    text: str
    disposition: str
    first_responder: str
    owner: str
    due_date: dt.date | None
    stage: str
    urgent: bool = False


COLUMNS = [
    Column("编号", 1.3, "center"),
    Column("受理日期", 1.1, "center"),
    Column("渠道", 1.0, "center"),
    Column("反映人 / 电话", 1.6),
    Column("地址", 1.6),
    Column("窗口", 0.9, "center"),
    Column("反映事项", 4.0),
    Column("类型", 0.8, "center"),
    Column("首问 / 责任人", 1.2, "center"),
    Column("办理时限", 1.1, "center"),
    Column("状态", 0.9, "center"),
]


def register_cells(row: RegisterRow) -> list[str]:
    text = ("【紧急】" if row.urgent else "") + row.text
    people = row.first_responder + (
        f"\n{row.owner}" if row.owner and row.owner != row.first_responder else ""
    )
    return [
        row.number,
        f"{row.intake_date:%Y-%m-%d}",
        row.channel,
        "\n".join(x for x in (row.name, row.phone) if x),
        row.address,
        row.window,
        text,
        row.disposition,
        people,
        f"{row.due_date:%Y-%m-%d}" if row.due_date else "",
        row.stage,
    ]


def render_register(
    office: Office,
    rows: Sequence[RegisterRow],
    out: Output,
    *,
    description: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    title = f"{office.name}民情受理日志"
    doc = Document(out, landscape(A4), title, office.name)

    def header(d: Document, page: int, pages: int) -> None:
        d.pen.text(d.width / 2, d.height - 12 * mm, title, 15, align="center", bold=True)
        d.pen.text(10 * mm, d.height - 18.5 * mm, description or "全部民情", 8.5)
        d.pen.text(
            d.width - 10 * mm,
            d.height - 18.5 * mm,
            f"打印日期：{printed_on(today)}    共 {len(rows)} 件",
            8.5,
            align="right",
        )

    cells = [register_cells(r) for r in rows] or [
        ["", "", "", "", "", "", "没有符合条件的民情。", "", "", "", ""]
    ]
    ok = render_table(
        doc,
        COLUMNS,
        cells,
        header,
        progress=progress,
        layout=Layout(size=7.5, margin=10 * mm, head=22 * mm),
    )
    return doc.finish(len(rows), cancelled=not ok)
