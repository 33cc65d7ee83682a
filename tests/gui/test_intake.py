"""The intake form driven like the front desk: keyboard only, real widgets."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from minqing.core.cases import services as cases
from minqing.core.enums import Disposition
from minqing.core.models import Case, Staff, Window
from minqing.gui.panels.intake_draft import draft_path
from tests.gui.conftest import type_text


def focused(qtbot, widget):
    qtbot.waitUntil(lambda: widget.hasFocus())


def tab(qtbot, intake):
    qtbot.keyClick(intake.focusWidget(), Qt.Key.Key_Tab)


def test_register_a_case_from_the_keyboard_alone(qtbot, window, intake, residents):
    seen = []
    window.ctx.case_changed.connect(seen.append)
    intake.channelCombo.setFocus()
    focused(qtbot, intake.channelCombo)
    tab(qtbot, intake)
    focused(qtbot, intake.residentEdit)
    qtbot.keyClicks(intake.residentEdit, "13812345678")  # phone digits: exactly one resident
    qtbot.keyClick(intake.residentEdit, Qt.Key.Key_Return)  # takes the only match, moves on
    assert intake.picker.resident.id == residents[0].id
    assert intake.addressEdit.text() == "中和街21号3号楼2单元301室"
    focused(qtbot, intake.anonymousCheck)
    tab(qtbot, intake)  # contact row is hidden: straight to the address
    focused(qtbot, intake.addressEdit)
    qtbot.keyClick(intake.addressEdit, Qt.Key.Key_Return)  # Enter moves on too
    focused(qtbot, intake.windowCombo)
    qtbot.keyClick(intake.windowCombo, Qt.Key.Key_Down)
    window_id = intake.windowCombo.currentData()
    assert window_id is not None
    tab(qtbot, intake)
    focused(qtbot, intake.textEdit)
    type_text(intake.textEdit, "楼道灯坏了一个星期")
    tab(qtbot, intake)
    focused(qtbot, intake.urgentCheck)
    tab(qtbot, intake)
    focused(qtbot, intake.dispositionCombo)
    qtbot.keyClick(intake.dispositionCombo, Qt.Key.Key_Down)  # 即办件
    assert intake.disposition() == Disposition.IMMEDIATE
    qtbot.keyClick(intake.dispositionCombo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    case = Case.get()
    assert case.resident_id == residents[0].id
    assert case.window_id == window_id
    assert case.text == "楼道灯坏了一个星期"
    assert case.disposition == Disposition.IMMEDIATE.value
    assert case.address == "中和街21号3号楼2单元301室"
    assert seen == [case.id]
    assert case.number in intake.resultLabel.text()
    assert intake.resultFrame.isVisible() and intake.printButton.isEnabled()
    assert intake.textEdit.toPlainText() == "" and intake.picker.resident is None
    assert not draft_path().exists()


def test_pick_a_resident_by_initials_from_the_suggestions(qtbot, intake, residents):
    intake.residentEdit.setFocus()
    qtbot.keyClicks(intake.residentEdit, "wxy")
    qtbot.waitUntil(lambda: len(intake.picker.results) == 2)
    popup = intake.picker.completer.popup()
    assert popup.isVisible()
    shown = [intake.picker.model.item(i).text() for i in range(intake.picker.model.rowCount())]
    assert all("****" in line and "中和街21号" in line for line in shown)  # masked phone
    widest = max(popup.fontMetrics().horizontalAdvance(line) for line in shown)
    assert popup.width() > max(widest, intake.residentEdit.width())
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    chosen = intake.picker.resident
    assert chosen is not None and chosen.id in {residents[0].id, residents[1].id}
    assert intake.residentEdit.text() == chosen.name
    assert chosen.phone in intake.residentInfoLabel.text()


def test_refused_when_required_text_is_missing(qtbot, window, intake, residents, dialogs):
    intake.picker.choose(residents[0])
    intake.windowCombo.setCurrentIndex(1)
    intake.saveButton.setFocus()
    qtbot.keyClick(intake.saveButton, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert Case.select().count() == 0
    assert "民情内容" in intake.errorLabel.text()
    assert intake.errorLabel.isVisible()
    focused(qtbot, intake.textEdit)
    assert dialogs.messages == []


def test_refused_without_window_focuses_the_window(qtbot, intake, residents):
    intake.picker.choose(residents[0])
    intake.textEdit.setPlainText("路灯不亮")
    intake.save()
    assert Case.select().count() == 0
    assert intake.errorLabel.text()
    focused(qtbot, intake.windowCombo)


def test_disposition_shows_only_its_field_and_is_required(qtbot, intake, residents):
    combo = intake.dispositionCombo
    combo.setCurrentIndex(combo.findData(Disposition.ESCALATED.value))
    assert intake.escalatedToEdit.isVisibleTo(intake) and intake.escalationDaysSpin.isVisibleTo(
        intake
    )
    assert not intake.materialsEdit.isVisibleTo(intake)
    assert not intake.returnReasonEdit.isVisibleTo(intake)
    combo.setCurrentIndex(combo.findData(Disposition.SUPPLEMENT.value))
    assert intake.materialsEdit.isVisibleTo(intake)
    assert not intake.escalatedToEdit.isVisibleTo(intake)
    intake.picker.choose(residents[0])
    intake.windowCombo.setCurrentIndex(1)
    intake.textEdit.setPlainText("办理低保需要什么材料")
    intake.save()
    assert Case.select().count() == 0
    focused(qtbot, intake.materialsEdit)


def test_anonymous_with_a_contact(qtbot, intake):
    qtbot.keyClick(intake.anonymousCheck, Qt.Key.Key_Space)
    assert intake.contactNameEdit.isVisibleTo(intake)
    intake.contactNameEdit.setText("匿名")
    intake.contactPhoneEdit.setText("13600001234")
    intake.windowCombo.setCurrentIndex(1)
    intake.textEdit.setPlainText("小区门口有人乱倒垃圾")
    intake.save()
    case = Case.get()
    assert case.resident_id is None and case.contact_phone == "13600001234"


def test_due_date_label_follows_window_and_disposition(qtbot, intake):
    assert "办理类型" in intake.dueLabel.text()
    intake.dispositionCombo.setCurrentIndex(
        intake.dispositionCombo.findData(Disposition.RETURNED.value)
    )
    assert "服务窗口" in intake.dueLabel.text()
    intake.windowCombo.setCurrentIndex(1)
    first = intake.dueLabel.text()
    assert "办结" in first
    # the label is the date the service will store
    probe = Case(
        window=intake.windowCombo.currentData(), disposition="returned", started_on=dt.date.today()
    )
    from minqing.core.cases import deadlines

    due, _ = deadlines.compute(probe, pauses=[])
    assert f"{due.year}年{due.month}月{due.day}日" in first
    intake.dispositionCombo.setCurrentIndex(
        intake.dispositionCombo.findData(Disposition.PROMISED.value)
    )
    intake.promisedDateEdit.setDate(intake.promisedDateEdit.date().addDays(3))
    promised = intake.promisedDateEdit.date().toPython()
    assert f"{promised.year}年{promised.month}月{promised.day}日" in intake.dueLabel.text()
    intake.dispositionCombo.setCurrentIndex(
        intake.dispositionCombo.findData(Disposition.SUPPLEMENT.value)
    )
    assert "材料补齐后" in intake.dueLabel.text()
    assert Case.select().count() == 0


def test_similar_recent_matter_is_pointed_out(qtbot, intake, residents):
    staff = Staff.select().first()
    window = Window.select().order_by(Window.sort).first()
    old = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=window,
        first_responder=staff,
        resident=residents[0],
    ).case
    intake.picker.choose(residents[0])
    assert not intake.similarLabel.isVisibleTo(intake)  # nothing in common yet
    type_text(intake.textEdit, "楼道里的灯又坏了")  # overlapping words
    qtbot.waitUntil(lambda: old.number in intake.similarLabel.text())
    assert intake.similarLabel.isVisibleTo(intake)
    intake.textEdit.setPlainText("")
    intake.windowCombo.setCurrentIndex(intake.windowCombo.findData(window.id))  # same window
    assert old.number in intake.similarLabel.text()
    intake.picker.choose(residents[2])
    assert not intake.similarLabel.isVisibleTo(intake)
    intake.picker.choose(residents[0])
    intake.textEdit.setPlainText("楼道灯还是坏的")
    intake.check_similar()
    assert intake.similarLabel.isVisibleTo(intake)
    intake.save()  # a warning, not a refusal
    assert Case.select().count() == 2


def test_draft_survives_close_and_reopen(qtbot, office, residents, db_path, dialogs):
    from tests.gui.conftest import make_window

    first = make_window(qtbot, db_path)
    panel = first.panel("intake")
    panel.picker.choose(residents[1])
    panel.windowCombo.setCurrentIndex(2)
    type_text(panel.textEdit, "下水道堵了")
    dialogs.answers = [0]  # 保留草稿并退出
    assert first.close()
    assert dialogs.questions and "没有保存" in dialogs.questions[0][0]
    saved = json.loads(draft_path().read_text(encoding="utf-8"))
    assert saved["text"] == "下水道堵了"

    second = make_window(qtbot, db_path)
    again = second.panel("intake")
    assert again.textEdit.toPlainText() == "下水道堵了"
    assert again.picker.resident.id == residents[1].id
    assert again.windowCombo.currentIndex() == 2
    dialogs.answers = [2]  # 取消: the window stays open
    assert not second.close()
    dialogs.answers = [1]  # 不保留
    assert second.close()
    assert not draft_path().exists()


def test_a_crash_leaves_the_draft_behind(qtbot, intake):
    type_text(intake.textEdit, "垃圾没人清运")
    qtbot.waitUntil(draft_path().exists)  # written by the timer, without closing
    assert "垃圾没人清运" in draft_path().read_text(encoding="utf-8")


def test_ctrl_n_asks_before_clearing(qtbot, intake, dialogs):
    intake.textEdit.setFocus()
    focused(qtbot, intake.textEdit)
    type_text(intake.textEdit, "噪音扰民")
    dialogs.answers = [1]
    qtbot.keyClick(intake.textEdit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert intake.textEdit.toPlainText() == "噪音扰民"
    dialogs.answers = [0]
    qtbot.keyClick(intake.textEdit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert intake.textEdit.toPlainText() == ""
    assert len(dialogs.questions) == 2


def test_first_responder_remembers_the_last_choice(qtbot, office, residents, db_path, dialogs):
    from tests.gui.conftest import make_window

    first = make_window(qtbot, db_path).panel("intake")
    index = first.responderCombo.findText("赵刚")
    first.responderCombo.setCurrentIndex(index)
    first.window().close()
    second = make_window(qtbot, db_path).panel("intake")
    assert second.responderCombo.currentText() == "赵刚"


def test_at_720_pixels_the_due_date_save_button_and_result_need_no_scrolling(
    qtbot, window, intake, residents
):
    window.showNormal()
    window.resize(1280, 720)
    qtbot.wait(50)
    dock = window.docks["intake"]

    def in_view(widget):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom = widget.mapTo(window, widget.rect().bottomLeft()).y()
        return (
            widget.isVisible()
            and not widget.visibleRegion().isEmpty()
            and (
                top_left.y() >= dock.mapTo(window, dock.rect().topLeft()).y()
                and bottom <= dock.mapTo(window, dock.rect().bottomLeft()).y()
            )
        )

    assert in_view(intake.saveButton) and in_view(intake.dueLabel)
    intake.picker.choose(residents[0])
    intake.windowCombo.setCurrentIndex(1)
    intake.textEdit.setPlainText("楼道灯坏了")
    intake.dispositionCombo.setCurrentIndex(1)
    intake.scroll.verticalScrollBar().setValue(intake.scroll.verticalScrollBar().maximum())
    intake.save()
    assert Case.select().count() == 1
    assert in_view(intake.resultLabel) and in_view(intake.printButton)
    assert intake.scroll.verticalScrollBar().value() == 0
