"""The commitment sheets read back: text, fonts, page sizes, and what a rendered page looks like."""

from __future__ import annotations

import datetime as dt

from minqing.printing.commitments import (
    FIVE_LEADS,
    CommitmentSheet,
    FulfilmentLine,
    render_commitments,
)
from tests.printing.documents_data import OFFICE, RARE
from tests.printing.pdf_helpers import (
    all_text,
    font_report,
    page_size_mm,
    page_text,
    reader,
    render,
)


def sheet(i: int = 0, reviewed: bool = True, **kw) -> CommitmentSheet:
    values = dict(
        name=f"刘建{RARE}" if i == 0 else f"党员{i:02d}",
        gender="男",
        kind="退休",
        post="帮扶助困",
        duties="联系困难家庭、孤寡老人和残疾人，帮助解决生活困难",
        quarter="2026年第四季度",
        text="每月至少两次走访联系的困难户，帮助代缴水电费、代购生活用品。联系电话13812345678。",
        leads=FIVE_LEADS[:3],
        pledged_on=dt.date(2026, 10, 1),
        fulfilments=(
            FulfilmentLine(dt.date(2026, 10, 12), "为孙桂兰家代缴水电费"),
            FulfilmentLine(dt.date(2026, 11, 3), "协助办结楼道漏水问题", "2026-00042"),
        ),
        review="履诺认真，群众满意，望继续保持。" if reviewed else "",
        reviewer="徐道荣" if reviewed else "",
        reviewed_on=dt.date(2026, 12, 28) if reviewed else None,
    )
    values.update(kw)
    return CommitmentSheet(**values)


def test_member_sheet_has_everything_for_the_wall(tmp_path):
    out = tmp_path / "m.pdf"
    result = render_commitments(OFFICE, "2026年第四季度", [sheet()], out, branch=False)
    assert result.items == 1 and result.pages == 1 and not result.missing
    assert page_size_mm(out) == (210.0, 297.0)
    text = page_text(out)
    for expected in (
        "党员公开承诺书", "中和社区党支部", "2026年第四季度", f"刘建{RARE}", "帮扶助困",
        "每月至少两次走访", "五带头", *FIVE_LEADS, "承诺人（签名）", "承诺日期：2026年10月1日",
        "履诺情况", "为孙桂兰家代缴水电费", "民情 2026-00042",
        "领导点评", "履诺认真", "点评人：徐道荣", "2026年12月28日",
    ):  # fmt: skip
        assert expected in text, expected
    fonts = font_report(out)
    assert fonts and all(fonts.values())  # every font embedded
    assert any("ZenHei" in name for name in fonts)  # the rare character from the fallback


def test_review_space_is_left_blank_until_written(tmp_path):
    out = tmp_path / "m.pdf"
    render_commitments(
        OFFICE, "2026年第四季度", [sheet(reviewed=False, fulfilments=())], out, branch=False
    )
    text = page_text(out)
    assert "领导点评" in text and "点评人：徐道荣" not in text and "履诺认真" not in text
    assert "季度内随时记录履诺情况" in text


def test_whole_quarter_in_one_pdf_branch_sheet_first(tmp_path):
    out = tmp_path / "q.pdf"
    sheets = [sheet(i, reviewed=i % 2 == 0) for i in range(40)]
    result = render_commitments(OFFICE, "2026年第四季度", sheets, out)
    pages = reader(out).pages
    assert result.items == 40 and len(pages) == result.pages > 40
    first = page_text(out, 0)
    assert "党组织公开承诺书" in first and "社区党支部40名党员" in first and "党员01" in first
    assert "党员39" in all_text(out)
    branch_pages = result.pages - 40
    assert f"第 {branch_pages} 页 共 {branch_pages} 页" in page_text(out, branch_pages - 1)
    assert "党员公开承诺书" in page_text(out, branch_pages) and "刘建" in page_text(
        out, branch_pages
    )
    assert "党员39" in page_text(out, result.pages - 1)


def test_branch_only_and_a3_for_the_wall(tmp_path):
    out = tmp_path / "b.pdf"
    result = render_commitments(
        OFFICE, "2026年第四季度", [sheet(i) for i in range(5)], out, members=False, a3=True
    )
    assert page_size_mm(out) == (297.0, 420.0)
    text = all_text(out)
    # the official form's end: issuer, 书记's line and the seal box, once, on the last page
    assert text.count("党支部书记（签名）") == 1 and text.count("（盖章）") == 1
    assert "（盖章）" in page_text(out, result.pages - 1) and "承诺单位：中和社区党支部" in text
    assert "党组织承诺：" in text and "三个工作日内办结" in text
    assert "党组织公开承诺书" in page_text(out) and "党员公开承诺书" not in page_text(out).replace(
        "党组织", ""
    )
    empty = tmp_path / "e.pdf"
    render_commitments(OFFICE, "2026年第一季度", [], empty, members=False)
    assert "本季度还没有党员作出承诺" in all_text(empty).replace("\n", "")


def test_sheet_looks_right(tmp_path):
    """Rendered: a red title at the top, the A3 sheet is the A4 one scaled (same proportions)."""
    a4, a3 = tmp_path / "a4.pdf", tmp_path / "a3.pdf"
    render_commitments(OFFICE, "2026年第四季度", [sheet()], a4, branch=False)
    render_commitments(OFFICE, "2026年第四季度", [sheet()], a3, branch=False, a3=True)
    small, big = render(a4, dpi=60).convert("RGB"), render(a3, dpi=60).convert("RGB")

    def red_rows(img):
        def red(x, y):
            r, g, b = img.getpixel((x, y))
            return r > 150 and g < 80 and b < 80

        return [y for y in range(img.height) if any(red(x, y) for x in range(0, img.width, 2))]

    rows_small, rows_big = red_rows(small), red_rows(big)
    assert rows_small and min(rows_small) < small.height * 0.08  # the red title at the top
    ticks = [y for y in rows_small if y > small.height * 0.15]  # and the red ticks of 五带头
    assert ticks and max(ticks) < small.height * 0.5
    assert abs(min(rows_big) / big.height - min(rows_small) / small.height) < 0.01
    ink = sum(small.convert("L").histogram()[:100])  # dark pixels
    assert ink > small.width * small.height * 0.01  # boxes and text were drawn


def test_official_form_red_header_issuer_and_sizes(tmp_path):
    from dataclasses import replace

    from tests.printing.pdf_helpers import text_sizes

    office = replace(OFFICE, branch="中共中和社区支部委员会")
    out = tmp_path / "r.pdf"
    render_commitments(office, "2026年第四季度", [sheet()], out, red=True)
    first = page_text(out, 0)
    assert (
        first.startswith("中共中和社区支部委员会") and "承诺单位：中共中和社区支部委员会" in first
    )
    fonts = "".join(font_report(out))
    assert "UMingCN" in fonts  # the Song face for titles and body
    member = page_text(out, 1)
    assert "2026年10月1日" in member and "10月12日" in member
    sizes = [size for _, size in text_sizes(out, 1)]
    assert min(sizes) >= 12 and sorted(sizes)[len(sizes) // 4] >= 14  # body 14 pt on A4
    assert "年　　月　　日" not in page_text(out, 1)  # no seal line on a member's page
