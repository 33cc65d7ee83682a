"""民情连心卡: contact cards, ten per A4 sheet, fronts and backs for long-edge duplex.

Sheets alternate front, back, front, back… A back sheet is the front mirrored left/right, so
after long-edge (book) flipping each back lands behind its own front. Layouts: the
cut-yourself sheet (crop marks in the printable margin, 2 mm bleed on the colour bands) and
pre-perforated 10-up business-card stock. Stored front/back offsets (from the calibration
sheet) shift every page, because printers place the two sides differently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from minqing.printing.cardface import Faces
from minqing.printing.common import Document, Office, Output, PrintResult, Progress

COLS, ROWS = 2, 5
PER_SHEET = COLS * ROWS
SAFE = 5 * mm  # office printers print nothing nearer the edge; we print nothing nearer


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
    "#7B1C2E",
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
        "#D32F2F",
        "下岗失业人员",
        ("职业介绍", "就业指导", "技能培训"),
        ("unemployed",),
    ),
    Programme(
        "helping",
        "粉色帮扶卡",
        "#F48FB1",
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


# The colours the first versions shipped: the plain card's red and 红色爱心卡's looked the
# same on paper (ΔE2000 4), and white text on them or on orange read badly. A programme still
# carrying its old default prints in the new one; a colour the office chose is kept.
SUPERSEDED_COLOURS = {
    ("plain", "#B71C1C"): "#7B1C2E",
    ("heart", "#C62828"): "#D32F2F",
    ("helping", "#D81B60"): "#F48FB1",
}


def current_colour(key: str, colour: str) -> str:
    return SUPERSEDED_COLOURS.get((key, colour.upper()), colour)


@dataclass(frozen=True)
class CardData:
    """One household's card. `serial` is the issued card's number (empty when not issued);
    `household` is the registry's household code, carried in the QR code for the desk."""

    serial: str
    grid: str = ""
    staff: str = ""
    line: str = ""
    address: str = ""
    household: str = ""
    mailbox: str = ""  # the nearest 民情信箱 with its opening time


UID_PREFIX = "UID:minqing:hh:"


def contact_payload(office: Office, card: CardData) -> str:
    """A short vCard 3.0 (CRLF line ends) any phone camera offers to save: the community's
    hotline and the grid's line; `UID:minqing:hh:<household code>` lets the desk's scanner
    find the household."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{office.name};;;;",
        f"FN:{office.name}民情热线",
        f"ORG:{office.name}",
    ]
    for number in dict.fromkeys(n for n in (office.hotline, card.line) if n):
        lines.append(f"TEL:{number}")
    if card.household:
        lines.append(f"{UID_PREFIX}{card.household}")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


@dataclass(frozen=True)
class Layout:
    """Ten cards on A4: sizes and margins in mm, as the stock's packet gives them."""

    key: str
    title: str
    card_w: float
    card_h: float
    left: float
    top: float
    gap_x: float
    gap_y: float
    bleed: float
    crop_marks: bool

    def origin(self, index: int, back: bool) -> tuple[float, float]:
        """Bottom-left corner (points) of slot `index` (0–9, row by row from the top)."""
        row, col = divmod(index, COLS)
        x = (self.left + col * (self.card_w + self.gap_x)) * mm
        if back:
            x = A4[0] - x - self.card_w * mm
        y = A4[1] - (self.top + (row + 1) * self.card_h + row * self.gap_y) * mm
        return x, y


LAYOUTS: dict[str, Layout] = {
    lay.key: lay
    for lay in (
        # Cut yourself: the top margin holds the marks above the band's bleed; between rows
        # 2.5 mm, so a band's bleed stops 0.5 mm short of the card above.
        Layout("cut", "A4 自己裁切（85.6×54 mm，带裁切线）", 85.6, 54, 16.4, 10, 6, 2.5, 2, True),
        Layout(
            "c32011",
            "A4 十连预切名片纸 85×54 mm（如 Avery C32011）",
            85,
            54,
            15,
            13.5,
            10,
            0,
            0,
            False,
        ),
        Layout("cn90", "A4 十连预切名片纸 90×54 mm", 90, 54, 15, 13.5, 0, 0, 0, False),
    )
}
DEFAULT_LAYOUT = LAYOUTS["cut"]


