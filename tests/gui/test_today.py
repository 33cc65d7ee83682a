"""Today: overdue, due soon, waiting for materials and escalated follow-ups, grouped with counts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from minqing.core.cases import services as cases
from minqing.core.models import Staff
from minqing.gui.panels.today import TodayPanel
from tests.gui.test_board import app_ctx, clerk, new_case  # noqa: F401 - shared fixtures


@pytest.fixture
def panel(qtbot, app_ctx):  # noqa: F811
    widget = TodayPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def group(panel, index):
    return panel.tree.topLevelItem(index)


def test_groups_with_counts_and_open(qtbot, app_ctx, clerk, panel):  # noqa: F811
    owner = Staff.get(Staff.name == "李红")
    late = new_case(
        clerk,
        text="很久以前的",
        owner=owner,
        disposition="immediate",
        taken_at=dt.datetime.now() - dt.timedelta(days=20),
    )
    cases.move(late, "handling", actor=clerk)
    new_case(clerk, text="等材料", disposition="supplement", materials_needed="户口本复印件")
    app_ctx.case_changed.emit(late.id)
    qtbot.waitUntil(lambda: panel.counts.get("overdue") == 1)
    assert group(panel, 0).text(0) == "已超期（1）"
    assert group(panel, 4).text(0) == "等待居民补交材料（1）"
    assert group(panel, 4).child(0).text(4) == "已等0天"
    assert panel.summary.text() == "需要关注 2 条"
    item = group(panel, 0).child(0)
    assert (
        item.text(0) == late.number and item.text(3) == "李红" and item.text(4).startswith("超期")
    )
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(app_ctx.open_case) as signal:
        qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [late.id]


def test_only_mine(qtbot, app_ctx, clerk, panel):  # noqa: F811
    other = Staff.get(Staff.name == "李红")
    old = dt.datetime.now() - dt.timedelta(days=20)
    for owner in (clerk, other):
        case = new_case(clerk, owner=owner, disposition="immediate", taken_at=old)
        cases.move(case, "handling", actor=clerk)
    panel.refresh()
    assert panel.counts["overdue"] == 2
    panel.mine.setChecked(True)
    assert panel.counts["overdue"] == 1


def test_each_case_once_in_its_most_urgent_group_with_the_date_that_matters(
    qtbot,
    app_ctx,  # noqa: F811
    clerk,  # noqa: F811
    panel,
):
    from minqing.core.cases import queries
    from minqing.core.models import Case

    long_ago = dt.datetime.now() - dt.timedelta(days=40)
    late = new_case(
        clerk,
        disposition="escalated",
        escalated_to="街道城建科",
        escalation_days=5,
        taken_at=long_ago,
    )
    follow_up = Case.get_by_id(late.id).follow_up_date
    lists = queries.today_lists()
    assert [r.id for r in lists.overdue] == [late.id]
    assert lists.escalated_follow_up == [] and lists.total == 1
    waiting = new_case(
        clerk, disposition="supplement", materials_needed="户口本", taken_at=long_ago
    )
    fresh = new_case(clerk, disposition="escalated", escalated_to="街道民政科", escalation_days=1)
    Case.update(
        follow_up_date=dt.date.today(), due_date=dt.date.today() + dt.timedelta(days=30)
    ).where(Case.id == fresh.id).execute()
    panel.refresh()
    assert panel.summary.text() == "需要关注 3 条"
    assert group(panel, 2).child(0).text(4) == f"{dt.date.today():%m-%d}跟进"
    days = (dt.date.today() - Case.get_by_id(waiting.id).intake_date).days
    assert group(panel, 4).child(0).text(4) == f"已等{days}天"
    assert follow_up is not None


def test_overdue_is_ordered_by_due_date_then_number(clerk):  # noqa: F811
    from minqing.core.cases import queries
    from minqing.core.models import Case

    made = []
    for days_ago in (30, 20, 30, 25):
        taken = dt.datetime.now() - dt.timedelta(days=days_ago)
        case = new_case(clerk, disposition="immediate", owner=clerk, taken_at=taken)
        cases.move(case, "handling", actor=clerk)
        made.append(Case.get_by_id(case.id))
    assert made[0].due_date == made[2].due_date < made[3].due_date < made[1].due_date
    expected = [c.id for c in sorted(made, key=lambda c: (c.due_date, c.id))]
    assert [r.id for r in queries.today_lists().overdue] == expected
