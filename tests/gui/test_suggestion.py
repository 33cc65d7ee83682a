"""智能分派 in the intake, 类似民情 in the detail panel, and scan to find — real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from minqing.core.cases import services as cases
from minqing.core.cases import suggest
from minqing.core.enums import Stage
from minqing.core.models import Case, Household, Staff, Window
from minqing.gui.scanner import ScanHandler
from tests.gui.conftest import type_text


@pytest.fixture
def closed(office, residents):
    """Three closed heating cases with their outcomes, and one open case of the household."""
    clerk = Staff.get(Staff.name == "张敏")
    owner = Staff.get(Staff.name == "李红")
    works = Window.get(Window.name == "城建城管")
    made = []
    for i, outcome in enumerate(("协调供热公司上门排气", "更换暖气阀门", "供热公司调整管网")):
        case = cases.take_in(
            channel="来访",
            text=f"{i + 1}号楼暖气不热，室温只有十几度",
            window=works,
            first_responder=clerk,
            resident=residents[0],
            disposition="immediate",
            owner=owner,
        ).case
        Case.update(
            stage=Stage.CLOSED.value,
            outcome=outcome,
            closed_at=dt.datetime.combine(case.intake_date, dt.time(16)) + dt.timedelta(days=2),
        ).where(Case.id == case.id).execute()
        made.append(case)
    open_case = cases.take_in(
        channel="来访",
        text="楼道灯坏了",
        window=works,
        first_responder=clerk,
        resident=residents[1],
    ).case
    suggest.forget()
    return made, open_case


def test_intake_offers_three_windows_and_never_chooses_alone(qtbot, window, intake, closed):
    intake.textEdit.setFocus()
    type_text(intake.textEdit, "家里暖气冰凉的")
    bar = intake.suggestions
    qtbot.waitUntil(lambda: bar.buttons[0].isVisible(), timeout=5000)
    assert bar.buttons[0].text().startswith("1 城建城管 ")
    assert all(b.isVisible() for b in bar.buttons)
    assert intake.windowCombo.currentData() is None  # shown, not chosen
    assert "类似民情通常：即办件、责任人多为李红" in bar.hint.text()
    assert "更换暖气阀门" in bar.hint.text() or "协调供热公司上门排气" in bar.hint.text()
    second = bar.result.windows[1]
    qtbot.keyClick(intake.textEdit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert intake.windowCombo.currentData() == second.window_id
    assert intake.textEdit.toPlainText() == "家里暖气冰凉的"  # Alt+2 typed nothing
    qtbot.keyClick(intake.textEdit, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert intake.windowCombo.currentText() == "城建城管"
    intake.textEdit.clear()
    qtbot.waitUntil(lambda: not bar.buttons[0].isVisible())


def test_a_stale_answer_is_dropped(qtbot, window, intake, closed):
    bar = intake.suggestions
    bar.request("暖气不热")
    old = bar._generation
    bar.request("想办个残疾证")
    bar._show((old, suggest.suggest("暖气不热")))
    assert bar.result is None
    qtbot.waitUntil(lambda: bar.result is not None, timeout=5000)
    assert bar.result.windows[0].name == "残疾人"


def test_detail_shows_similar_closed_cases(qtbot, window, closed):
    made, _ = closed
    window.ctx.open_case.emit(made[0].id)
    detail = window.panel("detail")
    detail.tabs.setCurrentWidget(detail.similar)
    qtbot.waitUntil(lambda: detail.similar.topLevelItemCount() == 2, timeout=5000)
    numbers = {detail.similar.topLevelItem(i).text(0) for i in range(2)}
    assert numbers == {made[1].number, made[2].number}
    item = detail.similar.topLevelItem(0)
    assert item.text(1) == "城建城管" and item.text(2) == "即办件" and item.text(3) == "李红"
    assert item.text(4).endswith("个工作日")
    opened = []
    window.ctx.open_case.connect(opened.append)
    detail.similar.itemActivated.emit(item, 0)
    assert opened and opened[0] in (made[1].id, made[2].id)


def burst(widget, text: str) -> None:
    """A scanner: every key at once, line ends as Enter."""
    for char in text:
        if char == "\n":
            key, typed = Qt.Key.Key_Return, "\r"
        else:
            key, typed = 0, char
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, typed)
        )


@pytest.fixture
def scanner(window):
    handler = ScanHandler(window, window.ctx)
    yield handler
    QApplication.instance().removeEventFilter(handler.filter)


def test_scanned_receipt_opens_its_case_and_types_nothing(qtbot, window, intake, closed, scanner):
    made, _ = closed
    intake.residentEdit.setFocus()
    burst(intake.residentEdit, made[1].number + "\n")
    assert intake.residentEdit.text() == ""
    qtbot.waitUntil(lambda: window.panel("detail").case_id == made[1].id, timeout=3000)
    assert intake.residentEdit.text() == ""


def test_scanned_card_opens_the_household_and_offers_an_intake(
    qtbot, window, intake, closed, scanner, residents, office
):
    _, open_case = closed
    home = Household.get_by_id(residents[0].household_id)
    vcard = (
        "BEGIN:VCARD\nVERSION:3.0\nN:;Hotline;;;\nTEL;TYPE=WORK,VOICE:0451-86123456\n"
        f"UID:minqing:hh:{office.id:02d}-01-{home.id:05d}\nEND:VCARD\n"
    )
    intake.addressEdit.setFocus()
    burst(intake.addressEdit, vcard)
    qtbot.waitUntil(lambda: scanner.dialog is not None, timeout=3000)
    dialog = scanner.dialog
    assert intake.addressEdit.text() == ""
    assert dialog.cases.count() == 1 + 3 * 0  # the closed ones are not listed
    assert open_case.number in dialog.cases.item(0).text()
    dialog.intake_button.click()
    qtbot.waitUntil(lambda: intake.picker.resident is not None, timeout=3000)
    assert intake.picker.resident.id == residents[0].id
    assert intake.addressEdit.text() == "中和街21号3号楼2单元301室"


def test_people_typing_still_reach_the_field(qtbot, window, intake, scanner):
    intake.contactPhoneEdit.setEnabled(True)
    intake.residentEdit.setFocus()
    for char in "2026-00001":  # a number typed by hand, a key every 60 ms
        qtbot.keyClicks(intake.residentEdit, char)
        qtbot.wait(60)
    qtbot.waitUntil(lambda: intake.residentEdit.text() == "2026-00001", timeout=2000)
    burst(intake.residentEdit, "abcdefgh")  # fast, but no code: handed on, in order
    qtbot.waitUntil(lambda: intake.residentEdit.text() == "2026-00001abcdefgh", timeout=2000)


def test_unknown_card_says_so(qtbot, window, intake, scanner, dialogs):
    intake.residentEdit.setFocus()
    burst(intake.residentEdit, "BEGIN:VCARD\nUID:minqing:hh:01-01-99999\nEND:VCARD\n")
    qtbot.waitUntil(lambda: bool(dialogs.messages), timeout=3000)
    assert "没有这户" in dialogs.messages[0][1]
    assert intake.residentEdit.text() == ""


def test_reception_quick_intake_offers_windows(qtbot, window, closed):
    from minqing.gui.panels.reception import QuickIntake

    quick = QuickIntake(window.ctx)
    qtbot.addWidget(quick)
    quick.show()
    type_text(quick.text, "楼上漏水把天棚泡了")
    qtbot.waitUntil(lambda: quick.suggestions.buttons[0].isVisible(), timeout=5000)
    assert quick.window.currentData() is None
    quick.text.setFocus()
    qtbot.keyClick(quick.text, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert quick.window.currentText() == "城建城管"


def test_diary_form_lists_the_suggested_windows_first(qtbot, window, closed, monkeypatch):
    from minqing.gui.dialogs import outreach_forms
    from minqing.gui.widgets.suggestion import suggested_choices

    choices = outreach_forms.window_choices()
    ordered, line = suggested_choices("想给孩子办个残疾证", choices)
    assert ordered[0][1] == "残疾人" and sorted(ordered) == sorted(choices)
    assert line.startswith("推荐窗口：残疾人 ")
    assert suggested_choices("", choices) == (choices, "")


def test_administrator_edits_a_windows_keywords(qtbot, window, dialogs):
    from minqing.gui.dialogs.keywords import KeywordsDialog

    dialog = KeywordsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.window.setCurrentIndex(dialog.window.findText("城建城管"))
    assert "暖气" in dialog.words.toPlainText()
    dialog.words.setPlainText("暖气，地暖 下水")
    dialog.save_button.click()
    assert Window.get(Window.name == "城建城管").keywords == "暖气、地暖、下水"
    assert dialog.words.toPlainText() == "暖气、地暖、下水"
    dialog.words.setPlainText("这是一个远远超过十二个字的关键词啊")
    dialog.save_button.click()
    assert "太长" in dialogs.messages[-1][1]
    assert Window.get(Window.name == "城建城管").keywords == "暖气、地暖、下水"