def find_layout(key: str) -> Layout:
    if key in LAYOUTS:
        return LAYOUTS[key]
    from minqing.core.errors import DomainError

    names = "、".join(f"{k}（{lay.title}）" for k, lay in LAYOUTS.items())
    raise DomainError("layout", f"没有名为“{key}”的卡纸版式。可选：{names}")


def slot_origin(index: int, back: bool, layout: Layout = DEFAULT_LAYOUT) -> tuple[float, float]:
    return layout.origin(index, back)


Offset = tuple[float, float]  # mm, right and up positive


def _cut_lines(layout: Layout) -> tuple[list[float], list[float]]:
    xs = sorted({layout.origin(i, False)[0] for i in range(COLS)})
    xs = sorted(set(xs) | {x + layout.card_w * mm for x in xs})
    ys = sorted({layout.origin(i * COLS, False)[1] for i in range(ROWS)})
    ys = sorted(set(ys) | {y + layout.card_h * mm for y in ys})
    return xs, ys


def _crop_marks(doc: Document, layout: Layout) -> None:
    """Marks in the margin only: from 5 mm off the paper edge to 0.5 mm short of the cards
    (or of the bands' bleed above the top row)."""
    c = doc.canvas
    w, h = A4
    xs, ys = _cut_lines(layout)
    c.saveState()
    c.setLineWidth(0.3)
    c.setStrokeColorRGB(0, 0, 0)
    top_stop = ys[-1] + (layout.bleed + 0.5) * mm
    bottom_stop = ys[0] - 0.5 * mm
    for x in xs:
        c.line(x, h - SAFE, x, top_stop)
        c.line(x, SAFE, x, bottom_stop)
    left_stop = xs[0] - (layout.bleed + 0.5) * mm
    right_stop = xs[-1] + (layout.bleed + 0.5) * mm
    for y in ys:
        c.line(SAFE, y, left_stop, y)
        c.line(w - SAFE, y, right_stop, y)
    c.restoreState()


INSTRUCTION = "请按“实际大小（100%）”双面打印，选“沿长边翻转”；新打印机先打一张校准页。"


def _instruction(doc: Document, layout: Layout) -> None:
    """One line in the top margin, between the crop marks, 5 mm or more from the edge."""
    xs, ys = _cut_lines(layout)
    top_of_cards = ys[-1] + layout.bleed * mm
    room = A4[1] - SAFE - top_of_cards
    size = min(6.5, room * 0.75)
    x = (xs[0] + xs[1]) / 2 if len(xs) > 1 else A4[0] / 2
    width = (xs[1] - xs[0]) - 4 * mm if len(xs) > 1 else A4[0] - 2 * SAFE
    size = doc.pen.fit_size(INSTRUCTION, width, size, 4.5)
    doc.pen.text(x, A4[1] - SAFE - size * 0.8, INSTRUCTION, size, align="center")


def _card_document(out: Output, office: Office, title: str) -> Document:
    doc = Document(out, A4, title, office.name)
    doc.canvas.setViewerPreference("PrintScaling", "None")
    doc.canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    return doc


