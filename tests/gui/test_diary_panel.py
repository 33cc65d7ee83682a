"""The diary panel: write an entry, register it as a case with one form, see the link, open it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from minqing.core.channels import diary
from minqing.core.enums import Channel
from minqing.core.models import Case, Staff
from minqing.gui.panels.diary import DiaryPanel
from tests.gui.test_board import app_ctx, clerk, driver  # noqa: F401 - shared fixtures


@pytest.fixture
def panel(qtbot, app_ctx):  # noqa: F811
    widget = DiaryPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    return widget


def click_row(qtbot, panel, row, double=False):
    item = panel.tree.topLevelItem(row)
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return item


def test_entry_becomes_case(qtbot, app_ctx, clerk, panel, driver):  # noqa: F811
    leader = Staff.get(Staff.name == "李红")
    diary.write(
        leader, "公园巷路面破损，幼儿园门口大车经过很危险", dt.date.today() - dt.timedelta(days=1)
    )
    panel.refresh()
    assert panel.tree.topLevelItemCount() == 1
    assert not panel.case_button.isEnabled()
    item = click_row(qtbot, panel, 0)
    assert item.text(3) == "—" and panel.case_button.isEnabled()
    driver.answers = [{"window": "城建城管", "contact_phone": "13900001234"}]
    with qtbot.waitSignal(app_ctx.case_changed) as changed:
        qtbot.mouseClick(panel.case_button, Qt.MouseButton.LeftButton)
    assert driver.asked[0][0] == "登记为民情"
    case = Case.get_by_id(changed.args[0])
    assert case.channel == Channel.DIARY.value and case.first_responder_id == leader.id
    assert case.contact_phone == "13900001234"
    assert case.text.startswith("公园巷路面破损")
    item = panel.tree.topLevelItem(0)
    assert item.text(3) == case.number and item.text(4) == "受理"
    assert panel.summary.text() == "共 1 篇，1 篇已登记为民情"
    assert not panel.case_button.isEnabled()  # the same entry cannot become a second case
    with qtbot.waitSignal(app_ctx.open_case) as opened:
        click_row(qtbot, panel, 0, double=True)
    assert opened.args == [case.id]


def test_missing_window_keeps_the_form_open(qtbot, app_ctx, clerk, panel, driver):  # noqa: F811
    diary.write(clerk, "楼道灯坏了")
    panel.refresh()
    click_row(qtbot, panel, 0)
    driver.answers = [{"contact_name": "王秀英"}]
    qtbot.mouseClick(panel.case_button, Qt.MouseButton.LeftButton)
    assert driver.refusals and "服务窗口" in driver.refusals[0]
    assert Case.select().count() == 0
    assert panel.tree.topLevelItem(0).text(3) == "—"


def test_write_and_filter(qtbot, app_ctx, clerk, panel, driver):  # noqa: F811
    driver.answers = [{"text": "走访比乐街25号，健身器材松动"}]
    qtbot.mouseClick(panel.write_button, Qt.MouseButton.LeftButton)
    assert panel.tree.topLevelItemCount() == 1
    assert panel.tree.topLevelItem(0).text(1) == "张敏"
    panel.author.setCurrentIndex(panel.author.findText("李红"))
    assert panel.tree.topLevelItemCount() == 0
