"""The supervision panel: a callback that reopens, a spot-check draw and its check, a fault."""
# ruff: noqa: F811  (pytest fixtures imported from the board tests)

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from minqing.core.cases import services as cases
from minqing.core.enums import Stage
from minqing.core.models import Case, Staff, SupervisionCheck
from minqing.core.supervision.models import SpotCheckDraw
from minqing.gui.dialogs.form import FormDialog
from minqing.gui.panels.supervision import CaseIdRole, SupervisionPanel
from tests.core.test_supervision import answered, closed
from tests.gui.test_board import DialogDriver, app_ctx, clerk, new_case  # noqa: F401


@pytest.fixture
def owner(office):
    return Staff.get(Staff.name == "李红")


@pytest.fixture
def panel(qtbot, app_ctx):  # noqa: F811
    widget = SupervisionPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def pick(qtbot, tree, case_id):
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item.data(0, CaseIdRole) == case_id:
            rect = tree.visualItemRect(item)
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert tree.currentItem() is item
            return
    raise AssertionError("case not listed")


def test_callback_that_reopens(qtbot, monkeypatch, app_ctx, clerk, owner):  # noqa: F811
    case = answered(clerk, owner, "楼道灯不亮")
    panel = SupervisionPanel(app_ctx)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.tabs.tabText(1) == "待回访（1）"
    panel.tabs.setCurrentIndex(1)
    pick(qtbot, panel.awaiting, case.id)
    driver = DialogDriver(qtbot, monkeypatch)
    driver.answers = [{"satisfaction": "不满意", "resolved": "未解决", "note": "灯还是不亮"}]
    with qtbot.waitSignal(app_ctx.status) as status:
        qtbot.mouseClick(panel.callback_button, Qt.MouseButton.LeftButton)
    assert driver.refusals == [] and "重新办理" in status.args[0]
    row = Case.get_by_id(case.id)
    assert (
        row.stage == Stage.HANDLING and row.reopen_count == 1 and row.satisfaction == "dissatisfied"
    )
    assert panel.awaiting.topLevelItemCount() == 0
    records = panel.records
    assert records.topLevelItem(0).text(1) == "回访" and "灯还是不亮" in records.topLevelItem(
        0
    ).text(5)


def test_spot_check_draw_then_check(qtbot, monkeypatch, panel, clerk, owner):  # noqa: F811
    when = dt.datetime.now() - dt.timedelta(days=2)
    made = {closed(clerk, owner, when, f"第{i}件").id for i in range(6)}

    def fill(dialog: FormDialog) -> int:
        dialog.show()
        dialog.widgets["period_from"].setDate(when.date() - dt.timedelta(days=1))
        dialog.widgets["period_to"].setDate(dt.date.today())
        dialog.widgets["size"].setValue(3)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        return dialog.result()

    monkeypatch.setattr(FormDialog, "exec", fill)
    qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    draw = SpotCheckDraw.get()
    assert draw.population == 6 and panel.tabs.currentIndex() == 2
    assert panel.draws.topLevelItemCount() == 1 and panel.draws.topLevelItem(0).text(5) == "一致"
    assert panel.items.topLevelItemCount() == 3
    first = panel.items.topLevelItem(0)
    assert first.data(0, CaseIdRole) in made and first.text(4) == "待抽查"
    driver = DialogDriver(qtbot, monkeypatch)
    driver.answers = [{"finding": "电话抽查，居民满意"}]
    pick(qtbot, panel.items, first.data(0, CaseIdRole))
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert driver.refusals == []
    check = SupervisionCheck.get()
    assert check.kind == "spot" and check.checker.name == "张敏"
    assert "电话抽查，居民满意" in panel.items.topLevelItem(0).text(4)


def test_overdue_case_is_due_and_a_fault_is_recorded(
    qtbot, monkeypatch, panel, app_ctx, clerk, owner
):  # noqa: F811
    late = new_case(
        clerk,
        owner=owner,
        disposition="immediate",
        taken_at=dt.datetime.now() - dt.timedelta(days=20),
    )
    cases.move(late, "handling", actor=clerk)
    app_ctx.case_changed.emit(late.id)
    qtbot.waitUntil(lambda: panel.due.topLevelItemCount() == 1)
    assert panel.tabs.tabText(0) == "待督促（1）" and not panel.callback_button.isEnabled()
    pick(qtbot, panel.due, late.id)
    driver = DialogDriver(qtbot, monkeypatch)
    driver.answers = [{"finding": "超期未办，已督促", "fault": "能办未办"}]
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert driver.refusals == []
    check = SupervisionCheck.get()
    assert (check.kind, check.fault, check.fault_owner.name) == ("periodic", "not_handled", "李红")
    panel.tabs.setCurrentIndex(3)
    top = panel.records.topLevelItem(0)
    assert (top.text(1), top.text(6), top.text(7)) == ("定期督促", "能办未办", "李红")


def test_a_refused_check_keeps_the_dialog_and_writes_nothing(
    qtbot, monkeypatch, panel, app_ctx, clerk, owner
):  # noqa: F811
    late = new_case(
        clerk,
        owner=owner,
        disposition="immediate",
        taken_at=dt.datetime.now() - dt.timedelta(days=20),
    )
    cases.move(late, "handling", actor=clerk)
    panel.refresh()
    pick(qtbot, panel.due, late.id)
    driver = DialogDriver(qtbot, monkeypatch)
    driver.answers = [{}]  # no finding
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert driver.refusals and "督查情况" in driver.refusals[0]
    assert SupervisionCheck.select().count() == 0
