"""民情日记: the leaders' entries by date and author, and which of them became cases.

“登记为民情” turns the selected entry into a case (channel 民情日记) through one form; the
entry then shows its case number, and double-clicking it opens the case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.channels import diary
from minqing.core.errors import MinqingError
from minqing.gui.context import AppContext
from minqing.gui.dialogs import outreach_forms
from minqing.gui.dialogs.form import staff_choices
from minqing.gui.dialogs.messages import confirm, show_refusal
from minqing.gui.models.card_delegate import GREY
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused

EntryRole = Qt.ItemDataRole.UserRole + 1
CaseRole = Qt.ItemDataRole.UserRole + 2
COLUMNS = ["日期", "记录人", "日记内容", "登记的民情", "环节"]
LIMIT = 2000


class DiaryPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("diary_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.author = QComboBox()
        self.author.setObjectName("author")
        self.author.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.author.currentIndexChanged.connect(self.refresh)
        top.addWidget(self.author)
        self.only_open = QCheckBox("只看未登记的")
        self.only_open.setObjectName("only_open")
        self.only_open.toggled.connect(self.refresh)
        top.addWidget(self.only_open)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary, 1)
        self.write_button = QPushButton("写日记…")
        self.write_button.setObjectName("write")
        self.write_button.clicked.connect(self.write)
        top.addWidget(self.write_button)
        self.case_button = QPushButton("登记为民情…")
        self.case_button.setObjectName("to_case")
        self.case_button.clicked.connect(self.to_case)
        top.addWidget(self.case_button)
        self.delete_button = QPushButton("删除")
        self.delete_button.setObjectName("delete")
        self.delete_button.clicked.connect(self.delete)
        top.addWidget(self.delete_button)
        outer.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setObjectName("entries")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(COLUMNS)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        outer.addWidget(self.tree, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        ctx.case_changed.connect(self._timer.start)
        ctx.data_reset.connect(self._load_authors)
        ctx.data_reset.connect(self._timer.start)
        self._load_authors()
        self.refresh()
        hide_refused(
            self,
            ctx,
            {
                "write": "diary.write",
                "delete": "diary.write",
                "to_case": "case.take_in",
            },
        )

    def _load_authors(self) -> None:
        current = self.author.currentData()
        self.author.blockSignals(True)
        self.author.clear()
        self.author.addItem("全部记录人", None)
        for staff_id, name in staff_choices(self.ctx.community.id if self.ctx.community else None):
            self.author.addItem(name, staff_id)
        self.author.setCurrentIndex(max(self.author.findData(current), 0))
        self.author.blockSignals(False)

    def refresh(self) -> None:
        if self.ctx.community is None:
            return
        selected = self.selected_entry()
        rows = diary.entries(
            self.ctx.community,
            author=self.author.currentData(),
            only_open=self.only_open.isChecked(),
        )
        self.tree.clear()
        grey = QBrush(GREY)
        for row in rows[:LIMIT]:
            item = QTreeWidgetItem(
                [
                    f"{row.written_on:%Y-%m-%d}",
                    row.author,
                    row.text.replace("\n", " "),
                    row.case_number or "—",
                    row.case_stage,
                ]
            )
            item.setData(0, EntryRole, row.id)
            item.setData(0, CaseRole, row.case_id)
            item.setToolTip(2, row.text)
            if row.case_id:
                item.setToolTip(3, "双击打开这条民情")
            else:
                item.setForeground(3, grey)
            self.tree.addTopLevelItem(item)
            if row.id == selected:
                item.setSelected(True)
                self.tree.setCurrentItem(item)
        became = sum(1 for r in rows if r.case_id)
        self.summary.setText(f"共 {len(rows)} 篇，{became} 篇已登记为民情")
        self._update_buttons()

    def selected_entry(self) -> int | None:
        items = self.tree.selectedItems()
        return int(items[0].data(0, EntryRole)) if items else None

    def _selected_case(self) -> int | None:
        items = self.tree.selectedItems()
        value = items[0].data(0, CaseRole) if items else None
        return int(value) if value else None

    def _update_buttons(self) -> None:
        open_entry = self.selected_entry() is not None and self._selected_case() is None
        self.case_button.setEnabled(open_entry)
        self.delete_button.setEnabled(open_entry)

    def select_entry(self, entry_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, EntryRole) == entry_id:
                self.tree.setCurrentItem(item)
                return

    def write(self) -> None:
        entry = outreach_forms.write_entry(self, self.ctx)
        if entry is not None:
            self.refresh()
            self.select_entry(entry.id)
            self.ctx.status.emit(f"已保存 {entry.written_on:%Y-%m-%d} 的民情日记")

    def to_case(self) -> None:
        entry_id = self.selected_entry()
        if entry_id is None:
            return
        change = outreach_forms.entry_to_case(self, self.ctx, entry_id)
        if change is None:
            return
        self.refresh()
        self.select_entry(entry_id)
        self.ctx.case_changed.emit(change.case.id)
        self.ctx.status.emit(f"民情日记已登记为民情 {change.case.number}")

    def delete(self) -> None:
        entry_id = self.selected_entry()
        if entry_id is None or not confirm(self, "删除这篇民情日记？"):
            return
        try:
            diary.delete(entry_id, actor=self.ctx.staff)
        except MinqingError as exc:
            show_refusal(self, exc.message)
        self.refresh()

    def _activated(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, CaseRole)
        if case_id:
            self.ctx.open_case.emit(int(case_id))
        else:
            self.to_case()


PANEL = PanelSpec(
    object_name="diary",
    title="民情日记",
    factory=DiaryPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
