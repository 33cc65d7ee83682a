"""Reading the workbooks people bring (the resident ledger, the city's 12345 orders) within
limits, so a broken or hostile file is answered in seconds instead of holding the program.

A sheet's own claim about its size (`<dimension ref="A1:XFD1048576">`) is ignored: openpyxl
would pad every row to it. A file that unpacks to more than MAX_UNPACKED bytes, or whose rows
are numbered past MAX_ROWS, is refused at once; the rows are then streamed as they really
are and counted on the way. Each refusal is a sentence saying what to do. Columns beyond MAX_COLUMNS are not read (no
ledger or order sheet has that many) and trailing empty cells are dropped.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

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
            f"“{path.name}”解压后有 {unpacked / (1024 * 1024):.1f} MB，超过了 "
            f"{MAX_UNPACKED // (1024 * 1024)} MB 的上限。请删掉多余的工作表、图片和格式，"
            "或分成几个文件导入。",
        )
    if _last_row_number(path, _first_sheet_member(path)) > MAX_ROWS:
        raise _too_many_rows(path)
    from openpyxl import load_workbook  # on first use: openpyxl costs 0.3-1 s to import

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
                raise _too_many_rows(path)
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


def _too_many_rows(path: Path) -> DomainError:
    return DomainError(
        "file",
        f"“{path.name}”超过 {MAX_ROWS} 行，太大了，无法一次导入。"
        "请分成几个文件（每个不超过 20 万行），或删掉末尾的空行和多余内容后再试。",
    )


_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_sheet_member(path: Path) -> str:
    """The zip member holding the first worksheet (workbook.xml → its relationship), or ""."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, OSError, ElementTree.ParseError):
        return ""
    first = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if first is None:
        return ""
    rel_id = first.get(f"{_REL}id")
    target = next((r.get("Target", "") for r in rels if r.get("Id") == rel_id), "")
    if not target:
        return ""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _last_row_number(path: Path, member: str) -> int:
    """The highest row number the sheet's XML names, found by scanning its bytes (a tenth
    of a second for the largest file allowed), so a file far too long is refused before any
    row is read. The streaming count below stays the real guard."""
    if not member:
        return 0
    last_rows = b""  # rows come in ascending order: the last chunk naming rows has the highest
    tail = b""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as xml:
            while chunk := xml.read(1 << 20):
                data = tail + chunk
                if b"row" in data:
                    last_rows = data
                tail = data[-200:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    return max((int(m.group(1)) for m in _ROW_NUMBER.finditer(last_rows)), default=0)


def column_letter(index: int) -> str:
    """0 → A, 27 → AB: how Excel names the column the user sees."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
