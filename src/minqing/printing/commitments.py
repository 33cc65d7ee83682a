"""《党员公开承诺书》 — one sheet per member for the wall — and 《党组织公开承诺书》, the branch's
sheet listing every commitment of the quarter. A4, or A3 for the wall: the same drawing,
scaled, so both read alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import mm

from minqing.printing.common import Document, Office, Output, PrintResult, Progress, chinese_date
from minqing.printing.fonts import clip_lines, wrap
from minqing.printing.table import Column, Layout, render_table

RED = HexColor("#B71C1C")
GREY = HexColor("#666666")
FIVE_LEADS = ("带头学习提高", "带头争创佳绩", "带头服务群众", "带头遵纪守法", "带头弘扬正气")
MEMBER_TITLE = "党员公开承诺书"
BRANCH_TITLE = "党组织公开承诺书"


@dataclass(frozen=True)
class FulfilmentLine:
    on: dt.date
    what: str
    case: str = ""  # the case number, when the member helped close one


@dataclass(frozen=True)
class CommitmentSheet:
    """One member's commitment of a quarter, as printed."""

    name: str
    gender: str
    kind: str  # 退休, 在职 …
    post: str
    duties: str
    quarter: str  # 2026年第四季度
    text: str
    leads: tuple[str, ...]  # the chosen ones among FIVE_LEADS
    pledged_on: dt.date
    fulfilments: tuple[FulfilmentLine, ...] = ()
    review: str = ""
    reviewer: str = ""
    reviewed_on: dt.date | None = None


def _scale(doc: Document, a3: bool) -> None:
    """Draw in A4 coordinates; on A3 the canvas is scaled up (√2) so the sheet fills the page."""
    if a3:
        doc.canvas.scale(A3[0] / A4[0], A3[0] / A4[0])


LABEL_W = 25 * mm


