"""管理 → 备份与恢复: an administrator backs up and restores from the window; after a restore
the window signs out, and the data is the backup's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from minqing.core.models import Case
from minqing.core.storage import backup
from minqing.gui.dialogs.backups import BackupsDialog
from minqing.gui.operations import wait_for_all
from tests.gui.test_board import new_case
from tests.gui.test_roles_in_window import signed_in_window

pytestmark = pytest.mark.sqlite_only  # a server's data is backed up with pg_dump


def test_only_the_administrator_has_backups_in_the_menu(qtbot, db_path, accounts, dialogs):
    for role, offered in (("admin", True), ("leader", False), ("front_desk", False)):
        window = signed_in_window(qtbot, db_path, accounts[role])
        assert (window.findChild(QAction, "backups") is not None) == offered, role
        window.close()


def test_backup_now_then_restore_signs_out_with_the_backups_data(qtbot, db_path, accounts, dialogs):
    clerk = accounts["front_desk"]
    kept = new_case(clerk, "楼道灯坏了")
    window = signed_in_window(qtbot, db_path, accounts["admin"])
    dialog = BackupsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.buttons["backupNow"], Qt.MouseButton.LeftButton)
    wait_for_all()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.table.item(0, 1).text() == "手动备份"
    assert dialog.status.text().startswith("已备份：")

    lost = new_case(clerk, "井盖丢了")  # registered after the backup: the restore undoes it
    dialogs.answers = [1]  # 取消: nothing happens
    dialog.restore_selected()
    assert Case.get_or_none(Case.id == lost.id) is not None
    assert dialog.restored is None

    dialogs.answers = [0]  # 恢复并重新登录
    dialog.restore_selected()
    wait_for_all()
    qtbot.waitUntil(lambda: dialog.restored is not None)
    assert "恢复后需要重新登录" in dialogs.questions[-1][1]
    assert dialogs.messages[-1][0] == "恢复完成"
    assert backup.reason_of(dialog.restored) == "before-restore"
    assert Case.get_or_none(Case.id == lost.id) is None
    assert Case.get_by_id(kept.id).text == "楼道灯坏了"
    window.close()


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(
    qtbot, db_path, accounts, dialogs, tmp_path, monkeypatch
):
    case = new_case(accounts["front_desk"], "楼道灯坏了")
    junk = tmp_path / "照片.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    dialog = BackupsDialog(signed_in_window(qtbot, db_path, accounts["admin"]).ctx)
    qtbot.addWidget(dialog)
    from minqing.gui.dialogs import backups as module

    monkeypatch.setattr(
        module.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(junk), ""))
    )
    dialogs.answers = [0]
    dialog.restore_file()
    wait_for_all()
    qtbot.waitUntil(lambda: dialog.buttons["restoreFile"].isEnabled())
    assert dialog.restored is None
    title, text, _kind = dialogs.messages[-1]
    assert title == "恢复" and "当前数据没有改动" in text, text
    assert Case.get_by_id(case.id).text == "楼道灯坏了"
