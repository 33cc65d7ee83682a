"""Excel export of the intake register, read back with openpyxl."""

from __future__ import annotations

import datetime as dt

import openpyxl

from minqing.core.cases import export, queries
from minqing.core.cases import services as cases
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
    path = tmp_path / "日志.xlsx"
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
    from minqing.core import spreadsheet

    monkeypatch.setattr(export, "BLOCK", 2)
    monkeypatch.setattr(spreadsheet, "BLOCK", 2)
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return done < 4

    path = tmp_path / "x.xlsx"
    export.export_cases(path, queries.case_ids(), progress=progress)
    assert seen == [(2, 5), (4, 5)]
    assert not path.exists()


def _texts(path):
    sheet = openpyxl.load_workbook(path, read_only=True).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]


def test_phones_in_the_text_masked_without_export_personal(accounts, tmp_path):
    from minqing.core.accounts.models import ExportLog
    from minqing.core.registry import ledger_export
    from minqing.core.registry import services as registry

    clerk, leader = accounts["front_desk"], accounts["leader"]
    case = cases.take_in(
        channel="walk_in",
        text="请回电 13812345678 说明低保材料",
        window=Window.get(Window.name == "民政低保"),
        first_responder=clerk,
        contact_name="刘桂兰",
        actor=clerk,
    ).case
    home = registry.add_household(clerk.community, "中和街21号", "2")
    registry.add_resident(home, "刘建国", phone="13700001111", id_number="11010519491231002X")
    for who in (clerk, leader):
        export.export_cases(tmp_path / f"{who.name}.xlsx", [case.id], actor=who)
        ledger_export.export_registry(
            tmp_path / f"{who.name}-台账.xlsx", clerk.community, actor=who
        )
    masked = " ".join(_texts(tmp_path / "张敏.xlsx") + _texts(tmp_path / "张敏-台账.xlsx"))
    full = " ".join(_texts(tmp_path / "王书记.xlsx") + _texts(tmp_path / "王书记-台账.xlsx"))
    assert "138****5678" in masked and "13812345678" not in masked
    assert "137****1111" in masked and "110105********002X" in masked
    assert "13700001111" not in masked and "11010519491231002X" not in masked
    assert "13812345678" in full and "13700001111" in full and "11010519491231002X" in full
    logged = [(log.actor_name, log.what, log.rows) for log in ExportLog.select()]
    assert logged == [
        ("张敏", "民情受理日志", 1),
        ("张敏", "居民台账", 1),
        ("王书记", "民情受理日志", 1),
        ("王书记", "居民台账", 1),
    ]
