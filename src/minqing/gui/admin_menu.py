"""The 管理 menu (accounts, audit history) and what the signed-in role may see in the window.

The services refuse what a role may not do; here the window only hides or disables the
same things (core.permissions.allowed) so nobody is offered a button that will refuse.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts import audit
from minqing.core.accounts import services as accounts
from minqing.core.accounts.permissions import allowed, role_label
from minqing.core.community import get_staff
from minqing.core.enums import StaffRole
from minqing.core.errors import MinqingError
from minqing.core.storage.db import is_server_url
from minqing.gui import errors
from minqing.gui.context import AppContext
from minqing.gui.dialogs.backups import open_backups
from minqing.gui.dialogs.keywords import KeywordsDialog
from minqing.gui.operations import Op
from minqing.gui.widgets.file_dialogs import save_path


def apply_role(window: QMainWindow, ctx: AppContext, bar: QMenuBar) -> None:
    """Hide the intake for roles that don't register; disable admin-only file actions."""
    if ctx.staff is not None:
        window.setWindowTitle(
            f"{window.windowTitle()} — {ctx.staff.name}（{role_label(ctx.staff.role)}）"
        )
    holidays = window.findChild(QAction, "importHolidays")
    if holidays is not None:
        holidays.setEnabled(allowed(ctx.staff, "calendar.edit"))
    docks = getattr(window, "docks", {})
    if "intake" in docks and not allowed(ctx.staff, "case.take_in"):
        docks["intake"].hide()
        docks["intake"].toggleViewAction().setEnabled(False)
    build_admin_menu(window, ctx, bar)


def build_admin_menu(parent: QWidget, ctx: AppContext, bar: QMenuBar) -> None:
    manage, view = allowed(ctx.staff, "accounts.manage"), allowed(ctx.staff, "audit.view")
    backups = allowed(ctx.staff, "backup.restore") and not is_server_url(ctx.db_url)
    if not (manage or view or backups):
        return
    menu = QMenu("管理(&A)", bar)
    menu.setObjectName("adminMenu")
    last = bar.actions()[-1] if bar.actions() else None
    if last is not None:
        bar.insertMenu(last, menu)  # before 帮助
    else:
        bar.addMenu(menu)
    if manage:
        action = menu.addAction("账号管理…")
        action.setObjectName("manageAccounts")
        action.triggered.connect(lambda: AccountsDialog(ctx, parent).exec())
    if view:
        action = menu.addAction("操作记录…")
        action.setObjectName("auditHistory")
        action.triggered.connect(lambda: AuditDialog(ctx, parent).exec())
    if allowed(ctx.staff, "windows.edit"):
        action = menu.addAction("服务窗口关键词…")
        action.setObjectName("windowKeywords")
        action.triggered.connect(lambda: KeywordsDialog(ctx, parent).exec())
    if backups:  # a server's data is backed up on the server (pg_dump)
        menu.addSeparator()
        action = menu.addAction("备份与恢复(&B)…")
        action.setObjectName("backups")
        action.triggered.connect(lambda: open_backups(ctx, parent))


def _run(parent: QWidget, what: str, job) -> bool:  # type: ignore[no-untyped-def]
    try:
        job()
    except MinqingError as exc:
        errors.show_message(parent, what, str(exc), errors.ERROR)
        return False
    return True


