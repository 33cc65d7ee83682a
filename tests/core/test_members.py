"""The member register, informants filing cases in their own name, monitors, schema version 6."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.errors import DomainError, NotFound
from minqing.core.members import services as members
from minqing.core.members.models import MODELS, Member, MemberEvent, Post
from minqing.core.models import Case, Grid, Household, Resident, ResidentTag, Staff, Window
from minqing.core.storage.db import close_database, open_database

TODAY = dt.date.today()


def make_homes(office):
    """Two courtyards in the first grid: a poor household and one with a person in rehab."""
    grid = Grid.select().where(Grid.community == office).order_by(Grid.sort).first()
    homes = {}
    for key, (yard, building, door) in {
        "member": ("中和小区", "3", "101"),
        "poor": ("中和小区", "3", "402"),
        "poor_far": ("比乐小区", "1", "201"),
        "rehab": ("中和小区", "5", "302"),
        "plain": ("中和小区", "3", "502"),
    }.items():
        homes[key] = Household.create(
            community=office, grid=grid, courtyard=yard, building=building, unit="1", door=door
        )
    poor = Resident.create(household=homes["poor"], name="孙桂兰")
    ResidentTag.create(resident=poor, tag="低保")
    far = Resident.create(household=homes["poor_far"], name="钱老汉")
    ResidentTag.create(resident=far, tag="三无老人")
    rehab = Resident.create(household=homes["rehab"], name="周强")
    ResidentTag.create(resident=rehab, tag="康复人员")
    Resident.create(household=homes["plain"], name="吴平")
    return homes


def add(office, name="刘建国", kind="retired", **values):
    return members.add_member(office, name=name, kind=kind, **values).row


def test_new_file_has_the_nine_posts_and_the_informant_column(db):
    names = [p.name for p in Post.select().order_by(Post.sort)]
    assert names == [
        "政策宣讲", "帮扶助困", "民事帮教", "平安安全", "美化环境",
        "文体组织", "科普宣传", "文明监督", "革命传统教育",
    ]  # fmt: skip
    assert sum(p.needed for p in Post.select()) >= 40
    assert "informant_id" in {c.name for c in db.get_columns("case")}
    assert {m._meta.table_name for m in MODELS} <= set(db.get_tables())


def test_version_5_file_is_brought_to_6_with_the_column(tmp_path):
    path = tmp_path / "old.sqlite"
    field = Case._meta.fields["informant"]
    Case._meta.remove_field("informant")
    try:
        database = open_database(path).database
        for model in reversed(MODELS):
            database.execute_sql(f'DROP TABLE "{model._meta.table_name}"')
        database.execute_sql("UPDATE schema_version SET version = 5")
        assert "informant_id" not in {c.name for c in database.get_columns("case")}
    finally:
        close_database()
        Case._meta.add_field("informant", field)
    opened = open_database(path)
    assert opened.upgraded_from == 5
    assert "informant_id" in {c.name for c in opened.database.get_columns("case")}
    assert Post.select().count() == 9
    assert opened.backup is not None or list(tmp_path.rglob("*before-v*"))


def test_register_records_kind_and_history(office):
    homes = make_homes(office)
    staff = Staff.get(Staff.name == "张敏")
    change = members.add_member(
        office, name="刘建国", kind="退休", gender="男", phone="138 1234 5678",
        household=homes["member"], joined_on="1975-07-01", is_informant=True, actor=staff,
    )  # fmt: skip
    member = change.row
    assert member.kind == "retired" and member.phone == "13812345678"
    assert member.grid_id == homes["member"].grid_id  # taken from the household
    assert [e.kind for e in change.events] == ["created", "informant"]
    edit = members.edit_member(member, kind="veteran", phone="13812345678", actor=staff)
    assert [(e.field, e.old, e.new) for e in edit.events] == [("kind", "退休", "复转军人")]
    assert members.describe_event(edit.events[0]) == "党员类别：退休 → 复转军人"
    assert len(members.history(member)) == 3


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (dict(name="", kind="retired"), "name"),
        (dict(name="王", kind="干部"), "kind"),
        (dict(name="王", kind="retired", phone="12345"), "phone"),
        (dict(name="王", kind="retired", gender="未知"), "gender"),
        (dict(name="王", kind="employed", is_informant=True), "is_informant"),
        (dict(name="王", kind="retired", joined_on="2099-01-01"), "joined_on"),
    ],
)
def test_register_refuses_bad_input(office, values, field):
    with pytest.raises(DomainError) as info:
        members.add_member(office, **values)
    assert info.value.field == field
    assert Member.select().count() == 0


def test_history_is_append_only(office, db):
    member = add(office)
    event = MemberEvent.get(MemberEvent.member == member)
    with pytest.raises(Exception, match="历史记录不可修改"):
        db.execute_sql(f"UPDATE member_event SET note = 'x' WHERE id = {db.param}", (event.id,))


def test_informant_files_a_case_in_own_name_and_is_counted(office):
    member = add(office, is_informant=True, phone="13812345678")
    other = add(office, name="陈淑珍", kind="graduate", is_informant=True)
    clerk = Staff.get(Staff.name == "张敏")
    window = Window.select().first()
    change = members.file_case(
        member, text="中和街21号楼道灯坏了", window=window, first_responder=clerk,
        address="中和街21号",
    )  # fmt: skip
    case = Case.get_by_id(change.case.id)
    assert case.channel == "informant" and case.informant_id == member.id
    assert case.contact_name == "刘建国" and case.contact_phone == "13812345678"
    counts = {m.name: n for m, n in members.cases_per_informant(office)}
    assert counts == {"刘建国": 1, "陈淑珍": 0}
    later = members.cases_per_informant(office, start=TODAY + dt.timedelta(days=1))
    assert {m.name: n for m, n in later} == {"刘建国": 0, "陈淑珍": 0}
    assert other.is_informant


def test_only_informants_file_in_their_name(office):
    member = add(office, kind="employed")
    with pytest.raises(DomainError, match="不是在册的民情信息员"):
        members.file_case(
            member, text="x", window=Window.select().first(),
            first_responder=Staff.get(Staff.name == "张敏"),
        )  # fmt: skip
    assert Case.select().count() == 0


def test_leaving_the_register_ends_informant_duty(office):
    member = add(office, is_informant=True)
    change = members.set_active(member, False, reason="迁出")
    assert not change.row.active and not change.row.is_informant
    assert members.members(office) == []
    assert members.get_member("刘建国", office).id == member.id
    with pytest.raises(NotFound):
        members.get_member("不存在")


def test_monitors_are_appointed_and_ended(office):
    monitor = members.add_monitor(
        office, name="王毓吉", phone="13700001111", appointed_on="2026-01-05"
    )
    assert [m.name for m in members.monitors(office)] == ["王毓吉"]
    with pytest.raises(DomainError):
        members.end_monitor(monitor, "2025-12-31")
    members.end_monitor(monitor, "2026-06-30")
    assert members.monitors(office) == []
