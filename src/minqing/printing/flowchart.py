"""民情流水线服务流程图: the wall poster, drawn from `minqing.core.cases.pipeline` itself.

Stages, transitions with their actions and requirements, the way back on dissatisfaction,
and the five dispositions with what the resident must be told all come from the pipeline
definition, so the poster changes when the program's rules change.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from minqing.core.cases import pipeline
from minqing.core.enums import Channel, Disposition
from minqing.printing.common import Document, Office, Output, PrintResult, printed_on

ACCENT = HexColor("#B71C1C")
STAGE_FILL = HexColor("#FDECEA")
NOTE = HexColor("#555555")


def _arrow(doc: Document, x: float, y1: float, y2: float) -> None:
    c = doc.canvas
    c.setStrokeColor(ACCENT)
    c.setFillColor(ACCENT)
    c.setLineWidth(1.2)
    c.line(x, y1, x, y2 + 2.5 * mm)
    path = c.beginPath()
    path.moveTo(x - 1.8 * mm, y2 + 2.8 * mm)
    path.lineTo(x + 1.8 * mm, y2 + 2.8 * mm)
    path.lineTo(x, y2)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def render_flowchart(office: Office, out: Output, *, today: dt.date | None = None) -> PrintResult:
    doc = Document(out, A4, "民情流水线服务流程图", office.name)
    pen, c = doc.pen, doc.canvas
    w, h = A4
    m = 14 * mm
    pen.text(
        w / 2, h - 20 * mm, "民情流水线服务流程图", 22, align="center", bold=True, color=ACCENT
    )
    pen.text(w / 2, h - 28 * mm, office.name, 11, align="center", color=NOTE)

    # channels in
    y = h - 38 * mm
    pen.text(m, y, "民情受理渠道", 10, bold=True)
    pen.paragraph(m + 26 * mm, y, "、".join(ch.label for ch in Channel), w - 2 * m - 26 * mm, 9)

    col_w = 98 * mm
    box_x = m
    box_h = 27 * mm
    gap = 15 * mm
    y = h - 48 * mm
    stages = pipeline.STAGES
    boxes: dict[object, tuple[float, float]] = {}
    for i, stage in enumerate(stages):
        top = y - i * (box_h + gap)
        boxes[stage] = (top, top - box_h)
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1)
        c.setFillColor(STAGE_FILL)
        c.roundRect(box_x, top - box_h, col_w, box_h, 3 * mm, stroke=1, fill=1)
        c.setFillColor(ACCENT)
        c.circle(box_x + 7 * mm, top - 7 * mm, 4 * mm, stroke=0, fill=1)
        pen.text(
            box_x + 7 * mm, top - 8.6 * mm, str(i + 1), 11, align="center", color=white, bold=True
        )
        pen.text(box_x + 14 * mm, top - 8.6 * mm, stage.label, 13, bold=True, color=ACCENT)
        pen.paragraph(
            box_x + 14 * mm,
            top - 15 * mm,
            pipeline.STAGE_DESCRIPTIONS.get(stage, ""),
            col_w - 17 * mm,
            8.2,
            max_lines=2,
        )

    for tr in pipeline.TRANSITIONS:
        if tr.source not in boxes or tr.target not in boxes:
            continue
        y1 = boxes[tr.source][1]
        y2 = boxes[tr.target][0]
        ax = box_x + 22 * mm
        _arrow(doc, ax, y1, y2)
        label = tr.action
        need = "、".join(tr.requirement_labels)
        label_w = pen.text(ax + 4 * mm, (y1 + y2) / 2 - 1.2 * mm, label, 9, bold=True)
        if need:
            pen.fitted(
                ax + 7 * mm + label_w,
                (y1 + y2) / 2 - 1.2 * mm,
                f"须有：{need}",
                col_w - 42 * mm,
                7.5,
                5.5,
                color=NOTE,
            )

    # the way back: a dissatisfied resident reopens the case
    reopen_targets = [s for s in pipeline.REOPEN_FROM if s in boxes]
    handling = stages[1] if len(stages) > 1 else None
    if reopen_targets and handling is not None:
        rx = box_x + col_w + 5 * mm
        hy = (boxes[handling][0] + boxes[handling][1]) / 2
        c.setStrokeColor(NOTE)
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        lowest = min((boxes[s][0] + boxes[s][1]) / 2 for s in reopen_targets)
        for s in reopen_targets:
            sy = (boxes[s][0] + boxes[s][1]) / 2
            c.line(box_x + col_w, sy, rx, sy)
        c.line(rx, lowest, rx, hy)
        c.setDash()
        c.line(rx, hy, box_x + col_w + 2.5 * mm, hy)
        c.setFillColor(NOTE)
        path = c.beginPath()
        path.moveTo(box_x + col_w, hy)
        path.lineTo(box_x + col_w + 2.8 * mm, hy + 1.6 * mm)
        path.lineTo(box_x + col_w + 2.8 * mm, hy - 1.6 * mm)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        from_names = "、".join(s.label for s in reopen_targets)
        c.saveState()
        c.translate(rx + 6.5 * mm, (lowest + hy) / 2)
        c.rotate(90)
        pen.text(0, 0, f"居民不满意：从{from_names}退回重新办理", 8, align="center", color=NOTE)
        c.restoreState()

    # the five dispositions (五件制)
    px = box_x + col_w + 18 * mm
    pw = w - m - px
    py = h - 48 * mm
    pen.text(px, py - 5 * mm, "受理分类：五件制", 12, bold=True, color=ACCENT)
    py -= 10 * mm
    for kind in Disposition:
        duty = pipeline.DISPOSITION_DUTIES.get(kind, "")
        fields = "、".join(
            pipeline.FIELD_LABELS.get(f, f) for f in pipeline.DISPOSITION_FIELDS.get(kind, ())
        )
        c.setStrokeColor(ACCENT)
        c.setLineWidth(0.6)
        c.setFillColor(white)
        box = 33 * mm
        c.roundRect(px, py - box, pw, box, 2 * mm, stroke=1, fill=1)
        pen.text(px + 3 * mm, py - 6.5 * mm, kind.label, 11.5, bold=True, color=ACCENT)
        ny = pen.paragraph(
            px + 3 * mm, py - 13 * mm, f"告知居民：{duty}", pw - 6 * mm, 8.5, max_lines=3
        )
        if fields:
            pen.paragraph(
                px + 3 * mm,
                ny - 1 * mm,
                f"须登记：{fields}",
                pw - 6 * mm,
                7.5,
                max_lines=2,
                color=NOTE,
            )
        py -= box + 3 * mm

    c.setStrokeColor(NOTE)
    c.setLineWidth(0.4)
    c.line(m, 24 * mm, w - m, 24 * mm)
    rules = (
        "社区职责范围内的事项，三个工作日内办结；超出职责范围的，立即上报上级部门并向居民说明；"
        "重大、紧急事项立即办理或上报。"
    )
    pen.paragraph(m, 19 * mm, rules, w - 2 * m, 8.5, max_lines=2)
    hot = "  ".join(x for x in (office.hotline, office.hotline2) if x)
    if hot:
        pen.text(m, 9 * mm, f"民情热线：{hot}", 9, bold=True)
    pen.text(w - m, 9 * mm, f"打印日期：{printed_on(today)}", 7.5, align="right", color=NOTE)
    doc.end_page()
    return doc.finish(1)
