"""党员: the register with each member's post and links; the posts short of members, members
without a post and members not yet fully linked; the chosen member's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.members import links, posts
from minqing.core.members import services as members
from minqing.core.members.links import LinkKind
from minqing.core.members.services import MemberKind
from minqing.gui.context import AppContext
from minqing.gui.dialogs import members_forms as forms
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused

if TYPE_CHECKING:
    from minqing.core.members.models import Member

COLUMNS = ["姓名", "类别", "电话", "岗位", "三联系", "信息员"]
NAME, KIND, PHONE, POST, LINKS, INFORMANT = range(len(COLUMNS))


def _list(title: str, name: str) -> tuple[QLabel, QListWidget]:
    label = QLabel(title)
    label.setStyleSheet("font-weight: bold; padding: 4px; background: #e8eef7; border-radius: 4px;")
    widget = QListWidget()
    widget.setObjectName(name)
    return label, widget


class MembersPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("members_panel")
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "登记党员", self.add_member),
            ("edit", "修改", lambda: self._act(forms.edit_member)),
            ("apply", "申报选岗", lambda: self._act(forms.apply_post)),
            ("recommend", "群众荐岗", lambda: self._act(forms.recommend)),
            ("confirm", "支部定岗", lambda: self._act(forms.confirm)),
            ("end", "结束岗位", lambda: self._act(forms.end_post)),
            ("link_group", "联系居民小组", lambda: self._link(LinkKind.GROUP)),
            ("link_poor", "联系贫困户", lambda: self._link(LinkKind.POOR_HOUSEHOLD)),
            ("link_rehab", "联系康复人员", lambda: self._link(LinkKind.REHABILITATION)),
        ):
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        self.show_all = QCheckBox("含不在册")
        self.show_all.setObjectName("show_all")
        self.show_all.toggled.connect(self.refresh)
        bar.addWidget(self.show_all)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("members")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        split.addWidget(self.table)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        for title, name in (
            ("缺员岗位", "short_posts"),
            ("未定岗党员", "without_post"),
            ("三联系未联系齐", "unlinked"),
            ("选中党员的记录", "history"),
        ):
            label, widget = _list(title, name)
            setattr(self, name, widget)
            column.addWidget(label)
            column.addWidget(widget, 1)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.status = QLabel()
        self.status.setObjectName("summary")
        outer.addWidget(self.status)
        ctx.data_reset.connect(self.refresh)
        self.refresh()
        hide_refused(
            self,
            ctx,
            {
                "add": "member.edit",
                "edit": "member.edit",
                "apply": "member.edit",
                "recommend": "member.edit",
                "confirm": "member.edit",
                "end": "member.edit",
                "link_group": "member.edit",
                "link_poor": "member.edit",
                "link_rehab": "member.edit",
            },
        )

    # --- data -----------------------------------------------------------------------------

    def refresh(self) -> None:
        community = self.ctx.community
        if community is None:
            return
        current = self.selected()
        rows = members.members(community, active_only=not self.show_all.isChecked())
        link_state = {s.member.id: s for s in links.status(community)}
        self.table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            assignment = posts.open_assignment(m)
            if assignment is None:
                post = "未定岗"
            elif assignment.confirmed_on is None:
                post = f"申报：{assignment.post.name}（荐 {assignment.recommendations}）"
            else:
                post = assignment.post.name
            state = link_state.get(m.id)
            linked = (
                "—"
                if state is None
                else ("齐" if state.complete else "差" + "、".join(state.missing))
            )
            values = [
                m.name,
                MemberKind(m.kind).label,
                m.phone,
                post,
                linked,
                "是" if m.is_informant else "",
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                if not m.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self.short_posts.clear()
        for line in posts.short_posts(community):
            held = f"在岗 {len(line.holders)}/{line.post.needed}，缺 {line.short} 人"
            waiting = f"，申报中 {len(line.pending)} 人" if line.pending else ""
            self.short_posts.addItem(f"{line.post.name}：{held}{waiting}")
        self.without_post.clear()
        self.without_post.addItems([m.name for m in posts.without_post(community)])
        self.unlinked.clear()
        self.unlinked.addItems(
            [f"{s.member.name}：差{'、'.join(s.missing)}" for s in links.unlinked(community)]
        )
        informants = sum(1 for m in rows if m.is_informant and m.active)
        self.status.setText(
            f"党员 {sum(1 for m in rows if m.active)} 名，其中民情信息员 {informants} 名"
        )
        if current is not None:
            self.select_member(current.id)
        self._selected()

    def selected(self) -> Member | None:
        items = self.table.selectedItems()
        if not items:
            return None
        return members.get_member(items[0].data(Qt.ItemDataRole.UserRole))

    def select_member(self, member_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, NAME).data(Qt.ItemDataRole.UserRole) == member_id:
                self.table.selectRow(r)
                return True
        return False

    def _selected(self) -> None:
        member = self.selected()
        assignment = posts.open_assignment(member) if member else None
        self.buttons["apply"].setEnabled(
            member is not None and member.active and assignment is None
        )
        pending = assignment is not None and assignment.confirmed_on is None
        self.buttons["recommend"].setEnabled(pending)
        self.buttons["confirm"].setEnabled(pending)
        self.buttons["end"].setEnabled(assignment is not None)
        for key in ("link_group", "link_poor", "link_rehab"):
            self.buttons[key].setEnabled(member is not None and member.active)
        self.history.clear()
        if member is not None:
            self.history.addItems(
                [
                    f"{e.at:%Y-%m-%d} {e.actor_name} {members.describe_event(e)}".strip()
                    for e in reversed(members.history(member))
                ]
            )
            current = links.current_links(member)
            if current:
                self.history.insertItem(0, "联系：" + "；".join(links.describe(x) for x in current))

    # --- actions --------------------------------------------------------------------------

    def add_member(self) -> None:
        if forms.add_member(self, self.ctx):
            self.refresh()
            self.ctx.status.emit("已登记党员")

    def _act(self, form: object) -> None:
        member = self.selected()
        if member is not None and form(self, self.ctx, member):  # type: ignore[operator]
            self.refresh()

    def _link(self, kind: LinkKind) -> None:
        member = self.selected()
        if member is not None and forms.add_link(self, self.ctx, member, kind):
            self.refresh()


PANEL = PanelSpec(
    object_name="members",
    title="党员·设岗定责",
    factory=MembersPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
