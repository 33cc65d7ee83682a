"""File dialogs open where the user last saved (a PDF first in the print folder) with a
Chinese filter, and add the extension a typed name lacks."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from minqing import paths
from minqing.gui.widgets import file_dialogs


def test_save_dialog_starts_in_the_print_folder_then_the_last_one(monkeypatch, tmp_path):
    asked = []

    def fake(_parent, title, start, filters):
        asked.append((start, filters))
        return str(tmp_path / "out" / "名单"), filters

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    first = file_dialogs.save_path(None, "打印连心卡", "民情连心卡.pdf")
    assert asked[0] == (str(paths.data_dir() / "打印" / "民情连心卡.pdf"), "PDF 文件 (*.pdf)")
    assert first == tmp_path / "out" / "名单.pdf"
    file_dialogs.save_path(None, "导出", "民情受理日志.xlsx")
    assert asked[1] == (str(tmp_path / "out" / "民情受理日志.xlsx"), "Excel 表格 (*.xlsx)")
