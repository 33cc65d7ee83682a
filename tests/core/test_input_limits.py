"""Input limits: workbooks are read as they really are, within limits, answered in seconds;
duplicate headers are named; control characters never reach the database."""

from __future__ import annotations

import datetime as dt
import time
import zipfile

import openpyxl
import pytest

from minqing.cli import main
from minqing.core import spreadsheet_input, validate
from minqing.core.cases import services as cases
from minqing.core.channels import city_orders
from minqing.core.errors import DomainError
from minqing.core.models import Case, Staff, Window
from minqing.core.registry import ledger_import
from minqing.core.storage.db import close_database

ORDER_HEADER = ["工单编号", "受理时间", "诉求类别", "诉求内容", "联系人", "联系电话", "地址"]
YESTERDAY = dt.datetime.now().replace(microsecond=0, second=0) - dt.timedelta(days=1)


def order(number, text="楼道灯坏了", **over):
    row = dict(
        zip(ORDER_HEADER, [number, YESTERDAY, "城建城管", text, "王", "", "中和街"], strict=True)
    )
    row.update(over)
    return [row[h] for h in ORDER_HEADER]


def workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def dimension_bomb(path, rows):
    """A few kilobytes that claim A1:XFD1048576 and hold one cell there: read as claimed,
    17 billion cells (the program used to stay busy for good)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.cell(row=1_048_576, column=16_384, value="end")
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:XFD1048576"' in archive.read("xl/worksheets/sheet1.xml")
    return path


@pytest.fixture
def office_file(db_path, office):
    close_database()
    return str(db_path)


@pytest.mark.parametrize(
    "command",
    [["residents", "import"], ["import", "12345"]],
)
def test_dimension_bomb_answered_within_seconds(office_file, tmp_path, capsys, command):
    bomb = dimension_bomb(tmp_path / "bomb.xlsx", [ORDER_HEADER, order("GD1")])
    assert bomb.stat().st_size < 8000
    started = time.monotonic()
    code = main(["--db", office_file, *command, str(bomb), "--dry-run"])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2 and "超过 200000 行" in err
    assert elapsed < 10


def test_rows_are_counted_while_streaming(tmp_path):
    """One cell on Excel's last row: over a million rows, refused at the limit in seconds."""
    book = openpyxl.Workbook()
    book.active.append(ORDER_HEADER)
    book.active.cell(row=1_048_576, column=1, value="x")
    path = tmp_path / "tall.xlsx"
    book.save(path)
    started = time.monotonic()
    with pytest.raises(DomainError, match="超过 200000 行"):
        spreadsheet_input.read_first_sheet(path)
    assert time.monotonic() - started < 10


def test_rows_without_numbers_are_still_counted(tmp_path, monkeypatch):
    """Row numbers are optional in the file format: the streaming count is the real guard."""
    book = openpyxl.Workbook()
    book.active.append(ORDER_HEADER)
    book.active.cell(row=1_048_576, column=1, value="x")
    path = tmp_path / "tall.xlsx"
    book.save(path)
    monkeypatch.setattr(spreadsheet_input, "_last_row_number", lambda path, member: 0)
    started = time.monotonic()
    with pytest.raises(DomainError, match="超过 200000 行"):
        spreadsheet_input.read_first_sheet(path)
    assert time.monotonic() - started < 10


def test_row_limit_names_the_remedy(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet_input, "MAX_ROWS", 50)
    path = workbook(tmp_path / "big.xlsx", [ORDER_HEADER] + [order(f"GD{n}") for n in range(60)])
    with pytest.raises(DomainError, match="超过 50 行.*分成几个文件"):
        city_orders.read(path)
    monkeypatch.setattr(spreadsheet_input, "MAX_ROWS", 61)
    assert len(spreadsheet_input.read_first_sheet(path)[1]) == 61


def test_unpacked_size_limit(tmp_path, monkeypatch):
    path = workbook(tmp_path / "a.xlsx", [ORDER_HEADER, order("GD1")])
    monkeypatch.setattr(spreadsheet_input, "MAX_UNPACKED", 1000)
    with pytest.raises(DomainError, match="解压后"):
        spreadsheet_input.read_first_sheet(path)


def test_not_a_workbook(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"hello")
    with pytest.raises(DomainError, match="不是可读取的 Excel"):
        spreadsheet_input.read_first_sheet(junk)


def test_duplicate_headers_are_named(office, tmp_path):
    path = workbook(
        tmp_path / "dup.xlsx",
        [["姓名", "住址", "电话", "手机"], ["王秀英", "中和小区3号楼2单元501室", "139", "138"]],
    )
    with pytest.raises(DomainError, match="第 C 列“电话”和第 D 列“手机”"):
        ledger_import.read_ledger(path)
    orders = workbook(tmp_path / "dup2.xlsx", [ORDER_HEADER + ["工单编号"], order("GD1") + ["GD2"]])
    with pytest.raises(DomainError, match="2 列都是“工单编号”.*第 A 列.*第 H 列"):
        city_orders.read(orders)


def test_long_order_numbers_refused_not_cut(office, tmp_path):
    long_number = "GD" + "9" * 70
    path = workbook(tmp_path / "long.xlsx", [ORDER_HEADER, order(long_number), order("GD2")])
    preview = city_orders.read(path)
    assert [b.reason for b in preview.bad] == ["工单编号太长（72 字），最多 64 字。请核对这一行。"]
    assert [r.order_number for r in preview.new] == ["GD2"]


def test_control_characters_never_stored(office, tmp_path):
    assert validate.optional_text("text", "a\x1b[2Jb\x00c\x01\td\r\ne", "内容") == "a[2Jbc\td\ne"
    assert validate.optional_text("name", "王\t秀\n英\x7f", "姓名", max_len=30) == "王 秀 英"
    clerk = Staff.get(Staff.name == "张敏")
    case = cases.take_in(
        channel="来访",
        text="楼道灯\x1b[31m不亮\x00",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王\x01先生",
    ).case
    stored = Case.get_by_id(case.id)
    assert stored.text == "楼道灯[31m不亮" and stored.contact_name == "王先生"
    assert city_orders._text("GD\x001") == "GD1"  # .xlsx cannot carry them; cleaned anyway
