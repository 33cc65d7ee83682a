"""民情连心卡: contact cards, ten per A4 sheet with crop marks, fronts and backs for duplex.

Sheets alternate front, back, front, back… On a back sheet the two columns are swapped, so
after long-edge (book) flipping each back lands behind its own front. The sheet is
symmetric left/right, so the swap is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from minqing.printing import qr
from minqing.printing.common import Document, Office, Output, PrintResult, Progress
from minqing.printing.fonts import Pen

CARD_W = 85.6 * mm
CARD_H = 54 * mm
COLS, ROWS = 2, 5
GAP_X = 6 * mm
GAP_Y = 3 * mm
MARGIN_X = (A4[0] - COLS * CARD_W - (COLS - 1) * GAP_X) / 2
MARGIN_Y = (A4[1] - ROWS * CARD_H - (ROWS - 1) * GAP_Y) / 2
PER_SHEET = COLS * ROWS
GREY = HexColor("#555555")
LIGHT = HexColor("#999999")


@dataclass(frozen=True)
class Programme:
    """A card programme of the source document (五彩连心卡): title, colour, who, what."""

    key: str
    title: str
    colour: str  # hex
    audience: str
    services: tuple[str, ...]
    tags: tuple[str, ...]  # resident tags (codes) that qualify a household


PLAIN = Programme(
    "plain",
    "民情连心卡",
    "#B71C1C",
    "辖区每一户居民",
    ("有事请拨民情专线，片区工作人员上门服务", "民情信箱每天上午开箱", "接待日当面反映问题"),
    (),
)
DEFAULT_PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        "sunset",
        "橙色夕阳卡",
        "#EF6C00",
        "三无老人、空巢老人",
        ("上门打扫卫生", "日常生活照料"),
        ("no_support_elderly", "alone_elderly"),
    ),
    Programme(
        "spring",
        "绿色春雷卡",
        "#2E7D32",
        "流动儿童",
        ("免费文艺培训", "课业辅导"),
        ("migrant_child",),
    ),
    Programme(
        "heart",
        "红色爱心卡",
        "#C62828",
        "下岗失业人员",
        ("职业介绍", "就业指导", "技能培训"),
        ("unemployed",),
    ),
    Programme(
        "helping",
        "粉色帮扶卡",
        "#D81B60",
        "单亲贫困母亲、妇女",
        ("免费健康检查",),
        ("single_mother",),
    ),
    Programme(
        "caring", "蓝色关爱卡", "#1565C0", "残疾人", ("代缴水电费", "代购生活用品"), ("disabled",)
    ),
)


_source: Callable[[], Sequence[Programme]] | None = None


def set_programme_source(source: Callable[[], Sequence[Programme]] | None) -> None:
    """Where the programmes come from when none are passed: the loader (printing.data) sets
    the office's own, edited programmes; without it, the source document's defaults."""
    global _source
    _source = source


def known_programmes() -> Sequence[Programme]:
    return _source() if _source is not None else DEFAULT_PROGRAMMES


def find_programme(key: str, programmes: Sequence[Programme] | None = None) -> Programme:
    """By key or title (橙色夕阳卡, 夕阳, sunset); 'plain' / 民情连心卡 is the household card."""
    items = tuple(known_programmes() if programmes is None else programmes)
    candidates = items if any(p.key == PLAIN.key for p in items) else (PLAIN, *items)
    for item in candidates:
        if key in (item.key, item.title) or (len(key) >= 2 and key in item.title):
            return item
    from minqing.core.errors import DomainError

    names = "、".join(f"{p.key}（{p.title}）" for p in candidates)
    raise DomainError("programme", f"没有名为“{key}”的连心卡。可选：{names}")


@dataclass(frozen=True)
class CardData:
    """One household's card. `serial` is printed and identifies the card when it comes back."""

    serial: str
    grid: str = ""
    staff: str = ""
    line: str = ""
    address: str = ""


