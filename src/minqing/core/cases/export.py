"""The intake register (民情受理日志) as an Excel file: the rows the user is looking at.

Plain data in, a file out, no Qt: the window runs it in a worker and shows `progress`.
Rows are read in blocks by id, so exporting 100,000 cases never holds them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from minqing.core.accounts import audit, permissions
from minqing.core.cases.queries import CaseRow, case_rows
from minqing.core.models import Staff
from minqing.core.privacy import mask_phones_in_text

BLOCK = 500


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in Excel character units; CJK characters count about two


def _status(row: CaseRow) -> str:
    marks = []
    if row.urgent:
        marks.append("急")
    if row.overdue:
        marks.append("超期")
    if row.waiting:
        marks.append("等补材料")
    if row.reopen_count:
        marks.append(f"重办{row.reopen_count}次")
    return "、".join(marks)


COLUMNS: list[Column] = [
    Column("编号", 12),
    Column("受理日期", 12),
    Column("环节", 10),
    Column("渠道", 12),
    Column("反映人", 10),
    Column("服务窗口", 12),
    Column("责任人", 10),
    Column("办理类型", 10),
    Column("民情内容", 50),
    Column("办理时限", 12),
    Column("剩余工作日", 11),
    Column("状态", 16),
]
_VALUES: list[Callable[[CaseRow], Any]] = [
    lambda r: r.number,
    lambda r: r.intake_date,
    lambda r: r.stage.label,
    lambda r: r.channel.label,
    lambda r: r.person,
    lambda r: r.window,
    lambda r: r.owner,
    lambda r: r.disposition.label if r.disposition else "",
    lambda r: r.text,
    lambda r: r.due_date,
    lambda r: r.days_left,
    _status,
]


TEXT_COLUMN = 8  # the request's own words, which may hold a phone number


def cell_value(row: CaseRow, column: int) -> Any:
    """The value of one column, shared by the on-screen list and the Excel file."""
    return _VALUES[column](row)


Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


def export_cases(
    path: str | Path,
    ids: Sequence[int],
    *,
    title: str = "民情受理日志",
    progress: Progress | None = None,
    today: dt.date | None = None,
    actor: Staff | None = None,
) -> int:
    """Write the cases `ids` (in this order) to an .xlsx file; returns the rows written.

    `progress` is called after each block; returning False stops and deletes the file.
    The file names residents, so every export is logged; phone numbers written in a request's
    text are masked unless the actor may export personal data (`export.personal`).
    """
    full = permissions.may_export_personal(actor)
    target = Path(path)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    date_columns = {i for i, c in enumerate(COLUMNS) if c.header in ("受理日期", "办理时限")}
    written = 0
    for start in range(0, len(ids), BLOCK):
        for row in case_rows(list(ids[start : start + BLOCK]), today):
            cells = []
            for i in range(len(COLUMNS)):
                value = cell_value(row, i)
                if i == TEXT_COLUMN and not full:
                    value = mask_phones_in_text(value)
                cell = WriteOnlyCell(sheet, value)
                if i in date_columns:
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
            written += 1
        if progress is not None and not progress(min(start + BLOCK, len(ids)), len(ids)):
            sheet.close()  # finishes and removes the write-only temporary file
            target.unlink(missing_ok=True)
            return written
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    audit.log_export(actor, title, written, target)
    return written
