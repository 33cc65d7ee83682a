"""The members panel: register, the three steps of post assignment, links from proposals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from minqing.core.members import posts
from minqing.core.members.models import Link, Member, PostAssignment
from minqing.core.models import Household, Resident, ResidentTag, Staff
from minqing.gui.context import AppContext
from minqing.gui.panels.members import MembersPanel
from tests.gui.test_board import DialogDriver


@pytest.fixture
def ctx(office, db_path):
    return AppContext(office, Staff.get(Staff.name == "张敏"), str(db_path))


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


@pytest.fixture
def panel(qtbot, ctx):
    widget = MembersPanel(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def texts(widget):
    return [widget.item(i).text() for i in range(widget.count())]


def click(qtbot, panel, key):
    button = panel.buttons[key]
    assert button.isEnabled(), key
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_register_and_assign_a_post_in_three_steps(qtbot, panel, driver):
    driver.answers.append(
        {"name": "刘建国", "kind": "退休", "gender": "男", "phone": "13812345678"}
    )
    click(qtbot, panel, "add")
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "未定岗"
    assert texts(panel.without_post) == ["刘建国"]
    panel.table.selectRow(0)
    assert not panel.buttons["confirm"].isEnabled()
    driver.answers.append({"post": "帮扶助困（需 4 人）"})
    click(qtbot, panel, "apply")
    assert "申报：帮扶助困" in panel.table.item(0, 3).text()
    # 支部定岗 before 群众荐岗 is refused, with the rule's words, and nothing is saved
    driver.answers.append({})
    click(qtbot, panel, "confirm")
    assert any("群众荐岗" in r for r in driver.refusals)
    assert PostAssignment.get().confirmed_on is None
    driver.answers.append({"by_name": "王毓吉", "note": "热心肠"})
    click(qtbot, panel, "recommend")
    assert "荐 1" in panel.table.item(0, 3).text()
    driver.answers.append({})
    click(qtbot, panel, "confirm")
    assert panel.table.item(0, 3).text() == "帮扶助困"
    assert posts.current_post(Member.get()).name == "帮扶助困"
    assert panel.without_post.count() == 0
    assert any(t.startswith("帮扶助困：在岗 1/4") for t in texts(panel.short_posts))
    assert any("支部定岗：帮扶助困" in t for t in texts(panel.history))
    assert not panel.buttons["apply"].isEnabled() and panel.buttons["end"].isEnabled()
    driver.answers.append({"is_informant": True})  # ticks the box
    click(qtbot, panel, "edit")
    assert Member.get().is_informant and panel.table.item(0, 5).text() == "是"
    assert "党员 1 名，其中民情信息员 1 名" in panel.status.text()


def test_links_from_proposals_and_the_unlinked_list(qtbot, office, panel, driver):
    home = Household.create(community=office, courtyard="中和小区", building="3", door="101")
    poor = Household.create(community=office, courtyard="中和小区", building="3", door="402")
    ResidentTag.create(resident=Resident.create(household=poor, name="孙桂兰"), tag="低保")
    driver.answers.append({"name": "陈淑珍", "kind": "大中专毕业生"})
    click(qtbot, panel, "add")
    Member.update(household=home).execute()
    panel.refresh()
    assert texts(panel.unlinked) == ["陈淑珍：差居民小组 1 个、贫困户 1 户、康复人员 1 名"]
    panel.table.selectRow(0)
    driver.answers.append({"target": poor.address})
    click(qtbot, panel, "link_poor")
    driver.answers.append({"target": "中和小区3号楼居民小组"})
    click(qtbot, panel, "link_group")
    assert Link.select().count() == 2
    assert texts(panel.unlinked) == ["陈淑珍：差康复人员 1 名"]
    assert "差康复人员 1 名" in panel.table.item(0, 4).text()
    driver.answers.append(None)  # nobody tagged 康复人员: nothing to choose, cancelled
    click(qtbot, panel, "link_rehab")
    assert Link.select().count() == 2