class AccountsDialog(QDialog):
    HEADERS = ["姓名", "用户名", "角色", "状态", "上次登录"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("账号管理")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        for label, slot in (
            ("新建账号…", self.add),
            ("重设密码…", self.reset),
            ("解锁", self.unlock),
            ("设角色…", self.set_role),
            ("停用/启用", self.toggle),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.rows = accounts.account_rows(self.ctx.community)
        self.table.setRowCount(len(self.rows))
        now = dt.datetime.now()
        for r, line in enumerate(self.rows):
            locked = line.locked_until is not None and line.locked_until > now
            state = "已停用" if not line.active else ("已锁定" if locked else "正常")
            if line.account_id is None:
                state = "无账号"
            last = f"{line.last_login_at:%Y-%m-%d %H:%M}" if line.last_login_at else ""
            for c, text in enumerate(
                [line.name, line.username, role_label(line.role), state, last]
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _current(self):  # type: ignore[no-untyped-def]
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _staff(self):  # type: ignore[no-untyped-def]
        line = self._current()
        return get_staff(line.staff_id) if line else None

    def _password(self, title: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            title,
            f"初始密码（至少 {accounts.MIN_LENGTH} 位，本人首次登录后应修改）：",
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def add(self) -> None:
        line = self._current()
        if line is not None and line.account_id is None:
            name, role = line.name, line.role
        else:
            name, ok = QInputDialog.getText(self, "新建账号", "姓名：")
            if not ok:
                return
            labels = [r.label for r in StaffRole]
            chosen, ok = QInputDialog.getItem(self, "新建账号", "角色：", labels, 0, False)
            if not ok:
                return
            role = list(StaffRole)[labels.index(chosen)].value
        password = self._password("新建账号")
        if password is None:
            return
        if _run(
            self,
            "新建账号",
            lambda: accounts.add_staff(
                self.ctx.community,
                name,
                role,
                password,
                actor=self.ctx.staff,  # type: ignore[arg-type]
            ),
        ):
            self.refresh()

    def reset(self) -> None:
        staff = self._staff()
        password = self._password("重设密码") if staff else None
        if (
            staff
            and password is not None
            and _run(
                self,
                "重设密码",
                lambda: accounts.set_password(staff, password, actor=self.ctx.staff),
            )
        ):
            self.refresh()

    def unlock(self) -> None:
        staff = self._staff()
        if staff and _run(self, "解锁", lambda: accounts.unlock(staff, actor=self.ctx.staff)):
            self.refresh()

    def set_role(self) -> None:
        staff = self._staff()
        if staff is None:
            return
        labels = [r.label for r in StaffRole]
        chosen, ok = QInputDialog.getItem(self, "设角色", f"{staff.name}的角色：", labels, 0, False)
        role = list(StaffRole)[labels.index(chosen)]
        if ok and _run(
            self, "设角色", lambda: accounts.set_role(staff, role, actor=self.ctx.staff)
        ):
            self.refresh()

    def toggle(self) -> None:
        staff = self._staff()
        if staff and _run(
            self,
            "停用/启用",
            lambda: accounts.set_active(staff, not staff.active, actor=self.ctx.staff),
        ):
            self.refresh()


class AuditDialog(QDialog):
    """CaseEvent, MemberEvent, the audit events and the export log, merged by time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("操作记录")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.who = QLineEdit()
        self.who.setPlaceholderText("操作人")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.addItem("全部", "")
        for key, label in audit.KINDS.items():
            self.kind.addItem(label, key)
        search = QPushButton("查询")
        search.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(self.export)
        for widget in (self.who, self.since, self.until, self.kind, search, self.export_button):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(audit.HEADERS))
        self.table.setHorizontalHeaderLabels(audit.HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.refresh()

    def query(self) -> list[audit.AuditLine]:
        kind = self.kind.currentData()
        return audit.lines(
            who=self.who.text().strip(),
            since=self.since.date().toPython(),  # type: ignore[arg-type]
            until=self.until.date().toPython(),  # type: ignore[arg-type]
            kinds=[kind] if kind else tuple(audit.KINDS),
            actor=self.ctx.staff,
        )

    def refresh(self) -> None:
        self.lines = self.query()
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            values = [
                f"{line.at:%Y-%m-%d %H:%M}",
                line.who or "（系统）",
                audit.KINDS[line.kind],
                line.subject,
                line.action,
                line.detail,
            ]
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def export(self, path: str | None = None) -> None:
        if not path:
            chosen = save_path(self, "导出操作记录", "操作记录.xlsx")
            path = str(chosen) if chosen is not None else None
        if path:
            lines, actor = self.lines, self.ctx.staff
            Op(
                self, lambda: audit.export_lines(lines, path, actor=actor), what="导出操作记录"
            ).writes(path).run()
