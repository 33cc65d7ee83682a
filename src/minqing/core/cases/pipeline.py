"""The pipeline as data: stages in order, the allowed transitions and what each requires.

The case services, the board, the flowchart poster and the statistics all read this one
definition, so a rule changes in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minqing.core.enums import Disposition, Satisfaction, Stage

STAGES: list[Stage] = [
    Stage.INTAKE,
    Stage.HANDLING,
    Stage.FEEDBACK,
    Stage.SUPERVISION,
    Stage.CLOSED,
]
OPEN_STAGES = [Stage.INTAKE, Stage.HANDLING]  # stages in which a case can be overdue

STAGE_DESCRIPTIONS: dict[Stage, str] = {
    Stage.INTAKE: "首问责任人登记民情，按“五件制”分类，明确责任人和办理时限",
    Stage.HANDLING: "责任人依据政策规定限期办理；社区职责内三个工作日内办结",
    Stage.FEEDBACK: "以电话答复、上门告知、信函回复等形式答复居民，并在公开栏公示",
    Stage.SUPERVISION: "定期督促、随机抽查、专人督察，回访居民满意度",
    Stage.CLOSED: "居民满意或基本满意，办结归档",
}

# What the resident must be told for each disposition, and the case fields that say it.
DISPOSITION_FIELDS: dict[Disposition, tuple[str, ...]] = {
    Disposition.IMMEDIATE: (),
    Disposition.SUPPLEMENT: ("materials_needed",),
    Disposition.ESCALATED: ("escalated_to", "escalation_days"),
    Disposition.RETURNED: ("return_reason",),
    Disposition.PROMISED: ("promised_date",),
}
DISPOSITION_DUTIES: dict[Disposition, str] = {
    Disposition.IMMEDIATE: "立即办理，让群众满意",
    Disposition.SUPPLEMENT: "耐心告知应当提交的材料",
    Disposition.ESCALATED: "告知上报的单位和办理需要的时间",
    Disposition.RETURNED: "详细说明退回的原因",
    Disposition.PROMISED: "告知承诺办理时限，明确具体时间",
}
FIELD_LABELS: dict[str, str] = {
    "first_responder": "首问责任人",
    "window": "服务窗口",
    "resident": "反映人",
    "owner": "责任人",
    "disposition": "办理类型（五件制）",
    "materials_needed": "需补交的材料",
    "escalated_to": "上报单位",
    "escalation_days": "上级预计办理时间（工作日）",
    "return_reason": "退回原因",
    "promised_date": "承诺办结日期",
    "outcome": "办理结果",
    "reply": "答复（方式、内容）",
    "satisfaction": "居民满意度（满意或基本满意）",
    "materials": "补齐材料",
}


@dataclass(frozen=True)
class Requirement:
    key: str
    check: Callable[[Any], bool]

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.key]


def _disposition_complete(case: Any) -> bool:
    if not case.disposition:
        return False
    return all(
        getattr(case, f) not in (None, "")
        for f in DISPOSITION_FIELDS[Disposition(case.disposition)]
    )


OWNER = Requirement("owner", lambda c: c.owner_id is not None)
DISPOSITION = Requirement("disposition", _disposition_complete)
MATERIALS_IN = Requirement("materials", lambda c: not c.is_waiting)
OUTCOME = Requirement("outcome", lambda c: bool(c.outcome))
REPLY = Requirement("reply", lambda c: bool(c.reply_method and c.reply_text and c.replied_on))
SATISFIED = Requirement(
    "satisfaction", lambda c: c.satisfaction in (Satisfaction.SATISFIED, Satisfaction.FAIRLY)
)


@dataclass(frozen=True)
class Transition:
    source: Stage
    target: Stage
    action: str  # the verb on the button
    requires: tuple[Requirement, ...]

    @property
    def requirement_labels(self) -> list[str]:
        return [r.label for r in self.requires]


TRANSITIONS: list[Transition] = [
    Transition(Stage.INTAKE, Stage.HANDLING, "交办", (OWNER, DISPOSITION, MATERIALS_IN)),
    Transition(Stage.HANDLING, Stage.FEEDBACK, "办理完成", (OUTCOME,)),
    Transition(Stage.FEEDBACK, Stage.SUPERVISION, "答复居民", (REPLY,)),
    Transition(Stage.SUPERVISION, Stage.CLOSED, "办结", (SATISFIED,)),
]
# A dissatisfied resident sends the case back to handling from these stages (counted).
REOPEN_FROM = (Stage.FEEDBACK, Stage.SUPERVISION, Stage.CLOSED)


def transition(source: Stage, target: Stage) -> Transition | None:
    for item in TRANSITIONS:
        if item.source == source and item.target == target:
            return item
    return None


def next_transition(source: Stage) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source), None)


def missing(case: Any, item: Transition) -> list[Requirement]:
    return [r for r in item.requires if not r.check(case)]
