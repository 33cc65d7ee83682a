"""Signing in before the main window, and creating the first administrator account.

The core does the checking (accounts.sign_in); these dialogs only collect the words and
show its Chinese message. The last user name is remembered in the office settings, so the
clerk at the front-desk PC types only the password. After an administrator's reset (or for
a new colleague's first password) the account must change its password: the same dialog
then asks for a new one, and nobody gets into the window with the password the
administrator knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from minqing.core.accounts import services as accounts
from minqing.core.errors import MinqingError

if TYPE_CHECKING:
    from minqing.core.models import Community, Staff


class SignInDialog(QDialog):
    def __init__(self, demo: bool = False, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.setWindowTitle("登录 — 民情流水线")
        self.staff: Staff | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username = QLineEdit(accounts.last_user())
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        self.new_password = QLineEdit()
        self.new_password.setObjectName("newPassword")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("newRepeat")
        self.new_rows = [QLabel(f"新密码（至少 {accounts.MIN_LENGTH} 位）"), QLabel("再输一遍")]
        for label, edit in zip(self.new_rows, (self.new_password, self.repeat), strict=True):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
            label.hide()
            edit.hide()
        self.pending: Staff | None = None  # signed in, but must choose a new password first
        layout.addLayout(form)
        if demo:
            hint = QLabel(
                f"演示社区：每位工作人员的用户名是其姓名，密码都是 {accounts.DEMO_PASSWORD}。"
            )
            hint.setWordWrap(True)
            hint.setObjectName("demoHint")
            layout.addWidget(hint)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def try_sign_in(self) -> None:
        if self.pending is not None:
            self.change_password()
            return
        try:
            staff = accounts.sign_in(self.username.text(), self.password.text())
        except MinqingError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        if accounts.get_account(staff).must_change_password:
            self.ask_new_password(staff)
            return
        self.staff = staff
        self.accept()

    def ask_new_password(self, staff: Staff) -> None:
        self.pending = staff
        self.username.setEnabled(False)
        self.password.setEnabled(False)
        for widget in (*self.new_rows, self.new_password, self.repeat):
            widget.show()
        self.message.setText("管理员为你设置了临时密码，请先设置自己的新密码再继续。")
        self.new_password.setFocus()

    def change_password(self) -> None:
        assert self.pending is not None
        if self.new_password.text() != self.repeat.text():
            self.message.setText("两次输入的新密码不一样，请重新输入。")
            self.repeat.clear()
            return
        try:
            accounts.change_password(self.pending, self.password.text(), self.new_password.text())
        except MinqingError as exc:
            self.message.setText(str(exc))
            return
        self.staff = self.pending
        self.accept()


class FirstAdminDialog(QDialog):
    """An office without accounts (new, or upgraded from before accounts) names its
    administrator first; the administrator then gives colleagues their accounts."""

    def __init__(self, community: Community, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.community = community
        self.staff: Staff | None = None
        self.setWindowTitle("创建管理员账号")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "这个数据库还没有账号。请先创建管理员账号：管理员负责给同事开账号、"
            "维护服务窗口、工作日历和备份。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("adminName")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("adminRepeat")
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("管理员姓名", self.name)
        form.addRow(f"密码（至少 {accounts.MIN_LENGTH} 位）", self.password)
        form.addRow("再输一遍", self.repeat)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText("两次输入的密码不一样，请重新输入。")
            return
        try:
            account = accounts.create_administrator(
                self.community, self.name.text(), self.password.text()
            )
            self.staff = accounts.sign_in(account.username, self.password.text())
        except MinqingError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def sign_in_at_start(community: Community, demo: bool = False) -> Staff | None:
    """The signed-in staff member, or None when the user gives up (the program then ends)."""
    if not accounts.has_accounts():
        first = FirstAdminDialog(community)
        return first.staff if first.exec() else None
    dialog = SignInDialog(demo=demo)
    return dialog.staff if dialog.exec() else None
