"""Every change a user can make to a case from the board or the detail panel.

Each action knows when it is allowed (for enabling its button), which fields to ask, and
which core service to call. Moving along the pipeline asks only what
`pipeline.missing(case, transition)` reports, so the rules live in core alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from minqing.core.cases import pipeline
from minqing.core.cases import services as cases
from minqing.core.enums import CheckKind, Disposition, Fault, ReplyMethod, Satisfaction, Stage
from minqing.core.errors import MinqingError
from minqing.core.supervision import services as supervision
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask, staff_choices
from minqing.gui.dialogs.messages import show_refusal

if TYPE_CHECKING:
    from minqing.core.models import Case

SATISFIED_CODES = (Satisfaction.SATISFIED.value, Satisfaction.FAIRLY.value)


def disposition_fields(case: Case) -> list[Field]:
    """The five-type choice plus the one detail the chosen type must tell the resident."""
    current = case.disposition
    labels = pipeline.FIELD_LABELS
    return [
        Field("disposition", labels["disposition"], "choice", Disposition.choices(), current),
        Field(
            "materials_needed",
            labels["materials_needed"],
            "longtext",
            value=case.materials_needed,
            hint="告诉居民要带哪些材料",
            show_when=("disposition", Disposition.SUPPLEMENT.value),
        ),
        Field(
            "escalated_to",
            labels["escalated_to"],
            value=case.escalated_to,
            hint="例如：区民政局",
            show_when=("disposition", Disposition.ESCALATED.value),
        ),
        Field(
            "escalation_days",
            labels["escalation_days"],
            "days",
            value=case.escalation_days,
            show_when=("disposition", Disposition.ESCALATED.value),
        ),
        Field(
            "return_reason",
            labels["return_reason"],
            "longtext",
            value=case.return_reason,
            hint="向居民详细说明退回的原因",
            show_when=("disposition", Disposition.RETURNED.value),
        ),
        Field(
            "promised_date",
            labels["promised_date"],
            "date",
            value=case.promised_date,
            show_when=("disposition", Disposition.PROMISED.value),
        ),
    ]


def reply_fields(case: Case) -> list[Field]:
    return [
        Field("reply_method", "答复方式", "choice", ReplyMethod.choices(), case.reply_method),
        Field("reply_text", "答复内容", "longtext", value=case.reply_text, hint="告诉了居民什么"),
        Field("replied_on", "答复日期", "date", value=case.replied_on),
    ]


def satisfaction_fields(case: Case) -> list[Field]:
    return [
        Field("satisfaction", "居民满意度", "choice", Satisfaction.choices(), case.satisfaction),
        Field(
            "note",
            "不满意的原因",
            "longtext",
            hint="居民为什么不满意（将退回重新办理）",
            show_when=("satisfaction", Satisfaction.DISSATISFIED.value),
        ),
    ]


def transition_fields(case: Case, step: pipeline.Transition) -> list[Field]:
    gaps = {r.key for r in pipeline.missing(case, step)}
    fields: list[Field] = []
    if "owner" in gaps:
        fields.append(
            Field("owner", "责任人", "choice", staff_choices(case.community_id), case.owner_id)
        )
    if "disposition" in gaps:
        fields += disposition_fields(case)
    if "materials" in gaps:
        fields.append(
            Field(
                "materials_in",
                "补齐材料",
                "check",
                hint=f"居民已交来：{case.materials_needed or '所需材料'}",
            )
        )
    if "outcome" in gaps:
        fields.append(
            Field("outcome", "办理结果", "longtext", value=case.outcome, hint="办了什么、结果如何")
        )
    if "reply" in gaps:
        fields += reply_fields(case)
    if "satisfaction" in gaps:
        fields += satisfaction_fields(case)
    return fields


def _done(ctx: AppContext, case_id: int, message: str) -> None:
    ctx.case_changed.emit(case_id)
    ctx.status.emit(message)


def move_case(parent: QWidget | None, ctx: AppContext, case_id: int, target: Stage) -> bool:
    """Move one step, asking only for what is missing; a refusal shows the rule's reason."""
    try:
        case = cases.get_case(case_id)
        step = pipeline.transition(Stage(case.stage), target)
        if step is None:
            cases.move(
                case, target, actor=ctx.staff, expected_version=case.version
            )  # raises, with why
            return False
    except MinqingError as exc:
        show_refusal(parent, exc.message)
        return False
    version = case.version

    def submit(values: dict[str, Any]) -> Any:
        expected: int | None = version
        if values.pop("materials_in", False):
            values["materials_received"] = True  # in the same transaction as the move
        if values.get("satisfaction") == Satisfaction.DISSATISFIED.value:
            return cases.record_satisfaction(
                case_id,
                Satisfaction.DISSATISFIED,
                actor=ctx.staff,
                note=values.get("note", ""),
                expected_version=expected,
            )
        values.pop("note", None)
        values = {k: v for k, v in values.items() if v not in (None, "")}
        return cases.move(case_id, target, actor=ctx.staff, expected_version=expected, **values)

    fields = transition_fields(case, step)
    title = f"{step.action}：{case.number}"
    if fields:
        intro = (
            f"把民情 {case.number} 从“{step.source.label}”转到“{step.target.label}”，还需要填写："
        )
        if not ask(parent, title, fields, submit, intro):
            return False
    else:
        try:
            submit({})
        except MinqingError as exc:
            show_refusal(parent, exc.message)
            return False
    fresh = cases.get_case(case_id)
    if fresh.stage == target.value:
        _done(ctx, case_id, f"民情 {case.number} 已{step.action}，转到“{target.label}”。")
    else:
        _done(
            ctx,
            case_id,
            f"民情 {case.number} 居民不满意，已退回“{Stage(fresh.stage).label}”重新办理。",
        )
    return True


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    allowed: Callable[[Case], bool]
    fields: Callable[[Case], list[Field]]
    run: Callable[[AppContext, Case, dict[str, Any]], Any]
    done: str  # status-bar message, {number} filled in


