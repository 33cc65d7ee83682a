"""Household visits: one transaction with the case they open; coverage; walking order."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.errors import DomainError
from minqing.core.models import Case, Grid, Staff, Window
from minqing.core.outreach import visits
from minqing.core.registry import services as registry
from minqing.core.registry.models import Visit


@pytest.fixture
def street(office):
    one, two = (Grid.get(Grid.name == n) for n in ("第一片区", "第二片区"))
    homes = [
        registry.add_household(office, "中和小区", b, "1", "101", grid=one)
        for b in ("10", "2", "3")
    ]
    homes.append(registry.add_household(office, "比乐小区", "1", "1", "101", grid=two))
    empty = registry.add_household(office, "比乐小区", "1", "1", "102", grid=two)
    for i, h in enumerate(homes):
        registry.add_resident(h, f"居民{i}")
    return homes, empty


def test_visit_that_opens_a_case(office, street):
    homes, _ = street
    staff = Staff.get(Staff.name == "张敏")
    result = visits.record_visit(
        homes[0],
        staff=staff,
        learned="楼道灯不亮，老人晚上出门不便",
        open_case=True,
        window=Window.get(Window.name == "城建城管"),
    )
    case = result.case
    assert case.channel == "home_visit" and case.household_id == homes[0].id
    assert case.resident.name == "居民0" and "楼道灯" in case.text
    assert result.visit.case_id == case.id


def test_failed_case_leaves_no_visit(office, street):
    homes, _ = street
    staff = Staff.get(Staff.name == "张敏")
    with pytest.raises(DomainError):
        visits.record_visit(homes[0], staff=staff, learned="x", open_case=True, window=None)
    assert Visit.select().count() == 0 and Case.select().count() == 0
    with pytest.raises(DomainError):
        visits.record_visit(homes[0], staff=staff, visited_on=dt.date.today() + dt.timedelta(1))


def test_coverage_and_unvisited_in_walking_order(office, street):
    homes, empty = street
    staff = Staff.get(Staff.name == "张敏")
    year = dt.date.today().year
    visits.record_visit(homes[1], staff=staff, learned="一切正常")
    visits.record_visit(homes[1], staff=staff, learned="再去一次")
    last_year = dt.date(year - 1, 6, 1)
    visits.record_visit(homes[3], staff=staff, visited_on=last_year)
    cov = {c.grid: (c.households, c.visited) for c in visits.coverage(office, year)}
    assert cov == {"第一片区": (3, 1), "第二片区": (1, 0)}  # the empty flat is not counted
    todo = visits.unvisited(office, year)
    assert [u.address for u in todo] == [
        "中和小区3号楼1单元101室",
        "中和小区10号楼1单元101室",
        "比乐小区1号楼1单元101室",
    ]
    assert todo[-1].last_visit == last_year and todo[0].people == 1
