"""公开承诺: one quarter at a time — every member with their commitment's state (承诺 → 履诺 →
点评), who has not yet committed, fulfilled or been reviewed, and printing for the wall."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.members import commitments
from minqing.core.members.commitments import CommitmentState, Quarter
from minqing.core.members.services import get_member
from minqing.gui import errors
from minqing.gui.context import AppContext
from minqing.gui.dialogs import members_forms as forms
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused

if TYPE_CHECKING:
    from minqing.core.members.models import Commitment, Member

COLUMNS = ["姓名", "岗位", "状态", "承诺内容", "履诺", "点评"]
NAME, POST, STATE, TEXT, DONE, REVIEW = range(len(COLUMNS))
FILTERS = ["全部", "未承诺", "未履诺", "未点评"]
STATE_COLOURS = {"未承诺": "#C62828", "承诺": "#EF6C00", "履诺": "#1565C0", "点评": "#2E7D32"}


def quarters_around(today: dt.date) -> list[Quarter]:
    """The current quarter first, then the next one and the four before."""
    q = commitments.quarter_of(today)
    out = [q]
    nxt = Quarter(q.year + (q.number == 4), q.number % 4 + 1)
    out.append(nxt)
    for _ in range(4):
        q = Quarter(q.year - (q.number == 1), (q.number - 2) % 4 + 1)
        out.append(q)
    return out


class CommitmentsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("commitments_panel")
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.quarter = QComboBox()
        self.quarter.setObjectName("quarter")
        for q in quarters_around(dt.date.today()):
            self.quarter.addItem(q.label, q.code)
        self.quarter.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.quarter)
        self.filter = QComboBox()
        self.filter.setObjectName("filter")
        self.filter.addItems(FILTERS)
        self.filter.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.filter)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("pledge", "作出承诺", self.pledge),
            ("fulfil", "记录履诺", self.fulfil),
            ("review", "领导点评", self.review),
            ("print_one", "打印承诺书", lambda: self.ask_print(member_only=True)),
            ("print_all", "打印整季度", lambda: self.ask_print(member_only=False)),
        ):
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.a3 = QCheckBox("A3 上墙")
        self.a3.setObjectName("a3")
        bar.addWidget(self.a3)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("commitments")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)  # one line per member; the full text is in the tooltip
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REVIEW, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        outer.addWidget(self.table, 1)
        self.printing = False
        ctx.data_reset.connect(self.refresh)
        self.refresh()
        hide_refused(
            self,
            ctx,
            {
                "pledge": "commitment.edit",
                "fulfil": "commitment.edit",
                "review": "commitment.review",
            },
        )

    def current_quarter(self) -> Quarter:
        return commitments.parse_quarter(self.quarter.currentData())

    def refresh(self) -> None:
        if self.ctx.community is None:
            return
        keep = self.selected_member()
        q = self.current_quarter()
        lines = commitments.quarter_view(self.ctx.community, q)
        behind = commitments.outstanding(lines)
        counts = {s.label: sum(1 for x in lines if x.state == s.label) for s in CommitmentState}
        self.summary.setText(
            f"{q.label}：党员 {len(lines)} 名，已承诺 {sum(counts.values())}，"
            f"已履诺 {counts['履诺'] + counts['点评']}，已点评 {counts['点评']}。　"
            + "　".join(f"{k} {len(v)} 名" for k, v in behind.items())
        )
        wanted = self.filter.currentText()
        shown = lines if wanted == "全部" else behind[wanted]
        self.table.setRowCount(len(shown))
        for r, line in enumerate(shown):
            c = line.commitment
            values = [
                line.member.name,
                line.post or "未定岗",
                line.state,
                c.text if c else "",
                str(line.fulfilments) + " 次" if c else "",
                line.review if c is not None and c.state == CommitmentState.REVIEWED else "",
            ]
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, line.member.id)
                item.setToolTip(text)
                if col == STATE:
                    item.setForeground(Qt.GlobalColor.white)
                    item.setBackground(QColor(STATE_COLOURS.get(line.state, "#666666")))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, col, item)
        if keep is not None:
            self.select_member(keep.id)
        self._update_buttons()

    def selected_member(self) -> Member | None:
        items = self.table.selectedItems()
        return get_member(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def selected_commitment(self) -> Commitment | None:
        member = self.selected_member()
        return commitments.find(member, self.current_quarter()) if member else None

    def select_member(self, member_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, NAME).data(Qt.ItemDataRole.UserRole) == member_id:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        member = self.selected_member()
        c = self.selected_commitment()
        state = c.state if c else None
        self.buttons["pledge"].setEnabled(member is not None and c is None)
        self.buttons["fulfil"].setEnabled(
            state in (CommitmentState.PLEDGED, CommitmentState.FULFILLED)
        )
        self.buttons["review"].setEnabled(state == CommitmentState.FULFILLED)
        self.buttons["print_one"].setEnabled(c is not None and not self.printing)
        self.buttons["print_all"].setEnabled(not self.printing)

    def pledge(self) -> None:
        member = self.selected_member()
        if member is not None and forms.pledge(self, self.ctx, member, self.current_quarter()):
            self.refresh()

    def fulfil(self) -> None:
        c = self.selected_commitment()
        if c is not None and forms.fulfil(self, self.ctx, c):
            self.refresh()

    def review(self) -> None:
        c = self.selected_commitment()
        if c is not None and forms.review(self, self.ctx, c):
            self.refresh()

    def ask_print(self, member_only: bool) -> None:
        """Through the 打印 menu's dialog into the print folder: one flow per document."""
        member = self.selected_member() if member_only else None
        code = self.current_quarter().code  # e.g. 2026Q4
        day = dt.date(int(code[:4]), int(code[-1]) * 3 - 2, 1)
        holder = self.parent()
        while holder is not None and not hasattr(holder, "print_center"):
            holder = holder.parent()
        if holder is not None:
            holder.print_center.print_commitments(
                day, [member.id] if member else [], member.name if member else ""
            )
            return
        from minqing.gui.print_center import output_folder

        who = member.name if member else "党组织"
        self.print_to(output_folder() / f"{who}公开承诺书-{code}.pdf", member)

    def print_to(self, path: Path, member: Member | None = None) -> None:
        """Prints off the UI thread; the status bar says when the file is ready."""
        from minqing.printing.documents import print_commitments

        q, a3, staff = self.current_quarter().code, self.a3.isChecked(), self.ctx.staff
        names = [member.id] if member is not None else []
        self.printing = True
        self._update_buttons()

        def done(result: object) -> None:
            self.ctx.status.emit(f"已生成 {path}（{getattr(result, 'pages', 0)} 页）")
            warning = getattr(result, "warning", "")
            if warning:
                errors.show_message(self, "打印提示", warning, errors.WARNING)

        def finished() -> None:
            self.printing = False
            self._update_buttons()

        Op(
            self,
            lambda: print_commitments(path, quarter=q, members=names, a3=a3, actor=staff),
            what="打印承诺书",
        ).writes(path).always(finished).success(done).run()


PANEL = PanelSpec(
    object_name="commitments",
    title="公开承诺",
    factory=CommitmentsPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="members",
)
