"""The documents the program prints, by name, over the open database.

This is the API for the window and the command line: each function loads what it needs and
writes one PDF. Batch ones take `progress(done, total) -> bool` (False cancels) and are safe to
run in a worker thread (they touch no GUI object; the database connection is per thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from minqing.core.community import the_community
from minqing.printing import data
from minqing.printing.cards import PLAIN, find_programme, render_cards
from minqing.printing.common import Output, PrintResult, Progress
from minqing.printing.flowchart import render_flowchart
from minqing.printing.notice import render_notice
from minqing.printing.receipt import render_receipt
from minqing.printing.register import render_register


def print_cards(
    out: Output,
    *,
    grid: str | None = None,
    programme: str | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    """Cards for every household of a grid (or the community); a programme picks households."""
    community = the_community()
    prog = find_programme(programme) if programme else PLAIN
    grid_row = data.find_grid(community, grid) if grid else None
    cards = data.load_cards(community, grid_row, prog if prog is not PLAIN else None)
    if not cards:
        from minqing.core.errors import DomainError

        raise DomainError("grid", f"没有要打印{prog.title}的住户（请检查片区或居民标签）。")
    return render_cards(data.load_office(community), cards, out, programme=prog, progress=progress)


def print_receipt(case: str | int, out: Output) -> PrintResult:
    office, receipt = data.load_receipt(case)
    return render_receipt(office, receipt, out)


def print_notice(
    out: Output,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Progress | None = None,
) -> PrintResult:
    community = the_community()
    rows = data.load_notice(community, data.CaseFilter(start=start, end=end))
    return render_notice(
        data.load_office(community), rows, out, start=start, end=end, progress=progress
    )


def print_register(
    out: Output, case_filter: data.CaseFilter | None = None, *, progress: Progress | None = None
) -> PrintResult:
    community = the_community()
    f = case_filter or data.CaseFilter()
    rows = data.load_register(community, f)
    return render_register(
        data.load_office(community), rows, out, description=f.describe(), progress=progress
    )


def print_flowchart(out: Output) -> PrintResult:
    return render_flowchart(data.load_office(the_community()), out)


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    function: Callable[..., PrintResult]
    batch: bool  # long enough to want a worker with progress and cancel


DOCUMENTS: dict[str, DocumentKind] = {
    d.key: d
    for d in (
        DocumentKind("cards", "民情连心卡", print_cards, True),
        DocumentKind("receipt", "受理回执", print_receipt, False),
        DocumentKind("notice", "民情办理公示", print_notice, True),
        DocumentKind("register", "民情受理日志", print_register, True),
        DocumentKind("flowchart", "民情流水线服务流程图", print_flowchart, False),
    )
}
