"""Ledger import from a messy, real-looking workbook: merged headers, blank rows, full-width
digits, spaces in names, a wrong check digit, a duplicate row; a missing required column."""

from __future__ import annotations

import openpyxl
import pytest

from minqing.core.errors import DomainError
from minqing.core.models import Household, Resident, ResidentTag
from minqing.core.registry import ledger_export, ledger_import
from minqing.core.registry import services as registry

GOOD = "11010519491231002X"
BAD_CHECK = "110105194912310021"


def valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def messy_workbook(path, with_name=True):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "居民台账"
    ws.append(["中和社区居民花名册（2026年）"])
    ws.merge_cells("A1:I1")
    # two header rows: 住址 merged over its four parts; 姓名 merged down over both rows
    ws.append(
        [
            "姓 名" if with_name else "称呼",
            "性别",
            "公民身份号码",
            "住址",
            None,
            None,
            None,
            "联系电话",
            "人员类别",
        ]
    )
    ws.append([None, None, None, "小区", "楼号", "单元", "门牌", None, None])
    ws.merge_cells("D2:G2")
    if with_name:
        ws.merge_cells("A2:A3")
    rows = [
        [
            "王 秀英",
            "女",
            GOOD,
            "中和小区",
            "３",
            "２",
            "５０１",
            "１３９００００１２３４",
            "空巢老人、低保",
        ],
        [None] * 9,
        [
            "李大山",
            "",
            valid_id("23010019500101123"),
            "中和小区",
            3,
            2,
            502,
            13900002222.0,
            "下岗失业",
        ],
        ["  ", None, None, None, None, None, None, None, None],
        ["赵四", "男", BAD_CHECK, "比乐小区", "1", "1", "101", "13900003333", ""],
        ["李大山", "", valid_id("23010019500101123"), "中和小区", 3, 2, 502, 13900002222.0, ""],
        ["孙丽", "女", "", "比乐小区", "1号楼", "1单元", "102室", "12345", ""],
        ["周 杰", "男", "", "比乐小区", "1", "1", "103", "13900004444", "楼长"],
        ["", "", "", "比乐小区", "1", "1", "104", "13900005555", ""],
    ]
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_reads_merged_two_row_header(tmp_path):
    ledger = ledger_import.read_ledger(messy_workbook(tmp_path / "台账.xlsx"))
    assert ledger.header_row == 3
    assert {k: ledger.mapping[k] for k in ("name", "id_number", "courtyard", "door", "tags")} == {
        "name": 0,
        "id_number": 2,
        "courtyard": 3,
        "door": 6,
        "tags": 8,
    }
    assert ledger.rows[0][0] == 4  # Excel row numbers


def test_preview_reports_every_bad_row_and_writes_nothing(office, tmp_path):
    ledger = ledger_import.read_ledger(messy_workbook(tmp_path / "台账.xlsx"))
    plan = ledger_import.make_plan(ledger, office)
    assert Resident.select().count() == 0 and Household.select().count() == 0
    assert plan.count("add") == 3 and plan.blank == 2
    errors = {e.row: e.reason for e in plan.errors}
    assert set(errors) == {8, 9, 10, 12}
    assert "校验码" in errors[8]
    assert "与第 6 行重复" in errors[9]
    assert "号码" in errors[10]
    assert "姓名" in errors[12]
    first = plan.rows[0]
    assert first.values.name == "王秀英" and first.values.phone == "13900001234"
    assert first.address == ("中和小区", "3", "2", "501")
    assert "第 8 行" in plan.report()


def test_apply_then_reimport_changes_nothing(office, tmp_path):
    path = messy_workbook(tmp_path / "台账.xlsx")
    plan = ledger_import.make_plan(ledger_import.read_ledger(path), office)
    made = ledger_import.apply_plan(plan)
    assert made == {"add": 3, "update": 0, "households": 3}
    wang = Resident.get(Resident.name == "王秀英")
    assert wang.initials == "wxy" and wang.household.address == "中和小区3号楼2单元501室"
    assert registry.tags_of(wang.id) == ["空巢老人", "低保"]
    again = ledger_import.make_plan(ledger_import.read_ledger(path), office)
    assert again.count("add") == 0 and again.count("update") == 0 and again.count("skip") == 3
    ledger_import.apply_plan(again)
    assert Resident.select().count() == 3 and Household.select().count() == 3


def test_failure_in_apply_rolls_back_everything(office, tmp_path, monkeypatch):
    plan = ledger_import.make_plan(
        ledger_import.read_ledger(messy_workbook(tmp_path / "a.xlsx")), office
    )
    original = ResidentTag.insert_many
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(ResidentTag, "insert_many", boom)
    with pytest.raises(RuntimeError):
        ledger_import.apply_plan(plan)
    assert Resident.select().count() == 0 and Household.select().count() == 0


def test_missing_required_column_is_refused(office, tmp_path):
    ledger = ledger_import.read_ledger(messy_workbook(tmp_path / "b.xlsx", with_name=False))
    with pytest.raises(DomainError) as err:
        ledger_import.make_plan(ledger, office)
    assert "姓名" in err.value.message
    assert Resident.select().count() == 0


def test_update_on_id_match_and_free_address(office, tmp_path):
    home = registry.add_household(office, "中和小区", "3", "2", "501")
    registry.add_resident(home, "王秀英", id_number=GOOD)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "家庭住址", "手机"])
    book.active.append(["王秀英", GOOD, "中和小区3号楼2单元501室", "13900001234"])
    book.save(tmp_path / "c.xlsx")
    plan = ledger_import.make_plan(ledger_import.read_ledger(tmp_path / "c.xlsx"), office)
    assert [(r.action, r.changes) for r in plan.rows] == [("update", ["电话"])]
    ledger_import.apply_plan(plan)
    assert Resident.get(Resident.name == "王秀英").phone == "13900001234"


def test_export_round_trip(office, tmp_path):
    path = messy_workbook(tmp_path / "台账.xlsx")
    ledger_import.apply_plan(ledger_import.make_plan(ledger_import.read_ledger(path), office))
    out = tmp_path / "导出.xlsx"
    assert ledger_export.export_registry(out, office) == 3
    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[1]][:6] == ["片区", "院落/小区", "楼号", "单元", "门牌", "姓名"]
    assert sheet.freeze_panes == "A2"
    again = ledger_import.make_plan(ledger_import.read_ledger(out), office)
    assert again.count("skip") == 3 and not again.errors
