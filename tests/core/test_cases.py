"""The pipeline through the services: intake, every stage, the refusals, and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from minqing.core import community
from minqing.core.cases import services as cases
from minqing.core.enums import Disposition, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, CaseEvent, Household, MaterialsWait, Resident, Staff


@pytest.fixture
def clerk(office):
    return Staff.get(Staff.name == "张敏")


@pytest.fixture
def owner(office):
    return Staff.get(Staff.name == "李红")


def intake(clerk, **extra):
    values = dict(
        channel="hotline",
        text="中和街21号2单元楼道灯不亮，晚上老人上下楼不安全",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="王先生",
        contact_phone="13812345678",
    )
    values.update(extra)
    return cases.take_in(**values).case


def snapshot():
    return (
        [tuple(r) for r in Case.select().tuples()],
        [tuple(r) for r in CaseEvent.select().tuples()],
        [tuple(r) for r in MaterialsWait.select().tuples()],
    )


def test_intake_gives_readable_sequential_numbers_and_an_event(clerk):
    first = intake(clerk, taken_at=dt.datetime(2026, 3, 2, 9, 0))
    second = intake(clerk, taken_at=dt.datetime(2026, 3, 2, 9, 5))
    assert (first.number, second.number) == ("2026-00001", "2026-00002")
    assert first.stage == Stage.INTAKE
    events = list(CaseEvent.select().where(CaseEvent.case == first.id))
    assert [e.kind for e in events] == ["created"]
    assert events[0].actor_name == "张敏"


def test_numbers_restart_each_year(clerk):
    intake(clerk, taken_at=dt.datetime(2025, 12, 31, 16, 0))
    case = intake(clerk, taken_at=dt.datetime(2026, 1, 4, 9, 0))
    assert case.number == "2026-00001"


def test_resident_address_is_taken_from_the_household(office, clerk):
    house = Household.create(
        community=office, courtyard="中和街21号", building="2", unit="3", door="501"
    )
    person = Resident.create(household=house, name="王毓吉", phone="13812345678")
    case = intake(clerk, resident=person, contact_name="", contact_phone="")
    assert case.address == "中和街21号2号楼3单元501室"
    assert case.household_id == house.id


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        (dict(text="   "), "text", "请填写民情内容"),
        (dict(text="长" * 4001), "text", "太长"),
        (dict(contact_phone="1381234"), "contact_phone", None),
        (dict(contact_phone="12345678901"), "contact_phone", "不是有效的号码"),
        (dict(contact_name="", contact_phone=""), "resident", "匿名"),
        (dict(first_responder=None), "first_responder", "首问"),
        (dict(channel="pigeon"), "channel", "渠道"),
        (dict(disposition="supplement"), "materials_needed", "材料"),
        (
            dict(disposition="escalated", escalated_to="区城管局"),
            "escalation_days",
            "上级预计办理时间",
        ),
        (dict(disposition="returned"), "return_reason", "退回原因"),
        (dict(disposition="promised"), "promised_date", "承诺办结日期"),
        (
            dict(
                disposition="promised",
                promised_date="2026-03-01",
                taken_at=dt.datetime(2026, 3, 2, 9),
            ),
            "promised_date",
            "不能早于",
        ),
        (dict(disposition="promised", promised_date="2026-02-30"), "promised_date", "不是有效日期"),
    ],
)
def test_bad_intake_is_refused_with_the_field_and_nothing_written(clerk, extra, field, words):
    before = snapshot()
    if field == "contact_phone" and words is None:
        # a 7-digit local landline number is accepted, so use a clearly wrong one
        extra = dict(contact_phone="1")
        words = "不是有效的号码"
    with pytest.raises(DomainError) as caught:
        intake(clerk, **extra)
    assert caught.value.field == field
    assert words in caught.value.message
    assert snapshot() == before


def test_full_pipeline_with_history(clerk, owner):
    case = intake(clerk, disposition="immediate")
    steps = [
        ("handling", dict(owner=owner)),
        ("feedback", dict(outcome="已更换声控灯")),
        ("supervision", dict(reply_method="phone", reply_text="灯已修好，请您放心")),
        ("closed", dict(satisfaction="satisfied")),
    ]
    for stage, values in steps:
        case = cases.move(case.number, stage, actor=clerk, **values).case
        assert case.stage == stage
    assert case.closed_at is not None and case.handled_on is not None
    stages = [
        (e.old, e.new)
        for e in CaseEvent.select().where(
            (CaseEvent.case == case.id) & (CaseEvent.field == "stage")
        )
    ]
    assert stages == [
        ("受理", "办理"),
        ("办理", "公示反馈"),
        ("公示反馈", "跟踪监督"),
        ("跟踪监督", "办结"),
    ]


def test_skipping_a_stage_is_refused(clerk):
    case = intake(clerk)
    before = snapshot()
    with pytest.raises(DomainError, match="不能直接转到“公示反馈”") as caught:
        cases.move(case.number, "feedback", outcome="已办")
    assert caught.value.field == "stage"
    assert snapshot() == before


def test_missing_requirement_refuses_the_move_and_rolls_back_what_was_given(clerk, owner):
    case = intake(clerk)
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        cases.move(case.number, "handling", owner=owner)  # no disposition
    assert caught.value.field == "disposition"
    assert "办理类型" in caught.value.message
    assert snapshot() == before  # the owner given with the refused move is not kept


def test_supplement_waits_for_materials_and_those_days_do_not_count(clerk, owner):
    case = intake(
        clerk,
        disposition="supplement",
        materials_needed="户口本、收入证明",
        taken_at=dt.datetime(2026, 11, 2, 9),  # Monday
    )
    assert case.due_date is None and case.is_waiting
    with pytest.raises(DomainError, match="补齐材料"):
        cases.move(case.number, "handling", owner=owner)
    case = cases.materials_received(case.number, on="2026-11-05").case  # Thursday
    # the clock restarts: 3 working days after Thursday → Tue 10th
    assert case.due_date == dt.date(2026, 11, 10)
    assert cases.move(case.number, "handling", owner=owner).case.stage == Stage.HANDLING


def test_deadlines_per_disposition(clerk):
    monday = dt.datetime(2026, 11, 2, 9)
    plain = intake(clerk, disposition="returned", return_reason="不属于社区职责", taken_at=monday)
    assert plain.due_date == dt.date(2026, 11, 5)
    urgent = intake(clerk, disposition="returned", return_reason="x", urgent=True, taken_at=monday)
    assert urgent.due_date == dt.date(2026, 11, 2)
    promised = intake(clerk, disposition="promised", promised_date="2026-11-20", taken_at=monday)
    assert promised.due_date == dt.date(2026, 11, 20)
    escalated = intake(
        clerk, disposition="escalated", escalated_to="区住建局", escalation_days=10, taken_at=monday
    )
    assert escalated.due_date == dt.date(2026, 11, 16)
    assert escalated.follow_up_date == dt.date(2026, 11, 9)


def test_national_day_holidays_do_not_count(clerk):
    case = intake(
        clerk, disposition="returned", return_reason="x", taken_at=dt.datetime(2026, 9, 30, 9)
    )
    # Oct 1–7 holidays; the 3rd working day after Sep 30 is Oct 10 (a make-up Saturday)
    assert case.due_date == dt.date(2026, 10, 10)


def test_dissatisfied_resident_reopens_and_it_is_counted(clerk, owner):
    case = intake(clerk, disposition="immediate")
    cases.move(case.number, "handling", owner=owner)
    cases.move(case.number, "feedback", outcome="已清理")
    cases.move(case.number, "supervision", reply_method="visit", reply_text="已上门告知")
    with pytest.raises(DomainError, match="满意"):
        cases.move(case.number, "closed")
    case = cases.record_satisfaction(case.number, "不满意", note="楼道还是很脏").case
    assert case.stage == Stage.HANDLING and case.reopen_count == 1
    assert case.started_on == dt.date.today()
    notes = [e.note for e in CaseEvent.select().where(CaseEvent.case == case.id)]
    assert "楼道还是很脏" in notes


def test_changing_disposition_recomputes_the_deadline(clerk):
    case = intake(
        clerk, disposition="returned", return_reason="x", taken_at=dt.datetime(2026, 11, 2, 9)
    )
    case = cases.set_disposition(case.number, Disposition.PROMISED, promised_date="2026-11-25").case
    assert case.due_date == dt.date(2026, 11, 25) and case.return_reason == ""


def test_stale_version_is_refused(clerk, owner):
    case = intake(clerk)
    cases.assign_owner(case.number, owner, expected_version=case.version)
    with pytest.raises(cases.ConflictError, match="刚被其他人修改过"):
        cases.edit(case.number, text="改过的内容", expected_version=case.version)
    assert Case.get_by_id(case.id).text != "改过的内容"


def test_events_are_append_only(clerk):
    case = intake(clerk)
    event = CaseEvent.get(CaseEvent.case == case.id)
    with pytest.raises(IntegrityError):
        CaseEvent.update(note="改写历史").where(CaseEvent.id == event.id).execute()
    with pytest.raises(IntegrityError):
        CaseEvent.delete().where(CaseEvent.id == event.id).execute()


def test_posting_needs_an_outcome(clerk, owner):
    case = intake(clerk, disposition="immediate")
    cases.move(case.number, "handling", owner=owner)
    with pytest.raises(DomainError, match="办理结果"):
        cases.post_publicly(case.number)
    cases.record_outcome(case.number, "已修复")
    assert cases.post_publicly(case.number, on="2026-11-27").case.posted_on == dt.date(2026, 11, 27)


def test_closed_case_cannot_be_edited(clerk, owner):
    case = intake(clerk, disposition="immediate")
    for stage, values in [
        ("handling", dict(owner=owner)),
        ("feedback", dict(outcome="已办")),
        ("supervision", dict(reply_method="letter", reply_text="已函复")),
        ("closed", dict(satisfaction="fairly")),
    ]:
        cases.move(case.number, stage, **values)
    with pytest.raises(DomainError, match="已办结"):
        cases.edit(case.number, text="新内容")


def test_materials_received_with_a_refused_move_is_not_kept(clerk):
    case = intake(clerk, disposition="supplement", materials_needed="户口本")
    with pytest.raises(DomainError):
        cases.move(case.number, "handling", materials_received=True)  # no owner
    assert Case.get_by_id(case.id).is_waiting


def test_new_case_starts_at_version_1(clerk):
    assert intake(clerk).version == 1


def test_reopen_clears_the_old_answer_and_posting(clerk, owner):
    case = intake(clerk, disposition="promised", promised_date=dt.date.today())
    cases.move(case.number, "handling", owner=owner)
    cases.move(case.number, "feedback", outcome="已处理")
    cases.post_publicly(case.number)
    cases.move(case.number, "supervision", reply_method="phone", reply_text="已处理完毕")
    case = cases.reopen(case.number, reason="复查发现未修好").case
    assert (case.outcome, case.reply_text, case.replied_on, case.posted_on) == ("", "", None, None)
    # the promised date is today, so it still holds; the history keeps the old answer
    assert case.due_date == dt.date.today()
    olds = {e.field: e.old for e in CaseEvent.select().where(CaseEvent.kind == "reopen")}
    assert olds["reply_text"] == "已处理完毕" and olds["outcome"] == "已处理"
    with pytest.raises(DomainError, match="办理结果"):
        cases.move(case.number, "feedback")


def test_reopened_after_the_promised_date_gets_a_fresh_deadline(clerk, owner):
    from minqing.core.cases import deadlines

    case = intake(
        clerk,
        disposition="promised",
        promised_date="2026-03-10",
        taken_at=dt.datetime(2026, 3, 2, 9),
    )
    case.started_on = dt.date(2026, 3, 16)  # as a reopening on that Monday leaves it
    assert deadlines.compute(case) == (dt.date(2026, 3, 19), None)
