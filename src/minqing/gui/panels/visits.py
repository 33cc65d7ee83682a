"""进百家门: how far this year's round has come in each grid, and the households still to
visit in walking order (grid, courtyard, building, unit, door) so a staff member can plan a
route. Recording a visit can open a case at once (channel 入户走访).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from minqing.core.outreach import visits
from minqing.core.registry import services as registry
from minqing.gui.context import AppContext
from minqing.gui.dialogs import registry_forms as forms
from minqing.gui.dialogs.messages import show_refusal
from minqing.gui.dialogs.registry_widgets import (
    IdRole,
    RowsModel,
    ask_save,
    fit_columns,
    make_table,
    selected_ids,
)
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused


class VisitsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("visits_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        top.addWidget(self.year)
        top.addWidget(QLabel("片区："))
        self.grid = QComboBox()
        self.grid.setObjectName("grid")
        top.addWidget(self.grid)
        self.total = QLabel()
        self.total.setObjectName("total")
        top.addWidget(self.total, 1)
        for name, text, slot in (
            ("record", "记录走访…", self.record_selected),
            ("export", "导出未走访名单…", self.ask_export),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            top.addWidget(button)
        outer.addLayout(top)

        split = QSplitter(Qt.Orientation.Vertical)
        self.coverage = RowsModel(
            ["片区", "负责人", "在住户数", "已走访", "覆盖率", "未走访"], self
        )
        self.coverage_view = make_table(self.coverage, "coverage")
        fit_columns(self.coverage_view, [6, 5, 5, 5, 5, 5])
        self.coverage_view.clicked.connect(self._grid_clicked)
        split.addWidget(self.coverage_view)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.unvisited_label = QLabel()
        self.unvisited_label.setObjectName("unvisited_label")
        layout.addWidget(self.unvisited_label)
        self.unvisited = RowsModel([c for c, _ in visits.UNVISITED_COLUMNS], self)
        self.unvisited_view = make_table(self.unvisited, "unvisited")
        fit_columns(self.unvisited_view, [5, 16, 4, 6])
        self.unvisited_view.doubleClicked.connect(lambda _: self.record_selected())
        layout.addWidget(self.unvisited_view, 1)
        split.addWidget(box)
        split.setSizes([260, 440])
        outer.addWidget(split, 1)

        self.year.valueChanged.connect(self.reload)
        self.grid.currentIndexChanged.connect(self._load_unvisited)
        ctx.data_reset.connect(self._reset)
        self._reset()
        hide_refused(
            self,
            ctx,
            {
                "record": "visit.record",
            },
        )

    def _reset(self) -> None:
        self.grid.blockSignals(True)
        current = self.grid.currentData()
        self.grid.clear()
        self.grid.addItem("全部片区", None)
        for gid, name in forms.grid_choices(self.ctx):
            self.grid.addItem(name, gid)
        self.grid.setCurrentIndex(max(self.grid.findData(current), 0))
        self.grid.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        if self.ctx.community is None:
            return
        rows = visits.coverage(self.ctx.community, self.year.value())
        self.coverage.set_rows(
            [
                (c.grid, c.staff, c.households, c.visited, f"{c.percent:.0f}%", c.missing)
                for c in rows
            ],
            [c.grid_id for c in rows],
            greyed=[i for i, c in enumerate(rows) if c.households == 0],
        )
        homes = sum(c.households for c in rows)
        seen = sum(c.visited for c in rows)
        share = 100 * seen / homes if homes else 0
        self.total.setText(f"　全社区 {homes} 户，已走访 {seen} 户（{share:.0f}%）")
        self._load_unvisited()

    def _grid_clicked(self, index: object) -> None:
        grid_id = self.coverage_view.currentIndex().data(IdRole)
        self.grid.setCurrentIndex(max(self.grid.findData(grid_id), 0))

    def _rows(self) -> list[visits.Unvisited]:
        assert self.ctx.community is not None
        return visits.unvisited(self.ctx.community, self.year.value(), self.grid.currentData())

    def _load_unvisited(self) -> None:
        if self.ctx.community is None:
            return
        rows = self._rows()
        self.unvisited.set_rows(
            [(u.grid, u.address, u.people, u.last_visit or "从未走访") for u in rows],
            [u.household_id for u in rows],
        )
        where = self.grid.currentText() if self.grid.currentData() else "全社区"
        self.unvisited_label.setText(
            f"{where} {self.year.value()} 年尚未走访 {len(rows)} 户"
            "（按院落、楼、单元、门牌排序，可按此路线上门）"
        )

    def record_selected(self) -> None:
        ids = selected_ids(self.unvisited_view)
        if not ids:
            show_refusal(self, "请先在未走访名单中选择一户。")
            return
        result = forms.record_visit(self, self.ctx, registry.get_household(ids[0]))
        if result is not None:
            note = f"，并开了民情件 {result.case.number}" if result.case else ""
            self.ctx.status.emit(f"已记录走访{note}")
            self.reload()

    def ask_export(self) -> None:
        path = ask_save(self, "导出未走访名单", f"{self.year.value()}年未走访住户.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        community, year, grid = self.ctx.community, self.year.value(), self.grid.currentData()
        assert community is not None
        staff = self.ctx.staff
        Op(
            self,
            lambda progress: visits.export_unvisited(
                path, community, year, grid, progress, actor=staff
            ),
            what="导出失败",
        ).with_progress("正在导出…").writes(path).success(
            lambda n: self.ctx.status.emit(f"已导出 {n} 户到 {path}")
        ).run()


PANEL = PanelSpec(
    object_name="visits",
    title="进百家门",
    factory=VisitsPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
