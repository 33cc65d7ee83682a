"""What every document shares: the office's details, the result returned, progress and output."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportlab.pdfgen.canvas import Canvas

from minqing.printing.fonts import Pen, register_fonts

Output = str | os.PathLike[str] | IO[bytes]
# progress(done, total) -> False to cancel. Called from the worker thread that renders.
Progress = Callable[[int, int], bool]


@dataclass(frozen=True)
class Office:
    """The community as printed on cards, notices and receipts."""

    name: str
    hotline: str = ""
    hotline2: str = ""
    mailbox_places: tuple[str, ...] = ()
    reception_day: str = ""
    online_group: str = ""
    street_office: str = ""
    address: str = ""


@dataclass
class PrintResult:
    """What a document run produced. `missing`: characters no font has → a text they were in."""

    path: Path | None
    pages: int = 0
    items: int = 0
    cancelled: bool = False
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def warning(self) -> str:
        """A Chinese sentence for the user when characters could not be printed, else ''."""
        if not self.missing:
            return ""
        where = "；".join(f"“{c}”（见“{t[:20]}”）" for c, t in list(self.missing.items())[:10])
        return f"以下字符在字体中没有，已印成□，请手工补写：{where}"


class Document:
    """A canvas plus its pen, with the PDF metadata filled in and cancellation handled."""

    def __init__(self, out: Output, pagesize: tuple[float, float], title: str, office: str = ""):
        register_fonts()
        self.out = out
        self.canvas = Canvas(
            out if not isinstance(out, os.PathLike) else os.fspath(out),
            pagesize=pagesize,
            pageCompression=1,
            initialFontName=register_fonts()[0],
            initialFontSize=10,
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor(office or "民情流水线")
        self.canvas.setCreator("民情流水线 minqing")
        self.canvas.setSubject(title)
        self.pen = Pen(self.canvas)
        self.pages = 0
        self.width, self.height = pagesize

    def end_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1

    def finish(self, items: int, cancelled: bool = False) -> PrintResult:
        path = Path(os.fspath(self.out)) if isinstance(self.out, (str, os.PathLike)) else None
        if not cancelled:
            self.canvas.save()
        return PrintResult(path, self.pages, items, cancelled, dict(self.pen.missing))


def printed_on(today: dt.date | None = None) -> str:
    day = today or dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
