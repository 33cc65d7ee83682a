"""The intake register: lazy rows, SQL sorting, debounced search, filters, Excel export."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt

from minqing.core.models import Window
from minqing.gui.models.case_table import INTAKE_DATE, NUMBER, CaseTableModel
from minqing.gui.panels.case_list import CaseListPanel
from tests.gui.test_board import app_ctx, clerk, new_case, type_text  # noqa: F401 - shared fixtures


@pytest.fixture
def many(clerk):  # noqa: F811
    """250 cases; intake dates run backwards while numbers run forwards."""
    now = dt.datetime.now().replace(microsecond=0)
    made = []
    for i in range(250):
        text = "楼道灯坏了" if i % 50 == 0 else f"第{i}件民情"
        made.append(new_case(clerk, text=text, taken_at=now - dt.timedelta(days=i // 10)))
    return made


@pytest.fixture
def panel(qtbot, app_ctx):  # noqa: F811
    widget = CaseListPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def numbers(panel, count=5):
    model = panel.model
    return [model.index(r, NUMBER).data() for r in range(min(count, model.rowCount()))]


def test_model_loads_only_what_is_shown(qtbot, many, panel):
    panel.reload()
    panel.table.viewport().repaint()
    model: CaseTableModel = panel.model
    assert model.rowCount() == 250
    assert 0 < model.loaded < 250
    assert panel.summary.text() == "共 250 条民情"


def test_sorting_changes_order_in_sql(qtbot, many, panel):
    panel.reload()
    assert numbers(panel, 1) == [many[-1].number]  # newest number first by default
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=section_centre(header, INTAKE_DATE)
    )
    assert panel.model.sort_key == "intake_date"
    # Intake dates run backwards while numbers run forwards, so each order is a real re-sort:
    # both clicks must come back sorted their own way, and the two orders must differ.
    seen = {}
    for _click in range(2):
        order = header.sortIndicatorOrder()
        dates = [panel.model.index(r, INTAKE_DATE).data() for r in range(250)]
        assert dates == sorted(dates, reverse=order == Qt.SortOrder.DescendingOrder)
        seen[order] = dates
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=section_centre(header, INTAKE_DATE)
        )
    assert len(seen) == 2
    assert seen[Qt.SortOrder.AscendingOrder][0] < seen[Qt.SortOrder.DescendingOrder][0]
    panel.table.sortByColumn(NUMBER, Qt.SortOrder.AscendingOrder)
    assert numbers(panel, 1) == [many[0].number]


def section_centre(header, section):
    return QPoint(
        header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
        header.height() // 2,
    )


def test_search_box_filters_after_a_pause(qtbot, many, panel):
    panel.reload()
    type_text(panel.search, "楼道灯")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    assert {panel.model.index(r, 8).data() for r in range(5)} == {"楼道灯坏了"}
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 250)


def test_filters_stage_window_overdue(qtbot, many, clerk, panel):  # noqa: F811
    new_case(clerk, window=Window.get(Window.name == "民政低保"))
    panel.reload()
    combo = panel.filters.window
    combo.setCurrentIndex(combo.findText("民政低保"))
    assert panel.model.rowCount() == 1
    combo.setCurrentIndex(0)
    panel.filters.stage.setCurrentIndex(panel.filters.stage.findText("办结"))
    assert panel.model.rowCount() == 0


def test_double_click_opens_detail(qtbot, many, app_ctx, panel):  # noqa: F811
    panel.reload()
    rect = panel.table.visualRect(panel.model.index(0, NUMBER))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(app_ctx.open_case) as signal:
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [many[-1].id]


def test_new_case_appears_on_change(qtbot, many, app_ctx, clerk, panel):  # noqa: F811
    panel.reload()
    case = new_case(clerk, text="新来的民情")
    app_ctx.case_changed.emit(case.id)
    assert panel.model.rowCount() == 251 and numbers(panel, 1) == [case.number]


def test_export_current_view_in_worker(qtbot, many, panel, tmp_path):
    panel.reload()
    type_text(panel.search, "楼道灯")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    path = tmp_path / "日志.xlsx"
    panel.export_to(path)
    assert not panel.export_button.isEnabled()
    qtbot.waitUntil(lambda: panel.export_op is None, timeout=10000)
    assert panel.export_button.isEnabled()
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(1, 1).value == "编号" and sheet.cell(1, 9).value == "民情内容"
    assert [sheet.cell(r, 1).value for r in range(2, 7)] == numbers(panel, 5)
    assert all(sheet.cell(r, 9).value == "楼道灯坏了" for r in range(2, 7))
    assert sheet.max_row == 6


def test_a_list_past_the_limit_shows_the_first_and_exports_all(
    qtbot, many, panel, tmp_path, monkeypatch
):
    from minqing.core.cases import queries

    monkeypatch.setattr(queries, "LIST_LIMIT", 100)
    panel.reload()
    assert panel.model.rowCount() == 100 and panel.model.total == 250
    assert panel.summary.text().startswith("共 250 条民情，按当前排序列出前 100 条")
    newest = numbers(panel, 3)
    assert newest == sorted(newest, reverse=True)  # the first 100 of the list's own order
    panel.reload_in_place()  # nothing changed: the same rows stay
    assert panel.model.rowCount() == 100 and panel.model.total == 250
    type_text(panel.search, "楼道灯")  # a narrower search shows everything it finds
    qtbot.waitUntil(lambda: panel.model.rowCount() == 5)
    assert panel.summary.text() == "共 5 条民情"
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 100)
    path = tmp_path / "日志.xlsx"
    panel.export_to(path)  # the export takes every matching case, not only those listed
    qtbot.waitUntil(lambda: panel.export_op is None, timeout=20000)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.max_row == 251 and sheet.cell(2, 1).value == newest[0]
