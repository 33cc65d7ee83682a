"""File → 数据库连接…: test a database before switching, remember the choice, restart on it."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from minqing.gui.dialogs import connection
from minqing.gui.dialogs.connection import ConnectionDialog


def test_probe_a_file_a_junk_file_and_an_absent_server(qtbot, office, db_path, tmp_path):
    dialog = ConnectionDialog(str(db_path))
    qtbot.addWidget(dialog)
    dialog.local.setChecked(True)
    dialog.path.setText(str(tmp_path / "new.sqlite"))
    assert dialog.test() and "新建" in dialog.result_label.text()
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    dialog.path.setText(str(junk))
    assert not dialog.test() and "不是民情流水线的数据库文件" in dialog.result_label.text()
    dialog.server.setChecked(True)
    dialog.url.setText("postgresql://nobody:x@localhost:5999/nothing")
    assert not dialog.test() and "连接失败" in dialog.result_label.text()
    dialog.url.setText(str(db_path))  # the test's own database, with its office
    if str(db_path).startswith("postgresql://"):
        assert dialog.test() and "中和社区" in dialog.result_label.text()


def test_accepting_remembers_and_restarts_on_the_choice(qtbot, office, db_path, monkeypatch):
    started = []
    monkeypatch.setattr(
        connection.QProcess, "startDetached", lambda p, a: started.append((p, a)) or (True, 1)
    )
    monkeypatch.setattr(ConnectionDialog, "exec", lambda d: (d._accept(), d.result())[1])

    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    other = str(db_path)
    connection.change_connection(window, other)
    assert connection.remembered_url() == other
    assert started == [(sys.executable, ["-m", "minqing", "--db", other])]
    assert not window.isVisible()  # this program closes; the new one opens on the choice
