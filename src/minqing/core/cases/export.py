"""The intake register (民情受理日志) as an Excel file: the rows the user is looking at.

Plain data in, a file out, no Qt: the window runs it in a worker and shows `progress`.
Rows are read in blocks by id, so exporting 100,000 cases never holds them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from minqing.core import spreadsheet
from minqing.core.accounts import permissions
from minqing.core.cases.queries import CaseRow, case_rows
from minqing.core.models import Staff
from minqing.core.privacy import mask_phones_in_text
from minqing.core.spreadsheet import Column

BLOCK = 500


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

    def rows() -> Iterator[list[Any]]:
        for start in range(0, len(ids), BLOCK):
            for row in case_rows(list(ids[start : start + BLOCK]), today):
                values = [cell_value(row, i) for i in range(len(COLUMNS))]
                if not full:
                    values[TEXT_COLUMN] = mask_phones_in_text(values[TEXT_COLUMN])
                yield values

    sheet = spreadsheet.Sheet(title, COLUMNS, rows(), total=len(ids))
    return spreadsheet.write_workbook(path, [sheet], progress, what=title, actor=actor)
