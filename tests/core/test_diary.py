"""民情日记: entries, one action to a case, the link shown both ways, no double registration."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.channels import diary
from minqing.core.enums import Channel
from minqing.core.errors import DomainError
from minqing.core.models import Case, CaseEvent, Staff, Window


@pytest.fixture
def leader(office):
    return Staff.get(Staff.name == "李红")


def test_write_and_list_newest_first(office, leader):
    older = diary.write(
        leader, "走访中和街21号，楼道堆物较多", dt.date.today() - dt.timedelta(days=3)
    )
    newer = diary.write(leader, "公园巷路面破损，行人难走")
    rows = diary.entries(office)
    assert [r.id for r in rows] == [newer.id, older.id]
    assert rows[0].author == "李红" and rows[0].case_number == "" and rows[0].case_id is None


def test_refuses_empty_and_future(office, leader):
    with pytest.raises(DomainError) as err:
        diary.write(leader, "   ")
    assert err.value.field == "text"
    with pytest.raises(DomainError) as err:
        diary.write(leader, "明天的事", dt.date.today() + dt.timedelta(days=1))
    assert err.value.field == "written_on"


def test_entry_becomes_case_once(office, leader):
    entry = diary.write(leader, "公园巷路面破损，幼儿园门口车多危险")
    window = Window.get(Window.name == "城建城管")
    change = diary.to_case(entry, window=window)
    case = change.case
    assert case.channel == Channel.DIARY.value
    assert case.text == entry.text
    assert case.first_responder_id == leader.id
    assert case.contact_name == "民情日记"
    assert CaseEvent.select().where(CaseEvent.case == case).count() == 1
    row = diary.entries(office)[0]
    assert row.case_id == case.id and row.case_number == case.number and row.case_stage == "受理"
    assert diary.entry_for_case(case).id == entry.id
    with pytest.raises(DomainError) as err:
        diary.to_case(entry, window=window)
    assert case.number in err.value.message
    assert Case.select().count() == 1
    with pytest.raises(DomainError):
        diary.delete(entry)


def test_failed_intake_leaves_entry_open(office, leader):
    entry = diary.write(leader, "路灯不亮")
    with pytest.raises(DomainError):
        diary.to_case(entry, window=None)
    assert diary.get_entry(entry.id).case_id is None
    assert Case.select().count() == 0


def test_only_open_and_filters(office, leader):
    clerk = Staff.get(Staff.name == "张敏")
    a = diary.write(leader, "甲")
    diary.write(clerk, "乙")
    diary.to_case(a, window=Window.get(Window.name == "综合治理"), contact_phone="13900001234")
    assert [r.text for r in diary.entries(office, only_open=True)] == ["乙"]
    assert [r.text for r in diary.entries(office, author=clerk)] == ["乙"]
    diary.delete(diary.entries(office, only_open=True)[0].id)
    assert len(diary.entries(office)) == 1
