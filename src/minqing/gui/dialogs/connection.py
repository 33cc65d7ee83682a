"""File → 数据库连接…: work on a SQLite file on this PC or on the office's PostgreSQL server.

The choice is remembered (window settings, key database/url; a server's password goes to
PostgreSQL's password file, not there) and used at the next start
when neither --db nor MINQING_DB says otherwise; "保存并重新启动" starts the program again
on it at once.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from minqing.core.errors import MinqingError
from minqing.core.storage import db
from minqing.core.storage.connection import probe, remember_password
from minqing.gui.widgets.settings import app_settings

SETTING = "database/url"
EXAMPLE = "postgresql://minqing:密码@192.168.1.10/minqing"


def remembered_url() -> str | None:
    value = app_settings().value(SETTING)
    if not value:
        return None
    kept = remember_password(str(value))  # an address saved with its password by an old version
    if kept != value:
        app_settings().setValue(SETTING, kept)
    return kept


def remember_url(url: str) -> None:
    """The database the next start opens (the welcome's demo choice, File → 数据库连接…)."""
    app_settings().setValue(SETTING, url)


def restart_command(url: str) -> tuple[str, list[str]]:
    """The program and arguments that start this program again on `url`."""
    if getattr(sys, "frozen", False):  # the PyInstaller build
        return sys.executable, ["--db", url]
    return sys.executable, ["-m", "minqing", "--db", url]


class ConnectionDialog(QDialog):
    def __init__(self, current_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据库连接")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"现在使用：{_shown(current_url)}"))
        grid = QGridLayout()
        self.local = QRadioButton("本机数据文件（一台电脑）")
        self.server = QRadioButton("数据库服务器 PostgreSQL（多台电脑共用）")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.path = QLineEdit()
        self.path.setObjectName("path")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self._browse)
        self.url = QLineEdit()
        self.url.setObjectName("url")
        self.url.setPlaceholderText(EXAMPLE)
        grid.addWidget(self.local, 0, 0, 1, 2)
        grid.addWidget(self.path, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.server, 2, 0, 1, 2)
        grid.addWidget(self.url, 3, 0, 1, 2)
        layout.addLayout(grid)
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        test = buttons.addButton("测试连接", QDialogButtonBox.ButtonRole.ActionRole)
        test.clicked.connect(self.test)
        self.restart = buttons.addButton("保存并重新启动", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if db.is_server_url(current_url):
            self.server.setChecked(True)
            self.url.setText(current_url)
        else:
            self.local.setChecked(True)
            self.path.setText(str(db.sqlite_path(current_url)))
        self.chosen_url = ""

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "选择数据文件",
            self.path.text(),
            "民情流水线数据 (*.sqlite);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.path.setText(name)
            self.local.setChecked(True)

    def url_entered(self) -> str:
        return (self.url.text() if self.server.isChecked() else self.path.text()).strip()

    def test(self) -> bool:
        try:
            self.result_label.setText(probe(self.url_entered()))
            return True
        except MinqingError as exc:
            self.result_label.setText(f"不能使用：{exc}")
            return False

    def _accept(self) -> None:
        if not self.test():
            return
        # The password goes to PostgreSQL's own password file, never into the INI file or
        # onto the command line that restarts the program.
        self.chosen_url = remember_password(self.url_entered())
        app_settings().setValue(SETTING, self.chosen_url)
        self.accept()


def change_connection(window: QWidget | None, current_url: str) -> None:
    """Show the dialog; on 保存并重新启动 start the program on the new database and close
    this one."""
    dialog = ConnectionDialog(current_url, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen_url:
        return
    program, arguments = restart_command(dialog.chosen_url)
    if QProcess.startDetached(program, arguments)[0] and window is not None:
        window.close()


def _shown(url: str) -> str:
    if db.is_server_url(url) and "@" in url:
        scheme, rest = url.split("://", 1)
        user, host = rest.rsplit("@", 1)
        return f"{scheme}://{user.split(':', 1)[0]}@{host}"
    return url
