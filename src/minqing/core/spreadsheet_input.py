"""Reading the workbooks people bring (the resident ledger, the city's 12345 orders) within
limits, so a broken or hostile file is answered in seconds instead of holding the program.

A sheet's own claim about its size (`<dimension ref="A1:XFD1048576">`) is ignored: openpyxl
would pad every row to it. The rows are streamed as they really are and counted on the way;
past MAX_ROWS rows, or when the file unpacks to more than MAX_UNPACKED bytes, the file is
refused with a sentence saying what to do. Columns beyond MAX_COLUMNS are not read (no
ledger or order sheet has that many) and trailing empty cells are dropped.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from minqing.core.errors import DomainError

MAX_ROWS = 200_000
MAX_UNPACKED = 50 * 1024 * 1024
MAX_COLUMNS = 200


def read_first_sheet(path: str | Path) -> tuple[str, list[tuple[Any, ...]]]:
    """The first sheet's title and rows (values, trailing empty cells dropped)."""
    path = Path(path)
    if not path.exists():
        raise DomainError("file", f"找不到文件“{path}”。")
    if path.is_dir():
        raise DomainError("file", f"“{path}”是一个文件夹，请选择 Excel 文件（.xlsx）。")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(
            "file",
            f"“{path.name}”不是可读取的 Excel（.xlsx）文件。请在 Excel 里另存为 .xlsx 再试。",
        ) from None
    if unpacked > MAX_UNPACKED:
        raise DomainError(
            "file",
            f"“{path.name}”解压后有 {unpacked // (1024 * 1024)} MB，超过了 "
            f"{MAX_UNPACKED // (1024 * 1024)} MB 的上限。请删掉多余的工作表、图片和格式，"
            "或分成几个文件导入。",
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not xlsx
        raise DomainError("file", f"“{path.name}”不是可读取的 Excel（.xlsx）文件：{exc}") from None
    try:
        if not book.worksheets:
            raise DomainError("file", f"“{path.name}”里没有工作表。")
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the claimed size is not trusted
        rows: list[tuple[Any, ...]] = []
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) >= MAX_ROWS:
                raise DomainError(
                    "file",
                    f"“{path.name}”超过 {MAX_ROWS} 行，太大了，无法一次导入。"
                    "请分成几个文件（每个不超过 20 万行），或删掉末尾的空行和多余内容后再试。",
                )
            end = len(values)
            while end and values[end - 1] in (None, ""):
                end -= 1
            rows.append(tuple(values[:end]))
        title = sheet.title
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    return title, rows


def column_letter(index: int) -> str:
    """0 → A, 27 → AB: how Excel names the column the user sees."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
