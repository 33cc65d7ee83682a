"""The reception panel: schedule with duty, and the quick intake of a session, line by line."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from minqing.core.channels import reception
from minqing.core.enums import Channel
from minqing.core.models import Case
from minqing.gui.panels.reception import ReceptionPanel
from tests.gui.test_board import app_ctx, clerk, driver, type_text  # noqa: F401

DUTY = [("徐道荣", "人大代表"), ("王江荣", "政协委员")]


@pytest.fixture
def today_session(office):
    return reception.schedule(
        office, dt.date.today(), starts=dt.time(0), ends=dt.time(23, 59), duty=DUTY
    )


@pytest.fixture
def panel(qtbot, app_ctx, today_session):  # noqa: F811
    reception.schedule(app_ctx.community, dt.date.today() + dt.timedelta(days=7), duty=DUTY)
    widget = ReceptionPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def test_schedule_shows_duty(panel):
    assert panel.tree.topLevelItemCount() == 2
    first = panel.tree.topLevelItem(0)
    assert first.text(1) == "两代表一委员" and first.text(4) == "人大代表徐道荣、政协委员王江荣"
    assert first.text(5) == "0" and panel.tree.topLevelItem(1).text(5) == ""
    panel.tree.setCurrentItem(panel.tree.topLevelItem(1))
    assert not panel.buttons["start"].isEnabled()


def test_quick_intake_one_line_per_visitor(qtbot, app_ctx, panel):  # noqa: F811
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    qtbot.mouseClick(panel.buttons["start"], Qt.MouseButton.LeftButton)
    intake = panel.intake
    assert intake.isVisible() and "徐道荣" in intake.title.text()
    intake.window.setCurrentIndex(intake.window.findText("城建城管"))
    for name, phone, text in (
        ("王毓吉", "13900001234", "公园巷路面破损"),
        ("张三", "", "石洞小学门口菜市场占道"),
    ):
        type_text(intake.name, name)
        type_text(intake.phone, phone)
        type_text(intake.text, text)
        with qtbot.waitSignal(app_ctx.case_changed):
            qtbot.keyClick(intake.text, Qt.Key.Key_Return)
        assert intake.name.text() == "" and intake.text.text() == ""
        assert intake.window.currentText() == "城建城管"  # the window stays for the next visitor
    made = list(Case.select().order_by(Case.id))
    assert [c.contact_name for c in made] == ["王毓吉", "张三"]
    assert all(c.channel == Channel.RECEPTION.value for c in made)
    assert intake.visitors.topLevelItemCount() == 2
    qtbot.waitUntil(lambda: panel.tree.topLevelItem(0).text(5) == "2")


def test_refusal_shows_inline(qtbot, panel):
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.start()
    intake = panel.intake
    type_text(intake.text, "噪音扰民")
    qtbot.keyClick(intake.text, Qt.Key.Key_Return)
    assert "服务窗口" in intake.message.text()
    intake.window.setCurrentIndex(intake.window.findText("综合治理"))
    qtbot.keyClick(intake.text, Qt.Key.Key_Return)
    assert "联系人" in intake.message.text() or "反映人" in intake.message.text()
    assert intake.name.hasFocus()
    assert Case.select().count() == 0
    qtbot.mouseClick(intake.finish, Qt.MouseButton.LeftButton)
    assert not intake.isVisible()


def test_add_day_through_form(qtbot, panel, driver):  # noqa: F811
    driver.answers = [{"kind": "领导接待", "duty": "社区书记 李红"}]
    qtbot.mouseClick(panel.buttons["add"], Qt.MouseButton.LeftButton)
    assert any(r.kind == "领导接待" and r.duty_text == "社区书记李红" for r in panel.rows.values())
