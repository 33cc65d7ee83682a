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
from minqing.printing.fonts import wrap

ACCENT = HexColor("#B71C1C")
GREY = HexColor("#555555")
# 补办件: the clock starts when the materials arrive, so no date is printed, in one wording.
CLOCK_ON_MATERIALS = "自材料补齐之日起计算"
STUB_H = 44 * mm  # the counterfoil (存根) kept by the office, below a cut line


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
            f"请您补交以下材料：{data.materials_needed}。办理时限{CLOCK_ON_MATERIALS}。",
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


def due_text(data: ReceiptData) -> str:
    if data.disposition == Disposition.SUPPLEMENT:
        return CLOCK_ON_MATERIALS
    return f"{chinese_date(data.due_date)}前" if data.due_date else "待定"


def render_receipt(
    office: Office,
    data: ReceiptData,
    out: Output,
    *,
    today: dt.date | None = None,
    counterfoil: bool = False,
) -> PrintResult:
    """The slip; with `counterfoil`, a stub below a cut line that the office keeps, signed
    by the resident."""
    doc = Document(out, A5, f"民情受理回执 {data.number}", office.name)
    pen, c = doc.pen, doc.canvas
    w, h = A5
    m = 14 * mm
    right = w - m
    pen.text(w / 2, h - 18 * mm, office.committee_issuer, 11, align="center", color=GREY)
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
        ("办理时限", due_text(data)),
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
        lines = wrap(notice, right - m - 6 * mm, 9.5)[:4]
        lines_y = y - 2 * mm
        c.setFillColor(HexColor("#FFF4E5"))
        box_h = 11 * mm + len(lines) * 9.5 * 1.35
        c.setStrokeColor(HexColor("#E0A040"))
        c.setLineWidth(0.6)
        c.roundRect(m, lines_y - box_h, right - m, box_h, 2 * mm, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        pen.text(m + 3 * mm, lines_y - 6 * mm, f"办理类型：{heading}", 10, bold=True, color=ACCENT)
        ty = lines_y - 12 * mm
        for line in lines:
            pen.text(m + 3 * mm, ty, line, 9.5)
            ty -= 9.5 * 1.35
        y = lines_y - box_h - 6 * mm

    base = STUB_H + 6 * mm if counterfoil else 6 * mm  # the slip's own bottom
    pen.text(m, y, "反映事项", 9, color=GREY)
    y -= 5.5 * mm
    room = int((y - base - 36 * mm) / (9.5 * 1.35)) + 1
    pen.paragraph(m, y, data.text, right - m, 9.5, max_lines=max(1, room))

    sign_y = base + 27 * mm
    lw = pen.text(m, sign_y, "受理人签字：", 9.5, bold=True)
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.6)
    c.line(m + lw + 1 * mm, sign_y - 1.2 * mm, m + lw + 36 * mm, sign_y - 1.2 * mm)
    pen.text(right, sign_y, f"受理日期：{chinese_date(data.intake_date)}", 9.5, align="right")

    c.setStrokeColor(GREY)
    c.setLineWidth(0.4)
    c.line(m, base + 21 * mm, right, base + 21 * mm)
    hot = "  ".join(x for x in (office.hotline, office.hotline2) if x)
    foot = [
        "请妥善保存本回执。查询办理进度请提供受理编号。",
        f"民情热线：{hot}" if hot else "",
        f"接待日：{office.reception_day}" if office.reception_day else "",
    ]
    fy = base + 16 * mm
    for line in foot:
        if line:
            pen.text(m, fy, line, 8.5)
            fy -= 4.6 * mm
    pen.text(right, base + 16 * mm, f"打印日期：{printed_on(today)}", 7, align="right", color=GREY)
    if counterfoil:
        _stub(doc, office, data, m, right)
    doc.end_page()
    return doc.finish(1)


def _stub(doc: Document, office: Office, data: ReceiptData, m: float, right: float) -> None:
    """存根: below a dashed cut line, what the office keeps: number, date, who, what, due,
    and the resident's signature that the slip was received."""
    pen, c = doc.pen, doc.canvas
    cut = STUB_H + 3 * mm
    c.setStrokeColor(GREY)
    c.setLineWidth(0.5)
    c.setDash(3, 2)
    c.line(8 * mm, cut, doc.width - 8 * mm, cut)
    c.setDash()
    pen.text(
        doc.width / 2,
        cut + 1.2 * mm,
        "- - 沿此线剪开 · 存根由社区留存 - -",
        7,
        align="center",
        color=GREY,
    )
    y = STUB_H - 5 * mm
    pen.text(m, y, f"民情受理回执存根　{office.name}", 10, bold=True)
    pen.text(right, y, data.number, 11, bold=True, color=ACCENT, align="right")
    y -= 6.5 * mm
    half = (right - m) / 2
    for left_text, right_text in (
        (f"受理日期：{chinese_date(data.intake_date)}", f"服务窗口：{data.window}"),
        (f"反 映 人：{data.contact_name}", f"办理时限：{due_text(data)}"),
    ):
        pen.fitted(m, y, left_text, half - 2 * mm, 9, 7)
        pen.fitted(m + half, y, right_text, half, 9, 7)
        y -= 5.5 * mm
    pen.paragraph(m, y, f"反映事项：{data.text}", right - m, 8.5, max_lines=2)
    y -= 12 * mm
    lw = pen.text(m, y, "反映人签收：", 9, bold=True)
    c.setStrokeColorRGB(0, 0, 0)
    c.line(m + lw + 1 * mm, y - 1.2 * mm, m + lw + 30 * mm, y - 1.2 * mm)
    lw2 = pen.text(m + half, y, "受理人：", 9, bold=True)
    pen.text(m + half + lw2, y, data.first_responder, 9)
