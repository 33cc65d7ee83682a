"""What every document shares: the office's details, the result returned, progress and output."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import A3, A4, landscape
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
    committee: str = ""  # the issuer on the office's forms; default “<name>居民委员会”
    branch: str = ""  # the party branch as issuer; default “<name>党支部”

    @property
    def committee_issuer(self) -> str:
        return self.committee or f"{self.name}居民委员会"

    @property
    def branch_issuer(self) -> str:
        return self.branch or f"{self.name}党支部"


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


PAPERS = {"A4": A4, "A3": A3}


def paper_size(paper: str, *, landscape_: bool = False) -> tuple[float, float]:
    """A4 or A3 (portrait unless asked); anything else is one clear sentence."""
    size = PAPERS.get(paper.strip().upper())
    if size is None:
        from minqing.core.errors import DomainError

        raise DomainError("paper", f"纸张“{paper}”不认识，应为 A4 或 A3。")
    return landscape(size) if landscape_ else size


def printed_on(today: dt.date | None = None) -> str:
    day = today or dt.date.today()
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def chinese_period(start: dt.date, end: dt.date) -> str:
    """2026年11月1日至30日; 2026年11月20日至12月5日; across years both dates in full."""
    if start.year != end.year:
        return f"{chinese_date(start)}至{chinese_date(end)}"
    if start.month != end.month:
        return f"{chinese_date(start)}至{end.month}月{end.day}日"
    if start.day == end.day:
        return chinese_date(start)
    return f"{chinese_date(start)}至{end.day}日"


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)
