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


def _box(doc: Document, x: float, top: float, w: float, h: float, label: str) -> None:
    """A ruled box with its label in a grey column on the left."""
    c = doc.canvas
    c.setLineWidth(0.8)
    c.rect(x, top - h, w, h)
    c.setFillColor(HexColor("#F3F3F3"))
    c.rect(x, top - h, 24 * mm, h, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    lines = wrap(label, 18 * mm, 12)
    y = top - h / 2 + (len(lines) - 1) * 8 - 4
    for line in lines:
        doc.pen.text(x + 12 * mm, y, line, 12, align="center", bold=True)
        y -= 16


def _member_page(doc: Document, office: Office, s: CommitmentSheet) -> None:
    pen, c = doc.pen, doc.canvas
    left, width = 18 * mm, A4[0] - 36 * mm
    body_x, body_w = left + 27 * mm, width - 30 * mm
    top = A4[1] - 22 * mm
    pen.text(A4[0] / 2, top, MEMBER_TITLE, 26, align="center", bold=True, color=RED)
    c.setStrokeColor(RED)
    c.setLineWidth(1.5)
    c.line(left, top - 7 * mm, left + width, top - 7 * mm)
    c.setStrokeColorRGB(0, 0, 0)
    pen.text(A4[0] / 2, top - 14 * mm, f"{office.name}党支部　{s.quarter}", 12, align="center")

    y = top - 22 * mm
    row_h = 10 * mm
    c.setLineWidth(0.8)
    cells = [("姓名", s.name), ("性别", s.gender or "—"), ("党员类别", s.kind)]
    cw = width / 3
    for i, (label, value) in enumerate(cells):
        c.rect(left + i * cw, y - row_h, cw, row_h)
        pen.text(left + i * cw + 3 * mm, y - row_h + 3.4 * mm, f"{label}：", 11, bold=True)
        pen.fitted(left + i * cw + 22 * mm, y - row_h + 3.4 * mm, value, cw - 24 * mm, 12, 8)
    y -= row_h
    duties = clip_lines(wrap(s.duties, body_w - 2 * mm, 10.5), 2, body_w - 2 * mm, 10.5)
    post_h = max(row_h, 6 * mm + 14 * len(duties) + 4 * mm)
    _box(doc, left, y, width, post_h, "服务岗位")
    pen.text(body_x, y - 6.5 * mm, s.post or "（未定岗）", 13, bold=True)
    ty = y - 6.5 * mm - 15
    for line in duties:
        pen.text(body_x, ty, line, 10.5, color=GREY)
        ty -= 14
    y -= post_h

    text_lines = clip_lines(wrap(s.text, body_w, 13), 7, body_w, 13)
    text_h = max(32 * mm, len(text_lines) * 19 + 10 * mm)
    _box(doc, left, y, width, text_h, "承诺内容")
    ty = y - 8 * mm
    for line in text_lines:
        pen.text(body_x, ty, line, 13)
        ty -= 19
    y -= text_h

    leads_h = 24 * mm
    _box(doc, left, y, width, leads_h, "五带头")
    col_w = body_w / 3
    for i, lead in enumerate(FIVE_LEADS):
        lx = body_x + (i % 3) * col_w
        ly = y - 8 * mm - (i // 3) * 9 * mm
        c.setLineWidth(0.8)
        c.rect(lx, ly - 1, 10, 10)
        if lead in s.leads:
            c.setLineWidth(1.6)
            c.setStrokeColor(RED)
            c.lines(
                [(lx + 2, ly + 4.5, lx + 4.5, ly + 1.5), (lx + 4.5, ly + 1.5, lx + 9, ly + 8.5)]
            )
            c.setStrokeColorRGB(0, 0, 0)
        pen.text(lx + 14, ly, lead, 12)
    y -= leads_h

    sign_h = 14 * mm
    c.setLineWidth(0.8)
    c.rect(left, y - sign_h, width, sign_h)
    pen.text(left + 4 * mm, y - 9 * mm, "承诺人（签名）：", 12, bold=True)
    c.line(left + 40 * mm, y - 10 * mm, left + 95 * mm, y - 10 * mm)
    pen.text(
        left + width - 4 * mm,
        y - 9 * mm,
        f"承诺日期：{chinese_date(s.pledged_on)}",
        12,
        align="right",
    )
    y -= sign_h

    done = [
        f"{f.on:%m月%d日}　{f.what}" + (f"（民情 {f.case}）" if f.case else "")
        for f in s.fulfilments
    ]
    done_lines: list[str] = []
    for item in done:
        done_lines += wrap(item, body_w, 11)
    done_lines = (
        clip_lines(done_lines, 8, body_w, 11) if done_lines else ["（季度内随时记录履诺情况）"]
    )
    done_h = max(28 * mm, len(done_lines) * 16 + 8 * mm)
    _box(doc, left, y, width, done_h, "履诺情况")
    ty = y - 7 * mm
    for line in done_lines:
        pen.text(body_x, ty, line, 11, color=None if s.fulfilments else GREY)
        ty -= 16
    y -= done_h

    review_h = max(y - 26 * mm, 30 * mm)
    _box(doc, left, y, width, review_h, "领导点评")
    if s.review:
        pen.paragraph(body_x, y - 8 * mm, s.review, body_w, 12.5, leading=18, max_lines=5)
        pen.text(
            left + width - 4 * mm, y - review_h + 6 * mm,
            f"点评人：{s.reviewer}　　{chinese_date(s.reviewed_on)}", 12, align="right",
        )  # fmt: skip
    else:
        c.setStrokeColor(HexColor("#BBBBBB"))
        c.setLineWidth(0.5)
        ly = y - 14 * mm
        while ly > y - review_h + 8 * mm:
            c.line(body_x, ly, left + width - 4 * mm, ly)
            ly -= 10 * mm
        c.setStrokeColorRGB(0, 0, 0)
        pen.text(
            left + width - 4 * mm,
            y - review_h + 3 * mm,
            "点评人：　　　　　日期：",
            11,
            align="right",
        )
    hot = office.hotline or office.hotline2
    note = "本承诺书在党务公开栏公示，接受群众监督。" + (
        f"意见和建议请拨打民情热线 {hot}。" if hot else ""
    )
    pen.text(A4[0] / 2, 14 * mm, note, 9.5, align="center", color=GREY)


BRANCH_COLUMNS = [
    Column("序号", 0.45, "center"),
    Column("姓名", 0.8, "center"),
    Column("岗位", 1.5, "center"),
    Column("承诺内容", 3.0),
    Column("履诺情况", 3.0),
    Column("领导点评", 2.2),
]


def branch_cells(index: int, s: CommitmentSheet) -> list[str]:
    done = "\n".join(f"{f.on:%m-%d} {f.what}" for f in s.fulfilments) or "—"
    review = f"{s.review}\n——{s.reviewer}" if s.review else "—"
    return [str(index), s.name, s.post, s.text, done, review]


def draw_branch(
    doc: Document, office: Office, quarter: str, sheets: Sequence[CommitmentSheet], a3: bool,
    progress: Progress | None = None,
) -> bool:  # fmt: skip
    """The branch sheet on `doc` (which may go on with member sheets); False when cancelled."""

    def header(d: Document, page: int, _pages: int) -> None:
        _scale(d, a3)
        d.pen.text(
            A4[0] / 2, A4[1] - 20 * mm, BRANCH_TITLE, 24, align="center", bold=True, color=RED
        )
        d.pen.text(
            A4[0] / 2, A4[1] - 29 * mm, f"{office.name}党支部　{quarter}", 12, align="center"
        )
        if page == 1:
            d.pen.paragraph(
                14 * mm, A4[1] - 38 * mm,
                f"社区党支部{len(sheets)}名党员结合“五带头”（带头学习提高、带头争创佳绩、带头服务群众、"
                "带头遵纪守法、带头弘扬正气），按照“设岗定责、依岗承诺”的要求作出如下承诺，"
                "接受群众监督。",
                A4[0] - 28 * mm, 10.5, leading=15,
            )  # fmt: skip
        d.pen.text(
            A4[0] - 14 * mm, 14 * mm, "党支部（盖章）　　　年　　月　　日", 10, align="right"
        )

    width, height = doc.width, doc.height
    doc.width, doc.height = A4  # the table is laid out in A4 coordinates, scaled on A3
    rows = [branch_cells(i, s) for i, s in enumerate(sheets, start=1)] or [
        ["", "", "", "本季度还没有党员作出承诺。", "", ""]
    ]
    layout = Layout(size=9, margin=14 * mm, head=52 * mm, foot=22 * mm)
    ok = render_table(doc, BRANCH_COLUMNS, rows, header, layout=layout, progress=progress)
    doc.width, doc.height = width, height
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
) -> PrintResult:
    """A quarter in one PDF: the branch sheet first, then every member's sheet."""
    title = f"{office.name}{BRANCH_TITLE if branch and not members else MEMBER_TITLE}"
    doc = Document(out, A3 if a3 else A4, title, office.name)
    if branch and not draw_branch(doc, office, quarter, sheets, a3, progress):
        return doc.finish(0, cancelled=True)
    if members:
        for i, sheet in enumerate(sheets):
            if progress is not None and not progress(i, len(sheets)):
                return doc.finish(i, cancelled=True)
            _scale(doc, a3)
            _member_page(doc, office, sheet)
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
) -> PrintResult:
    """The whole quarter (branch sheet + every member), only the branch sheet, or named members."""
    from minqing.core.community import the_community
    from minqing.printing.data import load_office

    community = the_community()
    label, sheets = load_sheets(community, quarter, members)
    return render_commitments(
        load_office(community), label, sheets, out,
        branch=branch or not members, members=bool(members) or not branch, a3=a3,
        progress=progress,
    )  # fmt: skip
