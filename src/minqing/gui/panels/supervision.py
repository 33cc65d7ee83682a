"""跟踪监督: what is due for a check (定期督促), answered cases waiting for a callback (回访),
the random spot-check draws (随机抽查) with the cases each drew, and the checks done.
Double-click opens the case; the buttons record a check or a callback on the selected case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts import permissions
from minqing.core.enums import CheckKind, Stage
from minqing.core.supervision import services as supervision
from minqing.gui.context import AppContext
from minqing.gui.dialogs import supervision_forms as forms
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused

CaseIdRole = Qt.ItemDataRole.UserRole + 7
RED = QColor("#C0392B")
LIMIT = 500


def _tree(name: str, headers: Sequence[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""  # type: ignore[union-attr]


class SupervisionPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("supervision_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary, 1)
        self.check_button = self._button("check", "记录督查…", self.record_check, top)
        self.callback_button = self._button("callback", "回访…", self.record_callback, top)
        self.draw_button = self._button("draw", "随机抽查…", self.draw, top)
        self._button("refresh", "刷新", self.refresh, top)
        outer.addLayout(top)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        outer.addWidget(self.tabs, 1)
        case_cols = ["编号", "服务窗口", "责任人", "办理时限", "答复日期", "上次督查", "内容"]
        self.due = _tree("due", case_cols)
        self.awaiting = _tree("awaiting", case_cols)
        self.draws = _tree(
            "draws", ["抽取时间", "办结日期范围", "抽查件数", "总体", "随机种子", "复核"]
        )
        self.items = _tree("items", ["序号", "编号", "服务窗口", "责任人", "抽查结果"])
        self.records = _tree(
            "records", ["日期", "方式", "编号", "督查人", "联系方式", "情况", "问题", "问题责任人"]
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.draws)
        split.addWidget(self.items)
        self.tabs.addTab(self.due, "待督促")
        self.tabs.addTab(self.awaiting, "待回访")
        self.tabs.addTab(split, "随机抽查")
        self.tabs.addTab(self.records, "督查与回访记录")
        for tree in (self.due, self.awaiting, self.items, self.records):
            tree.itemActivated.connect(self._open)
        self.draws.currentItemChanged.connect(lambda *_: self._show_items())
        self.tabs.currentChanged.connect(lambda *_: self._update_buttons())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        ctx.case_changed.connect(self._timer.start)
        ctx.data_reset.connect(self._timer.start)
        self.refresh()
        hide_refused(
            self,
            ctx,
            {
                "check": "check.record",
                "callback": "callback.record",
                "draw": "spot_check.draw",
            },
        )

    def _button(
        self, name: str, text: str, slot: Callable[[], object], row: QHBoxLayout
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # --- lists ------------------------------------------------------------------------------

    def refresh(self) -> None:
        due = supervision.due_for_check(limit=LIMIT)
        waiting = supervision.awaiting_callback(limit=LIMIT)
        self._fill_cases(self.due, due)
        self._fill_cases(self.awaiting, waiting)
        self._fill_draws()
        self._fill_records()
        shown = [f"{len(x)}+" if len(x) >= LIMIT else str(len(x)) for x in (due, waiting)]
        self.tabs.setTabText(0, f"待督促（{shown[0]}）")
        self.tabs.setTabText(1, f"待回访（{shown[1]}）")
        self.summary.setText(f"临近或超过时限 {shown[0]} 件，待回访 {shown[1]} 件")
        self._update_buttons()

    def _fill_cases(self, tree: QTreeWidget, rows: list[supervision.DueRow]) -> None:
        today = dt.date.today()
        tree.clear()
        shown_text = permissions.text_shower(self.ctx.staff)
        for row in rows:
            text = shown_text(row.text)
            item = QTreeWidgetItem(
                tree,
                [
                    row.number,
                    row.window,
                    row.owner or "未指定",
                    _date(row.due_date),
                    _date(row.replied_on),
                    _date(row.last_checked),
                    text.replace("\n", " ")[:60],
                ],
            )
            item.setData(0, CaseIdRole, row.id)
            item.setToolTip(6, text)
            if row.due_date and row.due_date < today and row.stage in (Stage.HANDLING,):
                item.setForeground(3, QBrush(RED))

    def _fill_draws(self) -> None:
        current = self.draws.currentItem()
        keep = current.data(0, CaseIdRole) if current else None
        self.draws.clear()
        for draw in supervision.recent_draws():
            item = QTreeWidgetItem(
                self.draws,
                [
                    draw.drawn_at.strftime("%Y-%m-%d %H:%M"),
                    f"{_date(draw.period_from)} 至 {_date(draw.period_to)}",
                    str(len(supervision.drawn_ids(draw))),
                    str(draw.population),
                    draw.seed,
                    "",
                ],
            )
            item.setData(0, CaseIdRole, draw.id)
            if draw.id == keep:
                self.draws.setCurrentItem(item)
        if self.draws.currentItem() is None and self.draws.topLevelItemCount():
            self.draws.setCurrentItem(self.draws.topLevelItem(0))
        self._show_items()

    def _show_items(self) -> None:
        self.items.clear()
        current = self.draws.currentItem()
        if current is None:
            return
        draw = supervision.get_draw(current.data(0, CaseIdRole))
        current.setText(5, "一致" if supervision.verify_draw(draw) else "不一致")
        for it in supervision.draw_items(draw):
            item = QTreeWidgetItem(
                self.items, [str(it.position), it.number, it.window, it.owner, it.result]
            )
            item.setData(0, CaseIdRole, it.case_id)
            if it.fault:
                item.setForeground(4, QBrush(RED))

    def _fill_records(self) -> None:
        self.records.clear()
        for r in supervision.recent_records():
            item = QTreeWidgetItem(
                self.records,
                [
                    r.day.isoformat(),
                    r.kind,
                    r.number,
                    r.who,
                    r.method,
                    r.finding,
                    r.fault,
                    r.fault_owner,
                ],
            )
            item.setData(0, CaseIdRole, r.case_id)
            if r.fault:
                item.setForeground(6, QBrush(RED))

    # --- actions ----------------------------------------------------------------------------

    def _tree_now(self) -> QTreeWidget:
        return {0: self.due, 1: self.awaiting, 2: self.items}.get(
            self.tabs.currentIndex(), self.records
        )

    def selected_case(self) -> int | None:
        item = self._tree_now().currentItem()
        value = item.data(0, CaseIdRole) if item else None
        return value if isinstance(value, int) else None

    def _update_buttons(self) -> None:
        index = self.tabs.currentIndex()
        self.check_button.setEnabled(index in (0, 2, 3))
        self.callback_button.setEnabled(index in (1, 2, 3))

    def record_check(self) -> None:
        case_id = self.selected_case()
        if case_id is None:
            self.ctx.status.emit("请先选中一件民情。")
            return
        kind = CheckKind.SPOT if self.tabs.currentIndex() == 2 else CheckKind.PERIODIC
        if forms.run(forms.check_dialog(self, self.ctx, case_id, kind.value)) is not None:
            self.refresh()

    def record_callback(self) -> None:
        case_id = self.selected_case()
        if case_id is None:
            self.ctx.status.emit("请先选中一件民情。")
            return
        change = forms.run(forms.callback_dialog(self, self.ctx, case_id))
        if change is not None:
            if change.case.stage == Stage.HANDLING:
                self.ctx.status.emit(f"{change.case.number} 已退回重新办理。")
            self.refresh()

    def draw(self) -> None:
        draw = forms.run(forms.draw_dialog(self, self.ctx))
        if draw is not None:
            self.ctx.status.emit(f"已随机抽取 {len(supervision.drawn_ids(draw))} 件民情。")
            self.refresh()
            self.tabs.setCurrentIndex(2)
            self.draws.setCurrentItem(self.draws.topLevelItem(0))

    def _open(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, CaseIdRole)
        if isinstance(case_id, int):
            self.ctx.open_case.emit(case_id)


PANEL = PanelSpec(
    object_name="supervision",
    title="跟踪监督",
    factory=SupervisionPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
