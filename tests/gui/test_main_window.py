"""The window around the panels: docks, the View menu, the saved layout, the banner, errors."""

from __future__ import annotations

import sys

from minqing.gui import errors
from minqing.gui.main_window import MainWindow
from minqing.gui.panels import panel_specs
from tests.gui.conftest import make_window


def test_one_dock_per_panel_with_stable_names(window):
    names = [s.object_name for s in panel_specs()]
    assert list(window.docks) == names
    for name, dock in window.docks.items():
        assert dock.objectName() == name
        assert dock.toggleViewAction() in window.view_menu.actions()
    assert window.panels["intake"] is window.docks["intake"].widget()  # scrolls itself
    assert window.panels["board"] is window.docks["board"].widget().widget()


def test_panels_are_built_when_first_shown(window, qtbot):
    hidden = [n for n, d in window.docks.items() if not d.isVisible()]
    for name in hidden:
        assert name not in window.panels
    for name in hidden[:1]:
        window.focus_panel(name)
        qtbot.waitUntil(lambda n=name: n in window.panels)
        assert window.docks[name].widget().widget() is window.panels[name]


def test_layout_is_restored_and_reset(qtbot, office, db_path, dialogs):
    first = make_window(qtbot, db_path)
    name = next(n for n in first.docks if n != "intake")
    first.docks[name].toggleViewAction().trigger()
    assert first.docks[name].isHidden()
    assert first.close()

    second = make_window(qtbot, db_path)
    assert second.docks[name].isHidden()
    assert not second.docks["intake"].isHidden()
    reset = next(a for a in second.view_menu.actions() if a.objectName() == "resetLayout")
    reset.trigger()
    assert not second.docks[name].isHidden()
    assert second.close()

    third = make_window(qtbot, db_path)
    assert not third.docks[name].isHidden()
    third.close()


def test_floating_dock_comes_back_on_reset(qtbot, window):
    dock = window.docks["intake"]
    dock.setFloating(True)
    window.reset_layout()
    assert not dock.isFloating() and dock.isVisible()


def test_calendar_banner(qtbot, window, monkeypatch):
    from minqing.gui import main_window

    monkeypatch.setattr(main_window, "calendar_warning", lambda: "2099年的节假日安排还没有录入")
    window.refresh_banner()
    assert window.banner.isVisible()
    assert "2099" in window.banner_label.text()
    monkeypatch.setattr(main_window, "calendar_warning", lambda: None)
    window.refresh_banner()
    assert not window.banner.isVisible()


def test_paste_the_holiday_notice(qtbot, window, monkeypatch):
    from pathlib import Path

    from minqing.core.models import CalendarOverride
    from minqing.gui import main_window
    from minqing.gui.widgets.notice_dialog import NoticeDialog

    text = (Path(__file__).parents[1] / "core" / "data" / "notice_2027.txt").read_text(
        encoding="utf-8"
    )

    def run(dialog):
        assert isinstance(dialog, NoticeDialog)
        dialog.text.setPlainText(text)
        dialog.read()
        assert "春节" in dialog.preview.toPlainText()
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(main_window, "exec_dialog", run)
    window.import_notice()
    assert CalendarOverride.select().where(CalendarOverride.date.year == 2027).count() > 10


def test_notice_that_cannot_be_read_is_not_saved(qtbot, db, dialogs):
    from minqing.core.models import CalendarOverride
    from minqing.gui.widgets.notice_dialog import NoticeDialog

    dialog = NoticeDialog()
    qtbot.addWidget(dialog)
    dialog.text.setPlainText("这不是放假通知")
    dialog.read()
    assert dialog.schedule is None
    assert "放假通知" in dialog.preview.toPlainText() or dialog.preview.toPlainText()
    dialog.save()
    assert CalendarOverride.select().count() == 0


def test_unexpected_error_is_logged_and_apologised_for(window, dialogs):
    from minqing.logs import log_file, setup_logging

    setup_logging()
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    title, text, kind = dialogs.messages[-1]
    assert kind == errors.ERROR and "很抱歉" in text and "boom" not in text
    assert "boom in a slot" in log_file().read_text(encoding="utf-8")


def test_domain_error_in_a_slot_is_shown_as_it_is(window, dialogs):
    from minqing.core.errors import DomainError

    try:
        raise DomainError("text", "请填写民情内容。")
    except DomainError:
        sys.excepthook(*sys.exc_info())
    assert dialogs.messages[-1][1] == "请填写民情内容。"


def test_self_check_passes(monkeypatch, tmp_path):
    from minqing.app import run_self_check
    from minqing.core.storage.db import close_database

    assert run_self_check() == 0
    close_database()


def test_window_without_panels_still_works(qtbot, office, db_path, dialogs):
    from minqing.app import make_context

    window = MainWindow(make_context(str(db_path)), specs=[])
    qtbot.addWidget(window)
    window.show()
    assert window.docks == {}
    assert window.close()


def test_each_user_keeps_their_own_layout_and_desk(qtbot, db_path, accounts, dialogs):
    from minqing.app import build_window

    def window_for(role):
        window = build_window(str(db_path), accounts[role])
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    clerk = window_for("front_desk")
    assert all(clerk.docks[n].isVisible() for n in ("intake", "board", "today"))
    clerk.docks["today"].toggleViewAction().trigger()
    assert clerk.close()
    leader = window_for("leader")
    assert leader.docks["statistics"].isVisible() and leader.docks["board"].isVisible()
    assert not leader.docks["intake"].isVisible()
    assert leader.close()
    again = window_for("front_desk")
    assert again.docks["today"].isHidden() and again.docks["intake"].isVisible()
    again.reset_layout()
    assert again.docks["today"].isVisible()
    admin = again.close() and window_for("admin")
    assert not admin.docks["intake"].isVisible() and admin.docks["reception"].isVisible()
    admin.close()


def test_switch_user_closes_the_window_for_the_sign_in(qtbot, window):
    window.switch_user()
    assert window.switching_user and not window.isVisible()


def test_a_case_opened_before_the_detail_panel_was_built_is_shown(qtbot, office, db_path, dialogs):
    from minqing.app import make_context
    from minqing.core.models import Staff
    from tests.gui.test_board import new_case

    case = new_case(Staff.get(Staff.name == "张敏"))
    # the detail panel closed by the user, so it is not built at start
    specs = [s for s in panel_specs() if s.object_name in ("case_list", "detail")]
    window = MainWindow(make_context(str(db_path)), specs=specs)
    qtbot.addWidget(window)
    window.docks["detail"].hide()
    window.show()
    assert "detail" not in window.panels
    window.ctx.open_case.emit(case.id)
    assert window.panels["detail"].case_id == case.id
