"""Excel export of the intake register, read back with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl

from minqing.core import cases, export, queries
from minqing.core.models import Staff, Window


def make(office, n):
    clerk = Staff.get(Staff.name == "张敏")
    window = Window.get(Window.name == "民政低保")
    return [
        cases.take_in(
            channel="walk_in",
            text=f"申请低保需要哪些材料({i})",
            window=window,
            first_responder=clerk,
            contact_name="刘桂兰",
            urgent=i == 0,
            disposition="immediate",
            owner=clerk,
        ).case
        for i in range(n)
    ]


def test_headers_values_and_dates(office, tmp_path):
    made = make(office, 3)
    ids = queries.case_ids(sort="number", descending=False)
    path = tmp_path / "out" / "日志.xlsx"
    assert export.export_cases(path, ids) == 3
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.title == "民情受理日志"
    assert [c.value for c in sheet[1]] == [c.header for c in export.COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["I"].width == 50
    first = [c.value for c in sheet[2]]
    assert first[0] == made[0].number
    assert isinstance(first[1], dt.datetime) and first[1].date() == dt.date.today()
    assert sheet.cell(2, 2).number_format == "yyyy-mm-dd"
    assert first[2:9] == [
        "受理",
        "来访",
        "刘桂兰",
        "民政低保",
        "张敏",
        "即办件",
        "申请低保需要哪些材料(0)",
    ]
    assert first[11] == "急"
    assert sheet.max_row == 4


def test_progress_can_cancel(office, tmp_path, monkeypatch):
    make(office, 5)
    monkeypatch.setattr(export, "BLOCK", 2)
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 4

    path = tmp_path / "x.xlsx"
    export.export_cases(path, queries.case_ids(), progress=progress)
    assert seen == [(2, 5), (4, 5)]
    assert not path.exists()
