from __future__ import annotations

import datetime as dt

from minqing.printing.common import chinese_period
from minqing.printing.notice import render_notice
from tests.printing.documents_data import OFFICE, notice_rows
from tests.printing.pdf_helpers import (
    all_text,
    font_report,
    ink_near_edges,
    page_size_mm,
    reader,
    render,
    text_sizes,
)


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
    assert "打印日期：2024年6月1日" in text and "公示期：2024年5月1日至31日" in text
    assert all(font_report(out).values())
    assert "UMingCN" in "".join(font_report(out))  # title and body in the Song face


def test_notice_reads_from_a_metre_away(tmp_path):
    for paper, body in (("A4", 12), ("A3", 16)):
        out = tmp_path / f"{paper}.pdf"
        render_notice(OFFICE, notice_rows(), out, today=dt.date(2024, 5, 20), paper=paper)
        assert page_size_mm(out) == ((297.0, 210.0) if paper == "A4" else (420.0, 297.0))
        sizes = [size for _, size in text_sizes(out)]
        assert min(sizes) >= body * 0.9 and sorted(sizes)[len(sizes) // 2] >= body
        # without dates: the month of `today`, named as the posting period
        assert "公示期：2024年5月1日至31日" in all_text(out)
        assert not ink_near_edges(render(out, 1, 60), 8)


def test_periods_are_written_the_chinese_way():
    assert chinese_period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == "2026年11月1日至30日"
    assert chinese_period(dt.date(2026, 11, 20), dt.date(2026, 12, 5)) == "2026年11月20日至12月5日"
    assert (
        chinese_period(dt.date(2026, 12, 20), dt.date(2027, 1, 5)) == "2026年12月20日至2027年1月5日"
    )


def test_empty_notice_says_so(tmp_path):
    out = tmp_path / "n.pdf"
    render_notice(OFFICE, [], out)
    assert "本期没有需要公示的民情" in all_text(out)


def test_notice_ends_once_with_issuer_date_and_seal_box(tmp_path):
    from dataclasses import replace

    out = tmp_path / "n.pdf"
    office = replace(OFFICE, committee="中和社区居民委员会（盖章单位）")
    result = render_notice(
        office, notice_rows(), out, today=dt.date(2024, 6, 1), red=True, start=dt.date(2024, 5, 1),
        end=dt.date(2024, 5, 31),
    )  # fmt: skip
    text = all_text(out)
    assert text.count("（盖章）") == 1 and text.count("2024年6月1日") == result.pages + 1
    assert text.startswith("中和社区居民委员会（盖章单位）")  # the 红头 on page 1
    last = reader(out).pages[-1].extract_text()
    assert "（盖章）" in last and "中和社区居民委员会（盖章单位）" in last
