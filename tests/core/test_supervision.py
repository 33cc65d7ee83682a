"""跟踪监督: checks with faults, callbacks that close or reopen, spot-check draws, the due lists."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core import community
from minqing.core.cases import services as cases
from minqing.core.enums import Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, CaseEvent, Staff, SupervisionCheck
from minqing.core.supervision import services as supervision
from minqing.core.supervision.models import Callback, SpotCheckDraw, SpotCheckItem


@pytest.fixture
def clerk(office):
    return Staff.get(Staff.name == "张敏")


@pytest.fixture
def owner(office):
    return Staff.get(Staff.name == "李红")


def answered(clerk, owner, text="楼道灯不亮", days_ago=10):
    """A case taken in `days_ago` days ago, handled and answered today: in 跟踪监督."""
    case = cases.take_in(
        channel="hotline",
        text=text,
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="王先生",
        contact_phone="13812345678",
        taken_at=dt.datetime.now() - dt.timedelta(days=days_ago),
    ).case
    cases.move(case, "handling", owner=owner, disposition="immediate", actor=clerk)
    cases.move(case, "feedback", outcome="已更换灯泡", actor=owner)
    return cases.move(
        case, "supervision", reply_method="phone", reply_text="已修好", actor=owner
    ).case


def closed(clerk, owner, when: dt.datetime, text="楼道灯不亮"):
    case = answered(clerk, owner, text)
    supervision.record_callback(case, "satisfied", True, actor=clerk)
    Case.update(closed_at=when).where(Case.id == case.id).execute()
    return case


def test_check_with_a_fault_is_charged_to_the_owner(clerk, owner):
    case = answered(clerk, owner)
    change = supervision.record_check(
        case, "periodic", "超过时限才办完", fault="超时办理", checker=clerk, contact_method="电话"
    )
    check = SupervisionCheck.get()
    assert (check.fault, check.fault_owner.name, check.checker.name) == ("late", "李红", "张敏")
    assert "超时办理" in change.events[0].note


def test_satisfied_and_resolved_callback_closes(clerk, owner):
    case = answered(clerk, owner)
    change = supervision.record_callback(case, "满意", True, method="电话回访", actor=clerk)
    assert change.case.stage == Stage.CLOSED and change.case.satisfaction == "satisfied"
    cb = Callback.get()
    assert (cb.satisfaction, cb.resolved, cb.method) == ("satisfied", True, "电话回访")


@pytest.mark.parametrize(
    "level, resolved", [("不满意", True), ("不满意", False), ("满意", False), (None, False)]
)
def test_dissatisfied_or_unresolved_reopens(clerk, owner, level, resolved):
    case = answered(clerk, owner)
    change = supervision.record_callback(case, level, resolved, note="路灯又坏了", actor=clerk)
    row = Case.get_by_id(case.id)
    assert row.stage == Stage.HANDLING and row.reopen_count == 1
    assert row.replied_on is None and row.due_date is not None
    events = list(CaseEvent.select().where(CaseEvent.case == case.id))
    assert "callback" in [e.kind for e in events]
    assert len([e for e in events if e.kind == "reopen" and not e.field]) == 1
    assert change.case.stage == Stage.HANDLING


def test_callback_without_verdict_but_resolved_leaves_the_case(clerk, owner):
    case = answered(clerk, owner)
    assert supervision.record_callback(case, None, True).case.stage == Stage.SUPERVISION


def test_callback_before_the_answer_is_refused(clerk):
    case = cases.take_in(
        channel="hotline",
        text="噪音",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="王",
        contact_phone="13812345678",
    ).case
    with pytest.raises(DomainError) as err:
        supervision.record_callback(case, "满意", True)
    assert err.value.field == "stage" and Callback.select().count() == 0


def test_spot_check_draw_is_reproducible_and_never_repeats_a_case(clerk, owner):
    when = dt.datetime.now() - dt.timedelta(days=5)
    made = [closed(clerk, owner, when, f"第{i}件") for i in range(12)]
    day = when.date()
    first = supervision.draw_spot_check(5, day, day, seed="42", by=clerk)
    ids = supervision.drawn_ids(first)
    assert len(ids) == len(set(ids)) == 5 and set(ids) <= {c.id for c in made}
    assert first.population == 12 and supervision.verify_draw(first)
    second = supervision.draw_spot_check(5, day, day, seed="42")
    again = supervision.drawn_ids(second)
    assert not set(ids) & set(again) and second.population == 7
    third = supervision.draw_spot_check(5, day, day)
    assert len(supervision.drawn_ids(third)) == 2  # only two were left
    assert SpotCheckItem.select().count() == 12
    with pytest.raises(DomainError):
        supervision.draw_spot_check(5, day, day)
    assert all(supervision.verify_draw(d) for d in SpotCheckDraw.select())


def test_same_seed_same_population_same_sample(clerk, owner):
    when = dt.datetime.now() - dt.timedelta(days=3)
    for i in range(30):
        closed(clerk, owner, when, f"第{i}件")
    day = when.date()
    draw = supervision.draw_spot_check(8, day, day, seed="2026")
    population = supervision.spot_population(day, day, as_drawn=draw)
    assert supervision._sample(population, 8, "2026") == supervision.drawn_ids(draw)
    assert supervision._sample(population, 8, "2027") != supervision.drawn_ids(draw)


def test_tampered_draw_does_not_verify(clerk, owner):
    when = dt.datetime.now() - dt.timedelta(days=3)
    for i in range(6):
        closed(clerk, owner, when, f"第{i}件")
    draw = supervision.draw_spot_check(2, when.date(), when.date(), seed="7")
    SpotCheckDraw.update(seed="8").where(SpotCheckDraw.id == draw.id).execute()
    assert not supervision.verify_draw(draw.id)


def test_spot_check_links_to_the_drawn_item(clerk, owner):
    when = dt.datetime.now() - dt.timedelta(days=3)
    case = closed(clerk, owner, when)
    supervision.draw_spot_check(1, when.date(), when.date())
    supervision.record_check(case, "spot", "电话抽查，居民确认已修好", checker=clerk)
    assert SpotCheckItem.get().check is not None


def test_bad_draw_size_is_refused(office):
    with pytest.raises(DomainError) as err:
        supervision.draw_spot_check(0, dt.date.today(), dt.date.today())
    assert err.value.field == "size"


def test_due_lists(clerk, owner):
    late = cases.take_in(
        channel="hotline",
        text="很久以前的",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="王",
        contact_phone="13812345678",
        taken_at=dt.datetime.now() - dt.timedelta(days=20),
    ).case
    cases.move(late, "handling", owner=owner, disposition="immediate", actor=clerk)
    waiting = answered(clerk, owner, "等回访")
    due = supervision.due_for_check()
    assert [r.number for r in due] == [late.number] and due[0].owner == "李红"
    assert [r.id for r in supervision.awaiting_callback()] == [waiting.id]
    supervision.record_callback(waiting, "基本满意", True)
    assert supervision.awaiting_callback() == []
    supervision.record_check(late, "inspector", "督促尽快办理", fault="能办未办")
    records = supervision.recent_records()
    assert {r.kind for r in records} == {"专人督察", "回访"}
    assert next(r for r in records if r.kind == "专人督察").fault == "能办未办"


def test_due_for_check_is_ordered_by_due_date_then_number(clerk, owner):
    """Overdue first, then the soonest due; cases of the same day by their number."""
    made = []
    for days_ago in (30, 20, 30, 25):
        case = cases.take_in(
            channel="hotline",
            text=f"{days_ago}天前受理",
            window=community.find_window("城建城管"),
            first_responder=clerk,
            contact_name="王",
            taken_at=dt.datetime.now() - dt.timedelta(days=days_ago),
        ).case
        cases.move(case, "handling", owner=owner, disposition="immediate", actor=clerk)
        made.append(Case.get_by_id(case.id))
    expected = [c.id for c in sorted(made, key=lambda c: (c.due_date, c.id))]
    assert made[0].due_date == made[2].due_date < made[3].due_date < made[1].due_date
    assert [r.id for r in supervision.due_for_check()] == expected
