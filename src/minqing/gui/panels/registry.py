"""居民台账: grid → courtyard → building → unit → household, and a household's page with its
residents (tags; ID and phone masked for roles that may not see them), cases, visits and
cards. The search box finds a resident by name, pinyin initials, phone digits or address
and opens their household.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.accounts import permissions
from minqing.core.accounts.permissions import can_see_personal
from minqing.core.cases.search import find_residents
from minqing.core.enums import Channel, Stage, label_of
from minqing.core.privacy import mask_id_number, mask_phone
from minqing.core.registry import ledger_export
from minqing.core.registry import services as registry
from minqing.gui.context import AppContext
from minqing.gui.dialogs import registry_forms as forms
from minqing.gui.dialogs.messages import show_refusal
from minqing.gui.dialogs.registry_import import open_import
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
from minqing.gui.widgets.file_dialogs import open_path

if TYPE_CHECKING:
    from minqing.core.models import Household, Resident

HouseholdRole = Qt.ItemDataRole.UserRole + 5
SEARCH_DELAY_MS = 150


class RegistryPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("registry_panel")
        self.household: Household | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("找居民：姓名、拼音首字母（wxy）、电话、地址")
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 1)
        for name, text, slot in (
            ("add_household", "添加住户…", self.add_household),
            ("import", "导入Excel…", self.ask_import),
            ("export", "导出Excel…", self.ask_export),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            top.addWidget(button)
        outer.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.hits = QListWidget()
        self.hits.setObjectName("hits")
        self.hits.setVisible(False)
        self.hits.itemActivated.connect(self._hit_chosen)
        self.hits.itemClicked.connect(self._hit_chosen)
        left_layout.addWidget(self.hits)
        self.tree = QTreeWidget()
        self.tree.setObjectName("tree")
        self.tree.setHeaderLabels(["片区 / 院落 / 楼 / 单元 / 户", "人数"])
        self.tree.setColumnWidth(0, self.fontMetrics().horizontalAdvance("汉") * 14)
        self.tree.currentItemChanged.connect(self._tree_chosen)
        left_layout.addWidget(self.tree, 1)
        split.addWidget(left)
        split.addWidget(self._build_page())
        split.setStretchFactor(1, 2)
        split.setSizes([320, 700])
        outer.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        ctx.data_reset.connect(self.reload)
        self.reload()
        hide_refused(
            self,
            ctx,
            {
                "add_household": "registry.edit",
                "import": "ledger.import",
                "edit_household": "registry.edit",
                "move_household": "registry.edit",
                "add_resident": "registry.edit",
                "edit_resident": "registry.edit",
                "mark_status": "registry.edit",
                "record_visit": "visit.record",
            },
        )

    # --- layout

    def _build_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("请在左侧选择一户，或在上方搜索居民。")
        self.title.setObjectName("household_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.title)
        buttons = QHBoxLayout()
        self.page_buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("edit_household", "编辑住户", self.edit_household),
            ("move_household", "转片区", self.move_household),
            ("add_resident", "添加居民", self.add_resident),
            ("edit_resident", "编辑居民", self.edit_resident),
            ("mark_status", "迁出/去世", self.mark_status),
            ("record_visit", "记录走访", self.record_visit),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setEnabled(False)
            buttons.addWidget(button)
            self.page_buttons[name] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.people = RowsModel(["姓名", "性别", "身份证号", "电话", "标签", "状态"], self)
        self.people_view = make_table(self.people, "residents")
        fit_columns(self.people_view, [5, 2, 11, 8, 12, 5])
        self.people_view.doubleClicked.connect(lambda _: self.edit_resident())
        layout.addWidget(self.people_view, 2)
        self.tabs = QTabWidget()
        self.cases = RowsModel(["编号", "受理日期", "渠道", "环节", "内容"], self)
        self.visits = RowsModel(["日期", "走访人", "了解到的情况", "民情"], self)
        self.cards = RowsModel(["卡", "编号", "发卡日期", "补发原因"], self)
        for model, name, title, widths in (
            (self.cases, "cases", "民情", [6, 6, 5, 5, 30]),
            (self.visits, "visits", "走访", [6, 4, 30, 6]),
            (self.cards, "cards", "连心卡", [7, 9, 6, 10]),
        ):
            view = make_table(model, name)
            fit_columns(view, widths)
            if model is self.cases:
                view.doubleClicked.connect(
                    lambda index: self.ctx.open_case.emit(index.data(IdRole))
                )
            self.tabs.addTab(view, title)
        layout.addWidget(self.tabs, 1)
        return page

    # --- tree

    def reload(self) -> None:
        current = self.household.id if self.household else None
        self.tree.clear()
        if self.ctx.community is None:
            return
        grids = {g.id: g.name for g in community_service.grids(self.ctx.community)}
        nodes: dict[tuple[str, ...], QTreeWidgetItem] = {}
        rows = registry.household_rows(self.ctx.community)
        order = {gid: i for i, gid in enumerate(grids)}
        rows.sort(key=lambda r: order.get(r.grid_id, len(order)))
        select = None
        for row in rows:
            path = (
                grids.get(row.grid_id, "（未分片区）") if row.grid_id else "（未分片区）",
                row.courtyard,
                f"{row.building}号楼" if row.building else "",
                f"{row.unit}单元" if row.unit else "",
            )
            parent = None
            for depth in range(1, len(path) + 1):
                key = path[:depth]
                if not key[-1]:
                    continue
                if key not in nodes:
                    item = QTreeWidgetItem([key[-1], ""])
                    (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
                    nodes[key] = item
                parent = nodes[key]
            leaf = QTreeWidgetItem([f"{row.door}室" if row.door else "（户）", str(row.people)])
            leaf.setData(0, HouseholdRole, row.id)
            if row.people == 0:
                leaf.setForeground(0, Qt.GlobalColor.gray)
            assert parent is not None
            parent.addChild(leaf)
            if row.id == current:
                select = leaf
        homes: dict[str, int] = {}
        for row in rows:
            top = grids.get(row.grid_id, "（未分片区）") if row.grid_id else "（未分片区）"
            homes[top] = homes.get(top, 0) + 1
        for key, item in nodes.items():
            if len(key) == 1:
                item.setText(1, f"{homes.get(key[0], 0)} 户")
                item.setExpanded(len(nodes) < 60)
        self.tree.resizeColumnToContents(1)
        if select is not None:
            self.tree.setCurrentItem(select)
        elif current is not None:
            self.show_household(current)

    def _tree_chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is not None and item.data(0, HouseholdRole):
            self.show_household(int(item.data(0, HouseholdRole)))

    # --- search

    def run_search(self) -> None:
        text = self.search.text().strip()
        self.hits.clear()
        if not text:
            self.hits.setVisible(False)
            return
        full = can_see_personal(self.ctx.staff)
        phones = permissions.may_search_phones(self.ctx.staff)
        for person in find_residents(text, limit=30, include_inactive=True, phones=phones):
            address = person.household.address if person.household_id else "（无住户）"
            status = "" if person.status == "active" else f"（{registry.STATUSES[person.status]}）"
            phone = person.phone if full else mask_phone(person.phone)
            item = QListWidgetItem(f"{person.name}{status}  {phone}  {address}")
            item.setData(HouseholdRole, person.household_id)
            self.hits.addItem(item)
        if not self.hits.count():
            self.hits.addItem("没有找到。")
        self.hits.setVisible(True)
        self.hits.setMaximumHeight(self.fontMetrics().lineSpacing() * 9)

    def _hit_chosen(self, item: QListWidgetItem) -> None:
        household_id = item.data(HouseholdRole)
        if household_id:
            self.show_household(int(household_id))

    # --- the household page

    def show_household(self, household_id: int) -> None:
        page = registry.household_page(household_id)
        home = self.household = page.household
        self.title.setText(f"{home.address}　{page.grid or '（未分片区）'}")
        for button in self.page_buttons.values():
            button.setEnabled(True)
        full = can_see_personal(self.ctx.staff)
        self.people.set_rows(
            [
                (
                    p.name,
                    p.gender,
                    p.id_number if full else mask_id_number(p.id_number),
                    p.phone if full else mask_phone(p.phone),
                    "、".join(tags),
                    registry.STATUSES.get(p.status, p.status)
                    + (f" {p.status_date}" if p.status_date else ""),
                )
                for p, tags in page.residents
            ],
            [p.id for p, _ in page.residents],
            greyed=[i for i, (p, _) in enumerate(page.residents) if p.status != "active"],
        )
        self.cases.set_rows(
            [
                (
                    c.number,
                    c.intake_date,
                    label_of(Channel, c.channel),
                    label_of(Stage, c.stage),
                    c.text.replace("\n", " ")[:60],
                )
                for c in page.cases
            ],
            [c.id for c in page.cases],
        )
        self.visits.set_rows(
            [
                (
                    v.visited_on,
                    v.staff.name if v.staff_id else "",
                    v.learned,
                    v.case.number if v.case_id else "",
                )
                for v in page.visits
            ],
            [v.id for v in page.visits],
        )
        self.cards.set_rows(
            [
                (
                    c.programme.title if c.programme_id else "民情连心卡",
                    c.serial,
                    c.issued_on,
                    c.reason,
                )
                for c in page.cards
            ],
            [c.id for c in page.cards],
        )
        self.tabs.setTabText(0, f"民情 {len(page.cases)}")
        self.tabs.setTabText(1, f"走访 {len(page.visits)}")
        self.tabs.setTabText(2, f"连心卡 {len(page.cards)}")

    def _person(self) -> Resident | None:
        ids = selected_ids(self.people_view)
        if not ids:
            show_refusal(self, "请先在居民列表中选择一位居民。")
            return None
        return registry.get_resident(ids[0])

    def _refresh(self) -> None:
        if self.household is not None:
            self.show_household(self.household.id)

    def add_household(self) -> None:
        home = forms.edit_household(self, self.ctx)
        if home is not None:
            self.household = home
            self.reload()

    def edit_household(self) -> None:
        if self.household and forms.edit_household(self, self.ctx, self.household):
            self.reload()

    def move_household(self) -> None:
        if self.household and forms.move_household(self, self.ctx, self.household):
            self.reload()

    def add_resident(self) -> None:
        if self.household and forms.edit_resident(self, self.household, actor=self.ctx.staff):
            self.reload()

    def edit_resident(self) -> None:
        person = self._person() if self.household else None
        if (
            person
            and self.household
            and forms.edit_resident(self, self.household, person, actor=self.ctx.staff)
        ):
            self._refresh()

    def mark_status(self) -> None:
        person = self._person() if self.household else None
        if person and forms.mark_status(self, person, actor=self.ctx.staff):
            self.reload()

    def record_visit(self) -> None:
        if self.household and forms.record_visit(self, self.ctx, self.household):
            self._refresh()

    # --- Excel

    def ask_import(self) -> None:
        path = open_path(self, "导入居民台账", ".xlsx")
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> Op[Any]:
        return open_import(self.ctx, path, self)

    def ask_export(self) -> None:
        path = ask_save(self, "导出居民台账", "居民台账.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """The whole registry, or the search results when a search is showing."""
        ids = None
        if self.hits.isVisible() and self.search.text().strip():
            ids = [
                r.id
                for r in find_residents(
                    self.search.text(),
                    limit=5000,
                    include_inactive=True,
                    phones=permissions.may_search_phones(self.ctx.staff),
                )
            ]
        community = self.ctx.community
        Op(
            self,
            lambda progress: ledger_export.export_registry(
                path, community, ids, progress, actor=self.ctx.staff
            ),
            what="导出失败",
        ).with_progress("正在导出居民台账…").writes(path).success(
            lambda n: self.ctx.status.emit(f"已导出 {n} 位居民到 {path}")
        ).run()


PANEL = PanelSpec(
    object_name="registry",
    title="居民台账",
    factory=RegistryPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
