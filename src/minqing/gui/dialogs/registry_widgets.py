"""Small pieces the registry, programme and visit panels share: a table model over a plain
list of rows, a read-only table view and the save-file question.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from minqing.gui.widgets.file_dialogs import save_path

IdRole = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex
GREY = QColor("#888888")


class RowsModel(QAbstractTableModel):
    """Rows of display values with an id each; for lists of a few thousand rows at most."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[Sequence[Any]] = []
        self.ids: list[Any] = []
        self.greyed: set[int] = set()

    def set_rows(
        self, rows: Sequence[Sequence[Any]], ids: Sequence[Any], greyed: Sequence[int] = ()
    ) -> None:
        self.beginResetModel()
        self.rows, self.ids, self.greyed = list(rows), list(ids), set(greyed)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == IdRole:
            return self.ids[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self.greyed:
            return QBrush(GREY)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self.rows[index.row()][index.column()]
            if value is None:
                return ""
            return value.isoformat() if hasattr(value, "isoformat") else str(value)
        return None


def make_table(model: RowsModel, name: str, multi: bool = False) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def selected_ids(view: QTableView) -> list[Any]:
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    model = view.model()
    return [model.index(r, 0).data(IdRole) for r in rows]


def fit_columns(view: QTableView, widths: Sequence[int]) -> None:
    """Widths in Chinese characters."""
    unit = view.fontMetrics().horizontalAdvance("汉")
    for i, chars in enumerate(widths):
        view.horizontalHeader().resizeSection(i, unit * chars + 16)


def ask_save(parent: QWidget, title: str, name: str) -> Path | None:
    return save_path(parent, title, name if name.endswith(".xlsx") else name + ".xlsx")
