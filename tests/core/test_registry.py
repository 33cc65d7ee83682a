"""Households and residents: validation, moves, status kept in history, the household page."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.cases.search import find_residents
from minqing.core.errors import DomainError
from minqing.core.models import Grid, Resident, ResidentTag
from minqing.core.privacy import mask_id_number
from minqing.core.registry import services as registry

GOOD_ID = "11010519491231002X"


@pytest.fixture
def home(office):
    grid = Grid.get(Grid.name == "第一片区")
    return registry.add_household(office, "中和小区", "3", "2", "501", grid=grid)


def test_add_household_rejects_same_address(office, home):
    with pytest.raises(DomainError) as err:
        registry.add_household(office, "中和小区", "3号楼", "2单元", "501室")
    assert err.value.field == "door"


def test_add_resident_validates_and_derives(home):
    person = registry.add_resident(
        home, " 王 秀英 ", phone="１３９ 0000 1234", id_number=GOOD_ID, tags=["低保", "disabled"]
    )
    assert person.name == "王秀英" and person.initials == "wxy"
    assert person.phone == "13900001234" and person.gender == "女"
    assert registry.tags_of(person.id) == ["低保", "残疾人"]
    with pytest.raises(DomainError) as err:
        registry.add_resident(home, "李四", id_number=GOOD_ID[:-1] + "1")
    assert err.value.field == "id_number" and "校验码" in err.value.message
    with pytest.raises(DomainError) as err:
        registry.add_resident(home, "李四", id_number=GOOD_ID)
    assert "王秀英" in err.value.message
    assert Resident.select().count() == 1


def test_edit_tags_and_status_keep_history(home):
    person = registry.add_resident(home, "赵大山", tags=["下岗失业"])
    registry.edit_resident(person, tags=["空巢老人", "楼长"])
    assert registry.tags_of(person.id) == ["空巢老人", "楼长"]
    assert "楼长" in registry.known_tags()
    gone = registry.mark_status(person, "已迁出", dt.date.today())
    assert gone.status == "moved_away" and gone.status_date == dt.date.today()
    assert Resident.get_by_id(person.id) is not None
    assert ResidentTag.select().where(ResidentTag.resident == person.id).count() == 2
    assert find_residents("赵大山") == []
    assert [r.id for r in find_residents("赵大山", include_inactive=True)] == [person.id]
    with pytest.raises(DomainError):
        registry.mark_status(person, "失踪")


def test_move_household_to_another_grid(office, home):
    second = Grid.get(Grid.name == "第二片区")
    moved = registry.move_household(home, second)
    assert moved.grid_id == second.id
    with pytest.raises(DomainError):
        registry.move_household(home, None)


def test_tree_rows_and_page(office, home):
    registry.add_household(office, "中和小区", "10", "1", "101")
    registry.add_household(office, "中和小区", "2", "1", "101")
    registry.add_resident(home, "孙丽", phone="13900002222")
    rows = registry.household_rows(office)
    assert [r.building for r in rows] == ["2", "3", "10"]  # natural order
    assert [r.people for r in rows] == [0, 1, 0]
    page = registry.household_page(home)
    assert page.grid == "第一片区" and page.residents[0][0].name == "孙丽"
    assert page.cases == [] and page.visits == [] and page.cards == []


def test_search_by_initials_phone_and_address(home):
    person = registry.add_resident(home, "孙丽", phone="13900002222")
    assert [r.id for r in find_residents("sl")] == [person.id]
    assert [r.id for r in find_residents("2222")] == [person.id]
    assert [r.id for r in find_residents("中和小区3号楼")] == [person.id]


def test_mask_id_number():
    assert mask_id_number(GOOD_ID) == "110105********002X"
    assert mask_id_number("") == ""
