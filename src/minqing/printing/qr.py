"""QR codes: a matrix from `qrcode`, drawn as merged rectangles into one filled path.

Choosing the mask is ~90% of qrcode's time, so the mask is fixed (any mask decodes; it only
changes how evenly dark and light modules mix). The smallest version that fits is still
chosen, which is cheap. Repeated payloads (the same grid's contact on hundreds of cards) are
drawn once per PDF as a form XObject and referenced after that.
"""

from __future__ import annotations

import functools
import hashlib

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

FIXED_MASK = 4
QUIET = 2  # modules of white border drawn around the code (4 is the standard; cards are tight)


@functools.lru_cache(maxsize=4096)
def matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(
        version=None, error_correction=ERROR_CORRECT_M, border=0, mask_pattern=FIXED_MASK
    )
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def rectangles(modules: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int, int]]:
    """Dark areas as (column, row, width, height): runs per row, stacked when rows repeat."""
    open_runs: dict[tuple[int, int], list[int]] = {}
    done: list[tuple[int, int, int, int]] = []
    for r, row in enumerate(modules):
        here: list[tuple[int, int]] = []
        c = 0
        n = len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                here.append((start, c - start))
            else:
                c += 1
        still: dict[tuple[int, int], list[int]] = {}
        for span in here:
            rect = open_runs.pop(span, None)
            if rect is None:
                rect = [span[0], r, span[1], 0]
            rect[3] += 1
            still[span] = rect
        done.extend((a, b, w, h) for a, b, w, h in open_runs.values())
        open_runs = still
    done.extend((a, b, w, h) for a, b, w, h in open_runs.values())
    return done


def draw(
    canvas: Canvas, payload: str, x: float, y: float, size: float, *, quiet: int = QUIET
) -> None:
    """Draw the code with its quiet zone inside the square (x, y, size) — bottom-left origin."""
    modules = matrix(payload)
    n = len(modules) + 2 * quiet
    unit = size / n
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # In module units with y pointing down, every rectangle is four small integers: the
    # content stays ~4x smaller and is written ~10x faster than through reportlab's path API.
    canvas.transform(unit, 0, 0, -unit, x + quiet * unit, y + size - quiet * unit)
    ops = "".join(f"{c} {r} {w} {h} re " for c, r, w, h in rectangles(modules))
    canvas._code.append(ops + "f")
    canvas.restoreState()


def draw_cached(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Like `draw`, but each distinct payload is written once per PDF as a reusable form."""
    name = "qr" + hashlib.blake2s(f"{payload}\0{size}".encode(), digest_size=8).hexdigest()
    done: set[str] = canvas.__dict__.setdefault("_minqing_qr_forms", set())
    if name not in done:
        canvas.beginForm(name, 0, 0, size, size)
        draw(canvas, payload, 0, 0, size)
        canvas.endForm()
        done.add(name)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()