def _box(doc: Document, x: float, top: float, w: float, h: float, label: str) -> None:
    """A ruled box with its label (sans, bold) in a grey column on the left."""
    c = doc.canvas
    c.setLineWidth(0.8)
    c.rect(x, top - h, w, h)
    c.setFillColor(HexColor("#F3F3F3"))
    c.rect(x, top - h, LABEL_W, h, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    face, doc.pen.face = doc.pen.face, "sans"
    lines = wrap(label, LABEL_W - 3 * mm, 14)
    y = top - h / 2 + (len(lines) - 1) * 9 - 5
    for line in lines:
        doc.pen.text(x + LABEL_W / 2, y, line, 14, align="center", bold=True)
        y -= 18
    doc.pen.face = face


BODY = 14  # a member's sheet on A4: read on the wall; A3 scales it by √2


def red_header(doc: Document, issuer: str, top: float, width: float) -> float:
    """红头: the issuer in large red Song type over a red rule; returns the y below it."""
    face, doc.pen.face = doc.pen.face, "song"
    size = doc.pen.fit_size(issuer, width * 0.9, 30, 18)
    doc.pen.text(A4[0] / 2, top - size * 0.9, issuer, size, align="center", bold=True, color=RED)
    c = doc.canvas
    c.setStrokeColor(RED)
    c.setLineWidth(2.2)
    y = top - size * 0.9 - 5 * mm
    c.line((A4[0] - width) / 2, y, (A4[0] + width) / 2, y)
    c.setStrokeColorRGB(0, 0, 0)
    doc.pen.face = face
    return y - 9 * mm


def _member_page(doc: Document, office: Office, s: CommitmentSheet, red: bool = False) -> None:
    pen, c = doc.pen, doc.canvas
    pen.face = "song"
    left, width = 18 * mm, A4[0] - 36 * mm
    body_x, body_w = left + LABEL_W + 3 * mm, width - LABEL_W - 6 * mm
    top = A4[1] - 22 * mm
    if red:
        top = red_header(doc, office.branch_issuer, A4[1] - 12 * mm, width)
    pen.text(A4[0] / 2, top, MEMBER_TITLE, 26, align="center", bold=True, color=RED)
    c.setStrokeColor(RED)
    c.setLineWidth(1.5)
    c.line(left, top - 7 * mm, left + width, top - 7 * mm)
    c.setStrokeColorRGB(0, 0, 0)
    pen.text(A4[0] / 2, top - 14 * mm, f"{office.branch_issuer}　{s.quarter}", BODY, align="center")

    y = top - 22 * mm
    row_h = 11 * mm
    c.setLineWidth(0.8)
    cells = [("姓名", s.name), ("性别", s.gender or "—"), ("党员类别", s.kind)]
    cw = width / 3
    for i, (label, value) in enumerate(cells):
        c.rect(left + i * cw, y - row_h, cw, row_h)
        lw = pen.text(left + i * cw + 3 * mm, y - row_h + 3.6 * mm, f"{label}：", BODY, bold=True)
        pen.fitted(
            left + i * cw + 4 * mm + lw, y - row_h + 3.6 * mm, value, cw - 6 * mm - lw, BODY + 1, 11
        )
    y -= row_h
    duties = wrap(s.duties, body_w - 2 * mm, BODY, "song")[:2]
    post_h = max(row_h, 8 * mm + BODY * 1.35 * len(duties) + 4 * mm)
    _box(doc, left, y, width, post_h, "服务岗位")
    pen.text(body_x, y - 7 * mm, s.post or "（未定岗）", BODY + 1, bold=True)
    ty = y - 7 * mm - BODY * 1.45
    for line in duties:
        pen.text(body_x, ty, line, BODY, color=GREY)
        ty -= BODY * 1.35
    y -= post_h

    leading = BODY * 1.45
    text_lines = wrap(s.text, body_w, BODY + 1, "song")[:6]
    text_h = max(30 * mm, len(text_lines) * leading + 10 * mm)
    _box(doc, left, y, width, text_h, "承诺内容")
    ty = y - 8 * mm
    for line in text_lines:
        pen.text(body_x, ty, line, BODY + 1)
        ty -= leading
    y -= text_h

    leads_h = 22 * mm
    _box(doc, left, y, width, leads_h, "五带头")
    col_w = body_w / 3
    for i, lead in enumerate(FIVE_LEADS):
        lx = body_x + (i % 3) * col_w
        ly = y - 8 * mm - (i // 3) * 8.5 * mm
        c.setLineWidth(0.8)
        c.rect(lx, ly - 1, 11, 11)
        if lead in s.leads:
            c.setLineWidth(1.6)
            c.setStrokeColor(RED)
            c.lines([(lx + 2, ly + 5, lx + 5, ly + 1.5), (lx + 5, ly + 1.5, lx + 10, ly + 9.5)])
            c.setStrokeColorRGB(0, 0, 0)
        pen.text(lx + 15, ly, lead, BODY)
    y -= leads_h

    sign_h = 14 * mm
    c.setLineWidth(0.8)
    c.rect(left, y - sign_h, width, sign_h)
    lw = pen.text(left + 4 * mm, y - 9 * mm, "承诺人（签名）：", BODY, bold=True)
    c.line(left + 5 * mm + lw, y - 10 * mm, left + 5 * mm + lw + 40 * mm, y - 10 * mm)
    pen.text(
        left + width - 4 * mm,
        y - 9 * mm,
        f"承诺日期：{chinese_date(s.pledged_on)}",
        BODY,
        align="right",
    )
    y -= sign_h

    done = [
        f"{f.on.month}月{f.on.day}日　{f.what}" + (f"（民情 {f.case}）" if f.case else "")
        for f in s.fulfilments
    ]
    done_lines: list[str] = []
    for item in done:
        done_lines += wrap(item, body_w, BODY, "song")
    done_lines = (
        clip_lines(done_lines, 6, body_w, BODY, "song")
        if done_lines
        else ["（季度内随时记录履诺情况）"]
    )
    done_h = max(24 * mm, len(done_lines) * BODY * 1.4 + 8 * mm)
    _box(doc, left, y, width, done_h, "履诺情况")
    ty = y - 7.5 * mm
    for line in done_lines:
        pen.text(body_x, ty, line, BODY, color=None if s.fulfilments else GREY)
        ty -= BODY * 1.4
    y -= done_h

    review_h = max(y - 26 * mm, 28 * mm)
    _box(doc, left, y, width, review_h, "领导点评")
    if s.review:
        pen.paragraph(body_x, y - 8 * mm, s.review, body_w, BODY, leading=BODY * 1.45, max_lines=4)
        pen.text(
            left + width - 4 * mm, y - review_h + 6 * mm,
            f"点评人：{s.reviewer}　　{chinese_date(s.reviewed_on)}", BODY, align="right",
        )  # fmt: skip
    else:
        c.setStrokeColor(HexColor("#BBBBBB"))
        c.setLineWidth(0.5)
        ly = y - 14 * mm
        while ly > y - review_h + 10 * mm:
            c.line(body_x, ly, left + width - 4 * mm, ly)
            ly -= 10 * mm
        c.setStrokeColorRGB(0, 0, 0)
        pen.text(
            left + width - 4 * mm,
            y - review_h + 3.5 * mm,
            "点评人：　　　　　日期：　　年　　月　　日",
            BODY,
            align="right",
        )
    hot = office.hotline or office.hotline2
    note = "本承诺书在党务公开栏公示，接受群众监督。" + (
        f"意见和建议请拨打民情热线 {hot}。" if hot else ""
    )
    pen.fitted(A4[0] / 2, 15 * mm, note, width, 12, 9, align="center", color=GREY)
    pen.face = "sans"


BRANCH_COLUMNS = [
    Column("序号", 0.6, "center"),
    Column("姓名", 1.0, "center"),
    Column("岗位", 1.5, "center"),
    Column("承诺内容", 3.0),
    Column("履诺情况", 3.0),
    Column("领导点评", 2.2),
]
# What the branch itself promises, unless the office wrote its own (setting
# commitments.branch_pledges, one per line).
BRANCH_PLEDGES = (
    "落实民情流水线工作法，居民反映的事项件件有登记、有回音、有着落。",
    "社区职责范围内的事项三个工作日内办结，超出职责的及时上报并告知居民。",
    "每周二上午接待日，支部书记、委员轮流接待居民。",
    "每季度组织党员公开承诺、践诺评议，结果在公开栏公示。",
)
SEAL = 45 * mm  # room for a 42 mm round seal


def branch_cells(index: int, s: CommitmentSheet) -> list[str]:
    done = "\n".join(f"{f.on.month}月{f.on.day}日 {f.what}" for f in s.fulfilments) or "—"
    review = f"{s.review}\n——{s.reviewer}" if s.review else "—"
    return [str(index), s.name, s.post, s.text, done, review]


def _signatures(doc: Document, office: Office, bottom: float) -> None:
    """书记 and 承诺单位 lines beside a 45 × 45 mm seal box, above `bottom` (document end)."""
    pen, c = doc.pen, doc.canvas
    face, pen.face = pen.face, "song"
    right = A4[0] - 18 * mm
    box_x, box_y = right - SEAL, bottom
    c.setStrokeColor(HexColor("#BBBBBB"))
    c.setDash(3, 2)
    c.setLineWidth(0.6)
    c.rect(box_x, box_y, SEAL, SEAL)
    c.setDash()
    c.setStrokeColorRGB(0, 0, 0)
    pen.text(box_x + SEAL / 2, box_y + SEAL / 2 - 4, "（盖章）", 12, align="center", color=GREY)
    x = 18 * mm
    y = box_y + SEAL - 10 * mm
    for label in ("承诺单位：", "党支部书记（签名）：", "日期："):
        lw = pen.text(x, y, label, BODY, bold=True)
        if label == "承诺单位：":
            pen.text(x + lw, y, office.branch_issuer, BODY)
        elif label == "日期：":
            pen.text(x + lw, y, "　　　　年　　月　　日", BODY)
        else:
            c.setLineWidth(0.8)
            c.line(x + lw + 2 * mm, y - 1.5 * mm, box_x - 8 * mm, y - 1.5 * mm)
        y -= 12 * mm
    pen.face = face


def draw_branch(
    doc: Document, office: Office, quarter: str, sheets: Sequence[CommitmentSheet], a3: bool,
    progress: Progress | None = None, *, pledges: Sequence[str] = BRANCH_PLEDGES, red: bool = False,
) -> bool:  # fmt: skip
    """The branch sheet on `doc` (which may go on with member sheets); False when cancelled.
    The branch's own pledges first, then every member's row; signatures and the seal box
    once, after the last row."""
    intro_lines: list[str] = []
    intro = (
        f"社区党支部{len(sheets) or ''}{'名' if sheets else ''}党员结合“五带头”（带头学习提高、带头争创佳绩、带头服务群众、"
        "带头遵纪守法、带头弘扬正气），按照“设岗定责、依岗承诺”的要求作出如下承诺，接受群众监督。"
    )
    width = A4[0] - 28 * mm
    intro_lines = wrap(intro, width, BODY, "song")
    pledge_lines = [
        line
        for i, p in enumerate(pledges, start=1)
        for line in wrap(f"{i}. {p}", width - 6 * mm, BODY, "song")
    ]
    top_used = (16 if red else 0) * mm
    first_head = (
        top_used + 38 * mm + (len(intro_lines) + len(pledge_lines) + 1) * BODY * 1.45 + 10 * mm
    )

    def header(d: Document, page: int, _pages: int) -> None:
        _scale(d, a3)
        d.pen.face = "song"
        top = A4[1] - 12 * mm
        if red and page == 1:
            top = red_header(d, office.branch_issuer, top, A4[0] - 28 * mm)
        else:
            top -= 8 * mm
        d.pen.text(A4[0] / 2, top, BRANCH_TITLE, 24, align="center", bold=True, color=RED)
        d.pen.text(
            A4[0] / 2, top - 9 * mm, f"{office.branch_issuer}　{quarter}", BODY, align="center"
        )
        if page == 1:
            y = top - 20 * mm
            for line in intro_lines:
                d.pen.text(14 * mm, y, line, BODY)
                y -= BODY * 1.45
            d.pen.text(14 * mm, y - 2 * mm, "党组织承诺：", BODY, bold=True, color=RED)
            y -= BODY * 1.45 + 2 * mm
            for line in pledge_lines:
                d.pen.text(20 * mm, y, line, BODY)
                y -= BODY * 1.45
        d.pen.face = "sans"

    width_, height_ = doc.width, doc.height
    doc.width, doc.height = A4  # the table is laid out in A4 coordinates, scaled on A3
    rows = [branch_cells(i, s) for i, s in enumerate(sheets, start=1)] or [
        ["", "", "", "本季度还没有党员作出承诺。", "", ""]
    ]
    layout = Layout(
        size=11,
        margin=14 * mm,
        head=48 * mm,
        first_head=first_head,
        foot=10 * mm,
        end_room=SEAL + 8 * mm,
    )
    ok = render_table(
        doc,
        BRANCH_COLUMNS,
        rows,
        header,
        layout=layout,
        progress=progress,
        after=lambda d, y: _signatures(d, office, y - SEAL - 6 * mm),
    )
    doc.width, doc.height = width_, height_
    return ok


def render_commitments(
    office: Office,
    quarter: str,
    sheets: Sequence[CommitmentSheet],
    out: Output,
    *,
    branch: bool = True,
    members: bool = True,
    a3: bool = False,
    progress: Progress | None = None,
    pledges: Sequence[str] = BRANCH_PLEDGES,
    red: bool = False,
) -> PrintResult:
    """A quarter in one PDF: the branch sheet first, then every member's sheet. `red` puts
    the issuer's 红头 on top."""
    title = f"{office.name}{BRANCH_TITLE if branch and not members else MEMBER_TITLE}"
    doc = Document(out, A3 if a3 else A4, title, office.name)
    if branch and not draw_branch(
        doc, office, quarter, sheets, a3, progress, pledges=pledges, red=red
    ):
        return doc.finish(0, cancelled=True)
    if members:
        for i, sheet in enumerate(sheets):
            if progress is not None and not progress(i, len(sheets)):
                return doc.finish(i, cancelled=True)
            _scale(doc, a3)
            _member_page(doc, office, sheet, red)
            doc.end_page()
        if not sheets and not branch:
            doc.pen.text(
                doc.width / 2,
                doc.height / 2,
                "这个季度还没有党员作出公开承诺。",
                14,
                align="center",
            )
            doc.end_page()
    return doc.finish(len(sheets))


def load_sheets(
    community: object, quarter: str, members: Sequence[str | int] = ()
) -> tuple[str, list[CommitmentSheet]]:
    """The quarter's label and its commitments (only these members' when named), by name."""
    from minqing.core.errors import NotFound
    from minqing.core.members import commitments as service
    from minqing.core.members.models import Commitment, Member, Review
    from minqing.core.members.services import MemberKind, get_member
    from minqing.core.privacy import mask_phones_in_text

    q = service.parse_quarter(quarter)
    query = (
        Commitment.select(Commitment, Member)
        .join(Member)
        .where((Member.community == community) & (Commitment.quarter == q.code))
        .order_by(Member.name, Member.id)
    )
    if members:
        ids = [get_member(m, community).id for m in members]  # type: ignore[arg-type]
        query = query.where(Member.id.in_(ids))
    sheets = []
    for c in query:
        review = Review.get_or_none(Review.commitment == c.id)
        sheets.append(
            CommitmentSheet(
                name=c.member.name,
                gender=c.member.gender,
                kind=MemberKind(c.member.kind).label,
                post=c.post.name if c.post_id else "",
                duties=c.post.duties if c.post_id else "",
                quarter=q.label,
                text=mask_phones_in_text(c.text),
                leads=tuple(lead.label for lead in service.leads_of(c)),
                pledged_on=c.pledged_on,
                fulfilments=tuple(
                    FulfilmentLine(
                        f.on, mask_phones_in_text(f.what), f.case.number if f.case_id else ""
                    )
                    for f in sorted(c.fulfilments, key=lambda f: (f.on, f.id))
                ),
                review=review.text if review else "",
                reviewer=review.reviewer_name if review else "",
                reviewed_on=review.on if review else None,
            )
        )
    if members and not sheets:
        raise NotFound(f"{q.label}还没有这些党员的公开承诺。")
    return q.label, sheets


def print_commitments(
    out: Output,
    *,
    quarter: str,
    members: Sequence[str | int] = (),
    branch: bool = False,
    a3: bool = False,
    progress: Progress | None = None,
    red: bool = False,
) -> PrintResult:
    """The whole quarter (branch sheet + every member), only the branch sheet, or named
    members. The branch's own pledges come from the setting commitments.branch_pledges."""
    from minqing.core import settings
    from minqing.core.community import the_community
    from minqing.printing.data import BRANCH_PLEDGES_KEY, load_office

    community = the_community()
    label, sheets = load_sheets(community, quarter, members)
    own = [p.strip() for p in (settings.get(BRANCH_PLEDGES_KEY) or "").splitlines() if p.strip()]
    return render_commitments(
        load_office(community), label, sheets, out,
        branch=branch or not members, members=bool(members) or not branch, a3=a3,
        progress=progress, pledges=own or BRANCH_PLEDGES, red=red,
    )  # fmt: skip
