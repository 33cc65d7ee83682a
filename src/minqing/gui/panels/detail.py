"""Case detail: everything about one case, its history, checks and waits, and the actions
its stage allows. Opens on ctx.open_case; follows ctx.case_changed for the case shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts import permissions
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import deadlines, history, pipeline, queries
from minqing.core.cases import services as cases
from minqing.core.enums import (
    Channel,
    CheckKind,
    Disposition,
    Fault,
    ReplyMethod,
    Satisfaction,
    Stage,
    label_of,
)
from minqing.core.errors import NotFound
from minqing.core.privacy import mask_phone
from minqing.core.supervision import services as supervision
from minqing.gui.context import AppContext
from minqing.gui.dialogs.actions import ACTIONS, Action, available_keys, move_case, run_action
from minqing.gui.panels import PanelSpec
from minqing.gui.widgets.suggestion import SimilarCases

if TYPE_CHECKING:
    from minqing.core.models import Case


def _date(value: object) -> str:
    return value.isoformat() if value else ""  # type: ignore[attr-defined]


class DetailPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id: int | None = None
        self.setObjectName("detail_panel")
        outer = QVBoxLayout(self)
        self.title = QLabel("在看板、日志或今日待办中双击一条民情，在这里查看详情。")
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.title)

        buttons = QGridLayout()
        self.next_button = QPushButton("下一步")
        self.next_button.setObjectName("action_next")
        self.next_button.clicked.connect(self._advance)
        self.next_button.setStyleSheet("font-weight: bold;")
        self.next_button.setToolTip("转到下一个环节，只询问这一步还缺的内容")
        buttons.addWidget(self.next_button, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for i, action in enumerate(ACTIONS, start=1):
            button = QPushButton(action.label)
            button.setObjectName(f"action_{action.key}")
            button.clicked.connect(lambda _=False, a=action: self._run(a))
            self.buttons[action.key] = button
            buttons.addWidget(button, i // 5, i % 5)
        outer.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        fields = QWidget()
        self.form = QFormLayout(fields)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        names = history.FIELD_NAMES  # the same words as the history tab and the conflict message
        for key, label in (
            ("number", names["number"]),
            ("stage", names["stage"]),
            ("channel", names["channel"]),
            ("person", names["resident"]),
            ("phone", names["contact_phone"]),
            ("address", names["address"]),
            ("window", names["window"]),
            ("text", names["text"]),
            ("first_responder", names["first_responder"]),
            ("owner", names["owner"]),
            ("disposition", names["disposition"]),
            ("disposition_detail", "告知居民"),
            ("dates", "受理 / 时限"),
            ("outcome", names["outcome"]),
            ("reply", "答复"),
            ("posted", "公示"),
            ("satisfaction", names["satisfaction"]),
            ("reopen", "重新办理"),
        ):
            value = QLabel()
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.form.addRow(label + "：", value)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        self.tabs.addTab(scroll, "基本情况")
        self.timeline = self._tree("timeline", ["时间", "经办人", "事项", "原值", "新值", "说明"])
        self.tabs.addTab(self.timeline, "办理经过")
        self.checks = self._tree(
            "checks", ["日期", "方式", "督查人", "回访方式", "情况", "问题", "问题责任人"]
        )
        self.tabs.addTab(self.checks, "督查记录")
        self.waits = self._tree("waits", ["要求补交日期", "材料", "收到日期"])
        self.tabs.addTab(self.waits, "补交材料")
        self.similar = SimilarCases(ctx)
        self.tabs.addTab(self.similar, "类似民情")
        outer.addWidget(self.tabs, 1)

        ctx.open_case.connect(self.show_case)
        ctx.case_changed.connect(self._changed)
        ctx.data_reset.connect(self.reload)
        ctx.external_change.connect(self.reload)
        self._enable(None)

    def _tree(self, name: str, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName(name)
        tree.setRootIsDecorated(False)
        tree.setHeaderLabels(headers)
        tree.setWordWrap(True)
        tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        tree.header().setStretchLastSection(True)
        return tree

    def show_case(self, case_id: int) -> None:
        self.case_id = case_id
        self.reload()

    def _changed(self, case_id: int) -> None:
        if case_id == self.case_id:
            self.reload()

    def reload(self) -> None:
        if self.case_id is None:
            return
        try:
            case = cases.get_case(self.case_id)
        except NotFound:
            self.case_id = None
            self.title.setText("这条民情已不存在。")
            self._enable(None)
            return
        self._fill(case)
        self._enable(case)
        self.similar.set_case(case.id)

    def _fill(self, case: Case) -> None:
        stage = Stage(case.stage)
        person = case.resident.name if case.resident_id else (case.contact_name or "匿名")
        badges = ""
        if case.urgent:
            badges += ' <span style="background:#e65100;color:white;"> 急 </span>'
        overdue = (
            stage in pipeline.OPEN_STAGES
            and case.due_date is not None
            and case.due_date < dt.date.today()
        )
        if overdue:
            left = load_calendar().workdays_between(dt.date.today(), case.due_date)
            badges += (
                f' <span style="color:#c62828;font-weight:bold;">'
                f"{deadlines.days_left_wording(min(left, -1))}</span>"
            )
        self.title.setText(
            f'<span style="font-size:14pt;font-weight:bold;">{case.number}</span>　'
            f"{person}　<b>{stage.label}</b>{badges}"
        )
        v = self.values
        v["number"].setText(case.number)
        v["stage"].setText(f"{stage.label}（{pipeline.STAGE_DESCRIPTIONS[stage]}）")
        v["channel"].setText(label_of(Channel, case.channel))
        v["person"].setText(person)
        full = permissions.can_see_personal(self.ctx.staff, case)
        phone = case.contact_phone or (case.resident.phone if case.resident_id else "")
        v["phone"].setText(phone if full else mask_phone(phone))
        v["address"].setText(case.address)
        v["window"].setText(case.window.name)

        def shown(text: str | None) -> str:  # numbers in the words, as this user may see them
            return permissions.shown_text(self.ctx.staff, text, case)

        v["text"].setText(shown(case.text))
        v["first_responder"].setText(case.first_responder.name)
        v["owner"].setText(case.owner.name if case.owner_id else "未指定")
        v["disposition"].setText(label_of(Disposition, case.disposition) or "未分类")
        detail = {
            Disposition.SUPPLEMENT.value: shown(case.materials_needed),
            Disposition.ESCALATED.value: (
                f"{case.escalated_to}，预计 {case.escalation_days or '?'} 个工作日"
            ),
            Disposition.RETURNED.value: shown(case.return_reason),
            Disposition.PROMISED.value: f"承诺 {_date(case.promised_date)} 前办结",
        }.get(case.disposition or "", "")
        v["disposition_detail"].setText(detail)
        due = _date(case.due_date) or ("等待补交材料，暂停计时" if case.is_waiting else "未定")
        follow = f"，跟进日期 {_date(case.follow_up_date)}" if case.follow_up_date else ""
        v["dates"].setText(f"{case.taken_at:%Y-%m-%d %H:%M} 受理；办理时限 {due}{follow}")
        v["outcome"].setText(shown(case.outcome) or "—")
        reply = f"{label_of(ReplyMethod, case.reply_method)} {_date(case.replied_on)}：{shown(case.reply_text)}"
        v["reply"].setText(reply if case.reply_method else "—")
        v["posted"].setText(f"{_date(case.posted_on)} 已公示" if case.posted_on else "未公示")
        v["satisfaction"].setText(label_of(Satisfaction, case.satisfaction) or "—")
        v["reopen"].setText(f"{case.reopen_count} 次" if case.reopen_count else "无")

        self.timeline.clear()
        for e in queries.case_events(case.id):
            what = history.EVENT_KINDS.get(e.kind, e.kind)
            name = history.FIELD_NAMES.get(e.field, e.field)
            if e.field and name != what and not (e.kind == "stage" and e.field == "stage"):
                what = (
                    name
                    if e.kind in ("reply", "disposition", "satisfaction", "edit")
                    else f"{what}·{name}"
                )
            old, new = e.old, e.new
            if e.field == "contact_phone" and not full:
                old, new = mask_phone(old or ""), mask_phone(new or "")
            else:  # the history repeats the words: masked as the fields are
                old, new = shown(old), shown(new)
            QTreeWidgetItem(
                self.timeline,
                [f"{e.at:%Y-%m-%d %H:%M}", e.actor_name, what, old, new, shown(e.note)],
            )
        self.checks.clear()
        for c in supervision.case_checks(case.id):
            QTreeWidgetItem(
                self.checks,
                [
                    _date(c.checked_on),
                    label_of(CheckKind, c.kind),
                    c.checker.name if c.checker_id else "",
                    c.contact_method,
                    c.finding,
                    label_of(Fault, c.fault),
                    c.fault_owner.name if c.fault_owner_id else "",
                ],
            )
        self.waits.clear()
        for w in queries.materials_waits(case.id):
            QTreeWidgetItem(
                self.waits, [_date(w.requested_on), w.materials, _date(w.received_on) or "等待中"]
            )
        self.tabs.setTabText(1, f"办理经过（{self.timeline.topLevelItemCount()}）")
        self.tabs.setTabText(2, f"督查记录（{self.checks.topLevelItemCount()}）")
        self.tabs.setTabText(3, f"补交材料（{self.waits.topLevelItemCount()}）")

    def _enable(self, case: Case | None) -> None:
        step = pipeline.next_transition(Stage(case.stage)) if case else None
        available = available_keys(self.ctx, case)
        self.next_button.setEnabled(step is not None and step.key in available)
        self.next_button.setText(f"{step.action} → {step.target.label}" if step else "下一步")
        for action in ACTIONS:
            self.buttons[action.key].setEnabled(action.key in available)

    def _advance(self) -> None:
        if self.case_id is None:
            return
        step = pipeline.next_transition(Stage(cases.get_case(self.case_id).stage))
        if step is not None:
            move_case(self, self.ctx, self.case_id, step.target)

    def _run(self, action: Action) -> None:
        if self.case_id is not None:
            run_action(self, self.ctx, action, self.case_id)


PANEL = PanelSpec(
    object_name="detail",
    title="民情详情",
    factory=DetailPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with=None,
    shortcut="Ctrl+3",
)
