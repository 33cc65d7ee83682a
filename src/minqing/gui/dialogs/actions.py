"""Every change a user can make to a case from the board or the detail panel.

The actions, their stages, permissions and fields are declared in core
(`pipeline.TRANSITIONS`, `stage_actions.ACTIONS`); this module only turns their fields into
form fields and runs them through `perform`. Moving along the pipeline asks only what
`pipeline.missing(case, transition)` reports, so the rules live in core alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from minqing.core import community as community_service
from minqing.core.cases import pipeline, stage_actions
from minqing.core.cases import services as cases
from minqing.core.cases.perform import perform
from minqing.core.cases.public import proposed_summary
from minqing.core.enums import Satisfaction, Stage
from minqing.core.errors import MinqingError
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask
from minqing.gui.dialogs.messages import show_refusal

if TYPE_CHECKING:
    from minqing.core.models import Case


def form_fields(case: Case, asks: Sequence[pipeline.Ask]) -> list[Field]:
    """The form for core's declared fields, filled in from the case."""
    fields = []
    for item in asks:
        kind, choices, hint = item.kind, list(item.choices), item.hint
        if kind == "staff":
            kind, choices = "choice", community_service.owner_choices(case.community_id)
        if item.key == "materials_in":
            hint = f"居民已交来：{case.materials_needed or '所需材料'}"
        value = getattr(case, item.current) if item.current else None
        if item.key == "public_summary":
            value = proposed_summary(case)  # masked by core, for the clerk to review
        fields.append(Field(item.key, item.label, kind, choices, value, hint, item.show_when))
    return fields


def transition_fields(case: Case, step: pipeline.Transition) -> list[Field]:
    return form_fields(case, step.asks(case))


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
    """A stage action as the detail panel shows it: core's declaration plus its button."""

    spec: stage_actions.StageAction

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def done(self) -> str:
        return self.spec.done

    def fields(self, case: Case) -> list[Field]:
        return form_fields(case, self.spec.asks)

    def run(self, ctx: AppContext, case: Case, values: dict[str, Any]) -> Any:
        return perform(self.key, case.id, actor=ctx.staff, expected_version=case.version, **values)


# The detail panel's buttons, in this order; 修改登记 and 回访 have their own dialogs.
DETAIL_KEYS = (
    "owner",
    "disposition",
    "materials",
    "outcome",
    "reply",
    "post",
    "check",
    "satisfaction",
    "reopen",
)
ACTIONS: list[Action] = [Action(stage_actions.ACTIONS[key]) for key in DETAIL_KEYS]


def available_keys(ctx: AppContext, case: Case | None) -> set[str]:
    """The keys of what the signed-in person may do with `case` now (core decides)."""
    if case is None:
        return set()
    return {item.key for item in stage_actions.available_actions(case, ctx.staff)}


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
