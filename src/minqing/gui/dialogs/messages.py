"""How refusals reach the user: the domain error's own Chinese sentence, in a plain dialog.

Only MinqingError is caught by callers; anything else propagates to the window's excepthook,
which logs it — nothing is swallowed here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_refusal(parent: QWidget | None, message: str, title: str = "不能这样做") -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("refusal")
    box.exec()


def confirm(parent: QWidget | None, message: str, title: str = "请确认") -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        message,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("confirm")
    return box.exec() == QMessageBox.StandardButton.Yes
