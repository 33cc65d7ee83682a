"""Chinese line breaking, checked on the lines every document actually wraps."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.printing import commitments, flowchart, fonts, receipt, table
from minqing.printing.cards import render_cards
from minqing.printing.fonts import NO_BREAK_WORDS, NO_LINE_END, NO_LINE_START, UNITS, wrap
from minqing.printing.notice import render_notice
from tests.printing.documents_data import OFFICE, cards, notice_rows
from tests.printing.documents_data import receipt as receipt_data
from tests.printing.test_commitments_pdf import sheet


def bad_breaks(lines: list[str]) -> list[str]:
    """What breaks the rules between consecutive lines of one paragraph."""
    found = []
    for line in lines[1:]:
        if line[:1] in NO_LINE_START:
            found.append(f"starts with {line[0]}: {line}")
    for line in lines[:-1]:
        if line[-1:] in NO_LINE_END:
            found.append(f"ends with {line[-1]}: {line}")
    for a, b in zip(lines, lines[1:], strict=False):
        if not a or not b:
            continue
        if a[-1].isdigit() and any(b.startswith(unit) for unit in UNITS):
            found.append(f"number cut from its unit: {a}|{b}")
        if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
            found.append(f"a number or word cut: {a}|{b}")
        for word in NO_BREAK_WORDS:
            for k in range(1, len(word)):
                if a.endswith(word[:k]) and b.startswith(word[k:]):
                    found.append(f"{word} cut: {a}|{b}")
    return found


@pytest.mark.parametrize(
    "text",
    [
        "请拨打12345热线反映，或到126号3号楼找网格员，办理时限为三个工作日。",
        "院落里的路灯坏了（已经三个月），请尽快修理；水电费代缴请到社区。",
        "民情信箱：中和街21号1号楼2单元楼道（每天上午开箱）。",
    ],
)
def test_wrap_keeps_words_numbers_and_punctuation(text):
    for width in range(40, 260, 7):
        lines = wrap(text, width, 10)
        assert "".join(lines) == text
        assert bad_breaks(lines) == [], (width, lines)


def test_the_examples_of_the_issue():
    assert wrap("请拨12345热线", 55, 10)[-1] == "12345热线"
    assert "3号楼" in wrap("126号3号楼", 25, 10)
    tokens = fonts._tokens("办理时限院落水电费")
    assert {"办理时限", "院落", "水电费"} <= set(tokens)


def test_an_office_can_add_its_own_words():
    fonts.set_no_break_words(["民情流水线"])
    try:
        assert "民情流水线" in fonts._tokens("落实民情流水线工作法")
    finally:
        fonts.NO_BREAK_WORDS.remove("民情流水线")
        fonts._tokens.cache_clear()


def test_every_document_wraps_by_the_rules(tmp_path, monkeypatch):
    seen: list[list[str]] = []
    real = fonts.wrap

    def recording(text, width, size, face="sans"):
        for paragraph in text.replace("\r\n", "\n").split("\n"):  # a new paragraph may
            seen.append(real(paragraph, width, size, face))  # start with ——, as a signature
        return real(text, width, size, face)

    for module in (fonts, table, commitments, flowchart, receipt):
        monkeypatch.setattr(module, "wrap", recording)
    long_box = "中和街21号1号楼2单元楼道门口东侧，院落北门民情信箱（每天上午开箱，节假日顺延）"
    card_list = [
        *cards(3),
        cards(1)[0].__class__("MQ26-1", "第一片区", "李红", "139", "", "", long_box),
    ]
    render_cards(OFFICE, card_list, tmp_path / "c.pdf")
    render_notice(OFFICE, notice_rows(), tmp_path / "n.pdf", today=dt.date(2024, 5, 20))
    flowchart.render_flowchart(OFFICE, tmp_path / "f.pdf", paper="A3")
    receipt.render_receipt(OFFICE, receipt_data(), tmp_path / "r.pdf", counterfoil=True)
    commitments.render_commitments(
        OFFICE, "2026年第四季度", [sheet(i) for i in range(3)], tmp_path / "m.pdf"
    )
    assert len(seen) > 50
    problems = [p for lines in seen for p in bad_breaks(lines)]
    assert problems == []
