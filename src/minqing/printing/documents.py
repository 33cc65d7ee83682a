"""The documents the program prints, by name, over the open database.

This is the API for the window and the command line: each function loads what it needs and
writes one PDF. Batch ones take `progress(done, total) -> bool` (False cancels) and are safe to
run in a worker thread (they touch no GUI object; the database connection is per thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from minqing.core.accounts import audit, permissions
from minqing.core.cases.public import notice_rows
from minqing.core.cases.queries import CaseFilter
from minqing.core.community import the_community
from minqing.core.models import Staff
from minqing.printing import commitments, data
from minqing.printing.cards import (
    PLAIN,
    find_layout,
    find_programme,
    render_calibration,
    render_cards,
)
from minqing.printing.common import Output, PrintResult, Progress, month_bounds
from minqing.printing.flowchart import render_flowchart
from minqing.printing.notice import render_notice
from minqing.printing.receipt import render_receipt
from minqing.printing.register import render_register
from minqing.printing.report import print_report


def _logged(actor: Staff | None, what: str, out: Output, result: PrintResult) -> PrintResult:
    """Every finished print naming residents or members goes into the export log: who
    printed what, how many rows, where."""
    if not result.cancelled:
        where = out if isinstance(out, (str, Path)) else ""
        audit.log_export(actor, what, result.items, where)
    return result


def print_cards(
    out: Output,
    *,
    grid: str | None = None,
    programme: str | None = None,
    progress: Progress | None = None,
    actor: Staff | None = None,
    record: bool = True,
    layout: str | None = None,
) -> PrintResult:
    """Cards for every household of a grid (or the community); a programme picks households.

    With `record` (the default) every household still without this card gets one issued
    first (programmes.issue_cards, one transaction), so the serial printed is the issued
    card's and `cards status` counts what was printed. Without it, unissued cards print
    without a serial. The stored calibration offsets and card layout apply."""
    from minqing.core.outreach import programmes as programme_service

    community = the_community()
    prog = find_programme(programme) if programme else PLAIN
    grid_row = data.find_grid(community, grid) if grid else None
    if record:
        from minqing.core.accounts import permissions
        from minqing.core.errors import DomainError

        refused = permissions.refusal(actor, "programme.edit") if actor is not None else ""
        if refused and permissions.enforced():
            raise DomainError(
                "record",
                f"{refused}打印时登记发卡需要这项权限；只打印不登记请在打印窗口取消“登记为已发卡”"
                "（命令行加 --no-record）。",
            )
    sheet = find_layout(layout or data.card_layout())
    issued = (
        programme_service.issue_cards(prog.key, community, grid_row, by=actor, actor=actor)
        if record
        else []
    )
    try:
        cards = data.load_cards(community, grid_row, prog if prog is not PLAIN else None)
        if not cards:
            from minqing.core.errors import DomainError

            raise DomainError("grid", f"没有要打印{prog.title}的住户（请检查片区或居民标签）。")
        result = render_cards(
            data.load_office(community),
            cards,
            out,
            programme=prog,
            progress=progress,
            layout=sheet,
            offsets=data.card_offsets(),
        )
    except BaseException:
        _unissue(issued)
        raise
    if result.cancelled:
        _unissue(issued)  # no paper, no card: `cards status` stays as it was
    return _logged(actor, prog.title, out, result)


def _unissue(issued: Sequence[object]) -> None:
    """Take back the issues recorded for a print that produced no sheet."""
    from minqing.core.registry.models import CardIssue

    ids = [c.id for c in issued]  # type: ignore[attr-defined]
    for start in range(0, len(ids), 500):
        CardIssue.delete().where(CardIssue.id.in_(ids[start : start + 500])).execute()


def print_card_calibration(out: Output, *, layout: str | None = None) -> PrintResult:
    """The calibration sheet (two pages) for the card layout in use."""
    sheet = find_layout(layout or data.card_layout())
    return render_calibration(data.load_office(the_community()), out, layout=sheet)


def print_receipt(
    case: str | int, out: Output, *, counterfoil: bool = False, actor: Staff | None = None
) -> PrintResult:
    """The slip for the resident; `counterfoil` adds the stub the office keeps. Numbers typed
    into the request are masked for a printer who may not see them."""
    office, receipt = data.load_receipt(case, actor)
    return render_receipt(office, receipt, out, counterfoil=counterfoil)


def print_notice(
    out: Output,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Progress | None = None,
    actor: Staff | None = None,
    paper: str = "A4",
    today: dt.date | None = None,
    red: bool = False,
) -> PrintResult:
    """One posting period: the cases posted in it (by default this month's)."""
    community = the_community()
    first, last = month_bounds(today or dt.date.today())
    start, end = start or first, end or last
    rows = notice_rows(community, start, end)
    result = render_notice(
        data.load_office(community),
        rows,
        out,
        start=start,
        end=end,
        today=today,
        progress=progress,
        paper=paper,
        red=red,
    )
    return _logged(actor, "民情办理公示", out, result)


def print_register(
    out: Output,
    case_filter: CaseFilter | None = None,
    *,
    sort: str = "number",
    descending: bool = False,
    mask_personal: bool = True,
    progress: Progress | None = None,
    actor: Staff | None = None,
) -> PrintResult:
    """The register for the case list's filter, in the list's order (`sort`, `descending` as
    the list is sorted; by default oldest first, as a paper register runs).

    Full phone numbers only when the caller does not ask for masking and core's rule for lists
    leaving the screen allows them (export.personal, the same rule as the Excel export)."""
    f = case_filter or CaseFilter()
    mask_personal = mask_personal or not permissions.may_export_personal(actor)
    rows = data.load_register(f, sort=sort, descending=descending, mask_personal=mask_personal)
    result = render_register(
        data.load_office(the_community()),
        rows,
        out,
        description=data.describe_filter(f),
        progress=progress,
    )
    shown = "民情受理日志" + ("" if mask_personal else "（含完整电话）")
    return _logged(actor, shown, out, result)


def print_flowchart(out: Output, *, paper: str = "A4") -> PrintResult:
    return render_flowchart(data.load_office(the_community()), out, paper=paper)


def print_monthly_report(
    out: Output, *, month: str, today: dt.date | None = None, actor: Staff | None = None
) -> PrintResult:
    """民情工作月报 (PDF, or an .xlsx path for the Excel workbook); the report names staff
    (faults by owner), so it needs stats.view and is logged like the other exports (the
    workbook by core's statistics export)."""
    result = print_report(month, out, today, actor=actor)
    if isinstance(out, (str, Path)) and str(out).lower().endswith(".xlsx"):
        return result
    return _logged(actor, f"民情工作月报 {month}", out, result)


def print_commitments(
    out: Output,
    *,
    quarter: str,
    members: Sequence[str | int] = (),
    branch: bool = False,
    a3: bool = False,
    progress: Progress | None = None,
    actor: Staff | None = None,
    red: bool = False,
) -> PrintResult:
    """党员公开承诺书 (see printing.commitments), logged: it names every member."""
    result = commitments.print_commitments(
        out, quarter=quarter, members=members, branch=branch, a3=a3, progress=progress, red=red
    )
    return _logged(actor, f"党员公开承诺书 {quarter}", out, result)


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
        DocumentKind("commitments", "党员公开承诺书", print_commitments, True),
        DocumentKind("report", "民情工作月报", print_monthly_report, False),
    )
}
