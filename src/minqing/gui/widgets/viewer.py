"""Opening a generated file in the system's viewer, and saying where it is when that fails."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from minqing.gui import errors


def open_document(path: Path | str, parent: QWidget | None = None) -> bool:
    """Opens the file (a PDF the desk then prints); when no viewer starts, names the file and
    offers its folder. True when the viewer started."""
    path = Path(path)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    if path.is_dir():
        errors.show_message(parent, "没能打开文件夹", f"请在资源管理器里打开：{path}")
        return False
    choice = errors.ask(
        parent,
        "没能打开文件",
        f"文件已经生成，但这台电脑没能用阅读器打开它（可能没有安装 PDF 阅读器）。\n文件在：{path}",
        ["打开所在文件夹", "关闭"],
    )
    if choice == 0 and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
        errors.show_message(parent, "没能打开文件夹", f"请在资源管理器里打开：{path.parent}")
    return False
