"""The statistics panel: rates with their formulas, counts, filters, charts and Excel export."""
# ruff: noqa: F811  (pytest fixtures imported from other test modules)

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from minqing.core.models import Community, Staff, Window
from minqing.core.supervision import rates
from minqing.gui.context import AppContext
from minqing.gui.operations import wait_for_all
from minqing.gui.panels.statistics import PERIODS, StatisticsPanel, period_dates
from tests.core.test_statistics import built  # noqa: F401


@pytest.fixture
def panel(qtbot, built, db_path):
    ctx = AppContext(Community.get(), Staff.get(Staff.name == "张敏"), str(db_path))
    widget = StatisticsPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitUntil(lambda: not widget.busy)
    return widget


def show_march(qtbot, panel) -> None:
    panel.period.setCurrentIndex(len(PERIODS) - 1)
    panel.date_from.setDate(QDate(2026, 3, 1))
    panel.date_to.setDate(QDate(2026, 3, 31))
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.stats.filter.date_to == dt.date(2026, 3, 31))


def test_rates_with_formulas_and_counts(qtbot, panel):
    show_march(qtbot, panel)
    card = panel.cards["satisfaction"]
    assert card.value.text() == "66.7%" and card.counts.text() == "2 / 3"
    assert card.formula.text() == rates.SATISFACTION.formula
    assert panel.cards["resolution"].value.text() == "75.0%"
    assert "受理民情 10 件" in panel.summary.text()
    windows = panel.count_tables["by_window"]
    assert {windows.item(r, 0).text(): windows.item(r, 1).text() for r in range(2)} == {
        "城建城管": "6",
        "司法调解": "4",
    }
    assert "调成率 50.0%" in panel.mediation.text()
    assert panel.faults.item(0, 0).text() == "李红" and panel.faults.item(0, 4).text() == "2"
    assert panel.recurring.item(0, 1).text() == "中和街21号2号楼"
    assert panel.chart_channel.chart().title() == "按渠道"
    assert panel.chart_trend.chart().series()[0].barSets()[0].count() == 31


def test_window_filter(qtbot, panel):
    show_march(qtbot, panel)
    panel.window_box.setCurrentIndex(panel.window_box.findText("司法调解"))
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.stats.filter.window_id is not None)
    assert panel.stats.total == 4
    assert panel.stats.filter.window_id == Window.get(Window.name == "司法调解").id


def test_export_to_excel(qtbot, panel, tmp_path):
    show_march(qtbot, panel)
    path = tmp_path / "stats.xlsx"
    with qtbot.waitSignal(panel.ctx.status):
        panel.export_to(str(path))
    wait_for_all()
    book = load_workbook(path)
    assert {"指标", "按渠道", "问题", "反复出现"} <= set(book.sheetnames)


def test_period_presets():
    today = dt.date(2026, 11, 27)
    assert period_dates("本月", today) == (dt.date(2026, 11, 1), today)
    assert period_dates("上月", today) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert period_dates("今年", today) == (dt.date(2026, 1, 1), today)
    assert period_dates("近30天", today)[0] == dt.date(2026, 10, 29)


def test_owner_filter_offers_only_who_may_own_cases(qtbot, db_path, accounts):
    from minqing.gui.context import AppContext

    panel = StatisticsPanel(
        AppContext(accounts["admin"].community, accounts["leader"], str(db_path))
    )
    qtbot.addWidget(panel)
    combo = panel.staff_box
    offered = {combo.itemText(i) for i in range(1, combo.count())}
    assert offered == {"李红", "赵刚", "王书记"}, offered
