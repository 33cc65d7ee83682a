"""三联系: limits per kind, what counts as a poor household / person in rehabilitation, proposals."""

from __future__ import annotations

import pytest

from minqing.core.errors import DomainError
from minqing.core.members import links
from minqing.core.members.links import LinkKind
from minqing.core.members.models import Link, ResidentGroup
from minqing.core.models import Resident
from tests.core.test_members import add, make_homes


@pytest.fixture
def homes(office):
    return make_homes(office)


@pytest.fixture
def member(office, homes):
    return add(office, household=homes["member"])


def test_groups_from_addresses_one_per_building(office, homes):
    assert links.groups_from_addresses(office) == 3
    assert links.groups_from_addresses(office) == 0
    names = {g.name for g in ResidentGroup.select()}
    assert names == {"中和小区3号楼居民小组", "中和小区5号楼居民小组", "比乐小区1号楼居民小组"}


def test_complete_links_and_the_fourth_is_refused(office, homes, member):
    links.groups_from_addresses(office)
    groups = list(ResidentGroup.select().order_by(ResidentGroup.id))
    assert links.unlinked(office)[0].missing == ["居民小组 1 个", "贫困户 1 户", "康复人员 1 名"]
    links.link(member, "group", groups[0])
    links.link(member, "居民小组", groups[1])
    links.link(member, LinkKind.POOR_HOUSEHOLD, homes["poor"])
    rehab = Resident.get(Resident.name == "周强")
    change = links.link(member, "rehabilitation", rehab, since="2026-10-08")
    assert change.events[0].new.startswith("康复人员：周强")
    assert links.unlinked(office) == []
    with pytest.raises(DomainError, match="最多 2 个") as info:
        links.link(member, "group", groups[2])
    assert info.value.field == "kind"
    with pytest.raises(DomainError, match="最多 1 户"):
        links.link(member, "poor_household", homes["poor_far"])
    assert Link.select().count() == 4


def test_only_tagged_households_and_people_count(office, homes, member):
    with pytest.raises(DomainError, match="不是贫困户"):
        links.link(member, "poor_household", homes["plain"])
    with pytest.raises(DomainError, match="康复人员"):
        links.link(member, "rehabilitation", Resident.get(Resident.name == "吴平"))
    with pytest.raises(DomainError, match="不认识"):
        links.link(member, "friend", homes["poor"])
    links.link(member, "poor_household", homes["poor_far"])  # 三无老人 counts too


def test_ending_a_link_frees_the_place(office, homes, member):
    first = links.link(member, "poor_household", homes["poor"]).row
    links.unlink(first)
    links.link(member, "poor_household", homes["poor_far"])
    with pytest.raises(DomainError, match="已经结束"):
        links.unlink(first)


def test_proposals_nearest_first_and_not_taken(office, homes, member):
    proposed = links.propose(member, "poor_household")
    assert [label for _row, label in proposed][0].startswith("中和小区3号楼")  # same building
    assert proposed[-1][0].id == homes["poor_far"].id  # another courtyard last
    groups = links.propose(member, "group")  # made from addresses on first use
    assert groups[0][1] == "中和小区3号楼居民小组"
    other = add(office, "陈淑珍")
    links.link(other, "poor_household", homes["poor"])
    after = links.propose(member, "poor_household")
    assert after[0][0].id == homes["poor_far"].id  # the free one first, however far
    assert after[1] == (homes["poor"], "中和小区3号楼1单元402室（已有党员联系）")
    links.link(member, "poor_household", homes["poor_far"])
    assert homes["poor_far"].id not in {
        row.id for row, _ in links.propose(member, "poor_household")
    }
    assert [label for _r, label in links.propose(member, "rehabilitation")] == [
        "周强（中和小区5号楼1单元302室）"
    ]
