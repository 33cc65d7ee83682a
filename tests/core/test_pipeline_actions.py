"""The pipeline table is the rule: every declared action is refused outside its stages and
for every role without its permission, allowed inside for each role that has it, and
`available_actions` offers exactly what the services accept."""

from __future__ import annotations

from typing import Any

import pytest

from minqing.core.accounts import permissions
from minqing.core.cases import pipeline, stage_actions
from minqing.core.cases import services as cases
from minqing.core.cases.perform import perform
from minqing.core.enums import StaffRole, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, Staff, Window

ROLES = [r.value for r in StaffRole]

# Values each action's fields take in a test (keys are the fields declared in core).
VALUES: dict[str, dict[str, Any]] = {
    "edit": {"text": "楼道灯坏了，三楼也不亮"},
    "owner": {"owner": "赵刚"},
    "disposition": {"disposition": "承诺件", "promised_date": "2099-12-31"},
    "materials": {},
    "outcome": {"outcome": "已更换灯泡"},
    "reply": {"reply_method": "电话答复", "reply_text": "已电话告知居民"},
    "post": {},
    "check": {"kind": "定期督促", "finding": "灯已修好"},
    "satisfaction": {"satisfaction": "满意"},
    "callback": {"satisfaction": "满意", "resolved": "已解决", "note": "居民说很好"},
    "reopen": {"reason": "复查发现又坏了"},
}


def test_every_action_has_test_values_and_real_permissions():
    assert set(VALUES) == set(stage_actions.ACTIONS)
    for item in [*stage_actions.ACTIONS.values(), *pipeline.TRANSITIONS]:
        assert item.permission in permissions.ACTIONS, item.key
        assert item.stages and set(item.stages) <= set(pipeline.STAGES)
    for item in stage_actions.ACTIONS.values():
        assert {a.key for a in item.asks} >= set(VALUES[item.key]), item.key
        assert all(a.label for a in item.asks)


def _case_in(stage: Stage, accounts: dict[str, Staff]) -> Case:
    """A case brought to `stage` by the program itself (actor None), owned by 李红."""
    case = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=accounts["front_desk"],
        contact_name="王秀英",
    ).case
    steps = {
        Stage.HANDLING: dict(owner=accounts["owner"], disposition="immediate"),
        Stage.FEEDBACK: dict(outcome="已更换灯泡"),
        Stage.SUPERVISION: dict(reply_method="phone", reply_text="已电话告知"),
        Stage.CLOSED: dict(satisfaction="satisfied"),
    }
    for target, values in steps.items():
        if pipeline.STAGES.index(target) > pipeline.STAGES.index(stage):
            break
        cases.move(case, target, **values)
    return Case.get_by_id(case.id)


def _prepare(key: str, case: Case) -> Case:
    """Make the action's condition (`when`) hold, as a user would first."""
    stage = Stage(case.stage)
    if key == "materials" and stage != Stage.CLOSED:
        cases.set_disposition(case, "supplement", materials_needed="户口本")
    if key == "post" and not case.outcome and stage in stage_actions.ACTIONS["outcome"].stages:
        cases.record_outcome(case, "已更换灯泡")
    if key == "callback" and stage == Stage.FEEDBACK:
        cases.record_reply(case, "phone", "已电话告知")
    return Case.get_by_id(case.id)


def _values(key: str) -> dict[str, Any]:
    """VALUES with staff fields (named above) as the ids the services take."""
    kinds = {a.key: a.kind for a in stage_actions.ACTIONS[key].asks}
    return {
        k: Staff.get(Staff.name == v).id if kinds[k] == "staff" else v
        for k, v in VALUES[key].items()
    }


def _refused(key: str, case: Case, actor: Staff) -> DomainError:
    with pytest.raises(DomainError) as caught:
        perform(key, case.number, actor=actor, **_values(key))
    fresh = Case.get_by_id(case.id)
    assert (fresh.version, fresh.stage) == (case.version, case.stage), "nothing is written"
    return caught.value


