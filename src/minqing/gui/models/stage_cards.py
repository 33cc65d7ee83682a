"""One board column: the cards of a stage, fetched page by page as the column scrolls.

The count comes from SQL (board_counts) so the model knows its size without loading rows;
QListView asks for more through canFetchMore/fetchMore when the user nears the bottom.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.core.enums import Stage

PAGE = 50
MIME = "application/x-minqing-case"
CaseRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class StageCardsModel(QAbstractListModel):
    # A card was dropped here: (case id, source stage code, this stage code).
    drop_requested = Signal(int, str, str)

    def __init__(self, stage: Stage, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        # whether the signed-in role may move this card on: the board sets it, so a drag
        # never starts for a card the role could only have refused
        self.may_drag: Callable[[queries.CaseRow], bool] = lambda _row: True
        self.viewer: Any = None  # the signed-in person: numbers in the words masked
        self.filter = queries.CaseFilter()
        self.total = 0
        self.rows: list[queries.CaseRow] = []
        self.pages_fetched = 0

    def reload(self, flt: queries.CaseFilter, total: int, keep: int = PAGE) -> None:
        """Start again from the database, keeping about as many cards as were loaded."""
        self.beginResetModel()
        self.filter = flt
        self.total = total
        self.rows = []
        self.endResetModel()
        self._fetch(min(max(keep, PAGE), total))

    def _fetch(self, count: int) -> None:
        if count <= 0:
            return
        more = queries.board_cards(self.stage, self.filter, offset=len(self.rows), limit=count)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()
        self.pages_fetched += 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch(min(PAGE, self.total - len(self.rows)))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == CaseRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.number} {row.person}"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = permissions.shown_text(self.viewer, row.text, row)
            return f"{row.number}  {row.person}  {row.window}\n{text[:120]}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.number}，{row.person}，{row.window}"
        return None

    def row_of(self, case_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == case_id), -1)

    # Drag and drop: the case travels as "id:stage"; the board decides what a drop means.

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if index.row() < len(self.rows) and self.may_drag(self.rows[index.row()]):
                base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        data = QMimeData()
        rows = [self.rows[i.row()] for i in indexes if i.isValid()]
        if rows:
            data.setData(MIME, QByteArray(f"{rows[0].id}:{rows[0].stage.value}".encode()))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(MIME):
            return False
        _, stage = bytes(data.data(MIME).data()).decode().split(":")
        return stage != self.stage.value

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        case_id, stage = bytes(data.data(MIME).data()).decode().split(":")
        self.drop_requested.emit(int(case_id), stage, self.stage.value)
        return False  # the board reloads after the move; no rows are inserted by the drop itself
