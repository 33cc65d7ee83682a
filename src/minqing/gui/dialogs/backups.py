"""管理 → 备份与恢复: the backups kept beside the data file, a backup now, and a restore.

Restoring is core's (storage.backup.restore): it checks the copy, saves the current state
as a "恢复前" backup first and replaces the data in one step. Afterwards the window closes
and the sign-in shows again, so nothing on screen (or the signed-in account) is left from
the data that was replaced.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.storage import backup
from minqing.core.storage.db import sqlite_path
from minqing.gui import errors
from minqing.gui.context import AppContext
from minqing.gui.operations import Op


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class BackupsDialog(QDialog):
    HEADERS = ["备份时间", "原因", "大小"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = sqlite_path(ctx.db_url)
        self.restored: Path | None = None  # the "恢复前" copy, once a restore succeeded
        self.setWindowTitle("备份与恢复")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        where = QLabel(
            f"备份保存在：{backup.backups_dir(self.db_path)}\n"
            f"每天第一次打开程序时自动备份一次，升级和恢复之前也会自动备份；"
            f"保留最近 {backup.keep_count()} 份。"
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table)
        self.status = QLabel("")
        self.status.setObjectName("backupStatus")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, label, slot in (
            ("backupNow", "立即备份(&B)", self.backup_now),
            ("restoreSelected", "恢复所选备份(&R)…", self.restore_selected),
            ("restoreFile", "从其他文件恢复(&F)…", self.restore_file),
            ("openFolder", "打开备份文件夹(&O)", self.open_folder),
            ("close", "关闭", self.reject),
        ):
            button = QPushButton(label)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        layout.addLayout(row)
        self.entries: list[backup.BackupEntry] = []
        self.refresh()

    def refresh(self) -> None:
        self.entries = backup.describe_backups(self.db_path)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            when = f"{entry.taken_at:%Y-%m-%d %H:%M:%S}" if entry.taken_at else entry.path.name
            for column, text in enumerate((when, entry.reason, size_text(entry.size))):
                item = QTableWidgetItem(text)
                item.setToolTip(str(entry.path))
                self.table.setItem(row, column, item)
        if self.entries:
            self.table.selectRow(0)
        self.status.setText("" if self.entries else "还没有备份。")
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.buttons["restoreSelected"].setEnabled(self.selected() is not None)

    def selected(self) -> backup.BackupEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for button in self.buttons.values():
            button.setEnabled(False)

    def _idle(self) -> None:
        for button in self.buttons.values():
            button.setEnabled(True)
        self._selection_changed()

    # actions ----------------------------------------------------------------------------------

    def backup_now(self) -> None:
        self._busy("正在备份……")
        actor, path = self.ctx.staff, self.db_path
        Op(self, lambda: backup.back_up_open(path, actor=actor), what="备份").always(
            self._idle
        ).failure(lambda _exc: self.status.setText("")).success(self._backed_up).run()

    def _backed_up(self, target: Path) -> None:
        self.refresh()
        self.status.setText(f"已备份：{target.name}")

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            when = f"{entry.taken_at:%Y-%m-%d %H:%M}" if entry.taken_at else entry.path.name
            self._restore(entry.path, f"{when}的备份（{entry.reason}）")

    def restore_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "选择要恢复的备份文件",
            str(backup.backups_dir(self.db_path)),
            "民情流水线数据文件 (*.sqlite);;所有文件 (*)",
        )
        if chosen:
            self._restore(Path(chosen), f"文件“{Path(chosen).name}”")

    def _restore(self, source: Path, described: str) -> None:
        answer = errors.ask(
            self,
            "恢复备份",
            f"用{described}替换现在的全部数据？\n\n"
            "这份备份之后登记和修改的民情、居民等都会回到备份时的样子（操作记录保留）。"
            "现在的数据会先另存为一份“恢复前自动备份”，需要时可以再恢复回来。\n"
            "恢复后需要重新登录。",
            ["恢复并重新登录", "取消"],
        )
        if answer != 0:
            return
        self._busy("正在检查并恢复备份，请稍候……")
        actor, path = self.ctx.staff, self.db_path
        Op(self, lambda: backup.restore_open(path, source, actor=actor), what="恢复").always(
            self._idle
        ).failure(lambda _exc: self.status.setText("")).success(self._restored).run()

    def _restored(self, safety: Path) -> None:
        self.restored = safety
        errors.show_message(
            self,
            "恢复完成",
            f"数据已恢复。恢复前的数据已另存为：{safety.name}\n请重新登录。",
        )
        self.accept()

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(backup.backups_dir(self.db_path))))


def open_backups(ctx: AppContext, window: QWidget) -> None:
    """Show the dialog; after a restore the window signs out (MainWindow.switch_user)."""
    dialog = BackupsDialog(ctx, window)
    dialog.exec()
    if dialog.restored is not None and hasattr(window, "switch_user"):
        window.switch_user()
