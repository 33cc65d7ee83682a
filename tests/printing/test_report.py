"""The monthly report read back: its numbers, formulas, sections, fonts, and the Excel twin."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from minqing.cli import main
from minqing.core.storage.db import close_database
from minqing.core.supervision.rates import RESPONSE
from minqing.printing.report import load_report, print_report
from tests.core.test_statistics import built  # noqa: F401 - the hand-built March cases
from tests.printing.pdf_helpers import all_text, font_report, page_size_mm

TODAY = dt.date(2026, 4, 1)


def flat(text: str) -> str:
    return "".join(text.split())


def test_report_pdf(built, tmp_path):  # noqa: F811
    out = tmp_path / "march.pdf"
    result = print_report("2026-03", out, today=TODAY)
    assert result.pages >= 1 and result.items == 10 and not result.missing
    assert page_size_mm(out) == (210.0, 297.0)
    text = flat(all_text(out))
    assert "中和社区民情工作月报（2026年3月）" in text
    assert "60.0%（3/5）" in text  # response rate with its counts
    assert flat(RESPONSE.numerator) in text and "调成率" in text
    assert "超期未办民情（共1件）" in text and "重新办理的民情（共1件）" in text
    assert "李红" in text and "中和街21号2号楼" in text
    assert all(font_report(out).values())


def test_previous_month_is_compared(built):  # noqa: F811
    report = load_report("2026-03", TODAY)
    assert report.previous.filter.date_from == dt.date(2026, 2, 1)
    assert report.previous.total == 1 and report.current.total == 10


def test_report_excel_and_cli(built, db_path, tmp_path, capsys):  # noqa: F811
    book = tmp_path / "march.xlsx"
    print_report("2026-03", book, today=TODAY)
    sheet = load_workbook(book)["指标"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["受理民情（件）"][1] == 10 and rows["受理民情（件）"][4] == 1
    assert rows["满意率"][2:4] == (2, 3) and rows["满意率"][5].startswith("满意率 = ")
    close_database()
    pdf = tmp_path / "cli.pdf"
    code = main(["--db", str(db_path), "print", "report", "--month", "2026-03", "--out", str(pdf)])
    assert code == 0 and pdf.stat().st_size > 0
    code = main(["--db", str(db_path), "print", "report", "--month", "2026-03", "--out", "x.doc"])
    assert code == 2 and ".xlsx" in capsys.readouterr().err


def test_pages_count_their_total_and_lists_say_where_they_are_cut(built, tmp_path):  # noqa: F811
    out = tmp_path / "march.pdf"
    result = print_report("2026-03", out, today=TODAY)
    text = all_text(out)
    assert f"第 1 页 共 {result.pages} 页" in text
    assert "统计范围：2026年3月1日至31日" in text
    assert "每日受理" in text and "按片区" in text and "按责任人" in text


def test_zero_rows_are_kept():
    from minqing.printing.report import with_zeros

    assert with_zeros([("b", 2), ("z", 1)], ["a", "b", "c"]) == [
        ("a", 0),
        ("b", 2),
        ("c", 0),
        ("z", 1),
    ]


def _flow(tmp_path):
    from minqing.printing.common import Document
    from minqing.printing.report import _Flow

    doc = Document(tmp_path / "f.pdf", (595.27, 841.89), "t")
    return doc, _Flow(doc, "月报", pages=9)


def test_table_headers_repeat_and_headings_never_stand_alone(tmp_path):
    from tests.printing.pdf_helpers import page_text

    doc, flow = _flow(tmp_path)
    flow.heading("一、第一节")
    flow.table(["列甲", "列乙"], [1, 1], [[f"行{i}", "值"] for i in range(120)])
    flow.y = 30 * 2.8346 + 20  # near the foot: the next heading must move with its table
    flow.heading("二、第二节")
    flow.table(["列丙", "列丁"], [1, 1], [["x", "y"]])
    flow.page_end()
    doc.finish(0)
    out = tmp_path / "f.pdf"
    pages = [page_text(out, i) for i in range(doc.pages)]
    assert len(pages) >= 3
    for text in pages:
        if "行" in text:
            assert "列甲" in text  # the header row on every page the table runs onto
    last = pages[-1]
    assert "二、第二节" in last and "列丙" in last and "二、第二节" not in "".join(pages[:-1])
    assert "第 1 页 共 9 页" in pages[0]
