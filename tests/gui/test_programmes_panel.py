"""Programmes panel: editing a programme, enrolling the eligible, issuing and reissuing cards,
printing in a worker."""

from __future__ import annotations

import pytest

from minqing.core.accounts.models import ExportLog
from minqing.core.models import Grid
from minqing.core.outreach import programmes
from minqing.core.registry import services as registry
from minqing.core.registry.models import CardIssue, Enrolment, Programme
from minqing.gui.operations import wait_for_all
from minqing.gui.panels.programmes import ProgrammesPanel
from tests.gui.test_board import DialogDriver, app_ctx, clerk  # noqa: F401 - shared fixtures
from tests.printing.pdf_helpers import all_text


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


@pytest.fixture
def people(office):
    grid = Grid.get(Grid.name == "第一片区")
    a = registry.add_household(office, "中和小区", "1", "1", "101", grid=grid)
    b = registry.add_household(office, "中和小区", "1", "1", "102", grid=grid)
    registry.add_resident(a, "王秀英", tags=["空巢老人"])
    registry.add_resident(b, "李大爷", tags=["三无老人"])
    return a, b


@pytest.fixture
def panel(qtbot, app_ctx, people):  # noqa: F811
    widget = ProgrammesPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def test_plain_card_line_and_list(panel):
    assert "还有 <b>2</b> 户" in panel.plain_line.text()
    assert panel.list.count() == 6
    assert panel.list.item(1).text().startswith("橙色夕阳卡\n登记 0 户，待登记 2 人")


def test_edit_programme(panel, driver):
    panel.show_programme("sunset")
    panel.colour_edit.setText("orange")
    panel.save()
    assert "#EF6C00" in driver.refusals[0]
    panel.colour_edit.setText("#FF8800")
    panel.services_edit.setPlainText("上门理发\n送餐")
    panel.save()
    prog = Programme.get(Programme.key == "sunset")
    assert prog.colour == "#FF8800" and prog.service_list == ["上门理发", "送餐"]


def test_enrol_issue_and_reissue(panel, people, driver):
    panel.show_programme("sunset")
    assert panel.eligible.rowCount() == 2
    panel.eligible_view.selectRow(0)
    panel.enrol_selected()
    assert Enrolment.select().count() == 1
    assert panel.eligible.rowCount() == 1 and panel.enrolled.rowCount() == 1
    assert panel.enrolled.index(0, 3).data() == "未发卡"
    panel.enrolled_view.selectRow(0)
    panel.issue_selected()
    card = CardIssue.get()
    assert card.programme.key == "sunset" and card.issued_by.name == "张敏"
    assert panel.enrolled.index(0, 3).data() == card.serial
    panel.enrolled_view.selectRow(0)
    driver.answers = [{"reason": "丢失"}]
    panel.reissue_selected()
    new = CardIssue.get(CardIssue.reissue_of == card)
    assert panel.enrolled.index(0, 3).data() == new.serial
    panel.issue_all()  # everyone enrolled holds a card already
    assert CardIssue.select().count() == 2


def test_issue_plain_cards_and_print(qtbot, panel, tmp_path):
    panel.show_programme("plain")
    assert panel.tabs.tabText(1) == "未发卡住户 2" and panel.enrolled.rowCount() == 2
    panel.enrolled_view.selectRow(0)
    panel.issue_selected()
    assert panel.enrolled.rowCount() == 1
    panel.issue_all()
    assert programmes.count_households_without_plain_card(panel.ctx.community) == 0
    assert "每户都已发到" in panel.plain_line.text()
    out = tmp_path / "cards.pdf"
    panel.print_to(out)
    assert wait_for_all()
    qtbot.waitUntil(lambda: out.exists())
    serials = [c.serial for c in CardIssue.select()]
    assert all(s in all_text(out) for s in serials)
    log = ExportLog.get()  # the print names who printed it
    assert log.actor.name == "张敏" and log.rows == len(serials)


def test_print_by_a_role_that_may_not_issue_records_no_cards(qtbot, panel, accounts, tmp_path):
    panel.ctx.staff = accounts["supervisor"]
    panel.show_programme("plain")
    said = []
    panel.ctx.status.connect(said.append)
    out = tmp_path / "cards.pdf"
    panel.print_to(out)
    assert wait_for_all()
    qtbot.waitUntil(lambda: out.exists())
    assert "（2 张，" in said[-1] and "未登记发卡" in said[-1]
    assert CardIssue.select().count() == 0  # printed without serials, nothing recorded
    assert ExportLog.get().actor == accounts["supervisor"]
