"""The pipeline as data: stages in order, every transition and every stage action.

Each transition is declared once here with the permission it needs
(core.accounts.permissions), the stage it leaves, the fields it asks for and what entering
its stage sets; the stage actions (assign, outcome, reply, post …) are declared the same way
in `stage_actions`, which also answers `available_actions(case, actor)`. The case services
enforce these tables; the window's buttons, the board's drag, the command line's verbs and
the flowchart poster read them, so a rule changes in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from minqing.core.enums import Disposition, Labeled, ReplyMethod, Satisfaction, Stage

STAGES: list[Stage] = [
    Stage.INTAKE,
    Stage.HANDLING,
    Stage.FEEDBACK,
    Stage.SUPERVISION,
    Stage.CLOSED,
]
# The one definition of "open": the stages in which the deadline runs and a case can be overdue.
OPEN_STAGES = [Stage.INTAKE, Stage.HANDLING]
# Every stage but 办结: a case still being worked on, whose details may change.
ACTIVE_STAGES = [s for s in STAGES if s != Stage.CLOSED]
# From these stages a case has been answered: it may be called back, checked on, reopened.
ANSWERED_STAGES = [Stage.FEEDBACK, Stage.SUPERVISION, Stage.CLOSED]
# A dissatisfied resident sends the case back to handling from these stages (counted).
REOPEN_FROM = tuple(ANSWERED_STAGES)

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
class Ask:
    """One value an action asks for: the keyword `actions.perform` takes, and how to ask it.

    kind: text | longtext | choice | staff | date | days | check. `choices` are (code, label);
    `current` names the case attribute that fills the field in; `show_when` shows it only
    while another field has that value (the detail each disposition needs)."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[Any, str], ...] = ()
    hint: str = ""
    current: str = ""
    show_when: tuple[str, Any] | None = None


def choices_of(enum: type[Labeled]) -> tuple[tuple[Any, str], ...]:
    return tuple(enum.choices())


_DETAIL_KIND = {"escalation_days": "days", "promised_date": "date"}
_DETAIL_KIND.update(materials_needed="longtext", return_reason="longtext")
_DETAIL_HINT = {
    "materials_needed": "告诉居民要带哪些材料",
    "escalated_to": "例如：区民政局",
    "return_reason": "向居民详细说明退回的原因",
}
OWNER_ASKS = (Ask("owner", "责任人", "staff", current="owner_id"),)
DISPOSITION_ASKS = (
    Ask(
        "disposition",
        FIELD_LABELS["disposition"],
        "choice",
        choices_of(Disposition),
        current="disposition",
    ),
    *(
        Ask(
            key,
            FIELD_LABELS[key],
            _DETAIL_KIND.get(key, "text"),
            hint=_DETAIL_HINT.get(key, ""),
            current=key,
            show_when=("disposition", kind.value),
        )
        for kind, keys in DISPOSITION_FIELDS.items()
        for key in keys
    ),
)
MATERIALS_ASKS = (Ask("materials_in", "补齐材料", "check", hint="居民已交来所需材料"),)
OUTCOME_ASKS = (
    Ask("outcome", "办理结果", "longtext", hint="办了什么、结果如何", current="outcome"),
)
REPLY_ASKS = (
    Ask("reply_method", "答复方式", "choice", choices_of(ReplyMethod), current="reply_method"),
    Ask("reply_text", "答复内容", "longtext", hint="告诉了居民什么", current="reply_text"),
    Ask("replied_on", "答复日期", "date", current="replied_on"),
)
SATISFACTION_ASKS = (
    Ask("satisfaction", "居民满意度", "choice", choices_of(Satisfaction), current="satisfaction"),
    Ask(
        "note",
        "不满意的原因",
        "longtext",
        hint="居民为什么不满意（将退回重新办理）",
        show_when=("satisfaction", Satisfaction.DISSATISFIED.value),
    ),
)


@dataclass(frozen=True)
class Requirement:
    key: str
    check: Callable[[Any], bool]
    asks: tuple[Ask, ...] = ()

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


OWNER = Requirement("owner", lambda c: c.owner_id is not None, OWNER_ASKS)
DISPOSITION = Requirement("disposition", _disposition_complete, DISPOSITION_ASKS)
MATERIALS_IN = Requirement("materials", lambda c: not c.is_waiting, MATERIALS_ASKS)
OUTCOME = Requirement("outcome", lambda c: bool(c.outcome), OUTCOME_ASKS)
REPLY = Requirement(
    "reply", lambda c: bool(c.reply_method and c.reply_text and c.replied_on), REPLY_ASKS
)
SATISFIED = Requirement(
    "satisfaction",
    lambda c: c.satisfaction in (Satisfaction.SATISFIED, Satisfaction.FAIRLY),
    SATISFACTION_ASKS,
)


def _today() -> dt.date:
    return dt.date.today()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class Transition:
    """A step to the next stage: who may take it, what must be filled in first, and the
    bookkeeping fields that entering the target stage sets (quietly: the stage event tells)."""

    source: Stage
    target: Stage
    action: str  # the verb on the button
    requires: tuple[Requirement, ...]
    permission: str
    on_enter: tuple[tuple[str, Callable[[], Any]], ...] = ()

    @property
    def key(self) -> str:
        return f"to_{self.target.value}"

    @property
    def label(self) -> str:
        return self.action

    @property
    def stages(self) -> tuple[Stage, ...]:
        return (self.source,)

    @property
    def requirement_labels(self) -> list[str]:
        return [r.label for r in self.requires]

    def asks(self, case: Any) -> list[Ask]:
        """The fields to ask before this step: those of the requirements still missing."""
        return [a for r in missing(case, self) for a in r.asks]


TRANSITIONS: list[Transition] = [
    Transition(
        Stage.INTAKE, Stage.HANDLING, "交办", (OWNER, DISPOSITION, MATERIALS_IN), "case.assign"
    ),
    Transition(
        Stage.HANDLING,
        Stage.FEEDBACK,
        "办理完成",
        (OUTCOME,),
        "case.handle",
        (("handled_on", _today),),
    ),
    Transition(Stage.FEEDBACK, Stage.SUPERVISION, "答复居民", (REPLY,), "case.reply"),
    Transition(
        Stage.SUPERVISION,
        Stage.CLOSED,
        "办结",
        (SATISFIED,),
        "callback.record",
        (("closed_at", _now),),
    ),
]
# Who may move a case into each stage (the 受理 column takes no cards: nothing moves back there
# but a correction, which is an edit).
ENTRY_PERMISSION: dict[Stage, str] = {
    Stage.INTAKE: "case.edit",
    **{t.target: t.permission for t in TRANSITIONS},
}


def transition(source: Stage, target: Stage) -> Transition | None:
    for item in TRANSITIONS:
        if item.source == source and item.target == target:
            return item
    return None


def next_transition(source: Stage) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source), None)


def missing(case: Any, item: Transition) -> list[Requirement]:
    return [r for r in item.requires if not r.check(case)]
