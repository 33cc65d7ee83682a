"""民情受理日志 over the case list's own filter (core.queries.CaseFilter), from code and CLI."""

from __future__ import annotations

import re

import pytest

from minqing.cli import main
from minqing.core.cases import queries
from minqing.core.cases import services as cases
from minqing.core.cases.queries import CaseFilter
from minqing.core.errors import MinqingError
from minqing.core.models import Grid, Household, Resident, Staff, Window
from minqing.printing import documents
from tests.printing.pdf_helpers import all_text

NUMBER = re.compile(r"\d{4}-\d{5,6}")


@pytest.fixture
def some_cases(office):
    clerk = Staff.get(Staff.name == "张敏")
    grid = Grid.get(Grid.name == "第一片区")
    home = Household.create(community=office, grid=grid, courtyard="中和小区", building="5")
    resident = Resident.create(household=home, name="刘建国", phone="13700001111")
    made = []
    for i, (window, text) in enumerate(
        [
            ("城建城管", "3号楼楼道灯坏了，电话13812345678"),
            ("城建城管", "小区路面积水"),
            ("民政低保", "咨询低保办理"),
            ("城建城管", "楼道灯又坏了"),
        ]
    ):
        made.append(
            cases.take_in(
                channel="来访",
                text=text,
                window=Window.get(Window.name == window),
                first_responder=clerk,
                contact_name=f"王小{i}",
                contact_phone="13812345678",
                resident=resident if i == 2 else None,
                urgent=i == 3,
            ).case
        )
    return made


def numbers(path) -> list[str]:
    return NUMBER.findall(all_text(path))


def test_the_list_filter_picks_the_rows_in_the_list_order(some_cases, tmp_path):
    flt = CaseFilter(text="楼道灯")
    out = tmp_path / "r.pdf"
    result = documents.print_register(out, flt, sort="number", descending=True)
    expected = [c.number for c in some_cases if "楼道灯" in c.text][::-1]
    listed = [c.number for c in queries.case_rows(queries.case_ids(flt, "number", True))]
    assert result.items == 2 and listed == expected
    assert numbers(out) == expected
    assert "搜索：“楼道灯”" in all_text(out)


def test_phones_masked_unless_the_caller_may_see_them(some_cases, tmp_path):
    out = tmp_path / "masked.pdf"
    documents.print_register(out)
    text = all_text(out)
    assert "138****5678" in text and "13812345678" not in text
    assert "王小0" in text  # names stay: the register is the office's own
    full = tmp_path / "full.pdf"
    documents.print_register(full, mask_personal=False)
    assert "13812345678" in all_text(full)


def test_header_describes_the_filter(some_cases, tmp_path):
    window = Window.get(Window.name == "城建城管")
    out = tmp_path / "r.pdf"
    result = documents.print_register(out, CaseFilter(window_id=window.id, urgent=True))
    text = all_text(out)
    assert result.items == 1 and "窗口：城建城管" in text and "仅紧急" in text
    assert numbers(out) == [some_cases[3].number]
    documents.print_register(out)
    assert "全部民情" in all_text(out)


def test_cancel_writes_nothing(some_cases, tmp_path):
    out = tmp_path / "r.pdf"
    result = documents.print_register(out, progress=lambda done, total: False)
    assert result.cancelled and not out.exists()


def test_cli_options_become_the_list_filter(some_cases, db_path, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    args = ["--db", str(db_path), "print", "register", "--out", str(out)]
    assert main([*args, "--window", "城建城管"]) == 0
    assert numbers(out) == [some_cases[i].number for i in (0, 1, 3)]  # oldest first
    assert main([*args, "--grid", "第一片区"]) == 0
    assert numbers(out) == [some_cases[2].number]
    assert main([*args, "--stage", "受理", "--from", "2000-01-01"]) == 0
    assert len(numbers(out)) == 4
    assert main([*args, "--disposition", "即办件"]) == 0
    assert numbers(out) == []
    capsys.readouterr()
    assert main([*args, "--window", "没有这个窗口"]) == 2
    assert "可选" in capsys.readouterr().err
    assert main([*args, "--from", "2026-02-01", "--to", "2026-01-01"]) == 2


def test_from_after_to_is_refused(office, tmp_path):
    import datetime as dt

    with pytest.raises(MinqingError):
        documents.print_register(
            tmp_path / "x.pdf",
            CaseFilter(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 1, 1)),
        )
