"""The two faces of a card. What every card of a programme shares (band, title, labels, the
office's lines) is drawn once per PDF as a form XObject; each card adds only its own text and
its QR code (an inline 1-bit image mask from `qrfast`).

Sizes are in points from the card's bottom-left corner. A `bleed` > 0 lets the colour band
run that far past the cut lines, so a slightly off cut leaves no white sliver.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from minqing.printing import qrfast
from minqing.printing.colour import ink_for, text_on
from minqing.printing.fonts import Pen, fit_lines

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from minqing.printing.cards import CardData, Programme
    from minqing.printing.common import Office

GREY = HexColor("#4D4D4D")
PAD = 3.5 * mm
FRONT_BAND = 13 * mm
BACK_BAND = 6.5 * mm
MODULE = 0.5 * mm  # smallest QR module: reads from a 100 dpi photo / at arm's length
QUIET = 4  # modules of white around the code, as the standard asks
QR_MAX = 31 * mm  # the biggest code box that leaves room for the text column
LABEL_W = 13 * mm
ROW_SIZE, ROW_MIN = 7.0, 6.0
FOOT = 7 * mm  # the rule above the serial line


def is_plain(prog: Programme) -> bool:
    return prog.key == "plain"


def qr_geometry(payload: bytes) -> tuple[qrfast.Encoder, float]:
    return _geometry(len(payload))


@functools.cache
def _geometry(length: int) -> tuple[qrfast.Encoder, float]:
    """The encoder (version, level) and module size: level M when its code fits the box at
    0.5 mm modules, else level L; the module grows to fill the box."""
    for level in ("M", "L"):
        version = qrfast.smallest_version(length, level)
        side = 4 * version + 17 + 2 * QUIET
        if side * MODULE <= QR_MAX or level == "L":
            return qrfast.encoder(version, level), max(MODULE, min(QR_MAX / side, 0.6 * mm))
    raise AssertionError("unreachable")


def qr_box(payload: bytes) -> float:
    enc, module = qr_geometry(payload)
    return (enc.size + 2 * QUIET) * module


def draw_qr(canvas: Canvas, payload: bytes, x: float, y: float) -> float:
    """The code with its quiet zone, bottom-left at (x, y); returns the box side."""
    enc, module = qr_geometry(payload)
    n = enc.size
    dark = n * module
    image = enc.image(payload).hex()
    q = QUIET * module
    canvas._code.append(
        f"q 0 g {dark:.3f} 0 0 {dark:.3f} {x + q:.3f} {y + q:.3f} cm "
        f"BI /IM true /W {n} /H {n} /BPC 1 /D [1 0] /F /AHx ID {image}> EI Q"
    )
    return dark + 2 * q


class Faces:
    """Draws the faces of one programme's cards at one card size into one PDF."""

    def __init__(
        self,
        canvas: Canvas,
        pen: Pen,
        office: Office,
        prog: Programme,
        width: float,
        height: float,
        bleed: float,
    ):
        self.c, self.pen, self.office, self.prog = canvas, pen, office, prog
        self.w, self.h, self.bleed = width, height, bleed
        self.band = prog.colour
        self.on_band = HexColor(text_on(prog.colour))
        self.ink = HexColor(ink_for(prog.colour))
        self.hotlines = [n for n in (office.hotline, office.hotline2) if n]
        key = f"{prog.key}_{round(width)}_{round(height)}_{round(bleed)}"
        self.front_form = f"cardFront_{key}"
        self.back_form = f"cardBack_{key}"
        self._made: set[str] = set()
        self.back_top = 0.0  # baseline of the first personal row on the back
        self.back_bottom = 0.0  # lowest baseline the personal rows may use

    # -- shared parts, drawn once ---------------------------------------------------------

    def _band(self, height: float) -> None:
        c, b = self.c, self.bleed
        c.setFillColor(HexColor(self.band))
        c.rect(-b, self.h - height, self.w + 2 * b, height + b, stroke=0, fill=1)

    def _form(self, name: str, draw: object) -> None:
        if name in self._made:
            return
        b = self.bleed
        self.c.beginForm(name, -b, -b, self.w + b, self.h + b)
        draw()  # type: ignore[operator]
        self.c.endForm()
        self._made.add(name)

    def _front_static(self) -> None:
        pen, w, h, prog = self.pen, self.w, self.h, self.prog
        self._band(FRONT_BAND)
        pen.fitted(PAD, h - 4.8 * mm, self.office.name, w - 2 * PAD, 7.5, 6, color=self.on_band)
        title_w = w - 2 * PAD if is_plain(prog) else w * 0.55
        pen.fitted(PAD, h - 10.8 * mm, prog.title, title_w, 15, 11, color=self.on_band, bold=True)
        if not is_plain(prog):
            size, lines = fit_lines(f"服务对象：{prog.audience}", w * 0.36, 7, 5.5)
            y = h - 8.2 * mm - (len(lines) - 1) * size * 0.6
            for line in lines:
                pen.text(w - PAD, y, line, size, align="right", color=self.on_band)
                y -= size * 1.2
        text_w = self.text_width()
        cy = h - FRONT_BAND - 10.5 * mm
        pen.text(PAD, cy, "民情专线", 7, color=GREY)
        cy -= 11 * mm
        for number in self.hotlines:
            pen.fitted(PAD, cy, f"社区热线 {number}", text_w, 7.5, 6)
            cy -= 3.4 * mm
        c = self.c
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.4)
        c.line(PAD, FOOT, PAD + text_w, FOOT)

    def _back_static(self) -> None:
        pen, w, h, prog, office = self.pen, self.w, self.h, self.prog, self.office
        self._band(BACK_BAND)
        pen.text(
            w / 2,
            h - 4.5 * mm,
            "民有所呼  我有所应",
            8.5,
            align="center",
            color=self.on_band,
            bold=True,
        )
        top_rows: list[tuple[str, str]] = []
        if is_plain(prog):
            top_rows.append(("服务内容", "；".join(prog.services)))
        else:
            top_rows.append(("服务对象", prog.audience))
            top_rows.append(("服务内容", "、".join(prog.services)))
        cy = h - BACK_BAND - 4.2 * mm
        for label, value in top_rows:
            cy = self.row(label, value, cy)
        self.back_top = cy
        bottom_rows = [
            ("接 待 日", office.reception_day),
            ("民情QQ群", office.online_group),
            ("社区热线", "  ".join(self.hotlines)),
        ]
        block = sum(self.row_height(value) for _, value in bottom_rows if value)
        self.back_bottom = FOOT + 2 * mm + block
        by = self.back_bottom - ROW_SIZE * 0.9
        for label, value in bottom_rows:
            by = self.row(label, value, by)
        c = self.c
        c.setStrokeColor(self.ink)
        c.setLineWidth(0.4)
        c.line(PAD, FOOT, w - PAD, FOOT)
        pen.fitted(
            PAD,
            3.6 * mm,
            f"{office.street_office}{office.name}",
            (w - 2 * PAD) * 0.6,
            6,
            5,
            color=GREY,
        )

    # -- layout helpers ---------------------------------------------------------------------

    def text_width(self) -> float:
        return self.w - 1.5 * mm - QR_MAX - PAD - 1 * mm

    def row_height(self, value: str) -> float:
        size, lines = fit_lines(value, self.w - 2 * PAD - LABEL_W, ROW_SIZE, ROW_MIN)
        return len(lines) * size * 1.25 + 0.9 * mm

    def row(self, label: str, value: str, y: float) -> float:
        """A labelled row from baseline y; shrinks, then wraps, never cuts. Returns the next y."""
        if not value:
            return y
        size, lines = fit_lines(value, self.w - 2 * PAD - LABEL_W, ROW_SIZE, ROW_MIN)
        self.pen.text(PAD, y, label, ROW_SIZE, color=self.ink, bold=True)
        for line in lines:
            self.pen.text(PAD + LABEL_W, y, line, size)
            y -= size * 1.25
        return y - 0.9 * mm

    # -- one card ---------------------------------------------------------------------------

    def front(self, card: CardData, payload: bytes | None, x: float, y: float) -> None:
        c, pen = self.c, self.pen
        self._form(self.front_form, self._front_static)
        c.saveState()
        c.translate(x, y)
        c.doForm(self.front_form)
        text_w = self.text_width()
        cy = self.h - FRONT_BAND - 5 * mm
        who = "  ".join(p for p in (card.grid, f"网格员 {card.staff}" if card.staff else "") if p)
        if who:
            pen.fitted(PAD, cy, who, text_w, 8.5, 6.5)
        number = card.line or self.office.hotline
        pen.fitted(PAD, cy - 11.5 * mm, number, text_w, 15, 10, bold=True, color=self.ink)
        foot = "  ".join(p for p in (f"No.{card.serial}" if card.serial else "", card.address) if p)
        pen.text(PAD, 3.6 * mm, foot, pen.fit_size(foot, text_w, 6, 4.5), color=GREY)
        if payload is not None:
            box = qr_box(payload)
            qx, qy = self.w - 1.5 * mm - box, 1.5 * mm
            draw_qr(c, payload, qx, qy)
            pen.text(
                qx + box / 2, qy + box + 1.2 * mm, "扫码保存号码", 6, align="center", color=GREY
            )
        c.restoreState()

    def back(self, card: CardData, x: float, y: float) -> None:
        c = self.c
        self._form(self.back_form, self._back_static)
        c.saveState()
        c.translate(x, y)
        c.doForm(self.back_form)
        worker = " ".join(p for p in (card.grid, card.staff, card.line) if p)
        cy = self.row("网 格 员", worker, self.back_top)
        if card.mailbox:
            self.row("民情信箱", card.mailbox, cy)
        if card.serial:
            self.pen.text(self.w - PAD, 3.6 * mm, f"No.{card.serial}", 6, align="right", color=GREY)
        c.restoreState()
