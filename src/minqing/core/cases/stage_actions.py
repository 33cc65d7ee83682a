"""The stage actions as data, and what a given person may do with a given case.

A stage action is a change a case takes without leaving its stage: assign, set the
disposition, materials received, outcome, reply, post, check, callback, reopen, edit. Each is
declared once below with its permission, the stages it is allowed in and the fields it asks
for. The services call `guard` before writing; the window's buttons, the board's drag, the
command line's verbs and the flowchart poster read `ACTIONS` and `available_actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minqing.core.accounts import permissions
from minqing.core.cases.pipeline import (
    ACTIVE_STAGES,
    ANSWERED_STAGES,
    DISPOSITION_ASKS,
    OUTCOME_ASKS,
    OWNER_ASKS,
    REOPEN_FROM,
    REPLY_ASKS,
    SATISFACTION_ASKS,
    STAGES,
    Ask,
    Transition,
    choices_of,
    next_transition,
)
from minqing.core.enums import CheckKind, Fault, Satisfaction, StaffRole, Stage
from minqing.core.errors import DomainError


@dataclass(frozen=True)
class StageAction:
    """A change a case takes without leaving its stage (assign, outcome, reply, post …).

    `verb` completes “不能再…” in a refusal; `early` says what to do first when the case has
    not reached these stages yet; `when` is what else must hold for the button to make sense
    (the service gives its own reason when it does not)."""

    key: str
    label: str
    permission: str
    stages: tuple[Stage, ...]
    asks: tuple[Ask, ...]
    verb: str
    done: str  # the status line, {number} filled in
    early: str = ""
    when: Callable[[Any], bool] | None = None


_ACTIVE = tuple(ACTIVE_STAGES)
_HANDLED = (Stage.HANDLING, Stage.FEEDBACK, Stage.SUPERVISION)
_ASSIGNED = (Stage.HANDLING, *ANSWERED_STAGES)
CHECK_ASKS = (
    Ask("kind", "督查方式", "choice", choices_of(CheckKind)),
    Ask("checked_on", "督查日期", "date"),
    Ask("contact_method", "回访方式", hint="例如：电话回访、入户查看"),
    Ask("finding", "督查情况", "longtext", hint="看到了什么，居民怎么说"),
    Ask("fault", "发现的问题", "choice", choices_of(Fault)),
    Ask("fault_owner", "问题责任人", "staff", current="owner_id"),
)
CALLBACK_METHODS = ("电话回访", "上门回访", "短信回访")
CALLBACK_ASKS = (
    Ask("called_on", "回访日期", "date"),
    Ask("method", "回访方式", "choice", tuple((m, m) for m in CALLBACK_METHODS)),
    Ask("satisfaction", "居民评价", "choice", choices_of(Satisfaction)),
    Ask("resolved", "问题是否解决", "choice", (("yes", "已解决"), ("no", "未解决"))),
    Ask("note", "回访情况", "longtext", hint="居民的原话；不满意或未解决时写明原因"),
)
EDIT_ASKS = (
    Ask("text", "民情内容", "longtext", current="text"),
    Ask("address", "地址", current="address"),
    Ask("contact_name", "联系人", current="contact_name"),
    Ask("contact_phone", "联系电话", current="contact_phone"),
    Ask("urgent", "重大、紧急事项", "check", current="urgent"),
)

ACTIONS: dict[str, StageAction] = {
    a.key: a
    for a in (
        StageAction(
            "edit", "修改登记", "case.edit", _ACTIVE, EDIT_ASKS, "修改", "民情 {number} 已修改。"
        ),
        StageAction(
            "owner",
            "更换责任人",
            "case.assign",
            _ACTIVE,
            OWNER_ASKS,
            "更换责任人",
            "民情 {number} 已更换责任人。",
        ),
        StageAction(
            "disposition",
            "办理类型",
            "case.assign",
            _ACTIVE,
            DISPOSITION_ASKS,
            "更改办理类型",
            "民情 {number} 的办理类型已更新。",
        ),
        StageAction(
            "materials",
            "材料已补齐",
            "case.handle",
            _ACTIVE,
            (Ask("on", "收到材料日期", "date"),),
            "登记补齐材料",
            "民情 {number} 材料已补齐，办理时限重新计算。",
            when=lambda c: bool(c.is_waiting),
        ),
        StageAction(
            "outcome",
            "办理结果",
            "case.handle",
            _HANDLED,
            OUTCOME_ASKS,
            "修改办理结果",
            "民情 {number} 的办理结果已保存。",
            early="请先交办（转到“办理”环节），再填写办理结果。",
        ),
        StageAction(
            "reply",
            "记录答复",
            "case.reply",
            (Stage.FEEDBACK, Stage.SUPERVISION),
            REPLY_ASKS,
            "修改答复",
            "民情 {number} 的答复已保存。",
            early="请先填写办理结果、转到“公示反馈”环节，再记录答复。",
        ),
        StageAction(
            "post",
            "公示",
            "case.reply",
            _ASSIGNED,
            (
                Ask("on", "公示日期", "date"),
                Ask(
                    "public_summary",
                    "公示内容",
                    "longtext",
                    hint="贴出去的就是这段文字：姓名、电话、证件号、门牌已遮盖，请再看一遍",
                ),
            ),
            "公示",
            "民情 {number} 已公示。",
            early="请先交办并填写办理结果，再公示。",
            when=lambda c: bool(c.outcome) and c.posted_on is None,
        ),
        StageAction(
            "check",
            "督查记录",
            "check.record",
            _ASSIGNED,
            CHECK_ASKS,
            "督查",
            "民情 {number} 的督查记录已保存。",
            early="还没有交办，暂时不能督查。",
        ),
        StageAction(
            "satisfaction",
            "回访满意度",
            "callback.record",
            REOPEN_FROM,
            SATISFACTION_ASKS,
            "回访满意度",
            "民情 {number} 的满意度已记录。",
            early="还没有答复居民，不能回访满意度。",
        ),
        StageAction(
            "callback",
            "回访",
            "callback.record",
            REOPEN_FROM,
            CALLBACK_ASKS,
            "回访",
            "民情 {number} 的回访已记录。",
            early="还没有答复居民，暂时不能回访。",
            when=lambda c: c.replied_on is not None or c.stage != Stage.FEEDBACK.value,
        ),
        StageAction(
            "reopen",
            "重新办理",
            "case.reopen",
            REOPEN_FROM,
            (Ask("reason", "重新办理的原因", "longtext", hint="为什么要重新办理"),),
            "重新办理",
            "民情 {number} 已退回重新办理。",
            early="不需要重新办理。",
        ),
    )
}


def stage_refusal(case: Any, item: StageAction | Transition) -> str | None:
    """Why `item` cannot be done in the case's stage (None when it can), saying what to do."""
    stage = Stage(case.stage)
    if stage in item.stages:
        return None
    number = case.number
    if isinstance(item, Transition):
        return f"民情 {number} 现在处于“{stage.label}”，不能{item.action}。"
    if stage == Stage.CLOSED:
        return f"民情 {number} 已办结，不能再{item.verb}。如居民不满意，请先“重新办理”。"
    if item.early and STAGES.index(stage) < STAGES.index(item.stages[0]):
        return f"民情 {number} 还在“{stage.label}”环节，{item.early}"
    where = "、".join(s.label for s in item.stages)
    return f"民情 {number} 现在处于“{stage.label}”环节，只有在“{where}”环节才能{item.verb}。"