def _stage_in(*stages: Stage) -> Callable[[Case], bool]:
    codes = {s.value for s in stages}
    return lambda c: c.stage in codes


_OPEN = _stage_in(Stage.INTAKE, Stage.HANDLING, Stage.FEEDBACK, Stage.SUPERVISION)


def _disposition(ctx: AppContext, case: Case, v: dict[str, Any]) -> Any:
    kind = v.pop("disposition")
    return cases.set_disposition(
        case.id, kind or "", actor=ctx.staff, expected_version=case.version, **v
    )


def _check(ctx: AppContext, case: Case, v: dict[str, Any]) -> Any:
    return supervision.record_check(
        case.id,
        v["kind"] or "",
        v["finding"],
        checked_on=v["checked_on"],
        contact_method=v["contact_method"],
        fault=v["fault"],
        fault_owner=v.get("fault_owner"),
        actor=ctx.staff,
        expected_version=case.version,
    )


def _check_fields(case: Case) -> list[Field]:
    return [
        Field("kind", "督查方式", "choice", CheckKind.choices()),
        Field("checked_on", "督查日期", "date"),
        Field("contact_method", "回访方式", hint="例如：电话回访、入户查看"),
        Field("finding", "督查情况", "longtext", hint="看到了什么，居民怎么说"),
        Field("fault", "发现的问题", "choice", Fault.choices()),
        Field(
            "fault_owner", "问题责任人", "choice", staff_choices(case.community_id), case.owner_id
        ),
    ]


