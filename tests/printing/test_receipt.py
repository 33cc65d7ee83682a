from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.enums import Disposition
from minqing.printing.receipt import render_receipt
from tests.printing.documents_data import OFFICE, RARE, receipt
from tests.printing.pdf_helpers import font_report, page_size_mm, page_text, qr_texts


def test_receipt_reads_back(tmp_path):
    out = tmp_path / "r.pdf"
    result = render_receipt(OFFICE, receipt(), out)
    assert result.pages == 1 and result.missing == {}
    assert page_size_mm(out) == (148.0, 210.0)
    text = page_text(out)
    for expected in (
        "民情受理回执",
        "2024-000123",
        "2024年5月6日",
        "来访",
        "城建城管",
        "张敏",
        "13900003333",
        "补办件",
        "受理人签字",
        "户口本原件",
        f"王小{RARE}",
        "0451-86123456",
    ):
        assert expected in text
    assert all(font_report(out).values())
    assert qr_texts(out, dpi=150) == ["2024-000123"]
    # 补办件: the clock starts on the materials, so no date; the same words twice
    assert "2024年5月9日" not in text
    assert text.replace("\n", "").count("自材料补齐之日起计算") == 2
    assert "存根" not in text


def test_counterfoil_is_kept_by_the_office(tmp_path):
    out = tmp_path / "r.pdf"
    data = receipt(disposition=Disposition.PROMISED, promised_date=dt.date(2024, 6, 1))
    result = render_receipt(OFFICE, data, out, counterfoil=True)
    text = page_text(out)
    assert result.missing == {} and "存根" in text and text.count("2024-000123") == 2
    assert "反映人签收" in text and "办理时限：2024年5月9日前" in text
    assert qr_texts(out, dpi=150) == ["2024-000123"]


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        (Disposition.IMMEDIATE, {}, "当场办理"),
        (Disposition.ESCALATED, {"escalated_to": "区城管局", "escalation_days": 10}, "区城管局"),
        (Disposition.RETURNED, {"return_reason": "不属于本社区辖区"}, "不属于本社区辖区"),
        (Disposition.PROMISED, {"promised_date": dt.date(2024, 6, 1)}, "2024年6月1日"),
    ],
)
def test_each_disposition_tells_the_resident_what_it_must(tmp_path, kind, values, expected):
    out = tmp_path / "r.pdf"
    render_receipt(OFFICE, receipt(disposition=kind, **values), out)
    text = page_text(out)
    assert kind.label in text and expected in text
    if kind == Disposition.ESCALATED:
        assert "10 个工作日" in text
