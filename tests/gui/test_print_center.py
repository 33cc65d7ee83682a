"""The 打印 menu: options asked, documents made off the UI thread, cancel, and showing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtWidgets import QMenu

from minqing.core.accounts.models import ExportLog
from minqing.core.cases import services as cases
from minqing.core.models import Case, Household, Staff, Window
from minqing.gui import print_center
from tests.printing.pdf_helpers import all_text, page_size_mm

NUMBER = re.compile(r"\d{4}-\d{5,6}")


@pytest.fixture
def shown(monkeypatch):
    """PDFs that would have opened in the system viewer; no preview window."""
    opened = []
    monkeypatch.setattr(print_center, "open_externally", opened.append)
    return opened


def answer(monkeypatch, fill=lambda dialog: None, accept=True):
    asked = []

    def exec_dialog(dialog):
        asked.append(type(dialog).__name__)
        fill(dialog)
        return accept

    monkeypatch.setattr(print_center, "exec_dialog", exec_dialog)
    return asked


def take_in(text, **kw):
    return cases.take_in(
        channel="来访",
        text=text,
        window=Window.get(Window.name == "城建城管"),
        first_responder=Staff.get(Staff.name == "张敏"),
        contact_name="王小吉",
        contact_phone="13812345678",
        address="中和小区3号楼2单元501室",
        **kw,
    ).case


def trigger(qtbot, window, key):
    action = window.findChild(QMenu, "printMenu").findChild(object, f"print_{key}")
    with qtbot.waitSignal(window.print_center.done, timeout=30000) as blocker:
        action.trigger()
    return blocker.args[0]


def test_the_print_menu_lists_every_document(window):
    menu = window.findChild(QMenu, "printMenu")
    assert menu is not None and menu.title().startswith("打印")
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[:6] == [
        "print_notice",
        "print_register",
        "print_flowchart",
        "print_cards",
        "print_report",
        "print_commitments",
    ]
    texts = [a.text() for a in menu.actions()]
    assert "民情受理日志（当前列表）" in texts and "月报…" in texts


def test_notice_through_its_dialog(window, qtbot, monkeypatch, shown, dialogs):
    posted = take_in("3号楼楼道灯坏了")
    cases.move(posted, "handling", owner=posted.first_responder, disposition="即办件")
    cases.record_outcome(posted, "已联系物业更换灯泡。")
    cases.post_publicly(posted)
    today = dt.date.today()
    asked = answer(monkeypatch, lambda d: d.set_range(today - dt.timedelta(days=7), today))
    result = trigger(qtbot, window, "notice")
    assert asked == ["DateRangeDialog"] and not result.cancelled
    assert shown == [result.path] and result.path.parent == print_center.output_folder()
    text = all_text(result.path)
    assert "王*吉" in text and "138****5678" in text and "王小吉" not in text
    assert not dialogs.messages


def test_a_refused_dialog_prints_nothing(window, monkeypatch, shown):
    answer(monkeypatch, accept=False)
    window.findChild(QMenu, "printMenu").findChild(object, "print_notice").trigger()
    assert not window.print_center.busy and shown == []


def test_cancelling_a_card_batch_leaves_no_file(window, qtbot, office, shown):
    for i in range(80):
        Household.create(
            community=office, courtyard="中和小区", building=str(i // 10 + 1), door=str(i)
        )
    center = window.print_center
    with qtbot.waitSignal(center.done, timeout=30000) as blocker:
        assert center.print_cards_for(None, None) is not None
        center.cancel()
    assert blocker.args[0].cancelled
    assert list(print_center.output_folder().glob("*.pdf")) == [] and shown == []
    assert not center.busy


def test_cards_dialog_records_issues_and_keeps_stock_and_offsets(
    window, qtbot, monkeypatch, office, shown
):
    from minqing.core.models import Resident
    from minqing.core.outreach import programmes
    from minqing.printing import data

    for i in range(3):
        home = Household.create(community=office, courtyard="中和小区", building="1", door=str(i))
        Resident.create(household=home, name=f"住户{i}")

    def fill(dialog):
        dialog.layout_choice.setCurrentIndex(dialog.layout_choice.findData("cn90"))
        dialog.offsets[1][0].setValue(1.5)

    asked = answer(monkeypatch, fill)
    result = trigger(qtbot, window, "cards")
    assert asked == ["CardsDialog"] and result.items == Household.select().count()
    status = programmes.summary("plain", office)  # the printed cards are recorded
    assert status.cards >= 3 and status.without_card == 0
    assert data.card_layout() == "cn90" and data.card_offsets() == ((0, 0), (1.5, 0))
    asked = answer(monkeypatch)
    result = trigger(qtbot, window, "calibration")
    assert asked == [] and result.pages == 2


def test_register_prints_exactly_the_listed_cases(window, qtbot, monkeypatch, shown):
    for text in ("楼道灯坏了", "路面积水", "楼道灯又坏了", "噪音扰民"):
        take_in(text)
    panel = window.panel("case_list")
    panel.run_search("楼道灯")
    listed = [Case.get_by_id(i).number for i in panel.model.ids]
    assert len(listed) == 2
    asked = answer(monkeypatch)
    result = trigger(qtbot, window, "register")
    assert asked == []  # the list's own filter, no question
    text = all_text(result.path)
    assert NUMBER.findall(text) == listed
    # no accounts: nobody is restricted, the register carries the full number
    assert "搜索：“楼道灯”" in text and "13812345678" in text
    log = ExportLog.get()
    assert (log.what, log.rows, log.path) == ("民情受理日志（含完整电话）", 2, str(result.path))


def test_register_without_the_list_asks_for_a_period(window, qtbot, monkeypatch, shown):
    take_in("楼道灯坏了")
    monkeypatch.delitem(window.panels, "case_list", raising=False)
    asked = answer(monkeypatch)  # this month, as the dialog proposes
    result = trigger(qtbot, window, "register")
    assert asked == ["DateRangeDialog"] and result.items == 1


def test_flowchart_and_missing_characters_warned(window, qtbot, monkeypatch, shown, dialogs):
    from minqing.printing import documents

    real = documents.print_flowchart

    def with_missing(out, paper):
        result = real(out, paper=paper)
        result.missing = {"\U000f0000": "一个造字"}
        return result

    monkeypatch.setattr(documents, "print_flowchart", with_missing)
    asked = answer(monkeypatch, lambda d: d.paper.setCurrentIndex(d.paper.findData("A3")))
    result = trigger(qtbot, window, "flowchart")
    assert asked == ["PaperDialog"]
    assert "民情流水线服务流程图" in all_text(result.path)
    assert page_size_mm(result.path) == (297.0, 420.0)
    assert dialogs.messages and "字体中没有" in dialogs.messages[0][1]


def test_report_and_commitments_ask_their_period(window, qtbot, monkeypatch, shown, dialogs):
    asked = answer(monkeypatch)
    result = trigger(qtbot, window, "report")
    assert asked == ["MonthDialog"] and result is not None and result.path.exists()
    trigger(qtbot, window, "commitments")
    assert asked[-1] == "QuarterDialog"


def test_the_commitments_panel_prints_through_the_print_menus_flow(
    window, qtbot, monkeypatch, shown
):
    asked = answer(monkeypatch)
    panel = window.panel("commitments")
    with qtbot.waitSignal(window.print_center.done, timeout=20000) as finished:
        panel.ask_print(member_only=False)
    assert asked == ["QuarterDialog"]
    assert finished.args[0] is not None and shown[-1].parent == print_center.output_folder()


def test_card_files_are_named_in_chinese(window, qtbot, office, shown):
    with qtbot.waitSignal(window.print_center.done, timeout=60000) as finished:
        window.print_center.print_cards_for(None, "plain", record=False)
    assert finished.args[0] is not None
    assert shown[-1].name.startswith("民情连心卡-") and "plain" not in shown[-1].name
