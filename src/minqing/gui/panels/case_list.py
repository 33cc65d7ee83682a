"""民情受理日志: every case in a sortable, filterable table that loads rows only as shown.

Typing in the search box waits ~200 ms for a pause, then asks SQL for the matching ids.
Export writes the current view (same order, same filter) to Excel off the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from minqing.core.cases import export, queries
from minqing.gui.context import AppContext
from minqing.gui.models.case_table import DAYS_LEFT, NUMBER, TEXT, CaseIdRole, CaseTableModel
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.panels.board import FilterBar
from minqing.gui.widgets.file_dialogs import save_path

SEARCH_DELAY_MS = 200


class CaseListPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("case_list_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("搜索：编号、姓名、拼音首字母、电话、内容、地址")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        top.addWidget(self.search, 1)
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.ask_export)
        top.addWidget(self.export_button)
        outer.addLayout(top)
        self.filters = FilterBar(ctx, with_stage=True, with_overdue=True)
        outer.addWidget(self.filters)

        self.model = CaseTableModel(self)
        self.model.viewer = ctx.staff
        self.table = QTableView()
        self.table.setObjectName("cases")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(export.COLUMNS):
            header.resizeSection(
                i, self.fontMetrics().horizontalAdvance("汉") * max(column.width // 2, 4) + 16
            )
        header.resizeSection(NUMBER, self.fontMetrics().horizontalAdvance("2026-00000") + 24)
        header.resizeSection(TEXT, self.fontMetrics().horizontalAdvance("汉") * 22)
        header.resizeSection(DAYS_LEFT, self.fontMetrics().horizontalAdvance("剩余工作日") + 28)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(NUMBER, Qt.SortOrder.DescendingOrder)
        self.table.activated.connect(self._open)
        outer.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        outer.addWidget(self.summary)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.filters.changed.connect(self.reload)
        self.model.modelReset.connect(self._summarise)
        ctx.case_changed.connect(self._case_changed)
        ctx.data_reset.connect(self.reload)
        ctx.external_change.connect(self.reload_in_place)
        self.export_op: Op[int] | None = None
        self.reload()

    def current_filter(self) -> queries.CaseFilter:
        return self.filters.filter(self.search.text())

    def reload(self) -> None:
        self.model.set_query(self.current_filter())

    def reload_in_place(self) -> None:
        """Another PC changed data: run the query again, keeping the selected case and the
        scroll position; when the same cases still match, only their rows are read again."""
        found = self.model.query(self.current_filter())
        ids = found.ids
        if ids == self.model.ids and found.total == self.model.total:
            self.model.refresh_all()
            return
        current = self.table.currentIndex()
        selected = current.data(CaseIdRole) if current.isValid() else None
        scroll = self.table.verticalScrollBar().value()
        self.model.set_query(self.current_filter(), found)
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        self.table.verticalScrollBar().setValue(scroll)

    def run_search(self, text: str) -> None:
        """What a pause in typing triggers; public so the benchmark can time one keystroke."""
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self.reload()

    def _case_changed(self, case_id: int) -> None:
        if case_id in self.model.rows:
            self.model.refresh_case(case_id)
        else:
            self.reload()  # a new case, or one that may now match the filter

    def _summarise(self) -> None:
        if self.model.truncated:
            self.summary.setText(
                f"共 {self.model.total} 条民情，按当前排序列出前 {self.model.rowCount()} 条；"
                "请用日期、窗口、片区或搜索缩小范围（导出和打印包括全部）"
            )
        else:
            self.summary.setText(f"共 {self.model.rowCount()} 条民情")

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.open_case.emit(index.data(CaseIdRole))

    def ask_export(self) -> None:
        path = save_path(self, "导出民情受理日志", "民情受理日志.xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> Op[int]:
        model, flt = self.model, self.current_filter()
        shown = None if model.truncated else list(model.ids)  # all of them, in the list's order
        actor = self.ctx.staff  # the export is theirs, and logged

        def ids() -> list[int]:
            return (
                shown
                if shown is not None
                else queries.case_ids(flt, model.sort_key, model.descending)
            )

        def finished() -> None:
            self.export_button.setEnabled(True)
            self.export_op = None

        self.export_button.setEnabled(False)
        self.export_op = (
            Op(
                self,
                lambda progress: export.export_cases(path, ids(), progress=progress, actor=actor),
                what="导出失败",
            )
            .with_progress("正在导出…")
            .writes(path)
            .always(finished)
            .success(lambda n: self.ctx.status.emit(f"已导出 {n} 条民情到 {path}"))
            .run()
        )
        return self.export_op


PANEL = PanelSpec(
    object_name="case_list",
    title="民情受理日志",
    factory=CaseListPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
    shortcut="Ctrl+4",
)
