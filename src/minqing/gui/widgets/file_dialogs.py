"""The file dialogs: they open where the user last saved (or the print folder for a PDF, the
documents folder otherwise), filter in Chinese and add the extension a name lacks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from minqing import paths
from minqing.gui.widgets.settings import app_settings

FILTERS = {".pdf": "PDF 文件 (*.pdf)", ".xlsx": "Excel 表格 (*.xlsx)"}
LAST_FOLDER = "files/last_folder"


def start_folder(suffix: str) -> Path:
    remembered = app_settings().value(LAST_FOLDER)
    if remembered and Path(str(remembered)).is_dir():
        return Path(str(remembered))
    if suffix == ".pdf":
        folder = paths.data_dir() / "打印"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def _remember(path: Path) -> None:
    app_settings().setValue(LAST_FOLDER, str(path.parent))


def save_path(parent: QWidget | None, title: str, name: str) -> Path | None:
    """Where to save `name` (its suffix picks the filter), or None when cancelled."""
    suffix = Path(name).suffix.lower()
    chosen, _ = QFileDialog.getSaveFileName(
        parent, title, str(start_folder(suffix) / name), FILTERS.get(suffix, "")
    )
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
    _remember(path)
    return path


def open_path(parent: QWidget | None, title: str, suffix: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, title, str(start_folder(suffix)), FILTERS.get(suffix, "")
    )
    if not chosen:
        return None
    _remember(Path(chosen))
    return Path(chosen)
