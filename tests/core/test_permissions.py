"""Each role through the real services: allowed, or refused in Chinese with nothing written."""

from __future__ import annotations

import pytest

from minqing.core import accounts, calendar_service, cases, registry, supervision
from minqing.core.errors import DomainError
from minqing.core.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    Household,
    Resident,
    Staff,
    Window,
)
from minqing.core.models_accounts import AuditEvent

ROLES = ["front_desk", "owner", "leader", "supervisor", "admin"]


@pytest.fixture
def people(office):
    admin = accounts.create_administrator(office, "管理员", "secret-1").staff
    staff = {"admin": admin}
    for role in ROLES[:-1]:
        staff[role] = Staff.create(community=office, name=f"{role}人员", role=role)
        accounts.create_account(staff[role], "secret-1", actor=admin)
    return staff


def _new_case(people, stage="intake"):
    clerk, owner = people["front_desk"], people["owner"]
    case = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        actor=clerk,
    ).case
    if stage in ("handling", "feedback"):
        cases.move(case, "handling", owner=owner, disposition="immediate", actor=clerk)
    if stage == "feedback":
        cases.move(case, "feedback", outcome="已更换灯泡", actor=owner)
    return Case.get_by_id(case.id)


def take_in(people):
    window = Window.get(Window.name == "城建城管")
    return lambda actor: cases.take_in(
        channel="walk_in",
        text="路面坑洼",
        window=window,
        first_responder=actor,
        contact_name="匿名",
        actor=actor,
    )


def assign(people):
    case = _new_case(people)
    return lambda actor: cases.move(
        case, "handling", owner=people["owner"], disposition="immediate", actor=actor
    )


def handle(people):
    case = _new_case(people, "handling")
    return lambda actor: cases.move(case, "feedback", outcome="已处理", actor=actor)


def reply(people):
    case = _new_case(people, "feedback")
    return lambda actor: cases.move(
        case, "supervision", reply_method="phone", reply_text="已告知", actor=actor
    )


def check(people):
    case = _new_case(people, "handling")
    return lambda actor: supervision.record_check(case, "periodic", finding="进度正常", actor=actor)


def edit_resident(people):
    home = Household.create(community=people["admin"].community, courtyard="中和街21号")
    return lambda actor: registry.add_resident(home, "刘建国", phone="13700001111", actor=actor)


def calendar(people):
    return lambda actor: calendar_service.set_override("2030-01-02", False, "社区活动", actor=actor)


def manage_accounts(people):
    community = people["admin"].community
    return lambda actor: accounts.add_staff(
        community, "新同事", "front_desk", "secret-2", actor=actor
    )


ALLOWED = {
    take_in: {"front_desk", "leader"},
    assign: {"front_desk", "leader"},
    handle: {"owner", "leader"},
    reply: {"front_desk", "owner", "leader"},
    check: {"supervisor", "leader"},
    edit_resident: {"front_desk", "leader"},
    calendar: {"admin"},
    manage_accounts: {"admin"},
}


def _counts():
    return (
        Case.select().count(),
        CaseEvent.select().count(),
        Resident.select().count(),
        AuditEvent.select().count(),
        Staff.select().count(),
        CalendarOverride.select().count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED), ids=lambda f: f.__name__)
def test_role_through_services(people, role, action):
    actor, run = people[role], action(people)
    before = _counts()
    if role in ALLOWED[action]:
        run(actor)
        assert _counts() != before
        return
    with pytest.raises(DomainError, match="人员不能") as refused:
        run(actor)
    assert refused.value.field is None
    assert _counts() == before


def test_owner_handles_only_own_cases(people, office):
    other = Staff.create(community=office, name="另一责任人", role="owner")
    case = _new_case(people, "handling")
    with pytest.raises(DomainError, match="责任人是owner人员"):
        cases.move(case, "feedback", outcome="已处理", actor=other)
    assert Case.get_by_id(case.id).stage == "handling"


def test_front_desk_cannot_close_with_clear_message(people):
    case = _new_case(people, "handling")
    with pytest.raises(
        DomainError, match="前台人员不能办理民情、填写办理结果，请由责任人或领导操作"
    ):
        cases.move(case, "feedback", outcome="已处理", actor=people["front_desk"])


def test_front_desk_cannot_name_another_first_responder(people):
    with pytest.raises(DomainError, match="替他人登记为首问责任人"):
        cases.take_in(
            channel="walk_in",
            text="路灯",
            window=Window.get(Window.name == "城建城管"),
            first_responder=people["owner"],
            contact_name="匿名",
            actor=people["front_desk"],
        )


def test_without_accounts_roles_are_not_enforced(office):
    clerk = Staff.get(Staff.name == "张敏")
    calendar_service.set_override("2030-01-02", False, "社区活动", actor=clerk)
