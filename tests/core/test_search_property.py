"""The search box's fast path (indexes, candidates checked in batches) finds exactly what a plain
substring scan finds, newest first, on random offices — on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from peewee import JOIN

from minqing.core import community
from minqing.core.cases import conditions, newest, pg_index, search
from minqing.core.cases import services as cases
from minqing.core.models import Case, Household, Resident, Staff

CHARS = "楼道灯不亮水王张中和街号室1203a"
DIGITS = "0123"

words = st.text(alphabet=CHARS, min_size=1, max_size=8)
digits = st.text(alphabet=DIGITS, min_size=8, max_size=8)


def _every_case() -> list[Case]:
    """Every case with its resident and their home, newest first, in one query."""
    query = (
        Case.select(Case, Resident, Household)
        .join(Resident, JOIN.LEFT_OUTER, on=(Case.resident == Resident.id))
        .join(Household, JOIN.LEFT_OUTER, on=(Resident.household == Household.id))
        .order_by(Case.id.desc())
    )
    return list(query)


def brute(term: str, phones: bool = True) -> list[str]:
    """Every case the rule names, by reading every row in Python (newest first). Without
    `phones` (a viewer without personal.view) digits find case numbers only."""
    kind = conditions.kind_of(term)
    found = []
    for case in _every_case():
        person = case.resident
        if kind == "number":
            hit = case.number.startswith(term)
        elif kind == "digits" and not phones:
            hit = term in case.number
        elif kind == "digits":
            hit = term in case.contact_phone or term in case.number
            hit |= bool(person) and (term in person.phone or term in (person.id_number or ""))
        elif kind == "initials":
            hit = bool(person) and person.initials.startswith(term.lower())
        else:
            hit = term in case.text or term in case.address or term in case.contact_name
            if person:
                address = person.household.address if person.household_id else ""
                hit |= term in person.name or term in address
        if hit:
            found.append(case.number)
    return found


def brute_all(text: str, phones: bool = True) -> list[str]:
    terms = conditions.split_terms(text)
    if not terms:
        return []
    sets = [set(brute(t, phones)) for t in terms]
    return [n for n in brute(terms[0], phones) if all(n in s for s in sets)]


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 2, so that every search reads several batches and grows them."""
    monkeypatch.setattr(newest, "FIRST_BATCH", 2)
    monkeypatch.setattr(newest, "INLINE_RESIDENTS", 2)
    monkeypatch.setattr(newest, "WALK_PROBE", 2)  # PostgreSQL: walk, walk on, then the index
    monkeypatch.setattr(newest, "WALK_MOST", 3)
    monkeypatch.setattr(newest, "WALK_DENSE", 400)  # per thousand: 1 case of 2 walks on
    monkeypatch.setattr(pg_index, "LOOKUP_GRAMS", 1)  # one piece of a term looked up


