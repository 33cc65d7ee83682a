"""Visits panel: coverage per grid, the to-visit list in walking order, and a visit that
opens a case through the dialog."""

from __future__ import annotations

import pytest

from minqing.core.models import Case, Grid, Staff
from minqing.core.outreach import visits
from minqing.core.registry import services as registry
from minqing.core.registry.models import Visit
from minqing.gui.panels.visits import VisitsPanel
from tests.gui.test_board import DialogDriver, app_ctx, clerk  # noqa: F401 - shared fixtures


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


@pytest.fixture
def homes(office):
    grid = Grid.get(Grid.name == "第一片区")
    made = []
    for building in ("10", "2"):
        home = registry.add_household(office, "中和小区", building, "1", "101", grid=grid)
        registry.add_resident(home, f"居民{building}")
        made.append(home)
    return made


@pytest.fixture
def panel(qtbot, app_ctx, homes):  # noqa: F811
    widget = VisitsPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


def test_coverage_and_walking_order(panel, homes):
    first = [panel.coverage.index(0, c).data() for c in range(6)]
    assert first == ["第一片区", "李红", "2", "0", "0%", "2"]
    addresses = [panel.unvisited.index(r, 1).data() for r in range(panel.unvisited.rowCount())]
    assert addresses == ["中和小区2号楼1单元101室", "中和小区10号楼1单元101室"]
    assert panel.unvisited.index(0, 3).data() == "从未走访"
    visits.record_visit(homes[1], staff=Staff.get(Staff.name == "张敏"), learned="正常")
    panel.reload()
    assert panel.coverage.index(0, 4).data() == "50%"
    assert panel.unvisited.rowCount() == 1


def test_recording_a_visit_that_opens_a_case(panel, homes, driver, app_ctx):  # noqa: F811
    opened = []
    app_ctx.case_changed.connect(opened.append)
    panel.unvisited_view.selectRow(0)
    driver.answers = [
        {
            "learned": "楼道灯坏了半个月，老人晚上出门不便",
            "open_case": "同时开民情件",
            "window": "城建城管",
        }
    ]
    panel.record_selected()
    visit = Visit.get()
    case = Case.get()
    assert visit.case_id == case.id and visit.household_id == homes[1].id
    assert case.channel == "home_visit" and "楼道灯" in case.text
    assert case.resident.name == "居民2" and opened == [case.id]
    assert panel.unvisited.rowCount() == 1


def test_visit_without_window_is_refused_and_nothing_saved(panel, driver):
    panel.unvisited_view.selectRow(0)
    driver.answers = [{"learned": "反映噪音", "open_case": "同时开民情件"}, None]
    panel.record_selected()
    assert driver.refusals and Visit.select().count() == 0 and Case.select().count() == 0
