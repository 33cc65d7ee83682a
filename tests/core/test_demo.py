"""The demo community obeys the services' own rules: pipeline requirements, deadlines, numbering.

Each check reads the definitions in core (pipeline.TRANSITIONS, deadlines.compute, the ID
check digit of GB 11643) rather than restating what the generator did.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict

import phonenumbers
import pytest
from peewee import IntegrityError
from stdnum.cn import ric

from minqing.core import demo
from minqing.core.accounts.models import Account
from minqing.core.cases import deadlines, pipeline
from minqing.core.cases.services import format_number
from minqing.core.community import COMMUNITY_WINDOWS, STREET_WINDOWS
from minqing.core.enums import Disposition, Satisfaction, Stage
from minqing.core.errors import DomainError
from minqing.core.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Community,
    Grid,
    Household,
    MaterialsWait,
    Resident,
    ResidentTag,
    Staff,
    Window,
)
from minqing.core.names import initials
from minqing.core.storage.db import close_database, open_database

REFERENCE = dt.date(2026, 6, 30)
CASES = 300
TABLES = [
    "staff",
    "grid",
    "household",
    "resident",
    "resident_tag",
    "case",
    "case_counter",
    "case_event",
    "materials_wait",
    "supervision_check",
    "window",
    "setting",
]


pytestmark = pytest.mark.slow  # every test here builds a demo community


@pytest.fixture
def built(built_demo):
    return built_demo(CASES, 7, REFERENCE)


def dump(path) -> dict[str, list[tuple]]:
    close_database()
    with sqlite3.connect(path) as con:
        return {
            t: con.execute(
                f'SELECT * FROM "{t}" ORDER BY id'
                if t != "setting"
                else f'SELECT * FROM "{t}" ORDER BY key'
            ).fetchall()
            for t in TABLES
        }


def test_totals_of_the_source(built):
    assert built.created and built.added == CASES and built.cases == CASES
    assert Community.select().count() == 1 and built.community.name == "中和社区"
    assert Household.select().count() == 3690
    assert Resident.select().count() == 11136
    assert Household.select(Household.courtyard).distinct().count() == 23
    assert Household.select(Household.courtyard, Household.building).distinct().count() == 48
    assert (
        Household.select(Household.courtyard, Household.building, Household.unit).distinct().count()
        == 221
    )
    grids = list(Grid.select())
    assert len(grids) == 12 and all(g.staff_id and g.line for g in grids)
    assert len({g.line for g in grids}) == 12
    roles = Counter(s.role for s in Staff.select())
    assert sum(roles.values()) == 16 and roles["supervisor"] == 1 and roles["front_desk"] == 2
    # The same accounts as the window's demo: everyone, and the administrator (管理员).
    assert roles["admin"] == 1 and Account.select().count() == 16
    assert roles["leader"] >= 1 and roles["owner"] >= 1
    assert [
        w.name for w in Window.select().order_by(Window.sort)
    ] == STREET_WINDOWS + COMMUNITY_WINDOWS
    # Every household has people; addresses are unique.
    assert Resident.select(Resident.household).distinct().count() == 3690


def test_tags_in_the_source_proportions(built):
    allowance = ResidentTag.select().where(ResidentTag.tag == "低保")
    assert allowance.count() == 1593
    homes = Resident.select(Resident.household).where(
        Resident.id.in_(allowance.select(ResidentTag.resident))
    )
    assert homes.distinct().count() == 641
    # A 低保 household is tagged whole.
    tagged_homes = {r.household_id for r in homes}
    assert Resident.select().where(Resident.household.in_(tagged_homes)).count() == 1593
    tags = Counter(t.tag for t in ResidentTag.select())
    for label in (
        "空巢老人",
        "三无老人",
        "残疾人",
        "流动儿童",
        "下岗失业",
        "单亲贫困母亲",
        "康复人员",
    ):
        assert 0 < tags[label] < 600, label


def gb11643_check(first17: str) -> str:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def test_people_are_plausible(built):
    today = REFERENCE
    surnames = Counter()
    for r in Resident.select():
        assert ric.is_valid(r.id_number), r.id_number
        assert r.id_number[17] == gb11643_check(r.id_number[:17])
        born = ric.get_birth_date(r.id_number)
        assert 0 <= (today - born).days // 365 <= 100
        assert r.gender == ("男" if int(r.id_number[16]) % 2 else "女")
        assert 2 <= len(r.name) <= 4
        assert r.initials == initials(r.name)
        if r.phone:
            assert len(r.phone) == 11 and r.phone[:2] in ("13", "15", "18")
            assert phonenumbers.is_valid_number(phonenumbers.parse(r.phone, "CN")), r.phone
        surnames[r.name[0]] += 1
    common = [s for s, _ in surnames.most_common(3)]
    assert set(common) <= {"王", "李", "张", "刘"}
    for g in Grid.select():
        assert phonenumbers.is_valid_number(phonenumbers.parse(g.line, "CN"))


def stage_index(stage: str) -> int:
    return pipeline.STAGES.index(Stage(stage))


def test_cases_obey_the_pipeline(built):
    cases = list(Case.select().order_by(Case.id))
    assert len(cases) == CASES
    events = defaultdict(list)
    for e in CaseEvent.select().order_by(CaseEvent.id):
        events[e.case_id].append(e)
    now = dt.datetime.combine(REFERENCE, dt.time())
    for case in cases:
        reached = stage_index(case.stage)
        for step in pipeline.TRANSITIONS:
            if stage_index(step.source) < reached or (
                case.reopen_count and step.source == Stage.INTAKE
            ):
                assert pipeline.missing(case, step) == [], (case.number, step.action)
        assert deadlines.compute(case) == (case.due_date, case.follow_up_date), case.number
        history = events[case.id]
        assert history[0].kind == "created" and history[0].at == case.taken_at
        assert all(a.at <= b.at for a, b in zip(history, history[1:], strict=False))
        assert history[-1].at == case.updated_at < now
        assert all(e.actor_name for e in history)
        stages = [Stage.INTAKE.label] + [e.new for e in history if e.field == "stage"]
        for old, new in zip(stages, stages[1:], strict=False):
            allowed = any(
                t.source.label == old and t.target.label == new for t in pipeline.TRANSITIONS
            )
            reopened = new == Stage.HANDLING.label and old in [
                s.label for s in pipeline.REOPEN_FROM
            ]
            assert allowed or reopened, (case.number, old, new)
        assert stages[-1] == Stage(case.stage).label
        assert sum(1 for e in history if e.kind == "reopen" and e.field == "") == case.reopen_count
        if case.stage == Stage.CLOSED:
            assert case.satisfaction in (Satisfaction.SATISFIED, Satisfaction.FAIRLY)
            assert case.closed_at == history[-1].at
        if case.posted_on:
            assert case.outcome
        if case.replied_on:
            assert case.intake_date <= case.replied_on < REFERENCE
        if case.resident_id is None:
            assert case.contact_name or case.contact_phone
        if case.contact_phone:
            assert phonenumbers.is_valid_number(phonenumbers.parse(case.contact_phone, "CN"))
        assert REFERENCE - dt.timedelta(days=366) <= case.intake_date < REFERENCE
    kinds = Counter((c.stage, c.disposition) for c in cases)
    assert all(kinds[(s.value, None)] == 0 for s in pipeline.STAGES[1:])
    assert sum(c.urgent for c in cases) > 0
    assert any(c.reopen_count for c in cases)
    assert any(
        c.stage in ("intake", "handling") and c.due_date and c.due_date < REFERENCE for c in cases
    )
    assert sum(c.stage == Stage.CLOSED for c in cases) > CASES // 2
    assert any(c.posted_on for c in cases)
    assert any(c.resident_id is None and c.contact_name == "匿名" for c in cases)
    assert len({c.channel for c in cases}) >= 7 and len({c.window_id for c in cases}) >= 8
    escalated = [
        c for c in cases if c.disposition == Disposition.ESCALATED and c.stage != Stage.INTAKE
    ]
    assert escalated and all(c.escalated_to and c.follow_up_date for c in escalated)


def test_supplement_cases_wait_without_a_deadline(db):
    demo.build(600, seed=7, reference=REFERENCE)
    waiting = list(Case.select().join(MaterialsWait).where(MaterialsWait.received_on.is_null()))
    assert waiting
    for case in waiting:
        assert case.stage == Stage.INTAKE and case.is_waiting and case.due_date is None
        assert case.disposition == Disposition.SUPPLEMENT and case.materials_needed
    resumed = MaterialsWait.select().where(MaterialsWait.received_on.is_null(False))
    assert resumed.count() > len(waiting)


def test_numbers_are_contiguous_per_year(built):
    by_year = defaultdict(list)
    for case in Case.select():
        assert case.number == format_number(case.year, case.seq) and case.year == case.taken_at.year
        by_year[case.year].append((case.seq, case.taken_at))
    for year, rows in by_year.items():
        rows.sort()
        assert [s for s, _ in rows] == list(range(1, len(rows) + 1))
        assert [t for _, t in rows] == sorted(t for _, t in rows)  # numbered in intake order
        assert CaseCounter.get(year=year).last == len(rows)


def test_same_seed_same_rows(tmp_path):
    dumps = []
    for name in ("a.sqlite", "b.sqlite"):
        open_database(tmp_path / name)
        demo.build(120, seed=3, reference=REFERENCE)
        dumps.append(dump(tmp_path / name))
    assert dumps[0] == dumps[1]
    open_database(tmp_path / "c.sqlite")
    demo.build(120, seed=4, reference=REFERENCE)
    other = dump(tmp_path / "c.sqlite")
    assert other["resident"] != dumps[0]["resident"] and other["case"] != dumps[0]["case"]


def test_refill_adds_only_the_missing_cases(tmp_path):
    path = tmp_path / "demo.sqlite"
    open_database(path)
    first = demo.build(150, seed=5, reference=REFERENCE)
    assert first.added == 150
    before = dump(path)
    open_database(path)
    again = demo.build(300, seed=99)  # the stored seed and reference date win
    assert not again.created and again.added == 150 and again.cases == 300
    assert (again.seed, again.reference) == (5, REFERENCE)
    after = dump(path)
    for table in ("household", "resident", "resident_tag", "case", "case_event", "materials_wait"):
        assert after[table][: len(before[table])] == before[table], table
    open_database(path)
    assert demo.build(300).added == 0 and demo.build(10).added == 0
    assert Case.select().count() == 300
    close_database()

    open_database(tmp_path / "whole.sqlite")
    demo.build(300, seed=5, reference=REFERENCE)
    whole = {(c.taken_at, c.text, c.channel, c.stage) for c in Case.select()}
    open_database(path)
    topped = {(c.taken_at, c.text, c.channel, c.stage) for c in Case.select()}
    assert topped == whole  # the same cases a bigger first build makes; only numbering differs
    numbers = sorted((c.year, c.seq) for c in Case.select())
    for year in {y for y, _ in numbers}:
        seqs = [s for y, s in numbers if y == year]
        assert seqs == list(range(1, len(seqs) + 1))


def test_refuses_a_real_office(office):
    with pytest.raises(DomainError) as err:
        demo.build(10)
    assert err.value.field == "community"
    assert Case.select().count() == 0


@pytest.mark.postgres_only
def test_a_big_load_on_the_server_makes_its_indexes_once(db, monkeypatch):
    """From DEFER_INDEXES new cases the loaded tables' secondary indexes and foreign keys are
    gone while the rows are copied in, and the same ones are back after; the search (which
    reads the gram index) and the foreign keys work on the loaded rows."""
    from minqing.core.cases.conditions import WORDS, word_grams
    from minqing.core.models import database_proxy

    tables = ["case", "case_event", "materials_wait", "supervision_check"]

    def catalogue() -> set[tuple]:
        relations = [f'"{t}"' for t in tables]
        indexes = database_proxy.obj.execute_sql(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [relations],
        ).fetchall()
        keys = database_proxy.obj.execute_sql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [relations],
        ).fetchall()
        return set(indexes) | set(keys)

    before = catalogue()
    during: list[set[tuple]] = []
    load = demo._add_cases

    def watched(*args, **kwargs):
        during.append(catalogue())
        return load(*args, **kwargs)

    monkeypatch.setattr(demo, "_add_cases", watched)
    monkeypatch.setattr(demo, "DEFER_INDEXES", 100)
    demo.build(150, seed=3, reference=REFERENCE)
    assert len(before) > 40 and len(during[0]) < 10  # primary keys only, meanwhile
    assert catalogue() == before
    database = database_proxy.obj
    some = Case.select().order_by(Case.id.desc()).first()
    with database.atomic():
        database.execute_sql("SET LOCAL enable_seqscan = off")  # the rebuilt index answers
        found = database.execute_sql(
            f'SELECT t1.id FROM "case" AS t1 WHERE minqing_grams({WORDS}) @> %s::text[]',
            [word_grams(some.text[:3])],
        ).fetchall()
    assert (some.id,) in found
    with pytest.raises(IntegrityError), database.atomic():
        CaseEvent.create(case=some.id + 1000, at=some.taken_at, actor_name="x", kind="note")


@pytest.mark.sqlite_only
def test_a_big_load_in_a_file_makes_its_indexes_once(tmp_path, monkeypatch):
    """SQLite: from DEFER_INDEXES new cases the loaded tables' indexes and search-index
    triggers are gone while the rows go in, and the same ones are back after; the file holds
    the same rows and its search indexes find the same cases as a build that kept them all
    along — for a first build and for a top-up."""
    from minqing.core.cases import conditions
    from minqing.core.models import database_proxy

    def schema() -> set[tuple]:
        return set(
            database_proxy.obj.execute_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
            ).fetchall()
        )

    def build(path, cases, defer):
        open_database(path)
        monkeypatch.setattr(demo, "DEFER_INDEXES", defer)
        demo.build(cases, seed=3, reference=REFERENCE)

    load = demo._add_cases
    during: list[set[tuple]] = []

    def watched(*args, **kwargs):
        during.append(schema())
        return load(*args, **kwargs)

    build(tmp_path / "kept.sqlite", 150, 10**9)
    build(tmp_path / "kept.sqlite", 400, 10**9)  # a top-up, indexes kept
    kept = schema()
    terms = [c.text[2:4] for c in Case.select().order_by(Case.id).limit(40)]
    terms += [c.contact_phone[-4:] for c in Case.select() if c.contact_phone][:20]
    terms += ["2026-00", "中和街"]

    def hits(term: str) -> list[int]:
        query = Case.select(Case.id).where(conditions.case_condition(term)).order_by(Case.id)
        return [i for (i,) in query.tuples()]

    found = {t: hits(t) for t in terms}
    assert sum(map(len, found.values())) > 100
    kept_rows = dump(tmp_path / "kept.sqlite")

    monkeypatch.setattr(demo, "_add_cases", watched)
    build(tmp_path / "deferred.sqlite", 150, 100)
    build(tmp_path / "deferred.sqlite", 400, 100)  # a top-up of 250 on 150: deferred too
    assert schema() == kept
    assert len(during) == 2
    for seen in during:
        names = {name for kind, name, _ in seen}
        assert "case_stage" not in names and "case_event_case_id" not in names
        assert not any(n.endswith("_insert") and n.startswith("case_") for n in names)
        assert "case_grams_delete" in names  # only the insert triggers are set aside
    assert {t: hits(t) for t in terms} == found
    assert dump(tmp_path / "deferred.sqlite") == kept_rows
    latest = []  # each case's latest callback: rebuilt in one statement after the load
    for name in ("kept.sqlite", "deferred.sqlite"):
        with sqlite3.connect(tmp_path / name) as con:
            latest.append(con.execute("SELECT * FROM callback_latest ORDER BY case_id").fetchall())
            latest.append(con.execute("SELECT * FROM callback ORDER BY id").fetchall())
    assert latest[0] == latest[2] and latest[1] == latest[3] and len(latest[0]) > 100


def test_cases_made_in_other_processes_are_the_same(tmp_path, monkeypatch):
    """A big load makes its cases in forked processes (where fork exists): the same rows as
    making them here, in the same order."""
    monkeypatch.setattr(demo, "BATCH", 40)
    monkeypatch.setattr(demo, "MOMENTS", 50)
    dumps = []
    for name, parallel_from in (("here.sqlite", 10**9), ("forked.sqlite", 100)):
        monkeypatch.setattr(demo, "PARALLEL_FROM", parallel_from)
        open_database(tmp_path / name)
        demo.build(220, seed=3, reference=REFERENCE)
        dumps.append(dump(tmp_path / name))
    assert demo._maker_count(220) >= 1  # this machine forks: the second build used makers
    assert dumps[0] == dumps[1] and len(dumps[0]["case"]) == 220
