"""No export carries a formula: every Excel file the program writes is read back, and every
data cell typed as `=…`, `+…`, `-…`, `@…` (a link, a DDE payload) is plain text, while
numbers and dates stay numbers and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from minqing.core import spreadsheet
from minqing.core.accounts import audit
from minqing.core.cases import export, queries
from minqing.core.cases import services as cases
from minqing.core.channels import city_orders
from minqing.core.errors import DomainError
from minqing.core.models import Staff, Window
from minqing.core.outreach import visits
from minqing.core.registry import ledger_export
from minqing.core.registry import services as registry
from minqing.core.supervision import statistics
from minqing.core.supervision.statistics_export import export_statistics
from minqing.printing.documents import print_monthly_report

LINK = '=HYPERLINK("http://e.vil/x","领补贴")'
DDE = "=cmd|' /C calc'!A0"
PAYLOADS = [LINK, DDE, "+8613812345678", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def poisoned(office, tmp_path):
    """An office whose names, addresses and words are formula payloads everywhere."""
    clerk = Staff.get(Staff.name == "张敏")
    owner = Staff.create(community=office, name="@SUM(1+1)", role="owner")
    home = registry.add_household(office, "=1+2", "-3", grid=None)
    registry.add_resident(home, LINK, phone="13700001111", note=DDE)
    yesterday = dt.datetime.now().replace(microsecond=0, second=0) - dt.timedelta(days=1)
    spreadsheet.write_table(  # the city's file, with the payloads as text: they import as text
        tmp_path / "orders.xlsx",
        "工单",
        [
            (h, 10)
            for h in ("工单编号", "受理时间", "诉求内容", "联系人", "联系电话", "地址", "办理时限")
        ],
        [["GD1", yesterday, DDE, LINK, "13900001234", "=1+2", 5]],
        logged=False,
    )
    created = city_orders.apply(
        city_orders.read(tmp_path / "orders.xlsx", window="城建城管"), first_responder=clerk
    ).created
    made = cases.get_case(created[0][1])
    cases.move(made, "handling", owner=owner, disposition="immediate")
    cases.move(
        made,
        "feedback",
        outcome="-2+3 " + DDE,
        reply_method="phone",
        reply_text="@SUM(1+1)",
        replied_on=dt.date.today(),
    )
    cases.take_in(
        channel="walk_in",
        text=LINK,
        window=Window.get(Window.name == "民政低保"),
        first_responder=clerk,
        contact_name="+8613812345678",
        address="=1+2",
    )
    return office


def cells(path):
    book = load_workbook(path)
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def check(path, expect=()):
    found = cells(path)
    formulas = [c.coordinate for c in found if c.data_type == "f"]
    assert not formulas, f"{path.name}: formulas at {formulas}"
    texts = {c.value for c in found if isinstance(c.value, str)}
    for payload in expect:
        assert any(payload in t for t in texts), f"{path.name}: {payload!r} lost"
    return found


def test_every_export_writes_payloads_as_text(poisoned, tmp_path):
    month = dt.date.today().strftime("%Y-%m")
    out = {name: tmp_path / f"{name}.xlsx" for name in "register residents replies".split()}
    export.export_cases(out["register"], queries.case_ids())
    ledger_export.export_registry(out["residents"], poisoned)
    city_orders.export_replies(out["replies"], poisoned)
    visits.export_unvisited(tmp_path / "unvisited.xlsx", poisoned, dt.date.today().year)
    flt = statistics.StatsFilter(dt.date.today().replace(day=1), dt.date.today())
    export_statistics(tmp_path / "stats.xlsx", statistics.compute(flt))
    print_monthly_report(tmp_path / "month.xlsx", month=month)
    audit.export_lines(audit.lines(limit=50), tmp_path / "audit.xlsx")

    check(out["register"], [LINK, DDE, "+8613812345678", "@SUM(1+1)"])
    check(out["residents"], [LINK, DDE, "=1+2", "-3"])
    check(out["replies"], ["-2+3", "@SUM(1+1)"])
    check(tmp_path / "unvisited.xlsx", ["=1+2"])
    check(tmp_path / "stats.xlsx", ["@SUM(1+1)"])
    check(tmp_path / "month.xlsx", ["@SUM(1+1)"])
    check(tmp_path / "audit.xlsx", [LINK])


def test_text_keeps_excels_quote_prefix_and_numbers_dates_stay_real(tmp_path):
    path = tmp_path / "t.xlsx"
    today = dt.date(2026, 11, 20)
    rows = [[p, 7, 0.25, today] for p in PAYLOADS] + [["x\x01y\x1b", -5, 1.5, None]]
    spreadsheet.write_table(
        path,
        "t",
        [spreadsheet.Column("文字"), ("数", 8), spreadsheet.Column("比", 8, "0.0%"), ("日", 12)],
        rows,
        logged=False,
    )
    sheet = load_workbook(path).active
    body = list(sheet.iter_rows(min_row=2))
    # XML reads a carriage return back as a line feed; it is text either way
    assert [r[0].value for r in body] == [p.replace("\r", "\n") for p in PAYLOADS] + ["xy"]
    assert all(r[0].data_type == "s" for r in body)
    assert all(r[0].quotePrefix for r in body[: len(PAYLOADS)])
    assert [r[1].value for r in body] == [7] * len(PAYLOADS) + [-5]
    assert all(r[1].data_type == "n" for r in body)
    assert body[0][2].number_format == "0.0%" and body[0][1].number_format == "General"
    assert body[0][3].value == dt.datetime(2026, 11, 20) and body[0][3].is_date


def test_a_missing_folder_is_named_not_created(office, tmp_path):
    target = tmp_path / "nowhere" / "x.xlsx"
    with pytest.raises(DomainError, match="不存在"):
        export.export_cases(target, [])
    assert not target.parent.exists()


def test_no_export_writes_a_workbook_of_its_own():
    """Every .xlsx the program writes goes through core.spreadsheet, so a new export cannot
    forget the formula guard (reading workbooks elsewhere is fine)."""
    import re
    from pathlib import Path

    import minqing

    src = Path(minqing.__file__).parent
    writers = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if p.name != "spreadsheet.py"
        and re.search(
            r"\bWorkbook\(|WriteOnlyCell|import Workbook\b", p.read_text(encoding="utf-8")
        )
    ]
    assert writers == []
