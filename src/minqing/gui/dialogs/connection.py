"""File → 数据库连接…: work on a SQLite file on this PC or on the office's PostgreSQL server.

The choice is remembered (window settings, key database/url; a server's password goes to
PostgreSQL's password file, not there) and used at the next start
when neither --db nor MINQING_DB says otherwise; "保存并重新启动" starts the program again
on it at once.

An office growing to several PCs moves its data along: when the chosen database holds no
office and the current one does, the dialog offers to transfer everything there first
(core.storage.transfer: whole, counted on both sides, all or nothing). Only an administrator
may, confirming with their password; anyone else is told so, and that the new database will
start empty.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts import permissions
from minqing.core.accounts import services as accounts
from minqing.core.errors import MinqingError
from minqing.core.storage import db, transfer
from minqing.core.storage.connection import (
    probe,
    remember_password,
    with_password,
    without_password,
)
from minqing.gui import errors
from minqing.gui.widgets.settings import app_settings

if TYPE_CHECKING:
    from minqing.core.models import Staff

SETTING = "database/url"
EXAMPLE = "postgresql://minqing@192.168.1.10/minqing"


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
    def __init__(
        self, current_url: str, parent: QWidget | None = None, staff: Staff | None = None
    ) -> None:
        super().__init__(parent)
        self.current_url = current_url
        self.staff = staff
        self.setWindowTitle("数据库连接")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"现在使用：{db.shown_url(current_url)}"))
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
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("服务器密码（只存入本机的 PostgreSQL 密码文件）")
        grid.addWidget(self.local, 0, 0, 1, 2)
        grid.addWidget(self.path, 1, 0)
        grid.addWidget(browse, 1, 1)
        grid.addWidget(self.server, 2, 0, 1, 2)
        server_fields = QFormLayout()
        server_fields.addRow("地址", self.url)
        server_fields.addRow("密码", self.password)
        grid.addLayout(server_fields, 3, 0, 1, 2)
        layout.addLayout(grid)
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.move = QCheckBox()
        self.move.setObjectName("move")
        self.move.setVisible(False)
        layout.addWidget(self.move)
        self.move_note = QLabel()
        self.move_note.setObjectName("moveNote")
        self.move_note.setWordWrap(True)
        self.move_note.setVisible(False)
        layout.addWidget(self.move_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        test = buttons.addButton("测试连接", QDialogButtonBox.ButtonRole.ActionRole)
        test.clicked.connect(self.test)
        self.restart = buttons.addButton("保存并重新启动", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if db.is_server_url(current_url):
            self.server.setChecked(True)
            bare, password = without_password(current_url)
            self.url.setText(bare)
            self.password.setText(password or "")
        else:
            self.local.setChecked(True)
            self.path.setText(str(db.sqlite_path(current_url)))
        self.chosen_url = ""
        self.office_here = self._office_at(current_url)

    @staticmethod
    def _office_at(url: str) -> str:
        try:
            return probe(url).office
        except MinqingError:
            return ""

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
        """The address chosen; a server's with the password typed apart from it (a password
        written into the address itself is used as it is)."""
        if not self.server.isChecked():
            return self.path.text().strip()
        url = self.url.text().strip()
        return with_password(url, self.password.text()) if self.password.text() else url

    def test(self) -> bool:
        self.move.setVisible(False)
        self.move_note.setVisible(False)
        if self.server.isChecked() and self.password.text() and "@" not in self.url.text():
            self.result_label.setText(f"不能使用：请在地址里写上用户名，例如 {EXAMPLE}。")
            return False
        try:
            found = probe(self.url_entered())
        except MinqingError as exc:
            self.result_label.setText(f"不能使用：{exc}")
            return False
        self.result_label.setText(found.text)
        here = transfer.same_database(self.url_entered(), self.current_url)
        if self.office_here and not found.office and not here:
            self._offer_move()
        return True

    def _offer_move(self) -> None:
        """The chosen database holds no office: offer to bring this one's along."""
        may = permissions.allowed(self.staff, "data.transfer")
        self.move.setText(f"把现在的数据（{self.office_here}）转移过去")
        self.move.setEnabled(may)
        self.move.setChecked(may)
        self.move.setVisible(True)
        if may:
            note = "转移全部数据：两边核对每张表的行数，出错则全部撤销，现在的数据不会改动。"
        else:
            note = "转移数据要由管理员登录后操作。不转移的话，打开后是一个空的数据库。"
        self.move_note.setText(note)
        self.move_note.setVisible(True)

    def _transfer(self) -> bool:
        """Copy everything to the chosen database; False when it didn't happen (said why)."""
        credentials = None
        if accounts.has_accounts() and self.staff is not None:
            username = accounts.get_account(self.staff).username
            password, ok = QInputDialog.getText(
                self,
                "确认转移数据",
                f"转移全部数据（含身份证号、电话）要由管理员确认。\n请输入 {username} 的密码：",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return False
            credentials = transfer.Credentials(username, password)
        waiting = QProgressDialog("正在转移数据…", "", 0, 0, self)
        waiting.setWindowTitle("转移数据")
        waiting.setCancelButton(None)  # all or nothing: it can't stop halfway
        waiting.setWindowModality(Qt.WindowModality.WindowModal)
        waiting.setMinimumDuration(0)
        copied: dict[str, int] = {}

        def progress(table: str, done: int, _total: int) -> None:
            copied[table] = done
            waiting.setLabelText(f"正在转移数据：已复制 {sum(copied.values())} 行…")
            QApplication.processEvents()

        waiting.show()
        try:
            counts = transfer.copy_database(
                self.current_url, self.url_entered(), progress=progress, credentials=credentials
            )
        except MinqingError as exc:
            said = str(exc).rstrip("。")
            self.result_label.setText(f"没有转移：{said}。现在的数据没有改动。")
            return False
        except Exception as exc:
            errors.report(self, exc, "转移数据")
            return False
        finally:
            waiting.close()
        rows = sum(c.target for c in counts)
        self.result_label.setText(f"已转移 {len(counts)} 张表、共 {rows} 行，行数核对一致。")
        return True

    def _accept(self) -> None:
        if not self.test():
            return
        if not self.move.isHidden() and self.move.isChecked() and not self._transfer():
            return
        # The password goes to PostgreSQL's own password file, never into the INI file or
        # onto the command line that restarts the program.
        self.chosen_url = remember_password(self.url_entered())
        app_settings().setValue(SETTING, self.chosen_url)
        self.accept()


def change_connection(window: QWidget | None, current_url: str, staff: Staff | None = None) -> None:
    """Show the dialog; on 保存并重新启动 start the program on the new database and close
    this one. `staff`, the one signed in, may be offered to move the data along."""
    dialog = ConnectionDialog(current_url, window, staff)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen_url:
        return
    program, arguments = restart_command(dialog.chosen_url)
    if QProcess.startDetached(program, arguments)[0] and window is not None:
        window.close()
