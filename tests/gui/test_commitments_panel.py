"""The commitments panel: a member's commitment through fulfilment to the leader's review."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from minqing.core.accounts.models import ExportLog
from minqing.core.members import posts
from minqing.core.members.models import Commitment
from minqing.core.models import Staff
from minqing.gui.context import AppContext
from minqing.gui.panels.commitments import CommitmentsPanel, quarters_around
from tests.core.test_members import add
from tests.gui.test_board import DialogDriver
from tests.printing.pdf_helpers import all_text

TODAY = dt.date.today()


@pytest.fixture
def leader(office):
    return Staff.create(community=office, name="徐道荣", role="leader")


@pytest.fixture
def branch(office):
    """One member holding a post since last year, one without a post."""
    member = add(office, "刘建国")
    start = TODAY - dt.timedelta(days=400)
    a = posts.apply(member, "帮扶助困", on=start).row
    posts.recommend(a, by_name="王毓吉", on=start)
    posts.confirm(a, on=start)
    add(office, "陈淑珍", kind="graduate")
    return member


@pytest.fixture
def panel(qtbot, office, branch, leader, db_path):
    widget = CommitmentsPanel(AppContext(office, leader, str(db_path)))
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


def row_of(panel, name):
    return next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == name)


def press(qtbot, panel, key):
    assert panel.buttons[key].isEnabled(), key
    qtbot.mouseClick(panel.buttons[key], Qt.MouseButton.LeftButton)


def test_quarter_choices_start_with_the_current_one():
    quarters = quarters_around(dt.date(2026, 1, 15))
    assert [q.code for q in quarters] == [
        "2026Q1",
        "2026Q2",
        "2025Q4",
        "2025Q3",
        "2025Q2",
        "2025Q1",
    ]


def test_commitment_from_pledge_to_review(qtbot, panel, driver):
    assert "未承诺 2 名" in panel.summary.text()
    panel.table.selectRow(row_of(panel, "刘建国"))
    assert panel.table.item(row_of(panel, "刘建国"), 2).text() == "未承诺"
    assert not panel.buttons["fulfil"].isEnabled() and not panel.buttons["review"].isEnabled()
    # untick one of the five leads (all are ticked by default)
    driver.answers.append({"text": "每月走访联系的困难户两次", "integrity": True})
    press(qtbot, panel, "pledge")
    c = Commitment.get()
    assert c.state == "pledged" and c.post.name == "帮扶助困"
    assert "integrity" not in c.leads and c.leads.startswith("study")
    assert panel.table.item(panel.table.currentRow(), 2).text() == "承诺"
    assert panel.buttons["fulfil"].isEnabled() and not panel.buttons["review"].isEnabled()
    # a review before any fulfilment is refused by the rule, even if asked for
    driver.answers.append({"text": "很好", "reviewer": "徐道荣"})
    panel.review()
    assert any("还没有履诺记录" in r for r in driver.refusals)
    driver.answers.append({"what": "十月两次上门，代缴水电费"})
    press(qtbot, panel, "fulfil")
    assert Commitment.get().state == "fulfilled"
    assert panel.table.item(panel.table.currentRow(), 4).text() == "1 次"
    driver.answers.append({"text": "履诺认真，群众满意", "reviewer": "徐道荣"})
    press(qtbot, panel, "review")
    assert Commitment.get().state == "reviewed"
    assert panel.table.item(panel.table.currentRow(), 5).text() == "徐道荣：履诺认真，群众满意"
    assert "已点评 1" in panel.summary.text()
    assert not panel.buttons["fulfil"].isEnabled() and not panel.buttons["review"].isEnabled()


def test_member_without_a_post_cannot_pledge(qtbot, panel, driver):
    panel.table.selectRow(row_of(panel, "陈淑珍"))
    driver.answers.append({"text": "参加巡逻"})
    press(qtbot, panel, "pledge")
    assert any("还没有定岗" in r for r in driver.refusals)
    assert Commitment.select().count() == 0


def test_filter_and_print_the_quarter(qtbot, panel, driver, tmp_path):
    panel.table.selectRow(row_of(panel, "刘建国"))
    driver.answers.append({"text": "每月走访"})
    press(qtbot, panel, "pledge")
    panel.filter.setCurrentText("未承诺")
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == ["陈淑珍"]
    panel.filter.setCurrentText("全部")
    out = tmp_path / "q.pdf"
    panel.print_to(out)
    qtbot.waitUntil(lambda: not panel.printing, timeout=20000)
    text = all_text(out)
    assert "党组织公开承诺书" in text and "每月走访" in text and "刘建国" in text
    log = ExportLog.get()  # it names members: the print is logged under who printed it
    assert (
        log.actor is not None
        and log.actor == panel.ctx.staff
        and log.what.startswith("党员公开承诺书")
    )
