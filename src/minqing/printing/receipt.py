"""受理回执: the A5 slip handed to the resident at the desk.

It says what the disposition obliges the office to tell (五件制): the materials to bring,
the higher unit and its time, the reason for returning, or the promised date. The QR code
holds only the case number, so staff can scan the slip back in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from minqing.core.enums import Disposition
from minqing.printing import qr
from minqing.printing.common import Document, Office, Output, PrintResult, chinese_date, printed_on

ACCENT = HexColor("#B71C1C")
GREY = HexColor("#555555")


@dataclass(frozen=True)
class ReceiptData:
    number: str
    intake_date: dt.date
    channel: str
    window: str
    text: str
    first_responder: str
    responder_line: str = ""
    contact_name: str = ""
    due_date: dt.date | None = None
    disposition: Disposition | None = None
    materials_needed: str = ""
    escalated_to: str = ""
    escalation_days: int | None = None
    return_reason: str = ""
    promised_date: dt.date | None = None
    urgent: bool = False


def disposition_notice(data: ReceiptData) -> tuple[str, str]:
    """(heading, what the resident is told) for the disposition, or empty strings."""
    kind = data.disposition
    if kind is None:
        return "", ""
    if kind == Disposition.IMMEDIATE:
        return kind.label, "您反映的事项已当场办理。"
    if kind == Disposition.SUPPLEMENT:
        return (
            kind.label,
            f"请您补交以下材料：{data.materials_needed}。材料补齐后开始计算办理时限。",
        )
    if kind == Disposition.ESCALATED:
        days = f"，预计 {data.escalation_days} 个工作日内办理" if data.escalation_days else ""
        return (
            kind.label,
            f"本事项超出社区职责范围，已上报至{data.escalated_to}{days}。我们会跟踪并及时告知您结果。",
        )
    if kind == Disposition.RETURNED:
        return kind.label, f"本事项退回，原因：{data.return_reason}"
    return kind.label, f"我们承诺于{chinese_date(data.promised_date)}前办结。"


def render_receipt(
    office: Office, data: ReceiptData, out: Output, *, today: dt.date | None = None
) -> PrintResult:
    doc = Document(out, A5, f"民情受理回执 {data.number}", office.name)
    pen, c = doc.pen, doc.canvas
    w, h = A5
    m = 14 * mm
    right = w - m
    pen.text(w / 2, h - 18 * mm, office.name, 11, align="center", color=GREY)
    pen.text(w / 2, h - 28 * mm, "民情受理回执", 20, align="center", bold=True)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.line(m, h - 33 * mm, right, h - 33 * mm)

    qr_size = 26 * mm
    qr.draw(c, data.number, right - qr_size, h - 62 * mm, qr_size)
    pen.text(right - qr_size / 2, h - 65 * mm, "工作人员扫码查询", 6.5, align="center", color=GREY)
    y = h - 42 * mm
    pen.text(m, y, "受理编号", 9, color=GREY)
    number_w = pen.text(m + 20 * mm, y, data.number, 15, bold=True, color=ACCENT)
    if data.urgent:
        pen.text(m + 23 * mm + number_w, y, "【紧急】", 10, bold=True, color=ACCENT)
    label_w = 20 * mm
    value_w = right - qr_size - 3 * mm - (m + label_w)
    rows = [
        ("受理日期", chinese_date(data.intake_date)),
        ("受理渠道", data.channel),
        ("服务窗口", data.window),
        ("反 映 人", data.contact_name),
        (
            "首问责任人",
            data.first_responder + (f"  电话 {data.responder_line}" if data.responder_line else ""),
        ),
        ("办理时限", f"{chinese_date(data.due_date)}前" if data.due_date else "待定"),
    ]
    y -= 8 * mm
    for label, value in rows:
        if not value:
            continue
        pen.text(m, y, label, 9, color=GREY)
        pen.fitted(
            m + label_w, y, value, value_w if y > h - 66 * mm else right - m - label_w, 10, 7
        )
        y -= 6.5 * mm

    heading, notice = disposition_notice(data)
    if notice:
        lines_y = y - 2 * mm
        c.setFillColor(HexColor("#FFF4E5"))
        box_h = 30 * mm
        c.setStrokeColor(HexColor("#E0A040"))
        c.setLineWidth(0.6)
        c.roundRect(m, lines_y - box_h, right - m, box_h, 2 * mm, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        pen.text(m + 3 * mm, lines_y - 6 * mm, f"办理类型：{heading}", 10, bold=True, color=ACCENT)
        pen.paragraph(m + 3 * mm, lines_y - 12 * mm, notice, right - m - 6 * mm, 9.5, max_lines=4)
        y = lines_y - box_h - 6 * mm

    pen.text(m, y, "反映事项", 9, color=GREY)
    y -= 5.5 * mm
    y = pen.paragraph(
        m, y, data.text, right - m, 9.5, max_lines=max(2, int((y - 38 * mm) / (9.5 * 1.35)))
    )

    c.setStrokeColor(GREY)
    c.setLineWidth(0.4)
    c.line(m, 30 * mm, right, 30 * mm)
    hot = "  ".join(x for x in (office.hotline, office.hotline2) if x)
    foot = [
        "请妥善保存本回执。查询办理进度请提供受理编号。",
        f"民情热线：{hot}" if hot else "",
        f"接待日：{office.reception_day}" if office.reception_day else "",
    ]
    fy = 25 * mm
    for line in foot:
        if line:
            pen.text(m, fy, line, 8.5)
            fy -= 5 * mm
    pen.text(right, 10 * mm, f"打印日期：{printed_on(today)}", 7, align="right", color=GREY)
    doc.end_page()
    return doc.finish(1)