@pytest.mark.parametrize("key", list(stage_actions.ACTIONS))
def test_stage_action_follows_the_table(accounts, key):
    item = stage_actions.ACTIONS[key]
    leader = accounts["leader"]
    for stage in pipeline.STAGES:
        case = _prepare(key, _case_in(stage, accounts))
        offered = {a.key for a in stage_actions.available_actions(case, leader)}
        if stage not in item.stages:
            assert key not in offered, (key, stage)
            message = _refused(key, case, leader).message
            assert stage.label in message and case.number in message, message
            continue
        assert key in offered, (key, stage)
        perform(key, case.number, actor=leader, **_values(key))
    inside = (
        item.stages[0] if key not in ("satisfaction", "callback", "reopen") else Stage.SUPERVISION
    )
    holders = permissions.ACTIONS[item.permission][0]
    for role in ROLES:
        case = _prepare(key, _case_in(inside, accounts))
        actor = accounts[role]
        offered = {a.key for a in stage_actions.available_actions(case, actor)}
        if role not in holders:
            assert key not in offered, (key, role)
            message = _refused(key, case, actor).message
            assert f"{StaffRole(role).label}人员不能" in message, message
        else:
            assert key in offered, (key, role)
            perform(key, case.number, actor=actor, **_values(key))


def test_an_owner_acts_only_on_their_own_cases(accounts):
    case = _case_in(Stage.HANDLING, accounts)
    other = Staff.get(Staff.name == "赵刚")  # an owner with an account, not this case's
    assert other.role == StaffRole.OWNER.value
    assert "outcome" not in {a.key for a in stage_actions.available_actions(case, other)}
    assert stage_actions.movable(case, other) is None
    assert "责任人是李红" in _refused("outcome", case, other).message
    assert stage_actions.movable(case, accounts["owner"]) is not None


@pytest.mark.parametrize("step", pipeline.TRANSITIONS, ids=lambda t: t.key)
def test_transition_follows_the_table(accounts, step):
    values = {
        "to_handling": dict(owner=accounts["owner"].id, disposition="immediate"),
        "to_feedback": dict(outcome="已更换灯泡"),
        "to_supervision": dict(reply_method="phone", reply_text="已电话告知"),
        "to_closed": dict(satisfaction="satisfied"),
    }[step.key]
    leader = accounts["leader"]
    for stage in pipeline.STAGES:
        if stage == step.source:
            continue
        case = _case_in(stage, accounts)
        assert stage_actions.movable(case, leader) is not step
        with pytest.raises(DomainError):
            cases.move(case, step.target, actor=leader, **values)
        assert Case.get_by_id(case.id).version == case.version
    holders = permissions.ACTIONS[step.permission][0]
    for role in ROLES:
        case = _case_in(step.source, accounts)
        actor = accounts[role]
        if role not in holders:
            assert stage_actions.movable(case, actor) is None
            with pytest.raises(DomainError, match=f"{StaffRole(role).label}人员不能"):
                cases.move(case, step.target, actor=actor, **values)
            assert Case.get_by_id(case.id).version == case.version
        else:
            assert stage_actions.movable(case, actor) is step
            moved = cases.move(case, step.target, actor=actor, **values).case
            assert moved.stage == step.target.value
            for name, _value in step.on_enter:
                assert getattr(moved, name) is not None


def test_a_reply_given_with_the_outcome_is_recorded_in_feedback(accounts):
    case = _case_in(Stage.HANDLING, accounts)
    moved = cases.move(
        case, "feedback", outcome="已修好", reply_method="phone", reply_text="已告知"
    ).case
    assert (moved.stage, moved.reply_text) == ("feedback", "已告知")


def test_no_outcome_or_posting_before_the_case_is_handed_over(accounts):
    case = _case_in(Stage.INTAKE, accounts)
    with pytest.raises(DomainError, match="请先交办"):
        cases.record_outcome(case, "已办", actor=accounts["leader"])
    with pytest.raises(DomainError, match="请先交办"):
        cases.post_publicly(case, actor=accounts["leader"])
    assert Stage.INTAKE not in stage_actions.ACTIONS["outcome"].stages
    assert Stage.INTAKE not in stage_actions.ACTIONS["post"].stages
