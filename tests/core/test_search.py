"""Search is in SQL and correct for 1-, 2- and 3+-character Chinese queries on this SQLite."""

from __future__ import annotations

import pytest

from minqing.core import community
from minqing.core.cases import conditions, search
from minqing.core.cases import services as cases
from minqing.core.models import Case, Household, Resident, Staff
from minqing.core.names import initials

TEXTS = [
    "楼道灯不亮",
    "下水道堵塞",
    "申请低保",
    "邻里噪音纠纷",
    "路灯不亮需要维修",
    "小区门口垃圾堆放",
    "暖气不热",
    "屋顶漏水",
    "低保年审材料",
    "灯",
]
PEOPLE = [
    ("王毓吉", "13812345678"),
    ("曾小贤", "13900007777"),
    ("单田芳", "15000001234"),
    ("王江荣", "18600005678"),
]


@pytest.fixture
def filled(office):
    clerk = Staff.get(Staff.name == "张敏")
    house = Household.create(
        community=office, courtyard="比乐街25号", building="3", unit="2", door="101"
    )
    people = [
        Resident.create(household=house, name=n, phone=p, initials=initials(n)) for n, p in PEOPLE
    ]
    window = community.find_window("城建城管")
    for i, text in enumerate(TEXTS):
        cases.take_in(
            channel="mailbox",
            text=text,
            window=window,
            first_responder=clerk,
            resident=people[i % len(people)],
        )
    return people


def brute(term):
    """What a person would expect: every case whose text, address or resident matches."""
    found = set()
    for case in Case.select():
        person = case.resident
        fields = [case.text, case.address, case.contact_name, person.name if person else ""]
        if any(term in f for f in fields):
            found.add(case.number)
    return found


@pytest.mark.parametrize(
    "term", ["灯", "低保", "不亮", "楼道灯", "路灯不亮", "王", "王毓", "漏水", "比乐街", "3号楼"]
)
def test_words_match_what_a_person_expects(filled, term):
    assert {c.number for c in search.find_cases(term)} == brute(term)


def test_index_follows_edits(filled):
    case = Case.get(Case.text == "暖气不热")
    cases.edit(case.number, text="暖气片漏水")
    assert [c.number for c in search.find_cases("漏水") if c.id == case.id] == [case.number]
    assert case.id not in {c.id for c in search.find_cases("不热")}


@pytest.mark.sqlite_only
def test_words_use_the_index_not_a_scan(filled):
    from minqing.core.models import database_proxy

    sql, params = Case.select(Case.id).where(conditions.case_filter("低保")).sql()
    plan = " ".join(
        str(r) for r in database_proxy.obj.execute_sql("EXPLAIN QUERY PLAN " + sql, params)
    )
    assert "VIRTUAL TABLE INDEX" in plan


def test_phone_digits_initials_and_number(filled):
    assert {r.name for r in search.find_residents("5678")} == {"王毓吉", "王江荣"}
    assert [r.name for r in search.find_residents("wyj")] == ["王毓吉"]
    assert [r.name for r in search.find_residents("zxx")] == ["曾小贤"]  # 曾 as a surname is zeng
    assert [r.name for r in search.find_residents("stf")] == ["单田芳"]  # 单 as a surname is shan
    assert [c.number for c in search.find_cases(Case.get().number)] == [Case.get().number]


def test_several_terms_must_all_match(filled):
    found = {c.number for c in search.find_cases("王毓吉 灯")}
    assert found == brute("王毓吉") & brute("灯")
    assert {Case.get(Case.number == n).text for n in found} == {"楼道灯不亮", "路灯不亮需要维修"}


def test_address_search_finds_residents(filled):
    assert len(search.find_residents("比乐街25号3号楼")) == len(PEOPLE)


def test_special_characters_are_literal(filled):
    assert search.find_cases("%") == []
    assert search.find_cases('"灯"') == []


def test_resident_hits_read_by_the_name_index_are_the_same(filled, monkeypatch):
    """Many matching residents are listed by walking the name index (SQLite) instead of
    sorting them all: the same hits in the same order (by name)."""
    sorted_all = [h for h in search.search("比乐街") if h.kind == "resident"]
    assert [h.title for h in sorted_all] == sorted(n for n, _ in PEOPLE)
    monkeypatch.setattr(search, "BY_NAME", 0)
    assert [h for h in search.search("比乐街") if h.kind == "resident"] == sorted_all
