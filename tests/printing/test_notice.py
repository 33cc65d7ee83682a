from __future__ import annotations

import datetime as dt

from minqing.printing.notice import render_notice
from tests.printing.documents_data import OFFICE, notice_rows
from tests.printing.pdf_helpers import all_text, font_report, page_size_mm, reader


def test_notice_masks_people_and_lists_only_posted_cases(tmp_path):
    out = tmp_path / "n.pdf"
    result = render_notice(
        OFFICE,
        notice_rows(),
        out,
        start=dt.date(2024, 5, 1),
        end=dt.date(2024, 5, 31),
        today=dt.date(2024, 6, 1),
    )
    assert result.items == 39
    assert page_size_mm(out) == (297.0, 210.0)
    text = all_text(out)
    assert "王*吉" in text and "李*" in text and "138****5678" in text
    assert "王小吉" not in text and "13812345678" not in text
    assert "2024-000008" not in text  # not marked for posting
    assert "2024-000001" in text and "2024-000040" in text
    pages = len(reader(out).pages)
    assert pages == result.pages > 1
    assert f"第 1 页 共 {pages} 页" in text and f"第 {pages} 页 共 {pages} 页" in text
    assert "打印日期：2024年6月1日" in text and "2024年5月1日至2024年5月31日" in text
    assert all(font_report(out).values())


def test_empty_notice_says_so(tmp_path):
    out = tmp_path / "n.pdf"
    render_notice(OFFICE, [], out)
    assert "本期没有需要公示的民情" in all_text(out)
