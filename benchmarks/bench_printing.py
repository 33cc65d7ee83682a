"""3,690 household cards in one PDF against plain reportlab drawing the same sheets.

The yardstick (issue 14): plain reportlab — a Canvas, the same CJK font, `drawString` for
every text of both faces, rectangles for the bands, the crop marks, no QR code — drawing the
same 738 pages in the same run. Targets: minqing's cards with a QR code on every card
(each one different: it carries the household's code) ≤ 2x that time, PDF ≤ 2 MB.

    PYTHONPATH=src python3 benchmarks/bench_printing.py [--count 3690] [--grids 30]
"""

from __future__ import annotations

import argparse
import io
import time

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from minqing.printing import fonts
from minqing.printing.cards import CardData, render_cards
from minqing.printing.common import Office

OFFICE = Office(
    "中和社区",
    "0451-86123456",
    "0451-86127890",
    ("中和街21号楼道", "比乐街25号门口"),
    "每周二上午",
    "123456789",
    "南岗区花园街道",
)


def make_cards(count: int, grids: int) -> list[CardData]:
    per = max(count // grids, 1)
    return [
        CardData(
            f"MQ26-{i:05d}",
            f"第{i // per + 1}片区",
            f"网格员{i // per + 1}",
            f"139{i // per:08d}",
            f"中和小区{i % 40 + 1}号楼{i % 6 + 1}单元{i % 30 + 101}室",
            f"01-{i // per + 1:02d}-{i:05d}",
            f"中和小区{i % 40 + 1}号楼门口（每天上午开箱）",
        )
        for i in range(count)
    ]


def plain_reportlab(cards: list[CardData], out: io.BytesIO) -> None:
    """The same sheets the simple way: every string drawn with drawString, no QR."""
    font = fonts.register_fonts()[0]
    c = Canvas(out, pagesize=A4, pageCompression=1)
    w, h = 85.6 * mm, 54 * mm
    band = HexColor("#7B1C2E")

    def origin(i: int, back: bool) -> tuple[float, float]:
        row, col = divmod(i, 2)
        x = (16.4 + col * 91.6) * mm
        if back:
            x = A4[0] - x - w
        return x, A4[1] - (10 + (row + 1) * 54 + row * 2.5) * mm

    for start in range(0, len(cards), 10):
        sheet = cards[start : start + 10]
        for back in (False, True):
            c.setLineWidth(0.3)
            for i in range(6):
                c.line(16 * mm + i * 30 * mm, 5 * mm, 16 * mm + i * 30 * mm, 7 * mm)
            for i, card in enumerate(sheet):
                x, y = origin(i, back)
                c.setFillColor(band)
                c.rect(x - 2 * mm, y + h - 13 * mm, w + 4 * mm, 15 * mm, stroke=0, fill=1)
                c.setFillColor(white)
                if back:
                    c.setFont(font, 8.5)
                    c.drawCentredString(x + w / 2, y + h - 4.5 * mm, "民有所呼  我有所应")
                    c.setFillColorRGB(0, 0, 0)
                    c.setFont(font, 7)
                    rows = [
                        (
                            "服务内容",
                            "有事请拨民情专线，片区工作人员上门服务；民情信箱每天上午开箱",
                        ),
                        ("网 格 员", f"{card.grid} {card.staff} {card.line}"),
                        ("民情信箱", card.mailbox),
                        ("接 待 日", OFFICE.reception_day),
                        ("民情QQ群", OFFICE.online_group),
                        ("社区热线", f"{OFFICE.hotline}  {OFFICE.hotline2}"),
                    ]
                    for k, (label, value) in enumerate(rows):
                        c.drawString(x + 3.5 * mm, y + h - (11 + k * 4) * mm, label)
                        c.drawString(x + 16.5 * mm, y + h - (11 + k * 4) * mm, value)
                    c.setFont(font, 6)
                    c.drawString(x + 3.5 * mm, y + 3.6 * mm, OFFICE.street_office + OFFICE.name)
                    c.drawRightString(x + w - 3.5 * mm, y + 3.6 * mm, f"No.{card.serial}")
                else:
                    c.setFont(font, 7.5)
                    c.drawString(x + 3.5 * mm, y + h - 4.8 * mm, OFFICE.name)
                    c.setFont(font, 15)
                    c.drawString(x + 3.5 * mm, y + h - 10.8 * mm, "民情连心卡")
                    c.setFillColorRGB(0, 0, 0)
                    c.setFont(font, 8.5)
                    c.drawString(x + 3.5 * mm, y + h - 18 * mm, f"{card.grid}  网格员 {card.staff}")
                    c.setFont(font, 7)
                    c.drawString(x + 3.5 * mm, y + h - 23.5 * mm, "民情专线")
                    c.setFont(font, 15)
                    c.drawString(x + 3.5 * mm, y + h - 29.5 * mm, card.line)
                    c.setFont(font, 7.5)
                    c.drawString(x + 3.5 * mm, y + h - 34.5 * mm, f"社区热线 {OFFICE.hotline}")
                    c.drawString(x + 3.5 * mm, y + h - 38 * mm, f"社区热线 {OFFICE.hotline2}")
                    c.setFont(font, 6)
                    c.drawString(x + 3.5 * mm, y + 3.6 * mm, f"No.{card.serial}  {card.address}")
                    c.drawCentredString(x + w - 16 * mm, y + 34 * mm, "扫码保存号码")
            c.showPage()
    c.save()


def timed(draw) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    start = time.perf_counter()
    draw(buffer)
    return time.perf_counter() - start, len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3690)
    parser.add_argument("--grids", type=int, default=30)
    args = parser.parse_args()
    cards = make_cards(args.count, args.grids)
    fonts.register_fonts()
    render_cards(OFFICE, cards[:10], io.BytesIO())  # font loading, imports
    t_plain, s_plain = timed(lambda b: plain_reportlab(cards, b))
    t_ours, s_ours = timed(lambda b: render_cards(OFFICE, cards, b))
    try:
        import _rl_accel  # noqa: F401

        accel = "rl_accel installed"
    except ImportError:
        accel = "rl_accel NOT installed"
    print(f"{args.count} cards, {args.count} distinct QR payloads, {accel}")
    print(f"plain reportlab, no QR:  {t_plain:6.2f} s  {s_plain / 1e6:5.2f} MB")
    print(f"minqing cards with QR:   {t_ours:6.2f} s  {s_ours / 1e6:5.2f} MB")
    ratio = t_ours / t_plain
    ok = ratio <= 2 and s_ours <= 2e6
    print(f"ratio {ratio:4.2f}x; targets (≤2x, ≤2 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
