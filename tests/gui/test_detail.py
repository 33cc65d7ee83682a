"""Case detail: shows everything about a case; its buttons follow what the stage allows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from minqing.core.cases import services as cases
from minqing.core.models import Case, Staff, SupervisionCheck
from minqing.gui.panels.detail import DetailPanel
from tests.gui.test_board import app_ctx, clerk, driver, new_case  # noqa: F401 - shared fixtures


@pytest.fixture
def detail(qtbot, app_ctx):  # noqa: F811
    panel = DetailPanel(app_ctx)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    return panel


def handled(clerk):  # noqa: F811
    case = new_case(clerk, owner=Staff.get(Staff.name == "李红"), disposition="immediate")
    return cases.move(case, "handling", actor=clerk).case


def enabled(panel):
    return {key for key, button in panel.buttons.items() if button.isEnabled()}


def test_opens_on_open_case_with_fields_and_timeline(qtbot, detail, app_ctx, clerk):  # noqa: F811
    case = new_case(clerk, urgent=True)
    app_ctx.open_case.emit(case.id)
    assert case.number in detail.title.text() and "急" in detail.title.text()
    assert detail.values["person"].text() == "王秀英"
    assert detail.values["window"].text() == "城建城管"
    assert detail.values["owner"].text() == "未指定"
    assert detail.timeline.topLevelItemCount() == 1
    assert detail.timeline.topLevelItem(0).text(2) == "受理"
    assert detail.next_button.isEnabled() and detail.next_button.text() == "交办 → 办理"
    assert enabled(detail) == {"owner", "disposition"}


def test_buttons_follow_the_stage(qtbot, detail, app_ctx, clerk):  # noqa: F811
    case = handled(clerk)
    app_ctx.open_case.emit(case.id)
    assert enabled(detail) == {"owner", "disposition", "outcome", "check"}
    cases.move(case, "feedback", actor=clerk, outcome="已处理")
    app_ctx.case_changed.emit(case.id)
    assert {"reply", "post", "satisfaction", "reopen"} <= enabled(detail)
    assert detail.values["outcome"].text() == "已处理"


def test_record_outcome_and_check_through_dialogs(qtbot, detail, app_ctx, clerk, driver):  # noqa: F811
    case = handled(clerk)
    app_ctx.open_case.emit(case.id)
    driver.answers = [
        {"outcome": "已更换路灯"},
        {
            "kind": "随机抽查",
            "contact_method": "电话回访",
            "finding": "居民反映灯已修好",
            "fault": "超时办理",
        },
    ]
    qtbot.mouseClick(detail.buttons["outcome"], Qt.MouseButton.LeftButton)
    assert Case.get_by_id(case.id).outcome == "已更换路灯"
    assert detail.values["outcome"].text() == "已更换路灯"
    qtbot.mouseClick(detail.buttons["check"], Qt.MouseButton.LeftButton)
    assert driver.refusals == []
    check = SupervisionCheck.get(SupervisionCheck.case == case.id)
    assert check.kind == "spot" and check.fault == "late" and check.fault_owner.name == "李红"
    assert detail.checks.topLevelItemCount() == 1
    assert detail.checks.topLevelItem(0).text(1) == "随机抽查"
    kinds = [
        detail.timeline.topLevelItem(i).text(2) for i in range(detail.timeline.topLevelItemCount())
    ]
    assert "办理结果" in kinds and "督查" in kinds


def test_check_refused_without_finding(qtbot, detail, app_ctx, clerk, driver):  # noqa: F811
    case = handled(clerk)
    app_ctx.open_case.emit(case.id)
    driver.answers = [{"kind": "定期督促"}]
    qtbot.mouseClick(detail.buttons["check"], Qt.MouseButton.LeftButton)
    assert len(driver.refusals) == 1 and "督查情况" in driver.refusals[0]
    assert SupervisionCheck.select().count() == 0


def test_dissatisfied_reopens_from_detail(qtbot, detail, app_ctx, clerk, driver):  # noqa: F811
    case = handled(clerk)
    cases.move(case, "feedback", actor=clerk, outcome="已处理")
    app_ctx.open_case.emit(case.id)
    driver.answers = [{"satisfaction": "不满意", "note": "问题没有解决"}]
    qtbot.mouseClick(detail.buttons["satisfaction"], Qt.MouseButton.LeftButton)
    saved = Case.get_by_id(case.id)
    assert saved.reopen_count == 1 and saved.stage == "handling"
    assert detail.values["reopen"].text() == "1 次"
    assert "办理" in detail.title.text()


def test_next_step_from_detail_asks_missing(qtbot, detail, app_ctx, clerk, driver):  # noqa: F811
    case = new_case(clerk)
    app_ctx.open_case.emit(case.id)
    driver.answers = [{"owner": "赵刚", "disposition": "上报件", "escalated_to": "区城管局"}]
    qtbot.mouseClick(detail.next_button, Qt.MouseButton.LeftButton)
    # escalation days left at 0: the rule refuses and names it; the dialog stays, then is cancelled
    assert len(driver.refusals) == 1 and "上级预计办理时间" in driver.refusals[0]
    assert Case.get_by_id(case.id).stage == "intake"
