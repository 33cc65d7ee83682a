"""The supervision dialogs: a check (with any fault), a callback, and a spot-check draw.

Each is a FormDialog whose submit calls the core service, so a refusal keeps the dialog open
with the rule's own sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QWidget

from minqing.core import community as community_service
from minqing.core.cases.history import get_case
from minqing.core.enums import CheckKind, Fault, Satisfaction
from minqing.core.supervision import services as supervision
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, FormDialog, staff_choices

if TYPE_CHECKING:
    from minqing.core.supervision.models import SpotCheckDraw

RESOLVED_CHOICES = [(True, "已解决"), (False, "未解决")]


def _community(ctx: AppContext) -> int | None:
    return ctx.community.id if ctx.community else None


def check_dialog(parent: QWidget | None, ctx: AppContext, case_id: int, kind: str) -> FormDialog:
    case = get_case(case_id)
    staff = staff_choices(_community(ctx))
    fields = [
        Field("kind", "督查方式", "choice", CheckKind.choices(), kind),
        Field("checked_on", "督查日期", "date", dt.date.today()),
        Field("checker", "督查人", "choice", staff, ctx.staff.id if ctx.staff else None),
        Field("contact_method", "联系方式", value="电话", hint="电话、入户、现场查看…"),
        Field("finding", "督查情况", "longtext", hint="看到了什么，居民怎么说"),
        Field("fault", "发现的问题", "choice", [("", "没有问题"), *Fault.choices()], ""),
        Field(
            "fault_owner",
            "问题责任人",
            "choice",
            staff,
            case.owner_id,
            hint="默认是这件民情的责任人",
        ),
    ]

    def submit(values: dict[str, Any]) -> Any:
        change = supervision.record_check(
            case_id,
            values.get("kind") or "",
            values.get("finding") or "",
            checked_on=values.get("checked_on"),
            checker=values.get("checker"),
            contact_method=values.get("contact_method") or "",
            fault=values.get("fault") or None,
            fault_owner=values.get("fault_owner"),
            actor=ctx.staff,
        )
        ctx.case_changed.emit(case_id)
        return change

    return FormDialog(
        f"督查 {case.number}", fields, submit, parent, intro=case.text.replace("\n", " ")[:120]
    )


def callback_dialog(parent: QWidget | None, ctx: AppContext, case_id: int) -> FormDialog:
    case = get_case(case_id)
    fields = [
        Field("called_on", "回访日期", "date", dt.date.today()),
        Field(
            "method",
            "回访方式",
            "choice",
            [(m, m) for m in supervision.CALLBACK_METHODS],
            supervision.CALLBACK_METHODS[0],
        ),
        Field(
            "satisfaction",
            "居民评价",
            "choice",
            [*Satisfaction.choices(), ("", "未表态")],
            Satisfaction.SATISFIED.value,
        ),
        Field("resolved", "问题是否解决", "choice", RESOLVED_CHOICES, True),
        Field("note", "回访情况", "longtext", hint="居民的原话；不满意或未解决时写明原因"),
    ]

    def submit(values: dict[str, Any]) -> Any:
        if values.get("resolved") is None:
            from minqing.core.errors import DomainError

            raise DomainError("resolved", "请选择问题是否解决。")
        change = supervision.record_callback(
            case_id,
            values.get("satisfaction") or None,
            bool(values["resolved"]),
            method=values.get("method") or "",
            called_on=values.get("called_on"),
            caller=ctx.staff,
            note=values.get("note") or "",
            actor=ctx.staff,
        )
        ctx.case_changed.emit(case_id)
        return change

    intro = (
        f"{case.number}：{case.text.replace(chr(10), ' ')[:80]}\n答复：{case.reply_text[:80]}\n"
        "不满意或问题未解决时，这件民情会退回重新办理。"
    )
    return FormDialog(f"回访 {case.number}", fields, submit, parent, intro=intro)


def draw_dialog(parent: QWidget | None, ctx: AppContext) -> FormDialog:
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    windows = [(w.id, w.name) for w in community_service.windows()]
    fields = [
        Field("period_from", "办结日期从", "date", first),
        Field("period_to", "办结日期到", "date", today.replace(day=1) - dt.timedelta(days=1)),
        Field("size", "抽查件数", "days", 10),
        Field("window", "只抽这个窗口", "choice", windows, None, hint="不选则全部窗口"),
    ]

    def submit(values: dict[str, Any]) -> SpotCheckDraw:
        by = ctx.staff.id if ctx.staff is not None else None
        return supervision.draw_spot_check(
            int(values.get("size") or 0),
            values["period_from"],
            values["period_to"],
            window=values.get("window"),
            by=by,
        )

    dialog = FormDialog(
        "随机抽查",
        fields,
        submit,
        parent,
        intro=(
            "从这段时间办结的民情中随机抽取；已抽过的不再抽。抽取用的随机种子会记录下来，"
            "任何人都可以复核抽取结果，谁也不能挑选容易的民情。"
        ),
    )
    size = dialog.widgets["size"]
    size.setSuffix(" 件")  # type: ignore[attr-defined]
    return dialog


def run(dialog: FormDialog) -> Any:
    """Show the dialog; the submit's result when accepted, else None."""
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.result_value if accepted else None
