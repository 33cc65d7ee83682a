"""公开承诺: quarters, 承诺 → 履诺 → 点评, the refusals, and a quarter's view of who is behind."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.cases import services as cases
from minqing.core.enums import Stage
from minqing.core.errors import DomainError
from minqing.core.members import commitments
from minqing.core.members.commitments import CommitmentState, FiveLead, Quarter, parse_quarter
from minqing.core.members.models import Commitment, Fulfilment, MemberEvent
from minqing.core.models import Staff, Window
from tests.core.test_members import add
from tests.core.test_posts import hold

TODAY = dt.date.today()
Q = commitments.quarter_of(TODAY - dt.timedelta(days=100))  # wholly in the past
DAY = dt.timedelta(days=1)


@pytest.fixture
def member(office):
    m = add(office)
    hold(m, "帮扶助困", on=Q.start - 40 * DAY)
    return m


@pytest.fixture
def leader(office):
    return Staff.create(community=office, name="徐道荣", role="leader")


def test_quarters():
    q = parse_quarter("2026Q4")
    assert (q.start, q.end, q.label) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
        "2026年第四季度",
    )
    assert parse_quarter("2026-q1").end == dt.date(2026, 3, 31)
    assert parse_quarter("2026年第二季度") == Quarter(2026, 2)
    assert parse_quarter(" ２０２６Ｑ３ ").code == "2026Q3"
    for bad in ("2026Q5", "2026Q0", "26Q1", "第四季度", "", None, "1899Q1"):
        with pytest.raises(DomainError, match="不存在") as info:
            parse_quarter(bad)
        assert info.value.field == "quarter"


def test_pledge_fulfil_review(office, member, leader):
    pledged = commitments.pledge(
        member, Q.code, "每月走访联系的困难户两次", leads=["带头服务群众", "study"], on=Q.start
    )
    c = pledged.row
    assert c.post.name == "帮扶助困" and c.state == CommitmentState.PLEDGED
    assert commitments.leads_of(c) == [FiveLead.STUDY, FiveLead.SERVE]
    first = commitments.fulfil(c, "十月两次上门，代缴水电费", on=Q.start + 5 * DAY)
    assert first.row.state == "fulfilled"
    assert (first.events[0].old, first.events[0].new) == ("承诺", "履诺")
    commitments.fulfil(c, "帮助申请暖气补助", on=Q.start + 6 * DAY)
    assert Fulfilment.select().count() == 2
    reviewed = commitments.review(c, "履诺认真，群众满意", reviewer=leader, on=Q.start + 7 * DAY)
    assert reviewed.row.state == "reviewed" and reviewed.row.reviews[0].reviewer_name == "徐道荣"
    kinds = [
        e.kind
        for e in MemberEvent.select().where(MemberEvent.commitment == c).order_by(MemberEvent.id)
    ]
    assert kinds == ["pledged", "fulfilled", "fulfilment", "reviewed"]
    with pytest.raises(DomainError, match="已经点评"):
        commitments.review(c, "再评", reviewer=leader, on=Q.start + 7 * DAY)
    with pytest.raises(DomainError, match="不能再添加履诺"):
        commitments.fulfil(c, "补记", on=Q.start + 7 * DAY)


def test_review_before_any_fulfilment_is_refused(office, member, leader):
    c = commitments.pledge(member, Q, "维护楼道卫生", on=Q.start).row
    with pytest.raises(DomainError, match="还没有履诺记录") as info:
        commitments.review(c, "很好", reviewer=leader)
    assert info.value.field == "state"
    assert Commitment.get_by_id(c.id).state == "pledged"


def test_pledge_needs_a_post_and_is_once_a_quarter(office, member):
    newcomer = add(office, "陈淑珍")
    with pytest.raises(DomainError, match="还没有定岗"):
        commitments.pledge(newcomer, Q, "参加巡逻", on=Q.start)
    commitments.pledge(member, Q, "走访", on=Q.start)
    with pytest.raises(DomainError, match="不能再承诺一次"):
        commitments.pledge(member, Q, "再承诺", on=Q.start)
    with pytest.raises(DomainError, match="季度“2026Q7”不存在"):
        commitments.pledge(member, "2026Q7", "走访")
    with pytest.raises(DomainError, match="至少选择一项"):
        commitments.pledge(member, Q, "走访", leads=[])


def test_dates_stay_inside_the_quarter(office, member):
    with pytest.raises(DomainError, match="承诺日期应在"):
        commitments.pledge(member, Q, "走访", on=Q.start - 60 * DAY)
    c = commitments.pledge(member, Q, "走访", on=Q.start + DAY).row
    with pytest.raises(DomainError, match="不能早于承诺日期"):
        commitments.fulfil(c, "走访两户", on=Q.start)
    with pytest.raises(DomainError, match="不能晚于今天"):
        commitments.fulfil(c, "走访两户", on=TODAY + DAY)
    with pytest.raises(DomainError, match="请填写履诺情况"):
        commitments.fulfil(c, "  ", on=Q.start + DAY)


def test_fulfilment_links_only_closed_cases(office, member):
    c = commitments.pledge(member, Q, "帮助解决楼道照明", on=Q.start).row
    clerk = Staff.get(Staff.name == "张敏")
    case = cases.take_in(
        channel="hotline", text="楼道灯坏了", window=Window.select().first(),
        first_responder=clerk, contact_name="王", owner=clerk, disposition="immediate",
    ).case  # fmt: skip
    with pytest.raises(DomainError, match="还没有办结"):
        commitments.fulfil(c, "协助换灯", on=Q.start + DAY, case=case.number)
    cases.move(case, Stage.HANDLING)
    cases.move(case, Stage.FEEDBACK, outcome="已换灯")
    cases.move(case, Stage.SUPERVISION, reply_method="phone", reply_text="已换")
    cases.move(case, Stage.CLOSED, satisfaction="satisfied")
    commitments.fulfil(c, "协助换灯", on=min(TODAY, Q.end), case=case.number)
    assert Fulfilment.get().case_id == case.id


def test_pledge_can_be_edited_until_fulfilled(office, member):
    c = commitments.pledge(member, Q, "走访", on=Q.start).row
    change = commitments.edit_pledge(c, text="每周走访", leads=["serve"])
    assert [e.field for e in change.events] == ["text", "leads"]
    commitments.fulfil(c, "走访三户", on=Q.start + DAY)
    with pytest.raises(DomainError, match="不能再修改"):
        commitments.edit_pledge(c, text="改")


def test_quarter_view_shows_who_is_behind(office, member, leader):
    others = [add(office, name) for name in ("甲", "乙", "丙")]
    for m in others:
        hold(m, "美化环境", on=Q.start - 40 * DAY)
    commitments.pledge(others[0], Q, "清扫", on=Q.start)
    c1 = commitments.pledge(others[1], Q, "清扫", on=Q.start).row
    commitments.fulfil(c1, "清扫两次", on=Q.start + DAY)
    c2 = commitments.pledge(others[2], Q, "清扫", on=Q.start).row
    commitments.fulfil(c2, "清扫", on=Q.start + DAY)
    commitments.review(c2, "好", reviewer=leader, on=Q.start + DAY)
    lines = commitments.quarter_view(office, Q.code)
    assert {x.member.name: x.state for x in lines} == {
        "刘建国": "未承诺", "甲": "承诺", "乙": "履诺", "丙": "点评",
    }  # fmt: skip
    behind = commitments.outstanding(lines)
    assert {k: [x.member.name for x in v] for k, v in behind.items()} == {
        "未承诺": ["刘建国"], "未履诺": ["甲"], "未点评": ["乙"],
    }  # fmt: skip
    assert next(x for x in lines if x.member.name == "刘建国").post == "帮扶助困"