ACTIONS: list[Action] = [
    Action(
        "owner",
        "更换责任人",
        _OPEN,
        lambda c: [Field("owner", "责任人", "choice", staff_choices(c.community_id), c.owner_id)],
        lambda ctx, c, v: cases.assign_owner(
            c.id, v["owner"] or "", actor=ctx.staff, expected_version=c.version
        ),
        "民情 {number} 已更换责任人。",
    ),
    Action(
        "disposition",
        "办理类型",
        _OPEN,
        disposition_fields,
        _disposition,
        "民情 {number} 的办理类型已更新。",
    ),
    Action(
        "materials",
        "材料已补齐",
        lambda c: _OPEN(c) and c.is_waiting,
        lambda c: [Field("on", "收到材料日期", "date")],
        lambda ctx, c, v: cases.materials_received(
            c.id, on=v["on"], actor=ctx.staff, expected_version=c.version
        ),
        "民情 {number} 材料已补齐，办理时限重新计算。",
    ),
    Action(
        "outcome",
        "办理结果",
        _stage_in(Stage.HANDLING, Stage.FEEDBACK, Stage.SUPERVISION),
        lambda c: [
            Field("outcome", "办理结果", "longtext", value=c.outcome, hint="办了什么、结果如何")
        ],
        lambda ctx, c, v: cases.record_outcome(
            c.id, v["outcome"], actor=ctx.staff, expected_version=c.version
        ),
        "民情 {number} 的办理结果已保存。",
    ),
    Action(
        "reply",
        "记录答复",
        _stage_in(Stage.FEEDBACK, Stage.SUPERVISION),
        reply_fields,
        lambda ctx, c, v: cases.record_reply(
            c.id,
            v["reply_method"] or "",
            v["reply_text"],
            on=v["replied_on"],
            actor=ctx.staff,
            expected_version=c.version,
        ),
        "民情 {number} 的答复已保存。",
    ),
    Action(
        "post",
        "公示",
        lambda c: c.stage != Stage.INTAKE.value and bool(c.outcome) and c.posted_on is None,
        lambda c: [Field("on", "公示日期", "date")],
        lambda ctx, c, v: cases.post_publicly(
            c.id, True, on=v["on"], actor=ctx.staff, expected_version=c.version
        ),
        "民情 {number} 已公示。",
    ),
    Action(
        "check",
        "督查记录",
        _stage_in(Stage.HANDLING, Stage.FEEDBACK, Stage.SUPERVISION, Stage.CLOSED),
        _check_fields,
        _check,
        "民情 {number} 的督查记录已保存。",
    ),
    Action(
        "satisfaction",
        "回访满意度",
        _stage_in(*pipeline.REOPEN_FROM),
        satisfaction_fields,
        lambda ctx, c, v: cases.record_satisfaction(
            c.id,
            v["satisfaction"] or "",
            actor=ctx.staff,
            note=v.get("note", ""),
            expected_version=c.version,
        ),
        "民情 {number} 的满意度已记录。",
    ),
    Action(
        "reopen",
        "重新办理",
        _stage_in(*pipeline.REOPEN_FROM),
        lambda c: [Field("reason", "重新办理的原因", "longtext", hint="为什么要重新办理")],
        lambda ctx, c, v: cases.reopen(
            c.id, reason=v["reason"], actor=ctx.staff, expected_version=c.version
        ),
        "民情 {number} 已退回重新办理。",
    ),
]


# The role rule behind each button (core.permissions); a refused button is disabled.
PERMISSION = {
    "owner": "case.assign",
    "disposition": "case.assign",
    "materials": "case.handle",
    "outcome": "case.handle",
    "reply": "case.reply",
    "post": "case.reply",
    "check": "check.record",
    "satisfaction": "callback.record",
    "reopen": "case.reopen",
}


def permitted(ctx: AppContext, key: str, case: Case) -> bool:
    """Whether the signed-in role may use the action `key` (an Action's key or a Stage)."""
    from minqing.core.accounts import permissions

    action = PERMISSION.get(key) or cases.STAGE_ACTIONS[Stage(key)]
    return permissions.allowed(ctx.staff, action, case)


def run_action(parent: QWidget | None, ctx: AppContext, action: Action, case_id: int) -> bool:
    try:
        case = cases.get_case(case_id)
    except MinqingError as exc:
        show_refusal(parent, exc.message)
        return False
    if not ask(
        parent,
        f"{action.label}：{case.number}",
        action.fields(case),
        lambda values: action.run(ctx, case, values),
    ):
        return False
    _done(ctx, case_id, action.done.format(number=case.number))
    return True
