"""民情流水线服务流程图: the wall poster, drawn from `minqing.core.cases.pipeline` itself.

Stages, transitions with their actions and requirements, the way back on dissatisfaction,
and the five dispositions with what the resident must be told all come from the pipeline
definition, so the poster changes when the program's rules change.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A3
from reportlab.lib.units import mm

from minqing.core.cases import pipeline, stage_actions
from minqing.core.enums import Channel, Disposition
from minqing.printing.common import (
    Document,
    Office,
    Output,
    PrintResult,
    paper_size,
    printed_on,
)
from minqing.printing.fonts import wrap

ACCENT = HexColor("#B71C1C")
STAGE_FILL = HexColor("#FDECEA")
NOTE = HexColor("#555555")


def _arrow(doc: Document, x: float, y1: float, y2: float) -> None:
    c = doc.canvas
    c.setStrokeColor(ACCENT)
    c.setFillColor(ACCENT)
    c.setLineWidth(2)
    c.line(x, y1, x, y2 + 3.5 * mm)
    path = c.beginPath()
    path.moveTo(x - 2.6 * mm, y2 + 4 * mm)
    path.lineTo(x + 2.6 * mm, y2 + 4 * mm)
    path.lineTo(x, y2)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


BODY = 14  # on A3; the A4 poster is the same drawing scaled by 1/√2
HEADING = 28
TITLE = 40


def render_flowchart(
    office: Office, out: Output, *, today: dt.date | None = None, paper: str = "A4"
) -> PrintResult:
    """The poster is drawn on A3 (body 14 pt, headings 28 pt: read from a few steps away);
    on A4 the same drawing is scaled down (body ≈ 10 pt)."""
    page = paper_size(paper)
    doc = Document(out, page, "民情流水线服务流程图", office.name)
    pen, c = doc.pen, doc.canvas
    c.scale(page[0] / A3[0], page[0] / A3[0])
    w, h = A3
    m = 18 * mm
    pen.text(
        w / 2, h - 30 * mm, "民情流水线服务流程图", TITLE, align="center", bold=True, color=ACCENT
    )
    pen.text(w / 2, h - 42 * mm, office.name, 18, align="center", color=NOTE)

    # channels in
    y = h - 58 * mm
    pen.text(m, y, "受理渠道", HEADING, bold=True, color=ACCENT)
    y = pen.paragraph(
        m + 62 * mm, y + 1 * mm, "、".join(ch.label for ch in Channel), w - 2 * m - 62 * mm, BODY
    )

    col_w = 150 * mm
    box_x = m
    desc_w = col_w - 28 * mm
    top = min(y, h - 66 * mm) - 6 * mm
    boxes: dict[object, tuple[float, float]] = {}
    stages = pipeline.STAGES
    # Who does what is drawn last: its characters then take the font's later subsets and
    # leave the headings' glyphs where they were (each heading stays one run of text).
    later: list[tuple[float, float, str]] = []
    for i, stage in enumerate(stages):
        desc = wrap(pipeline.STAGE_DESCRIPTIONS.get(stage, ""), desc_w, BODY)
        # the stage actions that become possible here (they stay possible in the stages after)
        doable = [a.label for a in stage_actions.ACTIONS.values() if a.stages[0] == stage]
        acts = wrap("从此可：" + "、".join(doable), desc_w, BODY) if doable else []
        box_h = 21 * mm + (len(desc) + len(acts)) * BODY * 1.3
        boxes[stage] = (top, top - box_h)
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1.5)
        c.setFillColor(STAGE_FILL)
        c.roundRect(box_x, top - box_h, col_w, box_h, 4 * mm, stroke=1, fill=1)
        c.setFillColor(ACCENT)
        c.circle(box_x + 12 * mm, top - 11 * mm, 7.5 * mm, stroke=0, fill=1)
        pen.text(
            box_x + 12 * mm, top - 14.5 * mm, str(i + 1), 26, align="center", color=white, bold=True
        )
        pen.text(box_x + 24 * mm, top - 14.5 * mm, stage.label, HEADING, bold=True, color=ACCENT)
        ly = top - 14.5 * mm - BODY * 1.8
        for line in desc:
            pen.text(box_x + 24 * mm, ly, line, BODY)
            ly -= BODY * 1.3
        for line in acts:
            later.append((box_x + 24 * mm, ly, line))
            ly -= BODY * 1.3
        top -= box_h + 24 * mm

    for tr in pipeline.TRANSITIONS:
        if tr.source not in boxes or tr.target not in boxes:
            continue
        y1 = boxes[tr.source][1]
        y2 = boxes[tr.target][0]
        ax = box_x + 24 * mm
        _arrow(doc, ax, y1, y2)
        mid = (y1 + y2) / 2
        width = pen.text(ax + 6 * mm, mid + 1 * mm, tr.action, BODY + 2, bold=True)
        later.append(
            (ax + 7 * mm + width, mid + 1 * mm, f"（{stage_actions.role_names(tr.permission)}）")
        )
        need = "、".join(tr.requirement_labels)
        if need:
            pen.paragraph(
                ax + 6 * mm, mid - BODY * 1.1, f"须有：{need}", col_w - 32 * mm, BODY, color=NOTE
            )

    # the way back: a dissatisfied resident reopens the case
    reopen_targets = [s for s in pipeline.REOPEN_FROM if s in boxes]
    handling = stages[1] if len(stages) > 1 else None
    if reopen_targets and handling is not None:
        rx = box_x + col_w + 7 * mm
        hy = (boxes[handling][0] + boxes[handling][1]) / 2
        c.setStrokeColor(NOTE)
        c.setLineWidth(1.2)
        c.setDash(4, 3)
        lowest = min((boxes[s][0] + boxes[s][1]) / 2 for s in reopen_targets)
        for s in reopen_targets:
            sy = (boxes[s][0] + boxes[s][1]) / 2
            c.line(box_x + col_w, sy, rx, sy)
        c.line(rx, lowest, rx, hy)
        c.setDash()
        c.line(rx, hy, box_x + col_w + 3.5 * mm, hy)
        c.setFillColor(NOTE)
        path = c.beginPath()
        path.moveTo(box_x + col_w, hy)
        path.lineTo(box_x + col_w + 4 * mm, hy + 2.2 * mm)
        path.lineTo(box_x + col_w + 4 * mm, hy - 2.2 * mm)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        from_names = "、".join(s.label for s in reopen_targets)
        c.saveState()
        c.translate(rx + 6.5 * mm, (lowest + hy) / 2)
        c.rotate(90)
        pen.text(0, 0, f"居民不满意：从{from_names}退回重新办理", BODY, align="center", color=NOTE)
        c.restoreState()

    # the five dispositions (五件制)
    px = box_x + col_w + 19 * mm
    pw = w - m - px
    py = h - 66 * mm - 6 * mm
    pen.text(px, py - 10 * mm, "五件制", HEADING, bold=True, color=ACCENT)
    py -= 16 * mm
    inner = pw - 8 * mm
    for kind in Disposition:
        duty = wrap(f"告知居民：{pipeline.DISPOSITION_DUTIES.get(kind, '')}", inner, BODY)
        fields = "、".join(
            pipeline.FIELD_LABELS.get(f, f) for f in pipeline.DISPOSITION_FIELDS.get(kind, ())
        )
        need = wrap(f"须登记：{fields}", inner, BODY) if fields else []
        box = 17.5 * mm + (len(duty) + len(need)) * BODY * 1.3
        c.setStrokeColor(ACCENT)
        c.setLineWidth(1)
        c.setFillColor(white)
        c.roundRect(px, py - box, pw, box, 3 * mm, stroke=1, fill=1)
        pen.text(px + 4 * mm, py - 11 * mm, kind.label, HEADING, bold=True, color=ACCENT)
        ly = py - 11 * mm - BODY * 1.7
        for line in duty:
            pen.text(px + 4 * mm, ly, line, BODY)
            ly -= BODY * 1.3
        for line in need:
            pen.text(px + 4 * mm, ly, line, BODY, color=NOTE)
            ly -= BODY * 1.3
        py -= box + 4 * mm

    for x, y, line in later:
        pen.text(x, y, line, BODY, color=NOTE)

    c.setStrokeColor(NOTE)
    c.setLineWidth(0.6)
    c.line(m, 40 * mm, w - m, 40 * mm)
    rules = (
        "社区职责范围内的事项，三个工作日内办结；超出职责范围的，立即上报上级部门并向居民说明；"
        "重大、紧急事项立即办理或上报。"
    )
    pen.paragraph(m, 33 * mm, rules, w - 2 * m, BODY)
    hot = "  ".join(x for x in (office.hotline, office.hotline2) if x)
    if hot:
        pen.text(m, 15 * mm, f"民情热线：{hot}", 20, bold=True)
    pen.text(w - m, 15 * mm, f"打印日期：{printed_on(today)}", BODY, align="right", color=NOTE)
    doc.end_page()
    return doc.finish(1)
