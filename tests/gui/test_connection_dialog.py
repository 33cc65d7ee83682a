"""File → 数据库连接…: test a database before switching, remember the choice, restart on it."""

from __future__ import annotations

import re
import sys

from PySide6.QtWidgets import QWidget

from minqing.core.storage.connection import Found
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
    monkeypatch.setattr(connection, "probe", lambda url: Found("连接成功"))
    dialog = ConnectionDialog("/data/office.sqlite")
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText("postgresql://minqing:s3cret-pw@192.168.1.10/minqing")
    monkeypatch.setattr(ConnectionDialog, "exec", lambda d: (d._accept(), d.result())[1])
    monkeypatch.setattr(connection, "ConnectionDialog", lambda url, parent, staff: dialog)
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


def _moving_to(qtbot, db_path, staff, target, monkeypatch, password="secret-1"):
    """The dialog on the office's database, a new SQLite file chosen, 保存并重新启动 pressed
    with `password` typed when asked; returns the dialog and the restarts it made."""
    from minqing.core.storage.db import close_database

    started = []
    monkeypatch.setattr(
        connection.QProcess, "startDetached", lambda p, a: started.append((p, a)) or (True, 1)
    )
    asked = []
    monkeypatch.setattr(
        connection.QInputDialog,
        "getText",
        lambda parent, title, label, echo: asked.append(label) or (password, True),
    )
    shown = []

    def press_restart(dialog):
        qtbot.addWidget(dialog)
        shown.append(dialog)
        dialog.local.setChecked(True)
        dialog.path.setText(str(target))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(ConnectionDialog, "exec", press_restart)
    connection.change_connection(None, str(db_path), staff)
    dialog = shown[0]
    close_database()
    return dialog, started, asked


def test_an_administrator_moves_the_office_to_an_empty_database(
    qtbot, accounts, db_path, tmp_path, monkeypatch
):
    """The chosen database is empty: the administrator is offered to bring the office's data
    along, confirms with their password, and the program restarts on the full copy."""
    from minqing.core.cases import services as cases
    from minqing.core.community import find_window
    from minqing.core.models import Case, Community
    from minqing.core.storage.db import open_database

    taken = cases.take_in(
        channel="walk_in", text="楼道灯坏了", window=find_window("城建城管"),
        first_responder=accounts["front_desk"], contact_name="王秀英", actor=accounts["front_desk"],
    ).case  # fmt: skip
    target = tmp_path / "moved.sqlite"
    dialog, started, asked = _moving_to(qtbot, db_path, accounts["admin"], target, monkeypatch)
    assert dialog.move.isEnabled() and "中和社区" in dialog.move.text()
    assert asked and "管理员" in asked[0]
    assert "行数核对一致" in dialog.result_label.text()
    assert started == [(sys.executable, ["-m", "minqing", "--db", str(target)])]
    open_database(target)
    assert Community.get().name == "中和社区"
    assert [(c.number, c.text) for c in Case.select()] == [(taken.number, "楼道灯坏了")]
    assert connection.remembered_url() == str(target)


def test_a_wrong_password_moves_nothing_and_stays(qtbot, accounts, db_path, tmp_path, monkeypatch):
    target = tmp_path / "moved.sqlite"
    dialog, started, _ = _moving_to(
        qtbot, db_path, accounts["admin"], target, monkeypatch, password="wrong"
    )
    assert "没有转移" in dialog.result_label.text() and "没有改动" in dialog.result_label.text()
    assert started == [] and dialog.result() != dialog.DialogCode.Accepted
    assert not target.exists() or target.stat().st_size == 0  # nothing half-written


def test_only_an_administrator_may_move_the_data(qtbot, accounts, db_path, tmp_path, monkeypatch):
    """The front desk sees why not, and that the new database would start empty."""
    dialog = ConnectionDialog(str(db_path), None, accounts["front_desk"])
    qtbot.addWidget(dialog)
    dialog.local.setChecked(True)
    dialog.path.setText(str(tmp_path / "other.sqlite"))
    assert dialog.test()
    assert dialog.move.isVisibleTo(dialog) and not dialog.move.isEnabled()
    assert not dialog.move.isChecked() and "管理员" in dialog.move_note.text()
    dialog.path.setText(str(db_path))  # the database in use: nothing to move
    if not str(db_path).startswith("postgresql://"):
        assert dialog.test() and not dialog.move.isVisibleTo(dialog)


def test_the_server_password_is_typed_apart_and_never_shown(qtbot, office, tmp_path, monkeypatch):
    """The password has a masked field of its own: the address shown and remembered never
    holds it, and it reaches PostgreSQL's password file only."""
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    tried = []
    monkeypatch.setattr(connection, "probe", lambda url: tried.append(url) or Found("连接成功"))
    dialog = ConnectionDialog("/data/office.sqlite")
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.url.setText("postgresql://minqing@192.168.1.10/minqing")
    dialog.password.setText("p@ss:word")
    dialog._accept()
    assert tried[-1] == "postgresql://minqing:p%40ss%3Aword@192.168.1.10/minqing"
    assert dialog.chosen_url == "postgresql://minqing@192.168.1.10/minqing"
    assert pgpass.read_text() == "192.168.1.10:5432:minqing:minqing:p@ss\\:word\n"
    dialog.url.setText("postgresql://192.168.1.10/minqing")  # no user to carry it
    assert not dialog.test() and "用户名" in dialog.result_label.text()
