"""A paginated table with wrapped Chinese cells, repeated header and "第 x 页 共 y 页".

Rows are measured first and split into pages, then drawn, so every page knows the total.
Used by the public notice and the intake register.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from minqing.printing.common import Document, Progress
from minqing.printing.fonts import clip_lines, wrap

HEADER_FILL = HexColor("#EEEEEE")
MAX_CELL_LINES = 8


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table width
    align: str = "left"


@dataclass
class Layout:
    size: float = 8.5
    margin: float = 12 * mm
    head: float = 24 * mm  # space for the page header drawn by the document
    foot: float = 10 * mm  # baseline of "第 x 页 共 y 页"
    footer_size: float = 8
    reserve: float = 0.0  # room above the page number for the document's own footer
    first_head: float | None = None  # a taller header on page 1 (an introduction)
    end_room: float = 0.0  # room kept after the last row for `after` (signatures, seal)


def _cells(doc: Document, row: Sequence[str], widths: list[float], size: float) -> list[list[str]]:
    pad = 1.6 * mm
    return [
        clip_lines(wrap(text or "", w - 2 * pad, size), MAX_CELL_LINES, w - 2 * pad, size)
        for text, w in zip(row, widths, strict=True)
    ]


def render_table(
    doc: Document,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    header: Callable[[Document, int, int], None],
    *,
    layout: Layout | None = None,
    progress: Progress | None = None,
    after: Callable[[Document, float], None] | None = None,
) -> bool:
    """Draw all rows over as many pages as needed; returns False when cancelled. `after(doc,
    y)` draws below the last row (the document's end: signatures, a seal box), on a page of
    its own with the header when `layout.end_room` doesn't fit under the rows."""
    lay = layout or Layout()
    pen, c = doc.pen, doc.canvas
    left = lay.margin
    table_w = doc.width - 2 * lay.margin
    total_weight = sum(col.weight for col in columns)
    widths = [table_w * col.weight / total_weight for col in columns]
    leading = lay.size * 1.3
    pad = 1.6 * mm
    title_h = leading + 2 * pad
    bottom = lay.foot + 4 * mm + lay.reserve

    def top_of(page: int) -> float:
        head = lay.first_head if page == 1 and lay.first_head is not None else lay.head
        return doc.height - head

    measured: list[tuple[list[list[str]], float]] = []
    for i, row in enumerate(rows):
        if progress is not None and i % 200 == 0 and not progress(i // 2, len(rows)):
            return False
        cells = _cells(doc, row, widths, lay.size)
        measured.append((cells, max(len(x) for x in cells) * leading + 2 * pad))
    pages: list[list[tuple[list[list[str]], float]]] = [[]]
    y = top_of(1) - title_h
    for item in measured:
        if y - item[1] < bottom and pages[-1]:
            pages.append([])
            y = top_of(len(pages)) - title_h
        pages[-1].append(item)
        y -= item[1]
    end_alone = after is not None and y - lay.end_room < bottom
    total = len(pages) + (1 if end_alone else 0)

    done = 0
    for number, page in enumerate(pages, start=1):
        if progress is not None and not progress((len(rows) + done) // 2, len(rows)):
            return False
        header(doc, number, total)
        top = y = top_of(number)
        c.setLineWidth(0.5)
        c.setFillColor(HEADER_FILL)
        c.rect(left, y - title_h, table_w, title_h, stroke=1, fill=1)
        c.setFillColorRGB(0, 0, 0)
        x = left
        for col, w in zip(columns, widths, strict=True):
            pen.text(x + w / 2, y - pad - lay.size, col.title, lay.size, align="center", bold=True)
            x += w
        y -= title_h
        for cells, height in page:
            c.rect(left, y - height, table_w, height, stroke=1, fill=0)
            x = left
            for col, w, lines in zip(columns, widths, cells, strict=True):
                ty = y - pad - lay.size
                for line in lines:
                    if col.align == "center":
                        pen.text(x + w / 2, ty, line, lay.size, align="center")
                    else:
                        pen.text(x + pad, ty, line, lay.size)
                    ty -= leading
                x += w
            y -= height
            done += 1
        x = left
        for w in widths[:-1]:
            x += w
            c.line(x, top, x, y)
        if after is not None and number == len(pages) and not end_alone:
            after(doc, y)
        pen.text(
            doc.width / 2,
            lay.foot,
            f"第 {number} 页 共 {total} 页",
            lay.footer_size,
            align="center",
        )
        doc.end_page()
    if end_alone and after is not None:
        header(doc, total, total)
        after(doc, top_of(total))
        pen.text(
            doc.width / 2, lay.foot, f"第 {total} 页 共 {total} 页", lay.footer_size, align="center"
        )
        doc.end_page()
    return True
