"""Each role through the real services: allowed, or refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.accounts import permissions
from minqing.core.accounts import services as accounts
from minqing.core.accounts.models import AuditEvent
from minqing.core.calendar import service as calendar_service
from minqing.core.cases import services as cases
from minqing.core.channels import diary, reception
from minqing.core.errors import DomainError
from minqing.core.members import links, posts
from minqing.core.members import services as members
from minqing.core.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    Household,
    Resident,
    Staff,
    Window,
)
from minqing.core.outreach import programmes, visits
from minqing.core.registry import ledger_import
from minqing.core.registry import services as registry
from minqing.core.supervision import services as supervision

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
    row = CalendarOverride.get(CalendarOverride.date == dt.date(2030, 1, 2))
    assert (row.workday, row.name) == (False, "社区活动")


# ---- the services that gained an actor: each in the table, each guarded ------------------


def _home(people):
    community = people["admin"].community
    home = Household.create(community=community, courtyard="比乐街25号", building="2")
    Resident.create(community=community, household=home, name="孙丽", tags=["空巢老人"])
    return home


def enrol(people):
    home = _home(people)
    return lambda actor: programmes.enrol("sunset", household=home, actor=actor)


def issue_card(people):
    home = _home(people)
    return lambda actor: programmes.issue_card("plain", home, actor=actor)


def setup_programme(people):
    return lambda actor: programmes.edit_programme("sunset", audience="高龄老人", actor=actor)


def visit(people):
    home = _home(people)
    return lambda actor: visits.record_visit(home, staff=actor, learned="一切正常", actor=actor)


def schedule_reception(people):
    community = people["admin"].community
    return lambda actor: reception.schedule(community, "2030-01-08", actor=actor)


def write_diary(people):
    return lambda actor: diary.write(actor, "听到居民说路灯不亮", actor=actor)


def edit_diary(people):
    entry = diary.write(people["leader"], "原来的日记")
    return lambda actor: diary.edit(entry, "改过的日记", actor=actor)


def delete_diary(people):
    entry = diary.write(people["leader"], "要删的日记")
    return lambda actor: diary.delete(entry, actor=actor)


def add_monitor(people):
    community = people["admin"].community
    return lambda actor: members.add_monitor(community, name="周监督", actor=actor)


def end_monitor(people):
    monitor = members.add_monitor(people["admin"].community, name="吴监督")
    return lambda actor: members.end_monitor(monitor, actor=actor)


def save_post(people):
    return lambda actor: posts.save_post(name="楼道长", duties="管好楼道", actor=actor)


def add_group(people):
    community = people["admin"].community
    return lambda actor: links.add_group(community, courtyard="中和街21号", actor=actor)


def import_ledger(people):
    plan = ledger_import.ImportPlan(people["admin"].community_id, None, [], [], 0)
    return lambda actor: ledger_import.apply_plan(plan, actor=actor)


def import_notice(people):
    text = "2030年元旦：1月1日放假，共1天。"
    return lambda actor: calendar_service.import_notice(text, year=2030, actor=actor)


def _table(action):
    return set(permissions.ACTIONS[action][0])


GUARDED = [
    (enrol, "programme.edit"),
    (issue_card, "programme.edit"),
    (setup_programme, "programme.setup"),
    (visit, "visit.record"),
    (schedule_reception, "reception.edit"),
    (write_diary, "diary.write"),
    (edit_diary, "diary.write"),
    (delete_diary, "diary.write"),
    (add_monitor, "member.edit"),
    (end_monitor, "member.edit"),
    (save_post, "member.edit"),
    (add_group, "member.edit"),
    (import_ledger, "ledger.import"),
    (import_notice, "calendar.edit"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("build", "action"), GUARDED, ids=lambda v: getattr(v, "__name__", v))
def test_guarded_services_follow_the_table(people, role, build, action):
    run = build(people)
    if role in _table(action):
        run(people[role])
        return
    with pytest.raises(DomainError, match="人员不能") as refused:
        run(people[role])
    assert refused.value.field is None


def test_table_rules_for_the_new_actions():
    assert _table("programme.setup") == {"leader"}
    assert _table("diary.write") == {"leader"}
    assert _table("visit.record") == {"front_desk", "owner", "leader"}
    assert _table("ledger.import") == {"leader", "admin"}
    assert "supervisor" not in _table("personal.view") and "owner" not in _table("personal.view")
    assert _table("export.personal") == {"leader", "admin"}
