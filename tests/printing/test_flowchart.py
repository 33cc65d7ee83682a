from __future__ import annotations

from minqing.core.cases import pipeline
from minqing.core.enums import Disposition
from minqing.printing.flowchart import render_flowchart
from tests.printing.documents_data import OFFICE
from tests.printing.pdf_helpers import font_report, page_size_mm, page_text


def test_poster_shows_the_pipeline_definition(tmp_path):
    out = tmp_path / "f.pdf"
    result = render_flowchart(OFFICE, out)
    assert result.pages == 1 and page_size_mm(out) == (210.0, 297.0)
    text = page_text(out).replace("\n", "")
    assert "民情流水线服务流程图" in text
    for stage in pipeline.STAGES:
        assert stage.label in text
    for tr in pipeline.TRANSITIONS:
        assert tr.action in text
        for label in tr.requirement_labels:
            assert label in text
    for kind in Disposition:
        assert kind.label in text and pipeline.DISPOSITION_DUTIES[kind] in text
    assert all(font_report(out).values())
