from __future__ import annotations

import pytest

from minqing.core.cases import pipeline, stage_actions
from minqing.core.enums import Disposition
from minqing.core.errors import DomainError
from minqing.printing.flowchart import render_flowchart
from tests.printing.documents_data import OFFICE
from tests.printing.pdf_helpers import font_report, page_size_mm, page_text, text_sizes


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


def test_a3_poster_reads_from_a_few_steps_away(tmp_path):
    out = tmp_path / "f3.pdf"
    render_flowchart(OFFICE, out, paper="A3")
    assert page_size_mm(out) == (297.0, 420.0)
    found = text_sizes(out)
    assert min(size for _, size in found) >= 14
    sizes: dict[str, float] = {}
    for text, size in found:
        sizes[text] = max(size, sizes.get(text, 0))
    headings = ["民情流水线服务流程图", *(s.label for s in pipeline.STAGES)]
    headings += [k.label for k in Disposition]
    for heading in headings:
        assert sizes[heading] >= 28, heading
    with pytest.raises(DomainError):
        render_flowchart(OFFICE, tmp_path / "x.pdf", paper="B5")


def test_poster_says_who_takes_each_step_and_what_each_stage_allows(tmp_path):
    out = tmp_path / "f.pdf"
    render_flowchart(OFFICE, out)
    text = page_text(out).replace("\n", "").replace(" ", "")
    for tr in pipeline.TRANSITIONS:
        assert tr.action in text and f"（{stage_actions.role_names(tr.permission)}）" in text
    for action in stage_actions.ACTIONS.values():
        assert action.label in text, action.label
