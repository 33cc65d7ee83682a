"""First start: the welcome creates the community the window then works on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from minqing.core.models import Community, Grid, Staff
from minqing.gui.welcome import WelcomeDialog
from tests.gui.conftest import type_text


def test_welcome_creates_a_community_with_grids(qtbot, db):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    type_text(dialog.name_edit, "比乐社区")
    qtbot.keyClicks(dialog.hotline_edit, "0451-86123456")
    type_text(dialog.staff_edit, "李书记")
    dialog.grids.item(0, 1).setText("李红")
    dialog.grids.item(0, 2).setText("13900001111")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.grids.rowCount() == 3
    dialog.grids.item(2, 0).setText("第三片区")
    dialog.grids.item(2, 1).setText("赵刚")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    community = Community.get()
    assert community.name == "比乐社区" and dialog.community.id == community.id
    grids = {g.name: g for g in Grid.select()}
    assert set(grids) == {"第1片区", "第2片区", "第三片区"}
    assert grids["第1片区"].staff.name == "李红" and grids["第1片区"].line == "13900001111"
    assert {s.name for s in Staff.select()} == {"李书记", "李红", "赵刚"}


def test_welcome_refuses_a_missing_name_and_focuses_it(qtbot, db):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.hotline_edit.setFocus()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "社区名称" in dialog.error_label.text()
    qtbot.waitUntil(dialog.name_edit.hasFocus)
    assert Community.select().count() == 0


def test_welcome_removes_grid_rows(qtbot, db):
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.grids.selectRow(0)
    dialog.remove_grid_row()
    assert dialog.grids.rowCount() == 1
    dialog.name_edit.setText("中和社区")
    dialog.create()
    assert [g.name for g in Grid.select()] == ["第2片区"]


def test_demo_button_asks_for_the_demo(qtbot, db):
    from minqing.gui.welcome import DEMO_RESULT

    dialog = WelcomeDialog(demo_available=True)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == DEMO_RESULT
    assert Community.select().count() == 0


def test_demo_goes_to_its_own_file(qtbot, db, db_path, monkeypatch):
    from minqing import app
    from minqing.core import community as community_service

    monkeypatch.setattr(
        app, "demo_builder", lambda: lambda: community_service.create_community("中和社区")
    )
    url = app.open_demo()
    assert url.endswith("demo.sqlite") and str(db_path) not in url
    assert Community.get().name == "中和社区"
    from minqing.core.storage.db import open_database

    open_database(db_path)
    assert Community.select().count() == 0  # the office's own file stays empty


def test_once_the_demo_is_chosen_the_next_start_opens_it(qtbot, db, monkeypatch):
    from minqing import app
    from minqing.gui import welcome
    from minqing.gui.dialogs import connection

    monkeypatch.setattr(welcome.WelcomeDialog, "exec", lambda _self: welcome.DEMO_RESULT)
    monkeypatch.setattr(app, "open_demo", lambda: "/tmp/office-demo.sqlite")
    assert connection.remembered_url() is None
    assert app._welcome(None, "office.sqlite") == "/tmp/office-demo.sqlite"
    assert connection.remembered_url() == "/tmp/office-demo.sqlite"
