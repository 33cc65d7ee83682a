"""File → 数据库连接…: test a database before switching, remember the choice, restart on it."""

from __future__ import annotations

import re
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


def test_accepting_remembers_and_restarts_on_the_choice(
    qtbot, office, db_path, monkeypatch, tmp_path
):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))  # a server's password goes here
    started = []
    monkeypatch.setattr(
        connection.QProcess, "startDetached", lambda p, a: started.append((p, a)) or (True, 1)
    )
    monkeypatch.setattr(ConnectionDialog, "exec", lambda d: (d._accept(), d.result())[1])

    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    other = str(db_path)  # a file, or in the PostgreSQL pass the server's URL with a password
    connection.change_connection(window, other)
    shown = re.sub(r"//([^:/@]+):[^@/]*@", r"//\1@", other)  # never the password
    assert connection.remembered_url() == shown
    assert started == [(sys.executable, ["-m", "minqing", "--db", shown])]
    assert not window.isVisible()  # this program closes; the new one opens on the choice


def test_server_password_kept_out_of_settings_and_command_line(
    qtbot, office, tmp_path, monkeypatch
):
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    started = []
    monkeypatch.setattr(
        connection.QProcess, "startDetached", lambda p, a: started.append((p, a)) or (True, 1)
    )
    monkeypatch.setattr(connection, "probe", lambda url: "连接成功")
    dialog = ConnectionDialog("/data/office.sqlite")
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText("postgresql://minqing:s3cret-pw@192.168.1.10/minqing")
    monkeypatch.setattr(ConnectionDialog, "exec", lambda d: (d._accept(), d.result())[1])
    monkeypatch.setattr(connection, "ConnectionDialog", lambda url, parent: dialog)
    connection.change_connection(None, "/data/office.sqlite")
    bare = "postgresql://minqing@192.168.1.10/minqing"
    assert started == [(sys.executable, ["-m", "minqing", "--db", bare])]
    assert connection.remembered_url() == bare
    settings = connection.app_settings()
    settings.sync()
    ini = settings.fileName()
    assert "s3cret-pw" not in open(ini, encoding="utf-8").read()
    assert pgpass.read_text() == "192.168.1.10:5432:minqing:minqing:s3cret-pw\n"


def test_address_saved_with_password_by_an_older_version_is_cleaned(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    connection.app_settings().setValue(connection.SETTING, "postgresql://u:old-pw@h/db")
    assert connection.remembered_url() == "postgresql://u@h/db"
    assert connection.app_settings().value(connection.SETTING) == "postgresql://u@h/db"
