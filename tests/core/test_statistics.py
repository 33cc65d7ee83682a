"""Every rate on hand-built cases whose answers are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minqing.core import community
from minqing.core.cases import services as cases
from minqing.core.models import Case, Grid, Household, Staff, SupervisionCheck
from minqing.core.supervision import rates, statistics
from minqing.core.supervision.models import Callback

D = dt.date
MARCH = statistics.StatsFilter(D(2026, 3, 1), D(2026, 3, 31), as_of=D(2026, 4, 1))


def make(clerk, day, window="城建城管", channel="hotline", **fields):
    case = cases.take_in(
        channel=channel,
        text="测试民情",
        window=community.find_window(window),
        first_responder=clerk,
        contact_name="王",
        contact_phone="13812345678",
        taken_at=dt.datetime.combine(day, dt.time(9)),
    ).case
    if fields:
        Case.update(**fields).where(Case.id == case.id).execute()
    return Case.get_by_id(case.id)


def callback(case, day, satisfaction, resolved):
    Callback.create(case=case, called_on=day, satisfaction=satisfaction, resolved=resolved)


@pytest.fixture
def built(office):
    clerk = Staff.get(Staff.name == "张敏")
    li, zhao = Staff.get(Staff.name == "李红"), Staff.get(Staff.name == "赵刚")
    grid = Grid.get(Grid.name == "第一片区")
    home = Household.create(community=office, grid=grid, courtyard="中和街21号", building="2")
    due = D(2026, 3, 10)
    a = make(
        clerk,
        D(2026, 3, 2),
        stage="closed",
        due_date=due,
        handled_on=D(2026, 3, 8),
        replied_on=D(2026, 3, 9),
        reopen_count=1,
        owner=li,
        household=home,
    )
    callback(a, D(2026, 3, 5), "dissatisfied", False)  # superseded by the later callback
    callback(a, D(2026, 3, 12), "satisfied", True)
    b = make(
        clerk,
        D(2026, 3, 3),
        stage="supervision",
        due_date=due,
        handled_on=due,
        replied_on=D(2026, 3, 12),
        household=home,
    )
    callback(b, D(2026, 3, 13), "fairly", True)
    c = make(clerk, D(2026, 3, 3), stage="handling", due_date=due, household=home)
    make(clerk, D(2026, 3, 30), stage="handling", due_date=D(2026, 4, 10))  # not due yet
    e = make(
        clerk,
        D(2026, 3, 16),
        stage="supervision",
        due_date=None,
        handled_on=D(2026, 3, 19),
        replied_on=D(2026, 3, 20),
    )
    callback(e, D(2026, 3, 21), None, False)
    g = make(
        clerk,
        D(2026, 3, 2),
        channel="informant",
        stage="closed",
        due_date=due,
        handled_on=D(2026, 3, 5),
        replied_on=D(2026, 3, 5),
    )
    callback(g, D(2026, 3, 6), "dissatisfied", True)
    make(clerk, D(2026, 2, 27), stage="handling", due_date=D(2026, 3, 4))  # outside the period
    for stage, disposition in [
        ("closed", "immediate"),
        ("supervision", "immediate"),
        ("intake", None),
        ("closed", "returned"),
    ]:
        make(
            clerk,
            D(2026, 3, 20),
            window="司法调解",
            stage=stage,
            disposition=disposition,
            due_date=None,
        )
    SupervisionCheck.create(
        case=a, kind="periodic", checked_on=D(2026, 3, 15), fault="late", fault_owner=li
    )
    SupervisionCheck.create(
        case=c, kind="inspector", checked_on=D(2026, 3, 20), fault="not_handled", fault_owner=li
    )
    SupervisionCheck.create(
        case=b, kind="spot", checked_on=D(2026, 4, 2), fault="not_answered", fault_owner=zhao
    )  # April: not in March
    SupervisionCheck.create(case=b, kind="spot", checked_on=D(2026, 3, 20), finding="无问题")
    return {"clerk": clerk, "li": li, "grid": grid}


def test_the_rates(built):
    s = statistics.compute(MARCH)
    assert s.total == 10 and s.overdue == 1  # c: handling, due 3-10
    got = {k: (r.numerator, r.denominator) for k, r in s.rates.items()}
    # answered in time: a (3-09 ≤ 3-10), e (no deadline), g; due for an answer: a b c e g
    assert got["response"] == (3, 5)
    # handled in time: a, b (on the day), e, g; due: a b c e g
    assert got["on_time"] == (4, 5)
    # latest callbacks: a resolved, b resolved, e not, g resolved
    assert got["resolution"] == (3, 4)
    # verdicts: a 满意, b 基本满意, g 不满意; e gave none
    assert got["satisfaction"] == (2, 3)
    # reopened: a; answered: a b e g
    assert got["reopen"] == (1, 4)
    assert s.rates["satisfaction"].text == "66.7%" and s.rates["response"].text == "60.0%"


def test_empty_period_has_no_rate_not_zero(built):
    s = statistics.compute(statistics.StatsFilter(D(2025, 1, 1), D(2025, 1, 31)))
    assert s.total == 0 and all(r.value is None and r.text == "—" for r in s.rates.values())


def test_mediation_as_the_source_reports_it(built):
    m = statistics.compute(MARCH).mediation
    # 4 disputes; 3 past intake; closed + supervision mediated (returned excluded); 1 closed
    assert (m.reported, m.screened, m.mediated, m.succeeded) == (4, 3, 2, 1)
    assert (m.screening.text, m.success.text) == ("75.0%", "50.0%")


def test_counts_and_filters(built):
    s = statistics.compute(MARCH)
    assert dict(s.by_window) == {"城建城管": 6, "司法调解": 4}
    assert dict(s.by_channel)["民情信息员"] == 1 and dict(s.by_channel)["民情热线"] == 9
    assert s.by_informant == [("王", 1)]  # no member linked: the contact on the report
    assert dict(s.by_stage) == {"受理": 1, "办理": 2, "公示反馈": 0, "跟踪监督": 3, "办结": 4}
    assert dict(s.by_grid) == {"第一片区": 3, "（未关联住户）": 7}
    assert dict(s.satisfaction) == {"满意": 1, "基本满意": 1, "不满意": 1, "未表态": 1}
    assert sum(n for _, n in s.trend) == 10 and len(s.trend) == 31
    only_li = statistics.StatsFilter(
        MARCH.date_from, MARCH.date_to, staff_id=built["li"].id, as_of=MARCH.as_of
    )
    assert statistics.compute(only_li).total == 1
    grid = statistics.StatsFilter(
        MARCH.date_from, MARCH.date_to, grid_id=built["grid"].id, as_of=MARCH.as_of
    )
    assert statistics.compute(grid).rates["response"].counts == "1 / 3"
    informant = statistics.StatsFilter(MARCH.date_from, MARCH.date_to, channel="informant")
    assert statistics.compute(informant).total == 1


def test_faults_per_owner_in_the_period(built):
    faults = statistics.compute(MARCH).faults
    assert [(f.owner, f.not_handled, f.late, f.not_answered, f.total) for f in faults] == [
        ("李红", 1, 1, 0, 2)
    ]


def test_recurring_matters(built):
    rows = statistics.compute(MARCH).recurring
    assert [(r.window, r.place, r.count, r.still_open) for r in rows] == [
        ("城建城管", "中和街21号2号楼", 3, 1)
    ]
    assert statistics.recurring(MARCH, at_least=4) == []


def test_json_carries_the_formulas(built):
    data = json.loads(json.dumps(statistics.compute(MARCH).to_dict(), default=str))
    assert data["rates"]["response"]["formula"] == rates.RESPONSE.formula
    assert data["rates"]["satisfaction"]["numerator"] == 2
    assert data["mediation"]["success"]["value"] == 0.5


def test_formulas_are_one_text():
    assert rates.SATISFACTION.formula.startswith("满意率 = ")
    assert "满意率" in rates.markdown() and len(rates.ALL_RATES) == 7


def test_month_range_and_change():
    assert statistics.month_range("2026-11") == (D(2026, 11, 1), D(2026, 11, 30))
    assert statistics.month_range("2026-12") == (D(2026, 12, 1), D(2026, 12, 31))
    now, before = rates.Rate("response", 9, 10), rates.Rate("response", 8, 10)
    assert rates.change_text(now, before) == "↑10.0个百分点"
    assert rates.change_text(now, rates.Rate("response", 0, 0)) == ""


def test_informant_reports_count_for_the_member_who_filed_them(built, office):
    from minqing.core.members.models import Member

    member = Member.create(community=office, name="刘桂芝", kind="retired", is_informant=True)
    Case.update(informant=member).where(Case.channel == "informant").execute()
    assert statistics.compute(MARCH).by_informant == [("刘桂芝", 1)]