def render_cards(
    office: Office,
    cards: Sequence[CardData],
    out: Output,
    *,
    programme: Programme = PLAIN,
    progress: Progress | None = None,
    with_qr: bool = True,
    backs: bool = True,
    layout: Layout = DEFAULT_LAYOUT,
    offsets: tuple[Offset, Offset] = ((0.0, 0.0), (0.0, 0.0)),
) -> PrintResult:
    """All cards in one PDF: each sheet of ten fronts followed by its sheet of backs."""
    doc = _card_document(out, office, f"{office.name}{programme.title}")
    c = doc.canvas
    faces = Faces(
        c, doc.pen, office, programme, layout.card_w * mm, layout.card_h * mm, layout.bleed * mm
    )
    total = len(cards)
    marks = "cropMarks_" + layout.key
    sides = [False, True] if backs else [False]
    for start in range(0, max(total, 1), PER_SHEET):
        if progress is not None and not progress(start, total):
            return doc.finish(start, cancelled=True)
        sheet = cards[start : start + PER_SHEET]
        for back in sides:
            dx, dy = offsets[1] if back else offsets[0]
            c.saveState()
            c.translate(dx * mm, dy * mm)
            if layout.crop_marks:
                if start == 0 and not back:
                    c.beginForm(marks, 0, 0, *A4)
                    _crop_marks(doc, layout)
                    c.endForm()
                c.doForm(marks)
            if not back:
                _instruction(doc, layout)
            for i, card in enumerate(sheet):
                x, y = layout.origin(i, back)
                if back:
                    faces.back(card, x, y)
                else:
                    payload = contact_payload(office, card).encode() if with_qr else None
                    faces.front(card, payload, x, y)
            c.restoreState()
            doc.end_page()
    if progress is not None:
        progress(total, total)
    return doc.finish(total)


def render_calibration(
    office: Office, out: Output, *, layout: Layout = DEFAULT_LAYOUT
) -> PrintResult:
    """Two pages to print duplex like the cards: the front shows where each card should sit
    and a line 20 mm from the left and top edges; the back puts a millimetre cross behind
    each front cross. Held against the light, the back cross's offset is read in mm."""
    doc = _card_document(out, office, f"{office.name}连心卡校准页")
    c, pen = doc.canvas, doc.pen
    w, h = A4
    for back in (False, True):
        c.setLineWidth(0.3)
        for i in range(PER_SHEET):
            x, y = layout.origin(i, back)
            cw, ch = layout.card_w * mm, layout.card_h * mm
            c.setStrokeColorRGB(0.6, 0.6, 0.6)
            c.rect(x, y, cw, ch, stroke=1, fill=0)
            cx, cy = x + cw / 2, y + ch / 2
            c.setStrokeColorRGB(0, 0, 0)
            if back:
                for k in range(-5, 6):
                    tick = (1.6 if k % 5 == 0 else 0.9) * mm
                    c.line(cx + k * mm, cy - tick, cx + k * mm, cy + tick)
                    c.line(cx - tick, cy + k * mm, cx + tick, cy + k * mm)
                c.line(cx - 5 * mm, cy, cx + 5 * mm, cy)
                c.line(cx, cy - 5 * mm, cx, cy + 5 * mm)
                pen.text(
                    cx,
                    y + 4 * mm,
                    f"背面 第{i + 1}张：读出正面十字在刻度上的位置",
                    6.5,
                    align="center",
                )
            else:
                c.line(cx - 8 * mm, cy, cx + 8 * mm, cy)
                c.line(cx, cy - 8 * mm, cx, cy + 8 * mm)
                pen.text(cx, y + 4 * mm, f"正面 第{i + 1}张", 7, align="center")
        if not back:
            c.setStrokeColorRGB(0, 0, 0)
            c.line(20 * mm, h * 0.35, 20 * mm, h * 0.65)
            c.line(w * 0.35, h - 20 * mm, w * 0.65, h - 20 * mm)
            pen.text(21 * mm, h * 0.5, "此线应距纸左边 20 mm", 7)
            pen.text(w / 2, h - 19 * mm, "此线应距纸上边 20 mm", 7, align="center")
            pen.text(
                w / 2,
                h - SAFE - 2.6 * mm,
                "校准页：用与连心卡相同的设置双面打印。量两条线到纸边的距离，多出的毫米数就是正面偏移"
                "（向右、向上为正）；对着光读背面刻度，填入背面偏移。",
                6.5,
                align="center",
            )
        doc.end_page()
    return doc.finish(0)