people = st.lists(
    st.tuples(
        st.text(alphabet=CHARS, min_size=2, max_size=3),
        digits,
        st.one_of(st.none(), st.text(alphabet=DIGITS, min_size=6, max_size=6)),
        st.text(alphabet="abwz", min_size=1, max_size=3),
        st.text(alphabet=CHARS, min_size=0, max_size=2),
    ),
    min_size=0,
    max_size=4,
)
intakes = st.lists(
    st.tuples(
        words,
        st.text(alphabet=CHARS, max_size=5),
        st.text(alphabet=CHARS, max_size=3),
        st.one_of(st.just(""), digits),
        st.integers(min_value=-1, max_value=3),
    ),
    min_size=1,
    max_size=8,
)
queries = st.lists(
    st.one_of(
        words,
        st.text(alphabet=DIGITS, min_size=3, max_size=6),
        st.text(alphabet="abwz", min_size=1, max_size=2),
        st.sampled_from(["%", "_", "号楼", "室", "20", "1-"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=40,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=people, intakes=intakes, queries=queries, limit=st.integers(1, 6))
def test_search_equals_a_plain_scan(office, small_batches, people, intakes, queries, limit):
    clerk = Staff.get(Staff.name == "张敏")
    window = community.find_window("城建城管")
    made = []
    for name, phone, id_tail, letters, courtyard in people:
        door = str(Household.select().count() + 1)  # examples add to the same office
        home = Household.create(community=office, courtyard=courtyard or "中和街", door=door)
        made.append(
            Resident.create(
                household=home,
                name=name,
                phone=phone,
                id_number=None if id_tail is None else f"23010{id_tail}{Resident.select().count()}",
                initials=letters,
            )
        )
    for text, address, contact, phone, who in intakes:
        person = made[who] if made and 0 <= who < len(made) else None
        cases.take_in(
            channel="mailbox",
            text=text,
            window=window,
            first_responder=clerk,
            resident=person,
            contact_name=contact or ("" if person or phone else "某"),
            contact_phone=phone,
            address=address,
        )
    numbers = [c.number for c in Case.select().order_by(Case.id.desc()).limit(1)]
    queries = [*queries, numbers[0][:6], numbers[0]]
    for text in queries + [" ".join(queries[:2])]:
        expected = brute_all(text)
        assert [c.number for c in search.find_cases(text, limit=limit)] == expected[:limit], text
        hits = [h.title for h in search.search(text, limit=limit) if h.kind == "case"]
        assert hits == expected[:limit], text
        numbers_only = brute_all(text, phones=False)
        found = search.find_cases(text, limit=limit, phones=False)
        assert [c.number for c in found] == numbers_only[:limit], text


def test_index_follows_edits_of_phone_and_text(office):
    clerk = Staff.get(Staff.name == "张敏")
    window = community.find_window("城建城管")
    case = cases.take_in(
        channel="mailbox",
        text="楼道灯不亮",
        window=window,
        first_responder=clerk,
        contact_name="王",
        contact_phone="82651234",
    ).case
    assert [c.id for c in search.find_cases("6512")] == [case.id]
    cases.edit(case.number, contact_phone="82659999", text="下水道堵")
    assert search.find_cases("6512") == []
    assert [c.id for c in search.find_cases("5999")] == [case.id]
    assert search.find_cases("灯不") == []
    assert [c.id for c in search.find_cases("水道")] == [case.id]


def test_resident_index_follows_names_homes_and_moves(office):
    home = Household.create(community=office, courtyard="比乐街25号", building="3", door="101")
    other = Household.create(community=office, courtyard="中和街21号", building="1", door="202")
    person = Resident.create(household=home, name="王毓吉", phone="13812345678", initials="wyj")
    assert [r.id for r in search.find_residents("比乐街25号3号楼")] == [person.id]
    Household.update(courtyard="永新街46号").where(Household.id == home.id).execute()
    assert search.find_residents("比乐街") == []
    assert [r.id for r in search.find_residents("永新街46号3号楼101室")] == [person.id]
    Resident.update(household=other, name="王江荣").where(Resident.id == person.id).execute()
    assert search.find_residents("永新街") == [] and search.find_residents("王毓") == []
    assert [r.id for r in search.find_residents("中和街21号1号楼 王江")] == [person.id]
    assert [r.id for r in search.find_residents("2345")] == [person.id]
    Resident.update(phone="13900007777", id_number="230103198001011234").where(
        Resident.id == person.id
    ).execute()
    assert search.find_residents("2345") == []
    assert [r.id for r in search.find_residents("0007777")] == [person.id]
    assert [r.id for r in search.find_residents("19800101")] == [person.id]
    Household.delete().where(Household.id == other.id).execute()  # the resident stays, homeless
    assert search.find_residents("中和街") == []
    assert [r.id for r in search.find_residents("王江荣")] == [person.id]
    Resident.delete().where(Resident.id == person.id).execute()
    assert search.find_residents("王江荣") == []