def guard(case: Any, actor: Any, key: str) -> None:
    """The services' check before a stage action: the role may, and the stage allows it.

    Raises a DomainError saying what to do instead; the same table drives the buttons."""
    item = ACTIONS[key]
    permissions.require(actor, item.permission, case)
    reason = stage_refusal(case, item)
    if reason:
        raise DomainError("stage", reason)


def _permitted(actor: Any, permission: str, case: Any, enforced: bool | None) -> bool:
    if actor is None:
        return True
    if enforced is None:
        enforced = permissions.enforced()
    return not enforced or permissions.refusal(actor, permission, case) is None


def movable(case: Any, actor: Any, *, enforced: bool | None = None) -> Transition | None:
    """The step this actor may take the case on to, or None (the board's drag and 下一步).

    `case` may be a Case or a board card (queries.CaseRow): only its stage and owner are read.
    `enforced` saves the accounts query when the caller already knows (a board paints often)."""
    step = next_transition(Stage(case.stage))
    if step is None or not _permitted(actor, step.permission, case, enforced):
        return None
    return step


def available_actions(
    case: Any, actor: Any, *, enforced: bool | None = None
) -> list[Transition | StageAction]:
    """What `actor` may do with `case` now: its next step (if theirs) and the stage actions
    whose stage, condition and permission hold. The window's buttons, the board, the
    command line's verbs read this; the services enforce the same rules (`guard`)."""
    if enforced is None:
        enforced = actor is not None and permissions.enforced()
    out: list[Transition | StageAction] = []
    step = movable(case, actor, enforced=enforced)
    if step is not None:
        out.append(step)
    stage = Stage(case.stage)
    for item in ACTIONS.values():
        if stage not in item.stages or (item.when is not None and not item.when(case)):
            continue
        if _permitted(actor, item.permission, case, enforced):
            out.append(item)
    return out


def role_names(permission: str) -> str:
    """The roles that hold a permission, in the order of the role list (for the poster)."""
    roles = permissions.ACTIONS[permission][0]
    return "、".join(r.label for r in StaffRole if r.value in roles)
