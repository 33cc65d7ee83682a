"""The one Excel writer every export uses: residents, 12345 replies, the register, statistics,
unvisited households, the audit view.

Why one writer: a resident's name or a request's words typed as `=HYPERLINK(...)` or
`=cmd|...` must never become a live formula or a DDE payload in the office's Excel. Every
string cell is written as text (with Excel's own "quote prefix", as if the user had typed an
apostrophe, so editing the cell keeps it text); numbers and dates stay real numbers and dates.
Characters an .xlsx file cannot hold (control characters) are dropped instead of breaking the
whole file. A missing output folder is the user's mistake, named, and never created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from minqing.core.errors import DomainError
from minqing.core.models import Staff

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# openpyxl (with numpy behind it: 0.3-1 s) is imported on the first write, not when a panel
# or command that can export is loaded: the window's start-up does not pay for it.

BLOCK = 500
Progress = Callable[[int, int], bool]  # (done, total) -> keep going?

# A text cell starting with one of these could be taken for a formula (or DDE) by Excel,
# LibreOffice or a CSV round trip; tab and CR are the known tricks to hide the sign.
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")


@cache
def _xl() -> SimpleNamespace:
    """openpyxl's pieces and the shared styles, loaded once on first use."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    return SimpleNamespace(
        Workbook=Workbook,
        WriteOnlyCell=WriteOnlyCell,
        ILLEGAL_CHARACTERS_RE=ILLEGAL_CHARACTERS_RE,
        get_column_letter=get_column_letter,
        header_font=Font(bold=True),
        header_fill=PatternFill("solid", fgColor="DDE5F0"),
        centre=Alignment(horizontal="center"),
        wrap=Alignment(wrap_text=True, vertical="top"),
    )


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in Excel character units; CJK characters count about two
    number_format: str | None = None  # for fractions in this column, e.g. "0.0%"; counts stay
    wrap: bool = False


@dataclass
class Sheet:
    """One worksheet: an optional caption line, a bold frozen header, then the rows."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    caption: str = ""
    total: int = 0  # rows expected, for progress


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_SIGNS)


def cell(sheet: WriteOnlyWorksheet, value: Any, column: Column | None = None) -> WriteOnlyCell:
    """A data cell: strings always as text, never a formula; numbers and dates real."""
    xl = _xl()
    if isinstance(value, str):
        value = xl.ILLEGAL_CHARACTERS_RE.sub("", value)
    elif value is not None and not isinstance(value, (int, float, Decimal, dt.date, dt.time)):
        value = str(value)  # enums, decimals, paths: what they print as
    result = xl.WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        result.data_type = "s"  # openpyxl would have made "=…" a formula
        if looks_like_formula(value):
            result.quotePrefix = True
    elif isinstance(value, dt.datetime):
        result.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        result.number_format = "yyyy-mm-dd"
    elif column is not None and column.number_format and isinstance(value, (float, Decimal)):
        result.number_format = column.number_format
    if column is not None and column.wrap:
        result.alignment = xl.wrap
    return result


def _header(sheet: WriteOnlyWorksheet, name: str) -> WriteOnlyCell:
    result = cell(sheet, name)
    xl = _xl()
    result.font, result.fill, result.alignment = xl.header_font, xl.header_fill, xl.centre
    return result


def check_folder(path: str | Path) -> Path:
    """The output file's folder must exist: a typo in a path is reported, not created."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise DomainError("out", f"文件夹“{folder}”不存在，请先建好它或另选保存位置。")
    return target


def write_workbook(
    path: str | Path,
    sheets: Sequence[Sheet],
    progress: Progress | None = None,
    *,
    what: str = "",
    actor: Staff | None = None,
) -> int:
    """Write the sheets to an .xlsx file; returns the data rows written (all sheets).

    `progress(done, total)` is called every BLOCK rows and at the end; returning False stops,
    and no file is left behind. Rows are streamed (write-only), so 100,000 rows fit in memory.
    A finished file is logged as `what` exported by `actor` (every export names residents or
    staff), so no caller can forget it.
    """
    xl = _xl()
    target = check_folder(path)
    book = xl.Workbook(write_only=True)
    total = sum(s.total for s in sheets)
    written = 0
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        for i, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[xl.get_column_letter(i)].width = column.width
        sheet.freeze_panes = "A3" if spec.caption else "A2"  # set before the first row
        if spec.caption:
            sheet.append([cell(sheet, spec.caption)])
        sheet.append([_header(sheet, c.header) for c in spec.columns])
        for row in spec.rows:
            columns = list(spec.columns) + [None] * max(0, len(row) - len(spec.columns))
            sheet.append([cell(sheet, v, c) for v, c in zip(row, columns, strict=False)])
            written += 1
            if progress is not None and written % BLOCK == 0 and not progress(written, total):
                for open_sheet in book.worksheets:
                    open_sheet.close()  # removes the write-only temporary files
                return written
    book.save(target)
    if what:
        from minqing.core.accounts import audit

        audit.log_export(actor, what, written, target)
    if progress is not None:
        progress(written, max(total, written))
    return written


def write_table(
    path: str | Path,
    title: str,
    columns: Sequence[Column | tuple[str, float]],
    rows: Iterable[Sequence[Any]],
    total: int = 0,
    progress: Progress | None = None,
    *,
    actor: Staff | None = None,
    logged: bool = True,
) -> int:
    """One sheet with a bold frozen header, logged as `title`; `progress` returning False
    cancels (no file)."""
    cols = [c if isinstance(c, Column) else Column(c[0], c[1]) for c in columns]
    sheet = Sheet(title, cols, rows, total=total)
    return write_workbook(path, [sheet], progress, what=title if logged else "", actor=actor)
