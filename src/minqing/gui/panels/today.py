"""今日待办: what needs attention now, grouped with counts. Double-click opens the case."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.gui.context import AppContext
from minqing.gui.models.card_delegate import GREY, ORANGE, RED, days_text
from minqing.gui.panels import PanelSpec

LIMIT = 200
GROUPS = [
    ("overdue", "已超期", RED),
    ("due_today", "今天到期", ORANGE),
    ("escalated_follow_up", "上报件到了跟进日期", ORANGE),
    ("due_tomorrow", "明天到期", ORANGE),
    ("waiting_materials", "等待居民补交材料", GREY),
]
CaseIdRole = Qt.ItemDataRole.UserRole + 3


def when(row: queries.CaseRow, group: str) -> str:
    """The date that matters in this group: the follow-up date of a 上报件, how long a case
    has waited for materials, otherwise the deadline."""
    if group == "escalated_follow_up" and row.follow_up_date is not None:
        return f"{row.follow_up_date:%m-%d}跟进"
    if group == "waiting_materials" and row.waiting_since is not None:
        return f"已等{(dt.date.today() - row.waiting_since).days}天"
    return days_text(row)[0]


class TodayPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("today_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary, 1)
        self.mine = QCheckBox("只看我负责的")
        self.mine.setObjectName("mine")
        self.mine.setEnabled(ctx.staff is not None)
        self.mine.toggled.connect(self.refresh)
        top.addWidget(self.mine)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        outer.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setObjectName("today")
        self.tree.setHeaderLabels(["编号", "反映人", "服务窗口", "责任人", "时限", "内容"])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._open)
        outer.addWidget(self.tree, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        ctx.case_changed.connect(self._timer.start)
        ctx.data_reset.connect(self._timer.start)
        ctx.external_change.connect(self._timer.start)
        self.counts: dict[str, int] = {}
        self.collapsed: set[str] = set()  # groups the user closed stay closed across refreshes
        self.tree.itemCollapsed.connect(lambda item: self.collapsed.add(item.data(0, CaseIdRole)))
        self.tree.itemExpanded.connect(
            lambda item: self.collapsed.discard(item.data(0, CaseIdRole))
        )
        self.refresh()

    def refresh(self) -> None:
        owner = self.ctx.staff.id if self.mine.isChecked() and self.ctx.staff else None
        lists = queries.today_lists(owner_id=owner, limit=LIMIT)
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        total = 0
        shown_text = permissions.text_shower(self.ctx.staff)
        groups: list[tuple[QTreeWidgetItem, bool]] = []
        # The items are made apart from the tree and added at once: each item added to a
        # shown tree made it measure its columns again (760 rows took 0.2 s of CPU).
        for key, title, colour in GROUPS:
            rows: list[queries.CaseRow] = getattr(lists, key)
            self.counts[key] = len(rows)
            total += len(rows)
            shown = f"{len(rows)}+" if len(rows) >= LIMIT else str(len(rows))
            group = QTreeWidgetItem([f"{title}（{shown}）"])
            group.setData(0, CaseIdRole, key)
            group.setFont(0, bold)
            group.setForeground(0, QBrush(colour if rows else GREY))
            items = []
            for row in rows:
                days = when(row, key)
                text = shown_text(row.text, row)
                item = QTreeWidgetItem(
                    [
                        row.number + (" 急" if row.urgent else ""),
                        row.person,
                        row.window,
                        row.owner or "未指定",
                        days,
                        text.replace("\n", " ")[:60],
                    ],
                )
                item.setData(0, CaseIdRole, row.id)
                item.setToolTip(5, text)
                if row.overdue:
                    item.setForeground(4, QBrush(RED))
                items.append(item)
            group.addChildren(items)
            groups.append((group, bool(rows) and key not in self.collapsed))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # measured once, below
        self.tree.addTopLevelItems([group for group, _ in groups])
        for group, expanded in groups:
            group.setFirstColumnSpanned(True)
            group.setExpanded(expanded)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.blockSignals(False)
        self.summary.setText(f"需要关注 {total} 条" if total else "今天没有需要特别关注的民情。")

    def _open(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, CaseIdRole)
        if isinstance(case_id, int):
            self.ctx.open_case.emit(case_id)


PANEL = PanelSpec(
    object_name="today",
    title="今日待办",
    factory=TodayPanel,
    area=Qt.DockWidgetArea.LeftDockWidgetArea,
    tab_with=None,
    shortcut="Ctrl+5",
)
