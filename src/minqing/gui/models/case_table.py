"""The intake register as a lazy table: it holds the ids of the query and loads rows in blocks.

Sorting and filtering are SQL (queries.case_ids); a row is read only when a view asks for it,
so 100,000 cases cost a list of ints plus the few blocks on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.core.cases.export import COLUMNS, cell_value
from minqing.gui.models.card_delegate import GREY, ORANGE, RED, days_text

BLOCK = 100
CaseIdRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

# Column constants, in COLUMNS order (core.export shares the headers and values).
(
    NUMBER,
    INTAKE_DATE,
    STAGE,
    CHANNEL,
    PERSON,
    WINDOW,
    OWNER,
    DISPOSITION,
    TEXT,
    DUE_DATE,
    DAYS_LEFT,
    STATUS,
) = range(12)
SORT_KEYS = {
    NUMBER: "number",
    INTAKE_DATE: "intake_date",
    STAGE: "stage",
    CHANNEL: "channel",
    WINDOW: "window",
    OWNER: "owner",
    DUE_DATE: "due_date",
}


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.ids: list[int] = []
        self.total = 0  # how many match the filter: more than len(ids) past LIST_LIMIT
        self.rows: dict[int, queries.CaseRow] = {}  # case id -> row, only the loaded blocks
        self.filter = queries.CaseFilter()
        self.viewer: Any = None  # the signed-in person: numbers in the words masked
        self.sort_key = "number"
        self.descending = True

    # Queries

    def query(self, flt: queries.CaseFilter) -> queries.ListIds:
        return queries.list_ids(flt, self.sort_key, self.descending)

    def set_query(self, flt: queries.CaseFilter, found: queries.ListIds | None = None) -> None:
        """Show the cases matching `flt`; `found` when the caller already ran the query."""
        self.filter = flt
        found = found or self.query(flt)
        self.total = found.total
        self.set_ids(found.ids)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.ids)

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids = ids
        self.rows = {}
        self.endResetModel()

    def refresh_case(self, case_id: int) -> None:
        """One case changed: forget its row so it is read again when shown."""
        if self.rows.pop(case_id, None) is not None:
            row = self.ids.index(case_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_all(self) -> None:
        """Every row may have changed: forget them all, keeping the rows themselves."""
        self.rows = {}
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    @property
    def loaded(self) -> int:
        return len(self.rows)

    def case_id(self, row: int) -> int:
        return self.ids[row]

    def _row(self, number: int) -> queries.CaseRow | None:
        case_id = self.ids[number]
        row = self.rows.get(case_id)
        if row is None:
            start = number - number % BLOCK
            block = [i for i in self.ids[start : start + BLOCK] if i not in self.rows]
            shown_text = permissions.text_shower(self.viewer)
            for loaded in queries.case_rows(block, self.filter.today):
                loaded.text = shown_text(loaded.text, loaded)
                self.rows[loaded.id] = loaded
            row = self.rows.get(case_id)
        return row

    # Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                COLUMNS[section].header
                if orientation == Qt.Orientation.Horizontal
                else str(section + 1)
            )
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return "点击排序" if section in SORT_KEYS else "此列不能排序"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == CaseIdRole:
            return self.ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._row(index.row())
        if row is None:  # deleted since the query ran
            return (
                "（已删除）"
                if role == Qt.ItemDataRole.DisplayRole and index.column() == 0
                else None
            )
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (DAYS_LEFT, STATUS, NUMBER):
                if row.overdue:
                    return QBrush(RED)
                if row.urgent:
                    return QBrush(ORANGE)
                if row.waiting:
                    return QBrush(GREY)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text if column == TEXT else None
        if column == DAYS_LEFT:
            return days_text(row)[0]
        value = cell_value(row, column)
        if value is None:
            return ""
        if column == TEXT:
            return str(value).replace("\n", " ")[:80]
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self.set_query(self.filter)
        self.layoutChanged.emit()