def contact_payload(office: Office, card: CardData) -> str:
    """A vCard any phone camera offers to save: the community with its hotline and the grid line."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:;{office.name}民情热线;;;",
        f"FN:{office.name}民情热线",
        f"ORG:{office.name}",
    ]
    for number in (office.hotline, office.hotline2):
        if number:
            lines.append(f"TEL;TYPE=WORK,VOICE:{number}")
    if card.line:
        lines.append(f"TEL;TYPE=CELL:{card.line}")
    if card.staff or card.grid:
        lines.append(f"NOTE:{card.grid}{card.staff}民情专线")
    lines.append("END:VCARD")
    return "\n".join(lines)


def slot_origin(index: int, back: bool) -> tuple[float, float]:
    """Bottom-left corner of slot `index` (0–9, row by row from the top); backs mirror columns."""
    row, col = divmod(index, COLS)
    if back:
        col = COLS - 1 - col
    x = MARGIN_X + col * (CARD_W + GAP_X)
    y = A4[1] - MARGIN_Y - (row + 1) * CARD_H - row * GAP_Y
    return x, y


def _crop_marks(doc: Document) -> None:
    c = doc.canvas
    c.saveState()
    c.setLineWidth(0.25)
    c.setStrokeColorRGB(0, 0, 0)
    xs = sorted(
        {slot_origin(i, False)[0] for i in range(COLS)}
        | {slot_origin(i, False)[0] + CARD_W for i in range(COLS)}
    )
    ys = sorted(
        {slot_origin(i * COLS, False)[1] for i in range(ROWS)}
        | {slot_origin(i * COLS, False)[1] + CARD_H for i in range(ROWS)}
    )
    off, length = 1.5 * mm, min(MARGIN_Y, MARGIN_X) - 2.5 * mm
    for x in xs:
        c.line(x, ys[-1] + off, x, ys[-1] + off + length)
        c.line(x, ys[0] - off, x, ys[0] - off - length)
    for y in ys:
        c.line(xs[0] - off, y, xs[0] - off - length, y)
        c.line(xs[-1] + off, y, xs[-1] + off + length, y)
    c.restoreState()


def _band(doc: Document, x: float, y: float, h: float, colour: Color) -> None:
    c = doc.canvas
    c.setFillColor(colour)
    c.rect(x, y + CARD_H - h, CARD_W, h, stroke=0, fill=1)


def draw_front(
    doc: Document,
    office: Office,
    card: CardData,
    prog: Programme,
    x: float,
    y: float,
    *,
    with_qr: bool = True,
) -> None:
    pen: Pen = doc.pen
    colour = HexColor(prog.colour)
    pad = 3.5 * mm
    band = 14 * mm
    _band(doc, x, y, band, colour)
    top = y + CARD_H
    pen.fitted(x + pad, top - 5.2 * mm, office.name, CARD_W - 2 * pad, 7.5, 6, color=white)
    pen.fitted(x + pad, top - 11.6 * mm, prog.title, CARD_W * 0.6, 15, 11, color=white, bold=True)
    if prog is not PLAIN:
        pen.fitted(
            x + CARD_W - pad,
            top - 11.2 * mm,
            f"服务对象：{prog.audience}",
            CARD_W * 0.36,
            6.5,
            5,
            color=white,
            align="right",
        )
    qr_size = 23 * mm
    text_w = CARD_W - 2 * pad - (qr_size if with_qr else 0) - 1.5 * mm
    cy = top - band - 5.3 * mm
    c = doc.canvas
    c.setFillColorRGB(0, 0, 0)
    if card.grid or card.staff:
        who = f"{card.grid}  网格员 {card.staff}".strip()
        pen.fitted(x + pad, cy, who, text_w, 8, 6)
    cy -= 5.4 * mm
    pen.text(x + pad, cy, "民情专线", 6.5, color=GREY)
    cy -= 5 * mm
    pen.fitted(x + pad, cy, card.line or office.hotline, text_w, 12.5, 9, bold=True, color=colour)
    cy -= 5.2 * mm
    hot = "  ".join(n for n in (office.hotline, office.hotline2) if n)
    pen.fitted(x + pad, cy, f"社区热线 {hot}", text_w, 7.5, 5.5)
    if with_qr:
        qr.draw_cached(
            c,
            contact_payload(office, card),
            x + CARD_W - pad - qr_size + 1 * mm,
            y + 6.2 * mm,
            qr_size,
        )
        pen.text(
            x + CARD_W - pad - qr_size / 2 + 1 * mm,
            y + 3.6 * mm,
            "扫码保存号码",
            5.5,
            align="center",
            color=GREY,
        )
    c.setStrokeColor(colour)
    c.setLineWidth(0.4)
    c.line(x + pad, y + 6.5 * mm, x + pad + text_w, y + 6.5 * mm)
    pen.fitted(
        x + pad, y + 3.4 * mm, f"No.{card.serial}  {card.address}", text_w, 6, 4.5, color=GREY
    )


def draw_back(
    doc: Document, office: Office, card: CardData, prog: Programme, x: float, y: float
) -> None:
    pen = doc.pen
    c = doc.canvas
    colour = HexColor(prog.colour)
    pad = 3.5 * mm
    band = 6.5 * mm
    _band(doc, x, y, band, colour)
    c.setFillColorRGB(0, 0, 0)
    top = y + CARD_H
    pen.text(
        x + CARD_W / 2,
        top - 4.6 * mm,
        "民有所呼  我有所应",
        8.5,
        align="center",
        color=white,
        bold=True,
    )
    width = CARD_W - 2 * pad
    cy = top - band - 4.6 * mm
    label_w = 13 * mm
    size = 7
    rows: list[tuple[str, str]] = []
    if prog is PLAIN:
        rows.append(("服务内容", "；".join(prog.services)))
    else:
        rows.append(("服务对象", prog.audience))
        rows.append(("服务内容", "、".join(prog.services)))
    rows += [
        (
            "民情信箱",
            "；".join(office.mailbox_places)
            + ("（每天上午开箱）" if office.mailbox_places else ""),
        ),
        ("接 待 日", office.reception_day),
        ("民情QQ群", office.online_group),
        ("民情专线", f"{card.line}（{card.staff}）" if card.staff and card.line else card.line),
        ("社区热线", "  ".join(n for n in (office.hotline, office.hotline2) if n)),
    ]
    bottom_limit = y + 8 * mm
    for label, value in rows:
        if not value:
            continue
        lines_left = max(1, int((cy - bottom_limit) / (size * 1.3)) + 1)
        pen.text(x + pad, cy, label, size, color=colour, bold=True)
        cy = pen.paragraph(
            x + pad + label_w,
            cy,
            value,
            width - label_w,
            size,
            leading=size * 1.3,
            max_lines=min(2, lines_left),
        )
        cy -= 0.8 * mm
        if cy < bottom_limit:
            break
    c.setStrokeColor(colour)
    c.setLineWidth(0.4)
    c.line(x + pad, y + 6.5 * mm, x + CARD_W - pad, y + 6.5 * mm)
    pen.fitted(
        x + pad,
        y + 3.4 * mm,
        f"{office.street_office}{office.name}",
        width * 0.6,
        6,
        4.5,
        color=GREY,
    )
    pen.text(x + CARD_W - pad, y + 3.4 * mm, f"No.{card.serial}", 6, align="right", color=GREY)


def render_cards(
    office: Office,
    cards: Sequence[CardData],
    out: Output,
    *,
    programme: Programme = PLAIN,
    progress: Progress | None = None,
    with_qr: bool = True,
    backs: bool = True,
) -> PrintResult:
    """All cards in one PDF: each sheet of ten fronts followed by its sheet of backs."""
    doc = Document(out, A4, f"{office.name}{programme.title}", office.name)
    total = len(cards)
    for start in range(0, max(total, 1), PER_SHEET):
        if progress is not None and not progress(start, total):
            return doc.finish(start, cancelled=True)
        sheet = cards[start : start + PER_SHEET]
        faces = [False, True] if backs else [False]
        for back in faces:
            _crop_marks(doc)
            for i, card in enumerate(sheet):
                x, y = slot_origin(i, back)
                if back:
                    draw_back(doc, office, card, programme, x, y)
                else:
                    draw_front(doc, office, card, programme, x, y, with_qr=with_qr)
            doc.end_page()
    if progress is not None:
        progress(total, total)
    return doc.finish(total)
