"""接待日: the schedule of reception sessions with who is on duty, and a quick intake mode.

During a session the desk registers one visitor per line — name, phone, request, window —
and Enter takes it in (channel 接待日) through reception.take_in_visitor; the line clears for
the next visitor. A refusal shows under the line instead of in a dialog, so the queue keeps
moving, and focus goes to the field to fix.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.channels import reception
from minqing.core.errors import MinqingError
from minqing.gui.context import AppContext
from minqing.gui.dialogs import outreach_forms
from minqing.gui.dialogs.messages import confirm, show_refusal
from minqing.gui.models.card_delegate import GREY, RED
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused
from minqing.gui.widgets.suggestion import SuggestionBar, select_window

DayRole = Qt.ItemDataRole.UserRole + 1
WEEKDAYS = "一二三四五六日"


def day_label(day: dt.date) -> str:
    return f"{day:%Y-%m-%d} 星期{WEEKDAYS[day.weekday()]}"


class QuickIntake(QGroupBox):
    """One line per visitor of the session that is open."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__("接待登记")
        self.ctx = ctx
        self.setObjectName("quick_intake")
        self.day: reception.DayRow | None = None
        outer = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("session")
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        line = QHBoxLayout()
        self.name = self._edit("name", "姓名", line, 90)
        self.phone = self._edit("phone", "电话", line, 120)
        self.text = self._edit("text", "反映的问题（回车登记）", line, 0)
        self.window = QComboBox()
        self.window.setObjectName("window")
        self.window.addItem("服务窗口…", None)
        for window_id, name in outreach_forms.window_choices():
            self.window.addItem(name, window_id)
        line.addWidget(self.window)
        self.urgent = QCheckBox("紧急")
        self.urgent.setObjectName("urgent")
        line.addWidget(self.urgent)
        self.register = QPushButton("登记")
        self.register.setObjectName("register")
        self.register.clicked.connect(self.take_in)
        line.addWidget(self.register)
        outer.addLayout(line)
        self.suggestions = SuggestionBar(ctx, self, similar=0)  # Alt+1/2/3 picks a window
        self.text.textChanged.connect(self.suggestions.request)
        self.suggestions.chosen.connect(lambda wid: select_window(self.window, wid))
        outer.addWidget(self.suggestions)
        self.message = QLabel()
        self.message.setObjectName("message")
        outer.addWidget(self.message)
        self.visitors = QTreeWidget()
        self.visitors.setObjectName("visitors")
        self.visitors.setRootIsDecorated(False)
        self.visitors.setHeaderLabels(["编号", "时间", "反映人", "服务窗口", "反映的问题"])
        self.visitors.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.visitors.header().setStretchLastSection(True)
        self.visitors.itemActivated.connect(
            lambda item: self.ctx.open_case.emit(int(item.data(0, DayRole)))
        )
        outer.addWidget(self.visitors, 1)
        self.finish = QPushButton("结束接待")
        self.finish.setObjectName("finish")
        self.finish.clicked.connect(self.close_session)
        outer.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignRight)

    def _edit(self, name: str, hint: str, layout: QHBoxLayout, width: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        if width:
            edit.setFixedWidth(width)
        edit.returnPressed.connect(self.take_in)
        layout.addWidget(edit, 0 if width else 1)
        return edit

    def open_session(self, day: reception.DayRow) -> None:
        self.day = day
        duty = day.duty_text or "未安排值班人员"
        self.title.setText(
            f"{day_label(day.date)} {day.kind} {day.hours} {day.place}　值班：{duty}"
        )
        self.message.clear()
        self.load_visitors()
        self.show()
        self.name.setFocus()

    def close_session(self) -> None:
        self.day = None
        self.hide()

    def load_visitors(self) -> None:
        self.visitors.clear()
        if self.day is None:
            return
        for case in reception.visitors(reception.get_day(self.day.id)):
            item = QTreeWidgetItem(
                [
                    case.number,
                    f"{case.taken_at:%H:%M}",
                    case.contact_name or (case.resident.name if case.resident_id else ""),
                    case.window.name,
                    case.text.replace("\n", " "),
                ]
            )
            item.setData(0, DayRole, case.id)
            self.visitors.addTopLevelItem(item)

    def take_in(self) -> None:
        if self.day is None:
            return
        if self.ctx.staff is None:
            self._refuse("没有登录的工作人员，无法作为首问责任人。", None)
            return
        try:
            change = reception.take_in_visitor(
                self.day.id,
                text=self.text.text(),
                window=self.window.currentData(),
                first_responder=self.ctx.staff,
                contact_name=self.name.text().strip(),
                contact_phone=self.phone.text(),
                urgent=self.urgent.isChecked(),
                actor=self.ctx.staff,
            )
        except MinqingError as exc:
            self._refuse(exc.message, getattr(exc, "field", None))
            return
        case = change.case
        self.message.setStyleSheet("")
        self.message.setText(f"已登记 {case.number}：{case.contact_name}，{case.text[:30]}")
        for edit in (self.name, self.phone, self.text):
            edit.clear()
        self.urgent.setChecked(False)
        self.load_visitors()
        self.name.setFocus()
        self.ctx.case_changed.emit(case.id)

    def _refuse(self, message: str, field: str | None) -> None:
        self.message.setStyleSheet(f"color: {RED.name()};")
        self.message.setText(message)
        target = {
            "contact_name": self.name,
            "resident": self.name,
            "contact_phone": self.phone,
            "text": self.text,
            "window": self.window,
        }.get(field or "")
        if target is not None:
            target.setFocus()


class ReceptionPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("reception_panel")
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.past = QCheckBox("显示过去的接待日")
        self.past.setObjectName("past")
        self.past.toggled.connect(self.refresh)
        top.addWidget(self.past)
        top.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("add", "安排接待日…", self.add_day),
            ("weekly", "按周安排…", self.add_weeks),
            ("duty", "值班人员…", self.edit_duty),
            ("cancel", "取消这次", self.cancel_day),
            ("start", "开始接待", self.start),
        ):
            button = QPushButton(text)
            button.setObjectName(key)
            button.clicked.connect(slot)
            top.addWidget(button)
            self.buttons[key] = button
        outer.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setObjectName("schedule")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(["日期", "接待类型", "时间", "地点", "值班人员", "来访"])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(lambda _item: self.start())
        outer.addWidget(self.tree, 1)
        self.intake = QuickIntake(ctx)
        self.intake.hide()
        outer.addWidget(self.intake, 2)
        self.rows: dict[int, reception.DayRow] = {}
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
                "add": "reception.edit",
                "weekly": "reception.edit",
                "duty": "reception.edit",
                "cancel": "reception.edit",
                "start": "case.take_in",
                "register": "case.take_in",
            },
        )

    def refresh(self) -> None:
        if self.ctx.community is None:
            return
        selected = self.selected_day()
        today = dt.date.today()
        start = None if self.past.isChecked() else today
        rows = reception.days(self.ctx.community, start=start)
        if self.past.isChecked():
            rows.reverse()  # the most recent first when looking back
        self.rows = {r.id: r for r in rows}
        self.tree.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    day_label(row.date),
                    row.kind,
                    row.hours,
                    row.place,
                    row.duty_text or "未安排",
                    str(row.visitors) if row.date <= today else "",
                ]
            )
            item.setData(0, DayRole, row.id)
            if row.date < today:
                for column in range(6):
                    item.setForeground(column, QBrush(GREY))
            self.tree.addTopLevelItem(item)
            if row.id == selected:
                self.tree.setCurrentItem(item)
        if selected is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._update_buttons()

    def selected_day(self) -> int | None:
        items = self.tree.selectedItems()
        return int(items[0].data(0, DayRole)) if items else None

    def select_day(self, day_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, DayRole) == day_id:
                self.tree.setCurrentItem(item)

    def _update_buttons(self) -> None:
        row = self.rows.get(self.selected_day() or 0)
        for key in ("duty", "cancel"):
            self.buttons[key].setEnabled(row is not None)
        self.buttons["start"].setEnabled(row is not None and row.date <= dt.date.today())

    def add_day(self) -> None:
        day = outreach_forms.schedule_day(self, self.ctx)
        if day is not None:
            self.refresh()
            self.select_day(day.id)

    def add_weeks(self) -> None:
        made = outreach_forms.schedule_weeks(self, self.ctx)
        if made:
            self.refresh()
            self.ctx.status.emit(f"已安排 {len(made)} 次接待日")

    def edit_duty(self) -> None:
        row = self.rows.get(self.selected_day() or 0)
        if row is not None and outreach_forms.edit_duty(
            self, row.id, row.duty, actor=self.ctx.staff
        ):
            self.refresh()

    def cancel_day(self) -> None:
        row = self.rows.get(self.selected_day() or 0)
        if row is None or not confirm(self, f"取消 {day_label(row.date)} 的{row.kind}？"):
            return
        try:
            reception.cancel(row.id, actor=self.ctx.staff)
        except MinqingError as exc:
            show_refusal(self, exc.message)
        self.refresh()

    def start(self) -> None:
        row = self.rows.get(self.selected_day() or 0)
        if row is None:
            return
        if row.date > dt.date.today():
            show_refusal(self, f"{day_label(row.date)} 的接待还没有开始。")
            return
        self.intake.open_session(row)


PANEL = PanelSpec(
    object_name="reception",
    title="接待日",
    factory=ReceptionPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
